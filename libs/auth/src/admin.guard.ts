import {
  CanActivate,
  ExecutionContext,
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
import { authenticate } from './bearer';

export type AuthenticatedRequest = FastifyRequest & { actor?: string };

/** The actor recorded in history when the service runs open (development without tokens). */
export const ANONYMOUS = 'anonymous';

/**
 * Guards every endpoint that changes state. Only those routes carry it, so the flag-check path
 * pays nothing for authentication. Failed attempts are counted per client address with
 * @nestjs/throttler's storage; past AUTH_FAILURE_LIMIT in a window the address gets 429 for
 * the rest of the block, before its token is even looked at (no oracle for brute force).
 */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly open: boolean;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly failures: ThrottlerStorageService,
  ) {
    this.open = config.auth.admin.length === 0; // development only: production refuses to boot (see loadConfig)
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (this.open) {
      request.actor = ANONYMOUS;
      return true;
    }
    const key = `admin-auth-failures:${request.ip}`;
    const record = this.failures.storage.get(key);
    if (record?.isBlocked && record.blockExpiresAt > Date.now())
      this.tooMany(context, record.blockExpiresAt);

    const result = authenticate(request.headers.authorization, this.config.auth.admin);
    if (result.ok) {
      request.actor = result.name;
      return true;
    }
    const { failureLimit, failureWindowMs } = this.config.auth;
    const counted = await this.failures.increment(
      key,
      failureWindowMs,
      failureLimit,
      failureWindowMs,
      'admin-auth',
    );
    if (counted.isBlocked) {
      new Logger('Auth').warn(
        `blocking ${request.ip} after ${failureLimit} failed admin authentications`,
      );
      this.tooMany(context, Date.now() + counted.timeToBlockExpire * 1000);
    }
    throw new UnauthorizedException({
      statusCode: 401,
      error: 'Unauthorized',
      message: result.reason,
    });
  }

  private tooMany(context: ExecutionContext, until: number): never {
    const seconds = Math.max(1, Math.ceil((until - Date.now()) / 1000));
    void context.switchToHttp().getResponse<FastifyReply>().header('retry-after', String(seconds));
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
