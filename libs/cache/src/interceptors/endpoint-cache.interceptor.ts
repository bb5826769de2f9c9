import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { from, lastValueFrom, Observable, of } from 'rxjs';
import { APP_CONFIG, AppConfig } from '@app/config';
import { isEnabledFor } from '@app/rollout';
import { CacheKeys } from '../cache-keys';
import { CacheStats } from '../cache-stats';
import { EdgeCache } from '../edge-cache';
import type { CacheOutcome, FlagSnapshot } from '../flag-snapshot';
import { L2Cache } from '../l2-cache';
import { readFlagRequest } from './flag-request';

/** The seed's response of `GET /flags/:flag_name`, field for field. */
export interface FlagDetailsBody {
  flag_name: string;
  enabled: boolean;
  flag_data: { enabled: boolean; rollout_percentage: number; metadata: Record<string, unknown> };
  _cache: CacheOutcome;
}

export function detailsBody(
  flag: FlagSnapshot,
  userId: string | undefined,
  cache: CacheOutcome,
): FlagDetailsBody {
  return {
    flag_name: flag.name,
    enabled: isEnabledFor(flag, flag.name, userId),
    flag_data: {
      enabled: flag.enabled,
      rollout_percentage: flag.rolloutPercentage,
      metadata: flag.metadata,
    },
    _cache: cache,
  };
}

/**
 * The endpoint cache layer, in front of `GET /flags/:flag_name`: the same shape as the check
 * layer (edge cache first, then a per-user response in Redis for 60 s, then the handler).
 */
@Injectable()
export class EndpointCacheInterceptor implements NestInterceptor<FlagDetailsBody, FlagDetailsBody> {
  private readonly ttlMs: number;

  constructor(
    private readonly edge: EdgeCache,
    private readonly l2: L2Cache,
    private readonly stats: CacheStats,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.ttlMs = config.ttl.endpointMs;
  }

  intercept(
    context: ExecutionContext,
    next: CallHandler<FlagDetailsBody>,
  ): Observable<FlagDetailsBody> {
    const request = readFlagRequest(context);
    if (request === undefined) return next.handle();
    const snapshot = this.edge.peek(request.flag);
    if (snapshot !== undefined) {
      this.stats.endpoint.hits++;
      this.stats.edgeHits++;
      return of(detailsBody(snapshot, request.userId, 'hit'));
    }
    const revision = this.edge.revisionOf(request.flag);
    if (revision === undefined) return next.handle();
    return from(this.coldPath(request.flag, revision, request.userId, next));
  }

  private async coldPath(
    flag: string,
    revision: number,
    userId: string | undefined,
    next: CallHandler<FlagDetailsBody>,
  ) {
    const key = CacheKeys.endpoint(flag, revision, userId);
    const cached = await this.l2.get<FlagDetailsBody>(key);
    if (cached !== undefined) {
      this.stats.endpoint.hits++;
      this.stats.redisHits++;
      return { ...cached, _cache: 'hit' as const };
    }
    this.stats.endpoint.misses++;
    const body = await lastValueFrom(next.handle());
    if (body._cache !== 'stale') this.l2.set(key, body, this.ttlMs);
    return body;
  }
}
