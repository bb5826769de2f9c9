import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each recorded change keeps the revision its write took, so the change stream (`GET /events`)
 * can replay what a reconnecting client missed with one indexed range read (`revision > $1`).
 * Rows written before this migration have no revision: they cannot be replayed.
 */
export class HistoryRevision1734000000000 implements MigrationInterface {
  name = 'HistoryRevision1734000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE flag_history ADD COLUMN revision bigint`);
    await q.query(
      `CREATE UNIQUE INDEX flag_history_revision_idx ON flag_history (revision) WHERE revision IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX flag_history_revision_idx`);
    await q.query(`ALTER TABLE flag_history DROP COLUMN revision`);
  }
}
