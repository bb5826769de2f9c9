export { DatabaseModule } from './database.module';
export { typeormOptions } from './typeorm-options';
export { MIGRATIONS, SEED_FLAGS } from './migrations';
export { DatabaseUnavailableError, isDatabaseUnavailable } from './database-errors';
export { DatabaseGuard, WriteDeadline } from './database-guard';
