import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who last changed each flag, on the flag's row, so that the list shows "last change (who,
 * when)" from the one query it already makes (with `updated_at`) instead of one history read per
 * flag. Backfilled from each flag's newest history entry; flags never changed through the API
 * (the seed) have none and stay null.
 */
export class FlagUpdatedBy1734100000000 implements MigrationInterface {
  name = 'FlagUpdatedBy1734100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE flags ADD COLUMN updated_by varchar(64)`);
    await q.query(`
      UPDATE flags AS f SET updated_by = h.actor
      FROM (SELECT DISTINCT ON (flag_name) flag_name, actor FROM flag_history ORDER BY flag_name, id DESC) AS h
      WHERE h.flag_name = f.name`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE flags DROP COLUMN updated_by`);
  }
}
