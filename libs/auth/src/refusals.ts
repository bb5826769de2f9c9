import { HttpException, HttpStatus, UnauthorizedException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { AuthFailures } from './auth-failures';

/** 429 with Retry-After, for an address blocked after too many failed authentications. */
export function tooManyFailures(reply: FastifyReply, until: number): never {
  const seconds = Math.max(1, Math.ceil((until - Date.now()) / 1000));
  void reply.header('retry-after', String(seconds));
  throw new HttpException(
    {
      statusCode: 429,
      error: 'Too Many Requests',
      message: `too many failed authentications; retry in ${seconds} s`,
    },
    HttpStatus.TOO_MANY_REQUESTS,
  );
}

/**
 * Refuses a request whose token did not authenticate: 401, or 429 when this failure completes a
 * block. A request with no Authorization header at all tests no secret, so it is not counted:
 * a client deployed without its token must not get its whole address blocked.
 */
export async function refuse(
  failures: AuthFailures,
  reply: FastifyReply,
  request: { ip: string; headers: { authorization?: string } },
  reason: string,
): Promise<never> {
  if (request.headers.authorization) {
    const until = await failures.fail(request.ip);
    if (until !== undefined) tooManyFailures(reply, until);
  }
  throw new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message: reason });
}
