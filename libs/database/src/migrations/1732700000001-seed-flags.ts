import { MigrationInterface, QueryRunner } from 'typeorm';

/** The four flags of the seed design. Idempotent: an existing flag of the same name is kept as it is. */
export const SEED_FLAGS = [
  {
    name: 'new_checkout_flow',
    enabled: true,
    rolloutPercentage: 50,
    metadata: { description: 'New checkout experience' },
  },
  {
    name: 'beta_features',
    enabled: true,
    rolloutPercentage: 10,
    metadata: { description: 'Beta features' },
  },
  {
    name: 'dark_mode',
    enabled: false,
    rolloutPercentage: 0,
    metadata: { description: 'Dark mode UI' },
  },
  {
    name: 'experimental_api',
    enabled: true,
    rolloutPercentage: 25,
    metadata: { description: 'Experimental API endpoints' },
  },
] as const;

export class SeedFlags1732700000001 implements MigrationInterface {
  name = 'SeedFlags1732700000001';

  async up(q: QueryRunner): Promise<void> {
    for (const f of SEED_FLAGS) {
      await q.query(
        `INSERT INTO flags (name, enabled, rollout_percentage, metadata) VALUES ($1, $2, $3, $4::jsonb)
         ON CONFLICT (name) DO NOTHING`,
        [f.name, f.enabled, f.rolloutPercentage, JSON.stringify(f.metadata)],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM flags WHERE name = ANY($1)`, [SEED_FLAGS.map((f) => f.name)]);
  }
}
