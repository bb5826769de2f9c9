import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, LessThan, MoreThan, Not, Repository } from 'typeorm';
import type { FlagDefinition } from '@app/flag-model';
import type { ChangeRecord } from '@app/cache';
import { APP_CONFIG, AppConfig } from '@app/config';
import { DatabaseGuard, isDatabaseUnavailable, WriteDeadline } from '@app/database';
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

/**
 * A committed write, as the change stream tells of it. `previous`: the flag's revision before it
 * (0: none). `follows`: the revision of the change recorded right before this one, of any flag
 * (0: none); writes commit in revision order (see revisionTurn), so nothing recorded lies between.
 */
export interface RecordedChange extends ChangeRecord {
  previous: number;
  follows: number;
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
  /** Archived flags as they were when archived, by name (read by admins only, never cached). */
  abstract findArchived(): Promise<FlagDefinition[]>;
  /** Flags, archived ones included, whose revision is above `since` (all flags with 0). */
  abstract revisionsSince(since: number): Promise<RevisionChange[]>;
  /** Creates, updates or restores an archived flag, with the definition `change` decides. */
  abstract upsert(
    name: string,
    change: FlagChange,
    actor: string,
  ): Promise<{ flag: FlagDefinition; action: ChangeAction; change: RecordedChange }>;
  /** Archives a live flag; the change, or null when there is no live flag of that name. */
  abstract archive(name: string, actor: string): Promise<RecordedChange | null>;
  /** Gives a live flag a new revision without changing it (manual invalidation); null when there is none. */
  abstract bumpRevision(name: string, actor: string): Promise<RecordedChange | null>;
  /** Newest first; `before` is the id to continue after. Null when the flag has never existed. */
  abstract history(name: string, limit: number, before?: string): Promise<HistoryEntry[] | null>;
  /**
   * Recorded changes with a revision above `after` (and at most `upTo` when given), oldest
   * first, at most `limit`. Changes recorded before revisions were (migration 1734000000000) are
   * not there.
   */
  abstract changesSince(after: number, limit: number, upTo?: number): Promise<ChangeRecord[]>;
}

/** Namespaces the per-flag advisory locks (any constant; it only has to stay the same across instances). */
const FLAG_LOCK_SEED = 0x65_66_6c_67; // "eflg"
/** The advisory lock that orders revisions (see revisionTurn). A flag's lock on the same key, by chance, would be harmless. */
const REVISION_LOCK = 0x65_66_72_76; // "efrv"

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
  updatedAt: e.updatedAt.toISOString(),
  updatedBy: e.updatedBy,
});
const toState = (e: FlagEntity): FlagState => toFlagState(toDefinition(e));

