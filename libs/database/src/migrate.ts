import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Any fixed 64-bit number, the same in every instance: the key of the migration lock. */
const MIGRATION_LOCK_KEY = 7_311_425_001;

/**
 * Runs pending migrations while holding a PostgreSQL advisory lock, so that several instances
 * booting at once (docker compose with replicas, a rolling deploy) migrate once, in turn,
 * instead of racing on CREATE TABLE. The lock is held by a dedicated connection and released
 * when it ends, even if this process dies.
 */
export async function runMigrationsLocked(db: DataSource, embedded: boolean): Promise<void> {
  const log = new Logger('Migrations');
  if (embedded) {
    // PGlite is in this process: nobody else can migrate it concurrently.
    await db.runMigrations({ transaction: 'each' });
    return;
  }
  const lock = db.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await db.runMigrations({ transaction: 'each' });
    if (applied.length > 0) log.log(`applied ${applied.map((m) => m.name).join(', ')}`);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
  }
}
