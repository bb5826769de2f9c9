import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, LessThan, MoreThan, Repository } from 'typeorm';
import type { FlagDefinition } from '@app/flag-model';
import { isDatabaseUnavailable } from '@app/database';
import { FlagEntity, FlagHistoryEntity, FlagState } from './flag.entity';
import { FlagsError } from './flags.errors';
import { completeState, toFlagState } from './flag-state';

export type ChangeAction = 'create' | 'update' | 'restore' | 'archive';

export interface HistoryEntry {
  id: string;
  action: ChangeAction;
  actor: string;
  at: string;
  before: FlagState | null;
  after: FlagState | null;
}

/** The row a write starts from, locked until the write commits; null when the flag never existed. */
export interface CurrentFlag {
  flag: FlagDefinition;
  archived: boolean;
}

/**
 * Decides the whole new definition from the current one. It runs inside the write's transaction
 * with the row locked, so what it checks (the expected revision, the merged definition's
 * validity) still holds when the write commits; a domain error thrown here writes nothing.
 */
export type FlagChange = (current: CurrentFlag | null) => FlagState;

export interface RevisionChange {
  name: string;
  revision: number;
  archived: boolean;
}

/**
 * The port the service depends on (STYLE: services depend on a repository token, not on
 * TypeORM). Every method fails with FlagsError(DatabaseUnavailable) when PostgreSQL cannot serve.
 * Every write takes a new revision and records its history in the same transaction.
 */
export abstract class FlagsRepository {
  /** A live (not archived) flag. */
  abstract findByName(name: string): Promise<FlagDefinition | null>;
  /** Live flags by name, and the archived ones' names and revisions (they count in the list's generation). */
  abstract findAll(): Promise<{
    flags: FlagDefinition[];
    archived: Array<{ name: string; revision: number }>;
  }>;
  /** Flags, archived ones included, whose revision is above `since` (all flags with 0). */
  abstract revisionsSince(since: number): Promise<RevisionChange[]>;
  /** Creates, updates or restores an archived flag, with the definition `change` decides. */
  abstract upsert(
    name: string,
    change: FlagChange,
    actor: string,
  ): Promise<{ flag: FlagDefinition; action: ChangeAction }>;
  /** Archives a live flag; the new revision, or null when there is no live flag of that name. */
  abstract archive(name: string, actor: string): Promise<number | null>;
  /** Gives a live flag a new revision without changing it (manual invalidation); null when there is none. */
  abstract bumpRevision(name: string): Promise<number | null>;
  /** Newest first; `before` is the id to continue after. Null when the flag has never existed. */
  abstract history(name: string, limit: number, before?: string): Promise<HistoryEntry[] | null>;
}

const toDefinition = (e: FlagEntity): FlagDefinition => ({
  name: e.name,
  enabled: e.enabled,
  rolloutPercentage: e.rolloutPercentage,
  metadata: e.metadata,
  type: e.type,
  variants: e.variants,
  defaultVariant: e.defaultVariant,
  rules: e.rules,
  revision: Number(e.revision),
});
const toState = (e: FlagEntity): FlagState => toFlagState(toDefinition(e));

