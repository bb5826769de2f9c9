import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, MoreThan, Repository } from 'typeorm';
import type { FlagSnapshot } from '@app/cache';
import { isDatabaseUnavailable } from '@app/database';
import { FlagEntity } from './flag.entity';
import { FlagsError } from './flags.errors';

export interface FlagPatch {
  enabled?: boolean;
  rolloutPercentage?: number;
  metadata?: Record<string, unknown>;
}

/**
 * The port the service depends on (STYLE: services depend on a repository token, not on
 * TypeORM). Every method fails with FlagsError(DatabaseUnavailable) when PostgreSQL cannot serve.
 */
export abstract class FlagsRepository {
  abstract findByName(name: string): Promise<FlagSnapshot | null>;
  abstract findAll(): Promise<FlagSnapshot[]>;
  /** Names and revisions of flags whose revision is above `since` (all flags with 0). */
  abstract revisionsSince(since: number): Promise<Array<{ name: string; revision: number }>>;
  /** Creates or updates in one statement, taking a new revision. Fields left out keep their value. */
  abstract upsert(
    name: string,
    patch: FlagPatch,
  ): Promise<{ flag: FlagSnapshot; created: boolean }>;
  /** Gives the flag a new revision without changing it (manual invalidation); null when it does not exist. */
  abstract bumpRevision(name: string): Promise<number | null>;
  abstract ping(): Promise<void>;
}

interface FlagRow {
  name: string;
  enabled: boolean;
  rollout_percentage: number;
  metadata: Record<string, unknown>;
  revision: string;
}

const COLUMNS = 'name, enabled, rollout_percentage, metadata, revision';
const fromEntity = (e: FlagEntity): FlagSnapshot => ({
  name: e.name,
  enabled: e.enabled,
  rolloutPercentage: e.rolloutPercentage,
  metadata: e.metadata,
  revision: Number(e.revision),
});
const toSnapshot = (r: FlagRow): FlagSnapshot => ({
  name: r.name,
  enabled: r.enabled,
  rolloutPercentage: Number(r.rollout_percentage),
  metadata: r.metadata,
  revision: Number(r.revision),
});

@Injectable()
export class TypeOrmFlagsRepository implements FlagsRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(FlagEntity) private readonly flags: Repository<FlagEntity>,
  ) {}

  findByName(name: string): Promise<FlagSnapshot | null> {
    return this.run('could not read the flag', async () => {
      const entity = await this.flags.findOneBy({ name });
      return entity === null ? null : fromEntity(entity);
    });
  }

  findAll(): Promise<FlagSnapshot[]> {
    return this.run('could not list the flags', async () =>
      (await this.flags.find({ order: { name: 'ASC' } })).map(fromEntity),
    );
  }

  revisionsSince(since: number): Promise<Array<{ name: string; revision: number }>> {
    return this.run('could not read revisions', async () => {
      const rows = await this.flags.find({
        select: { name: true, revision: true },
        where: { revision: MoreThan(String(since)) },
        order: { revision: 'ASC' },
      });
      return rows.map((r) => ({ name: r.name, revision: Number(r.revision) }));
    });
  }

  upsert(name: string, patch: FlagPatch): Promise<{ flag: FlagSnapshot; created: boolean }> {
    return this.run('the update was not applied', async () => {
      // One statement, so it is atomic: either the whole change commits or nothing does.
      // (xmax = 0) is PostgreSQL's way to tell an inserted row from an updated one.
      const rows = await this.db.query<Array<FlagRow & { created: boolean }>>(
        `INSERT INTO flags AS f (name, enabled, rollout_percentage, metadata)
         VALUES ($1, COALESCE($2::boolean, false), COALESCE($3::smallint, 100), COALESCE($4::jsonb, '{}'::jsonb))
         ON CONFLICT (name) DO UPDATE SET
           enabled = COALESCE($2::boolean, f.enabled),
           rollout_percentage = COALESCE($3::smallint, f.rollout_percentage),
           metadata = COALESCE($4::jsonb, f.metadata),
           revision = nextval('flag_revision_seq'),
           updated_at = now()
         RETURNING ${COLUMNS}, (xmax = 0) AS created`,
        [
          name,
          patch.enabled ?? null,
          patch.rolloutPercentage ?? null,
          patch.metadata === undefined ? null : JSON.stringify(patch.metadata),
        ],
      );
      return { flag: toSnapshot(rows[0]), created: rows[0].created };
    });
  }

  bumpRevision(name: string): Promise<number | null> {
    return this.run('the invalidation was not applied', async () => {
      const rows = await this.db.query<Array<{ revision: string }>>(
        `UPDATE flags SET revision = nextval('flag_revision_seq') WHERE name = $1 RETURNING revision`,
        [name],
      );
      // TypeORM returns [rows, affected] for UPDATE ... RETURNING on postgres.
      const list = (Array.isArray(rows[0]) ? rows[0] : rows) as Array<{ revision: string }>;
      return list.length === 0 ? null : Number(list[0].revision);
    });
  }

  ping(): Promise<void> {
    return this.run('ping failed', async () => {
      await this.db.query('SELECT 1');
    });
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
