import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every write takes the next value of one global sequence as the flag's `revision`. The revision
 * is the cache generation: it is part of every cache key of the flag, and instances learn of
 * new revisions by pub/sub and by polling `revision > last seen` (flags_revision_idx).
 */
export class CreateFlags1732700000000 implements MigrationInterface {
  name = 'CreateFlags1732700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE flag_revision_seq`);
    await q.query(`
      CREATE TABLE flags (
        name varchar(128) PRIMARY KEY,
        enabled boolean NOT NULL DEFAULT false,
        rollout_percentage smallint NOT NULL DEFAULT 100
          CONSTRAINT flags_rollout_percentage_range CHECK (rollout_percentage BETWEEN 0 AND 100),
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        revision bigint NOT NULL DEFAULT nextval('flag_revision_seq'),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX flags_revision_idx ON flags (revision)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE flags`);
    await q.query(`DROP SEQUENCE flag_revision_seq`);
  }
}
