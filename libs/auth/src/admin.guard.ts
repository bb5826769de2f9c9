import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '@app/config';
import { AuthFailures } from './auth-failures';
import { authenticate } from './bearer';
import { refuse, tooManyFailures } from './refusals';

export type AuthenticatedRequest = FastifyRequest & { actor?: string };

/** The actor recorded in history when the service runs open (development without tokens). */
export const ANONYMOUS = 'anonymous';

/**
 * Guards every endpoint that changes state. Only those routes carry it, so the flag-check path
 * pays nothing for authentication. Failed attempts are counted per client address (see
 * AuthFailures); a blocked address gets 429 before its token is even looked at, so guessing
 * learns nothing during the block (no oracle for brute force).
 */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly open: boolean;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly failures: AuthFailures,
  ) {
    this.open = config.auth.admin.length === 0; // development only: production refuses to boot (see loadConfig)
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (this.open) {
      request.actor = ANONYMOUS;
      return true;
    }
    const blocked = this.failures.blockedUntil(request.ip);
    if (blocked !== undefined)
      tooManyFailures(context.switchToHttp().getResponse<FastifyReply>(), blocked);
    const result = authenticate(request.headers.authorization, this.config.auth.admin);
    if (result.ok) {
      request.actor = result.name;
      return true;
    }
    return refuse(
      this.failures,
      context.switchToHttp().getResponse<FastifyReply>(),
      request,
      result.reason,
    );
  }
}
