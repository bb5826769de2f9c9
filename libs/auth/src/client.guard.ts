import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '@app/config';
import { authenticate } from './bearer';

const SKIP_CLIENT_AUTH = 'edgeflags:skip-client-auth';

/** Open even when CLIENT_TOKENS is set: probes and scrapers (health, metrics), and admin routes (their own guard). */
export const SkipClientAuth = () => SetMetadata(SKIP_CLIENT_AUTH, true);

/**
 * Installed as a global guard only when CLIENT_TOKENS is set (see AuthModule), so that an open
 * deployment's check path has no guard at all. Admin tokens are accepted for reads too.
 */
@Injectable()
export class ClientGuard implements CanActivate {
  private readonly accepted;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly reflector: Reflector,
  ) {
    this.accepted = [...config.auth.client, ...config.auth.admin];
  }

  canActivate(context: ExecutionContext): boolean {
    if (
      this.reflector.getAllAndOverride<boolean>(SKIP_CLIENT_AUTH, [
        context.getHandler(),
        context.getClass(),
      ])
    )
      return true;
    const { headers } = context.switchToHttp().getRequest<FastifyRequest>();
    // OpenFeature's OFREP providers send the token as `X-API-Key` or as a bearer token.
    const apiKey = headers['x-api-key'];
    const result = authenticate(
      headers.authorization ?? (typeof apiKey === 'string' ? `Bearer ${apiKey}` : undefined),
      this.accepted,
    );
    if (result.ok) return true;
    throw new UnauthorizedException({
      statusCode: 401,
      error: 'Unauthorized',
      message: result.reason,
    });
  }
}
