import {
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '@app/config';

/**
 * Failed authentications counted per client address with @nestjs/throttler's storage, shared by
 * every route that checks an admin token (the admin guard and the console's session probe), so
 * that no route is a brute-force oracle. Past AUTH_FAILURE_LIMIT in a window the address gets 429
 * for the rest of the block, before its token is even looked at.
 */
@Injectable()
export class AuthFailures {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly storage: ThrottlerStorageService,
  ) {}

  /** Throws 429 while the address is blocked. */
  assertNotBlocked(request: FastifyRequest, reply: FastifyReply): void {
    const record = this.storage.storage.get(this.key(request));
    if (record?.isBlocked && record.blockExpiresAt > Date.now())
      this.tooMany(reply, record.blockExpiresAt);
  }

  /** Counts a failure and throws: 401 with the reason, or 429 when this one reached the limit. */
  async fail(request: FastifyRequest, reply: FastifyReply, reason: string): Promise<never> {
    const { failureLimit, failureWindowMs } = this.config.auth;
    const counted = await this.storage.increment(
      this.key(request),
      failureWindowMs,
      failureLimit,
      failureWindowMs,
      'admin-auth',
    );
    if (counted.isBlocked) {
      new Logger('Auth').warn(
        `blocking ${request.ip} after ${failureLimit} failed admin authentications`,
      );
      this.tooMany(reply, Date.now() + counted.timeToBlockExpire * 1000);
    }
    throw new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message: reason });
  }

  private key(request: FastifyRequest): string {
    return `admin-auth-failures:${request.ip}`;
  }

  private tooMany(reply: FastifyReply, until: number): never {
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
}
