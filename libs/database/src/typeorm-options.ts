import { mkdirSync } from 'node:fs';
import { AppConfig } from '@app/config';
import { PGliteDriver } from 'typeorm-pglite';
import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';

/**
 * PostgreSQL when DATABASE_URL is set; otherwise an embedded PostgreSQL (PGlite, a WASM build of
 * the real server) so that `npm start` works on a machine with no database installed. Schema
 * changes go through migrations only, never `synchronize`.
 */
export function typeormOptions(config: AppConfig['database']): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    migrations: MIGRATIONS,
    // Run by runMigrationsLocked (DatabaseModule), under a lock, not by TypeORM at connect.
    migrationsRun: false,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: ['error' as const],
  };
  if (config.kind === 'pglite') {
    if (!config.dataDir.includes('://')) mkdirSync(config.dataDir, { recursive: true });
    return { ...common, driver: new PGliteDriver({ dataDir: config.dataDir }).driver };
  }
  return {
    ...common,
    url: config.url,
    // Tight timeouts: a dead or hung database must turn into a prompt 503, never a hung request.
    extra: {
      max: config.poolSize,
      connectionTimeoutMillis: config.connectTimeoutMs,
      statement_timeout: config.statementTimeoutMs,
      query_timeout: config.statementTimeoutMs + 500,
      idle_in_transaction_session_timeout: config.statementTimeoutMs * 2,
      keepAlive: true,
    },
  };
}
