import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { runMigrationsLocked } from './migrate';
import { typeormOptions } from './typeorm-options';

@Module({})
export class DatabaseModule {
  static forRoot(config: AppConfig['database']): DynamicModule {
    return {
      module: DatabaseModule,
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
