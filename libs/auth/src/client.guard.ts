import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '@app/config';
import { AuthFailures } from './auth-failures';
import { authenticate } from './bearer';
import { refuse, tooManyFailures } from './refusals';

const SKIP_CLIENT_AUTH = 'edgeflags:skip-client-auth';

/** Open even when CLIENT_TOKENS is set: probes and scrapers (health, metrics), and admin routes (their own guard). */
export const SkipClientAuth = () => SetMetadata(SKIP_CLIENT_AUTH, true);

/**
 * Installed as a global guard only when CLIENT_TOKENS is set (see AuthModule), so that an open
 * deployment's check path has no guard at all. Admin tokens are accepted for reads too, so its
 * failures count toward the same per-address block as the admin guard's, and a blocked address
 * is refused here too. A request with a good token costs one memory lookup and one hash, and
 * returns synchronously; only a failure awaits (the shared count in Redis).
 */
@Injectable()
export class ClientGuard implements CanActivate {
  private readonly accepted;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly reflector: Reflector,
    private readonly failures: AuthFailures,
  ) {
    this.accepted = [...config.auth.client, ...config.auth.admin];
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (
      this.reflector.getAllAndOverride<boolean>(SKIP_CLIENT_AUTH, [
        context.getHandler(),
        context.getClass(),
      ])
    )
      return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const blocked = this.failures.blockedUntil(request.ip);
    if (blocked !== undefined)
      tooManyFailures(context.switchToHttp().getResponse<FastifyReply>(), blocked);
    // OpenFeature's OFREP providers send the token as `X-API-Key` or as a bearer token.
    const apiKey = request.headers['x-api-key'];
    const result = authenticate(
      request.headers.authorization ??
        (typeof apiKey === 'string' ? `Bearer ${apiKey}` : undefined),
      this.accepted,
    );
    return (
      result.ok ||
      refuse(
        this.failures,
        context.switchToHttp().getResponse<FastifyReply>(),
        request,
        result.reason,
      )
    );
  }
}
