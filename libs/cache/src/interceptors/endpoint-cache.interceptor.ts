import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { isEnabledFor } from '@app/rollout';
import { CacheKeys } from '../cache-keys';
import { CacheStats } from '../cache-stats';
import { EdgeCache } from '../edge-cache';
import type { CacheOutcome, FlagSnapshot } from '../flag-snapshot';
import { L2Cache } from '../l2-cache';
import { FlagLayerInterceptor } from './flag-layer.interceptor';

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

/** The endpoint cache layer (whole responses per user in Redis for CACHE_TTL_ENDPOINT_S, 60 s). */
@Injectable()
export class EndpointCacheInterceptor extends FlagLayerInterceptor<
  FlagDetailsBody,
  FlagDetailsBody
> {
  constructor(
    edge: EdgeCache,
    l2: L2Cache,
    stats: CacheStats,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super(edge, l2, stats, stats.endpoint, config.ttl.endpointMs);
  }

  protected fromSnapshot(flag: FlagSnapshot, userId: string | undefined): FlagDetailsBody {
    return detailsBody(flag, userId, 'hit');
  }

  protected key(flag: string, revision: number, userId: string | undefined): string {
    return CacheKeys.endpoint(flag, revision, userId);
  }

  protected toStored(body: FlagDetailsBody): FlagDetailsBody {
    return body;
  }

  protected fromStored(stored: FlagDetailsBody): FlagDetailsBody {
    return { ...stored, _cache: 'hit' };
  }
}
