import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ClientAuth } from './client-auth';

const SKIP_CLIENT_AUTH = 'edgeflags:skip-client-auth';

/** Open even when CLIENT_TOKENS is set: probes and scrapers (health, metrics), and admin routes (their own guard). */
export const SkipClientAuth = () => SetMetadata(SKIP_CLIENT_AUTH, true);

/**
 * Installed as a global guard only when CLIENT_TOKENS is set (see AuthModule), so that an open
 * deployment's check path has no guard at all. The check itself is ClientAuth's.
 */
@Injectable()
export class ClientGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: ClientAuth,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (
      this.reflector.getAllAndOverride<boolean>(SKIP_CLIENT_AUTH, [
        context.getHandler(),
        context.getClass(),
      ])
    )
      return true;
    const http = context.switchToHttp();
    return this.auth.allows(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}
