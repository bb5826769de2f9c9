import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { runMigrationsLocked } from './migrate';
import { typeormOptions } from './typeorm-options';
import { DatabaseGuard } from './database-guard';

@Module({})
export class DatabaseModule {
  static forRoot(config: AppConfig['database']): DynamicModule {
    return {
      module: DatabaseModule,
      // Global so that every repository reaches PostgreSQL through the one guard (and breaker).
      global: true,
      providers: [DatabaseGuard],
      exports: [DatabaseGuard],
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ ...typeormOptions(config), autoLoadEntities: true }),
          dataSourceFactory: async (options) => {
            const db = await new DataSource(options!).initialize();
            if (config.migrationsRun) await runMigrationsLocked(db, config.kind === 'pglite');
            return db;
          },
        }),
      ],
    };
  }
}
