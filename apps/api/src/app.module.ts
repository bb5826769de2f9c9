import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { CacheModule } from '@app/cache';
import { AppConfig, ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { EventsModule } from '@app/events';
import { FlagsModule } from '@app/flags';
import { MetricsModule } from '@app/metrics';
import { OfrepModule } from '@app/ofrep';
import { ResilienceModule } from '@app/resilience';
import { HealthModule } from './health/health.module';

@Module({})
export class AppModule {
  /** Configured from outside (createApp), so that the e2e suite can boot several differently configured instances. */
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ResilienceModule,
        AuthModule.forRoot(config),
        DatabaseModule.forRoot(config.database),
        CacheModule,
        FlagsModule,
        OfrepModule,
        EventsModule,
        MetricsModule,
        HealthModule,
      ],
    };
  }
}
