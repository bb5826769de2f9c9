import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { CacheModule } from '@app/cache';
import { ConfigModule, loadConfig } from '@app/config';
import { DatabaseModule } from '@app/database';
import { FlagsModule } from '@app/flags';
import { MetricsModule } from '@app/metrics';
import { HealthModule } from './health/health.module';

@Module({})
export class AppModule {
  /** `env` defaults to process.env; the e2e suite passes its own to boot several instances. */
  static forRoot(env: Record<string, string | undefined> = process.env): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(env),
        AuthModule.forRoot(loadConfig(env)),
        DatabaseModule,
        CacheModule,
        FlagsModule,
        MetricsModule,
        HealthModule,
      ],
    };
  }
}
