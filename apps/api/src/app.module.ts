import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { CacheModule } from '@app/cache';
import { AppConfig, ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { FlagsModule } from '@app/flags';
import { MetricsModule } from '@app/metrics';
import { OfrepModule } from '@app/ofrep';
import { HealthModule } from './health/health.module';

@Module({})
export class AppModule {
  /** Configured from outside (createApp), so that the e2e suite can boot several differently configured instances. */
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        AuthModule.forRoot(config),
        DatabaseModule.forRoot(config.database),
        CacheModule,
        FlagsModule,
        OfrepModule,
        MetricsModule,
        HealthModule,
      ],
    };
  }
}
