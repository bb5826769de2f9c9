import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { from, lastValueFrom, Observable, of } from 'rxjs';
import { APP_CONFIG, AppConfig } from '@app/config';
import { isEnabledFor } from '@app/rollout';
import { CacheKeys } from '../cache-keys';
import { CacheStats } from '../cache-stats';
import { EdgeCache } from '../edge-cache';
import type { CacheOutcome } from '../flag-snapshot';
import { L2Cache } from '../l2-cache';
import { readFlagRequest } from './flag-request';

export interface CheckBody {
  enabled: boolean;
  _cache: CacheOutcome;
}

// Shared, never mutated: the hit path allocates no response object.
const HIT_ON: CheckBody = Object.freeze({ enabled: true, _cache: 'hit' as const });
const HIT_OFF: CheckBody = Object.freeze({ enabled: false, _cache: 'hit' as const });

/**
 * The check cache layer, in front of `GET /flags/:flag_name/check`.
 *
 * Hot path (flag in the edge cache at its current revision): no await, no network, no
 * validation pipe; one Map lookup, one murmur3 hash, a shared response object.
 * Cold path: one Redis GET of the per-user answer (30 s), else the handler (service cache,
 * then PostgreSQL) and a fire-and-forget SET of the answer.
 */
@Injectable()
export class CheckCacheInterceptor implements NestInterceptor<CheckBody, CheckBody> {
  private readonly ttlMs: number;

  constructor(
    private readonly edge: EdgeCache,
    private readonly l2: L2Cache,
    private readonly stats: CacheStats,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.ttlMs = config.ttl.checkMs;
  }

  intercept(context: ExecutionContext, next: CallHandler<CheckBody>): Observable<CheckBody> {
    const request = readFlagRequest(context);
    if (request === undefined) return next.handle();
    const snapshot = this.edge.peek(request.flag);
    if (snapshot !== undefined) {
      this.stats.check.hits++;
      this.stats.edgeHits++;
      return of(isEnabledFor(snapshot, request.flag, request.userId) ? HIT_ON : HIT_OFF);
    }
    const revision = this.edge.revisionOf(request.flag);
    if (revision === undefined) return next.handle();
    return from(this.coldPath(request.flag, revision, request.userId, next));
  }

  private async coldPath(
    flag: string,
    revision: number,
    userId: string | undefined,
    next: CallHandler<CheckBody>,
  ) {
    const key = CacheKeys.check(flag, revision, userId);
    const cached = await this.l2.get<boolean>(key);
    if (cached !== undefined) {
      this.stats.check.hits++;
      this.stats.redisHits++;
      return cached ? HIT_ON : HIT_OFF;
    }
    this.stats.check.misses++;
    const body = await lastValueFrom(next.handle());
    if (body._cache !== 'stale') this.l2.set(key, body.enabled, this.ttlMs);
    return body;
  }
}
