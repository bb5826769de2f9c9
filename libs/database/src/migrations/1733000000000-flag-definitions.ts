import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Targeting rules and multivariate flags. Every existing flag becomes a boolean flag with no
 * variants and no rules, which evaluates exactly as before. Variants and rules are JSON
 * documents validated by the flag model (libs/flag-model) before they are written; they are
 * read and written whole, never queried inside, so jsonb columns fit better than child tables.
 */
export class FlagDefinitions1733000000000 implements MigrationInterface {
  name = 'FlagDefinitions1733000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE flags
        ADD COLUMN type varchar(16) NOT NULL DEFAULT 'boolean'
          CONSTRAINT flags_type_known CHECK (type IN ('boolean', 'string', 'number', 'object')),
        ADD COLUMN variants jsonb NOT NULL DEFAULT '[]'::jsonb,
        ADD COLUMN default_variant varchar(64),
        ADD COLUMN rules jsonb NOT NULL DEFAULT '[]'::jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE flags DROP COLUMN rules, DROP COLUMN default_variant, DROP COLUMN variants, DROP COLUMN type`,
    );
  }
}