@Injectable()
export class TypeOrmFlagsRepository implements FlagsRepository {
  /**
   * The embedded database (PGlite) is one session shared by every query of the process: two
   * transactions run at once would interleave their statements in one transaction, and a lock
   * taken by one would not hold the other back (locks are per session). So there, writes run
   * one at a time, in the order they arrive. PostgreSQL gives each transaction a session of
   * its own, and writes of different flags run in parallel.
   */
  private readonly singleSession: boolean;
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(FlagEntity) private readonly flags: Repository<FlagEntity>,
    @InjectRepository(FlagHistoryEntity) private readonly changes: Repository<FlagHistoryEntity>,
    private readonly guard: DatabaseGuard,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.singleSession = config.database.kind === 'pglite';
  }

  findByName(name: string): Promise<FlagDefinition | null> {
    return this.run('could not read the flag', 'read', async () => {
      const entity = await this.flags.findOneBy({ name, archivedAt: IsNull() });
      return entity === null ? null : toDefinition(entity);
    });
  }

  findAll(): Promise<{
    flags: FlagDefinition[];
    archived: Array<{ name: string; revision: number }>;
  }> {
    return this.run('could not list the flags', 'read', async () => {
      const rows = await this.flags.find({ order: { name: 'ASC' } });
      return {
        flags: rows.filter((r) => r.archivedAt === null).map(toDefinition),
        archived: rows
          .filter((r) => r.archivedAt !== null)
          .map((r) => ({ name: r.name, revision: Number(r.revision) })),
      };
    });
  }

  findArchived(): Promise<FlagDefinition[]> {
    return this.run('could not list the archived flags', 'read', async () => {
      const rows = await this.flags.find({
        where: { archivedAt: Not(IsNull()) },
        order: { name: 'ASC' },
      });
      return rows.map(toDefinition);
    });
  }

  revisionsSince(since: number): Promise<RevisionChange[]> {
    return this.run('could not read revisions', 'read', async () => {
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
    decide: FlagChange,
    actor: string,
  ): Promise<{ flag: FlagDefinition; action: ChangeAction; change: RecordedChange }> {
    return this.transaction('the update was not applied', async (m) => {
      const before = await this.lock(m, name);
      const next = decide(
        before === null
          ? null
          : { flag: toDefinition(before), archived: before.archivedAt !== null },
      );
      const follows = await this.revisionTurn(m);
      await m.query(
        `INSERT INTO flags AS f (name, enabled, rollout_percentage, metadata, type, variants, default_variant, rules, updated_by)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6::jsonb, $7, $8::jsonb, $9)
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
           updated_at = now(),
           updated_by = EXCLUDED.updated_by`,
        [
          name,
          next.enabled,
          next.rollout_percentage,
          JSON.stringify(next.metadata),
          next.type,
          JSON.stringify(next.variants),
          next.default_variant,
          JSON.stringify(next.rules),
          actor,
        ],
      );
      const after = await m.findOneByOrFail(FlagEntity, { name });
      const action: ChangeAction =
        before === null ? 'create' : before.archivedAt !== null ? 'restore' : 'update';
      const flag = toDefinition(after);
      const change = await this.record(m, {
        flag: name,
        action,
        before: before === null || before.archivedAt !== null ? null : toState(before),
        after: toState(after),
        actor,
        revision: flag.revision,
        previous: before === null ? 0 : Number(before.revision),
        follows,
      });
      return { flag, action, change };
    });
  }

  archive(name: string, actor: string): Promise<RecordedChange | null> {
    return this.transaction('the flag was not archived', async (m) => {
      const before = await this.lock(m, name);
      if (before === null || before.archivedAt !== null) return null;
      const follows = await this.revisionTurn(m);
      // TypeORM answers UPDATE ... RETURNING on PostgreSQL with [rows, affected].
      const [row] = await m.query<[Array<{ revision: string }>, number]>(
        `UPDATE flags SET archived_at = now(), revision = nextval('flag_revision_seq'), updated_at = now(), updated_by = $2
         WHERE name = $1 RETURNING revision`,
        [name, actor],
      );
      return this.record(m, {
        flag: name,
        action: 'archive',
        before: toState(before),
        after: null,
        actor,
        revision: Number(row[0].revision),
        previous: Number(before.revision),
        follows,
      });
    });
  }

  /**
   * A manual invalidation changes no data but takes a revision, and the change stream must be
   * able to replay it like any other change: so it is a flag_history row (action `invalidate`,
   * no before/after), written in the same transaction, under the same per-flag lock as every
   * other write (revisions of one flag then commit in order). One ledger keeps the replay one
   * indexed range read; the history endpoint leaves these rows out, so its output is unchanged.
   */
  bumpRevision(name: string, actor: string): Promise<RecordedChange | null> {
    return this.transaction('the invalidation was not applied', async (m) => {
      const before = await this.lock(m, name);
      if (before === null || before.archivedAt !== null) return null;
      const follows = await this.revisionTurn(m);
      const [rows] = await m.query<[Array<{ revision: string }>, number]>(
        `UPDATE flags SET revision = nextval('flag_revision_seq') WHERE name = $1 RETURNING revision`,
        [name],
      );
      return this.record(m, {
        flag: name,
        action: 'invalidate',
        before: null,
        after: null,
        actor,
        revision: Number(rows[0].revision),
        previous: Number(before.revision),
        follows,
      });
    });
  }

  changesSince(after: number, limit: number, upTo?: number): Promise<ChangeRecord[]> {
    return this.run('could not read the changes', 'read', async () => {
      const rows = await this.db.query<
        Array<{
          revision: string;
          flag_name: string;
          action: string;
          actor: string;
          created_at: Date;
        }>
      >(
        upTo === undefined
          ? `SELECT revision, flag_name, action, actor, created_at FROM flag_history
             WHERE revision > $1 ORDER BY revision LIMIT $2`
          : `SELECT revision, flag_name, action, actor, created_at FROM flag_history
             WHERE revision > $1 AND revision <= $3 ORDER BY revision LIMIT $2`,
        upTo === undefined ? [after, limit] : [after, limit, upTo],
      );
      return rows.map((r) => ({
        flag: r.flag_name,
        revision: Number(r.revision),
        action: r.action as ChangeRecord['action'],
        actor: r.actor,
        at: new Date(r.created_at).toISOString(),
      }));
    });
  }

  history(name: string, limit: number, before?: string): Promise<HistoryEntry[] | null> {
    return this.run('could not read the history', 'read', async () => {
      // Manual invalidations are in the ledger for the change stream, not in a flag's history.
      const rows = await this.changes.find({
        where:
          before === undefined
            ? { flagName: name, action: Not('invalidate') }
            : { flagName: name, action: Not('invalidate'), id: LessThan(before) },
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

  /**
   * Serialises writers of one flag until the transaction ends, and reads the row as it is then,
   * so that each writer records the true "before" state. `FOR UPDATE` alone locks nothing while
   * the row does not exist yet (every concurrent creator would see no row and record a create),
   * so a transaction-scoped advisory lock on a 64-bit hash of the name is taken first. The row
   * is read after the lock is granted, by a new statement, so under READ COMMITTED it sees what
   * the previous holder committed. The seed keeps these keys apart from the migration lock's.
   */
  private async lock(m: EntityManager, name: string): Promise<FlagEntity | null> {
    await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, $2))', [name, FLAG_LOCK_SEED]);
    return m.findOne(FlagEntity, { where: { name }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * Taken right before a write takes its revision, held until it commits: writes then commit in
   * the order of their revisions, across flags and instances. Readers rely on that: the change
   * stream's replay (`changesSince`, from a Last-Event-ID) and the revision poll
   * (`revisionsSince`) both ask for "above the highest revision seen", so a lower revision that
   * committed after a higher one had been read would be skipped for good. The per-flag lock
   * alone orders one flag's writes only. Every write takes its flag's lock first and this one
   * second, so no two writes wait for each other in a cycle; writes of different flags queue
   * here only for the end of their transaction (one UPDATE, one read, one INSERT, the commit).
   * Returns the revision of the last change recorded before this one (see RecordedChange): read
   * by a statement of its own once the lock is held, since a statement sees what was committed
   * when it began, and it began before the wait for the lock.
   */
  private async revisionTurn(m: EntityManager): Promise<number> {
    await m.query('SELECT pg_advisory_xact_lock($1)', [REVISION_LOCK]);
    const [row] = await m.query<Array<{ follows: string }>>(
      'SELECT coalesce(max(revision), 0) AS follows FROM flag_history',
    );
    return Number(row.follows);
  }

  private async record(
    m: EntityManager,
    c: Omit<RecordedChange, 'at'> & { before: FlagState | null; after: FlagState | null },
  ): Promise<RecordedChange> {
    const [row] = await m.query<Array<{ created_at: Date }>>(
      `INSERT INTO flag_history (flag_name, action, before, after, actor, revision)
       VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6) RETURNING created_at`,
      [
        c.flag,
        c.action,
        c.before === null ? null : JSON.stringify(c.before),
        c.after === null ? null : JSON.stringify(c.after),
        c.actor,
        c.revision,
      ],
    );
    return {
      flag: c.flag,
      revision: c.revision,
      previous: c.previous,
      follows: c.follows,
      action: c.action,
      actor: c.actor,
      at: new Date(row.created_at).toISOString(),
    };
  }

  private transaction<T>(action: string, work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.run(action, 'write', (deadline) =>
      this.serialised(() =>
        // READ COMMITTED whatever the server's default: revisionTurn reads what committed while
        // it waited for the lock, which a snapshot taken at the transaction's start would not see.
        this.db.transaction('READ COMMITTED', (m) => {
          deadline.hold(m.queryRunner!);
          return work(m);
        }),
      ),
    );
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    if (!this.singleSession) return work();
    const turn = this.writes.then(work, work);
    this.writes = turn.catch(() => undefined);
    return turn;
  }

  /**
   * Every call to PostgreSQL: through the guard (reads are skipped while the circuit breaker is
   * open, writes are always tried, both within a deadline), and any way of being unavailable
   * becomes the one domain error the service and the HTTP layer understand.
   */
  private async run<T>(
    action: string,
    access: 'read' | 'write',
    work: (deadline: WriteDeadline) => Promise<T>,
  ): Promise<T> {
    try {
      return await (access === 'read'
        ? this.guard.read(() => work(NO_DEADLINE))
        : this.guard.write(work));
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw FlagsError.databaseUnavailable(action);
      throw error;
    }
  }
}

/** Reads hold no transaction, so there is no connection of theirs to drop at the deadline. */
const NO_DEADLINE: WriteDeadline = { hold: () => undefined };