@Injectable()
export class TypeOrmFlagsRepository implements FlagsRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(FlagEntity) private readonly flags: Repository<FlagEntity>,
    @InjectRepository(FlagHistoryEntity) private readonly changes: Repository<FlagHistoryEntity>,
  ) {}

  findByName(name: string): Promise<FlagDefinition | null> {
    return this.run('could not read the flag', async () => {
      const entity = await this.flags.findOneBy({ name, archivedAt: IsNull() });
      return entity === null ? null : toDefinition(entity);
    });
  }

  findAll(): Promise<{
    flags: FlagDefinition[];
    archived: Array<{ name: string; revision: number }>;
  }> {
    return this.run('could not list the flags', async () => {
      const rows = await this.flags.find({ order: { name: 'ASC' } });
      return {
        flags: rows.filter((r) => r.archivedAt === null).map(toDefinition),
        archived: rows
          .filter((r) => r.archivedAt !== null)
          .map((r) => ({ name: r.name, revision: Number(r.revision) })),
      };
    });
  }

  revisionsSince(since: number): Promise<RevisionChange[]> {
    return this.run('could not read revisions', async () => {
      const rows = await this.flags.find({
        select: { name: true, revision: true, archivedAt: true },
        where: { revision: MoreThan(String(since)) },
        order: { revision: 'ASC' },
      });
      return rows.map((r) => ({
        name: r.name,
        revision: Number(r.revision),
        archived: r.archivedAt !== null,
      }));
    });
  }

  upsert(
    name: string,
    change: FlagChange,
    actor: string,
  ): Promise<{ flag: FlagDefinition; action: ChangeAction }> {
    return this.transaction('the update was not applied', async (m) => {
      const before = await this.lock(m, name);
      const next = change(
        before === null
          ? null
          : { flag: toDefinition(before), archived: before.archivedAt !== null },
      );
      await m.query(
        `INSERT INTO flags AS f (name, enabled, rollout_percentage, metadata, type, variants, default_variant, rules)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6::jsonb, $7, $8::jsonb)
         ON CONFLICT (name) DO UPDATE SET
           enabled = EXCLUDED.enabled,
           rollout_percentage = EXCLUDED.rollout_percentage,
           metadata = EXCLUDED.metadata,
           type = EXCLUDED.type,
           variants = EXCLUDED.variants,
           default_variant = EXCLUDED.default_variant,
           rules = EXCLUDED.rules,
           archived_at = NULL,
           revision = nextval('flag_revision_seq'),
           updated_at = now()`,
        [
          name,
          next.enabled,
          next.rollout_percentage,
          JSON.stringify(next.metadata),
          next.type,
          JSON.stringify(next.variants),
          next.default_variant,
          JSON.stringify(next.rules),
        ],
      );
      const after = await m.findOneByOrFail(FlagEntity, { name });
      const action: ChangeAction =
        before === null ? 'create' : before.archivedAt !== null ? 'restore' : 'update';
      await this.record(
        m,
        name,
        action,
        before === null || before.archivedAt !== null ? null : toState(before),
        toState(after),
        actor,
      );
      return { flag: toDefinition(after), action };
    });
  }

  archive(name: string, actor: string): Promise<number | null> {
    return this.transaction('the flag was not archived', async (m) => {
      const before = await this.lock(m, name);
      if (before === null || before.archivedAt !== null) return null;
      // TypeORM answers UPDATE ... RETURNING on PostgreSQL with [rows, affected].
      const [row] = await m.query<[Array<{ revision: string }>, number]>(
        `UPDATE flags SET archived_at = now(), revision = nextval('flag_revision_seq'), updated_at = now()
         WHERE name = $1 RETURNING revision`,
        [name],
      );
      await this.record(m, name, 'archive', toState(before), null, actor);
      return Number(row[0].revision);
    });
  }

  bumpRevision(name: string): Promise<number | null> {
    return this.run('the invalidation was not applied', async () => {
      const [rows] = await this.db.query<[Array<{ revision: string }>, number]>(
        `UPDATE flags SET revision = nextval('flag_revision_seq') WHERE name = $1 AND archived_at IS NULL RETURNING revision`,
        [name],
      );
      return rows.length === 0 ? null : Number(rows[0].revision);
    });
  }

  history(name: string, limit: number, before?: string): Promise<HistoryEntry[] | null> {
    return this.run('could not read the history', async () => {
      const rows = await this.changes.find({
        where: before === undefined ? { flagName: name } : { flagName: name, id: LessThan(before) },
        order: { id: 'DESC' },
        take: limit,
      });
      if (rows.length === 0 && before === undefined && !(await this.flags.existsBy({ name })))
        return null;
      return rows.map((r) => ({
        id: r.id,
        action: r.action as ChangeAction,
        actor: r.actor,
        at: r.createdAt.toISOString(),
        before: completeState(r.before),
        after: completeState(r.after),
      }));
    });
  }

  /** Reads the row and locks it until the transaction ends, so concurrent writers record true "before" states. */
  private lock(m: EntityManager, name: string): Promise<FlagEntity | null> {
    return m.findOne(FlagEntity, { where: { name }, lock: { mode: 'pessimistic_write' } });
  }

  private async record(
    m: EntityManager,
    name: string,
    action: ChangeAction,
    before: FlagState | null,
    after: FlagState | null,
    actor: string,
  ) {
    await m.query(
      `INSERT INTO flag_history (flag_name, action, before, after, actor) VALUES ($1, $2, $3::jsonb, $4::jsonb, $5)`,
      [
        name,
        action,
        before === null ? null : JSON.stringify(before),
        after === null ? null : JSON.stringify(after),
        actor,
      ],
    );
  }

  private transaction<T>(action: string, work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.run(action, () => this.db.transaction(work));
  }

  private async run<T>(action: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw FlagsError.databaseUnavailable(action);
      throw error;
    }
  }
}
