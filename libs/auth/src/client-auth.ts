import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '@app/config';
import { AuthFailures } from './auth-failures';
import { authenticate } from './bearer';
import { refuse, tooManyFailures } from './refusals';

/**
 * The read-token check (CLIENT_TOKENS), one home for it: the global ClientGuard applies it to
 * Nest's routes, and a route served by Fastify alone (the OFREP bulk evaluation) calls it
 * itself. Admin tokens are accepted for reads too, so its failures count toward the same
 * per-address block as the admin guard's, and a blocked address is refused here too. A request
 * with a good token costs one memory lookup and one hash, and returns synchronously; only a
 * failure awaits (the shared count in Redis).
 */
@Injectable()
export class ClientAuth {
  private readonly accepted;
  /** Whether reads need a token at all (CLIENT_TOKENS is set). */
  readonly required: boolean;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly failures: AuthFailures,
  ) {
    this.accepted = [...config.auth.client, ...config.auth.admin];
    this.required = config.auth.client.length > 0;
  }

  /**
   * True when the request carries an accepted token. Otherwise throws (429, blocked address) or
   * rejects (401, or 429 when this failure completes a block): HttpExceptions for the caller's
   * error handling.
   */
  allows(request: FastifyRequest, reply: FastifyReply): true | Promise<never> {
    const blocked = this.failures.blockedUntil(request.ip);
    if (blocked !== undefined) tooManyFailures(reply, blocked);
    // OpenFeature's OFREP providers send the token as `X-API-Key` or as a bearer token.
    const apiKey = request.headers['x-api-key'];
    const result = authenticate(
      request.headers.authorization ??
        (typeof apiKey === 'string' ? `Bearer ${apiKey}` : undefined),
      this.accepted,
    );
    return result.ok || refuse(this.failures, reply, request, result.reason);
  }
}
