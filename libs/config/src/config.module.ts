import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig, loadConfig } from './app-config';

export const APP_CONFIG = Symbol('APP_CONFIG');

@Global()
@Module({})
export class ConfigModule {
  /** `env` defaults to process.env; tests pass their own to run several instances side by side. */
  static forRoot(env: Record<string, string | undefined> = process.env): DynamicModule {
    const config: AppConfig = loadConfig(env);
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
