import { DynamicModule, Global, Logger, Module, Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { APP_CONFIG, AppConfig } from '@app/config';
import { AdminGuard } from './admin.guard';
import { AuthFailures } from './auth-failures';
import { ClientAuth } from './client-auth';
import { ClientGuard } from './client.guard';
import { SessionController } from './session.controller';
import { StreamTokens } from './stream-tokens';

@Global()
@Module({})
export class AuthModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (config.auth.admin.length === 0) {
      new Logger('Auth').warn(
        'NO ADMIN TOKEN CONFIGURED: anyone who can reach this service can change every flag. Set ADMIN_TOKENS (required with NODE_ENV=production).',
      );
    }
    const providers: Provider[] = [
      AdminGuard,
      AuthFailures,
      ClientAuth,
      ThrottlerStorageService,
      {
        provide: StreamTokens,
        inject: [APP_CONFIG],
        useFactory: (c: AppConfig) => new StreamTokens(c),
      },
    ];
    if (config.auth.client.length > 0)
      providers.push({ provide: APP_GUARD, useClass: ClientGuard });
    return {
      module: AuthModule,
      controllers: [SessionController],
      providers,
      exports: [AdminGuard, AuthFailures, ClientAuth, StreamTokens],
    };
  }
}
