import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Change history, written in the same transaction as the change it records, and archiving:
 * an archived flag keeps its row (and its history) but is no longer served.
 */
export class FlagHistory1732800000000 implements MigrationInterface {
  name = 'FlagHistory1732800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE flags ADD COLUMN archived_at timestamptz`);
    await q.query(`
      CREATE TABLE flag_history (
        id bigserial PRIMARY KEY,
        flag_name varchar(128) NOT NULL,
        action varchar(16) NOT NULL,
        before jsonb,
        after jsonb,
        actor varchar(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX flag_history_flag_idx ON flag_history (flag_name, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE flag_history`);
    await q.query(`ALTER TABLE flags DROP COLUMN archived_at`);
  }
}
