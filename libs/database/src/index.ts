export { DatabaseModule } from './database.module';
export { typeormOptions } from './typeorm-options';
export { MIGRATIONS, SEED_FLAGS } from './migrations';
export { isDatabaseUnavailable } from './database-errors';
