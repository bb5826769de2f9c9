import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { isEnabledFor } from '@app/rollout';
import { CacheKeys } from '../cache-keys';
import { CacheStats } from '../cache-stats';
import { EdgeCache } from '../edge-cache';
import type { CacheOutcome, FlagSnapshot } from '../flag-snapshot';
import { L2Cache } from '../l2-cache';
import { FlagLayerInterceptor } from './flag-layer.interceptor';

/** The seed's response of `GET /flags/:flag_name/check`. */
export interface CheckBody {
  enabled: boolean;
  _cache: CacheOutcome;
}

// Shared and frozen: a hit allocates no response object.
const HIT_ON: CheckBody = Object.freeze({ enabled: true, _cache: 'hit' as const });
const HIT_OFF: CheckBody = Object.freeze({ enabled: false, _cache: 'hit' as const });

/** The check cache layer (per-user answers in Redis for CACHE_TTL_CHECK_S, 30 s). */
@Injectable()
export class CheckCacheInterceptor extends FlagLayerInterceptor<CheckBody, boolean> {
  constructor(
    edge: EdgeCache,
    l2: L2Cache,
    stats: CacheStats,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super(edge, l2, stats, stats.check, config.ttl.checkMs);
  }

  protected fromSnapshot(flag: FlagSnapshot, userId: string | undefined): CheckBody {
    return isEnabledFor(flag, flag.name, userId) ? HIT_ON : HIT_OFF;
  }

  protected key(flag: string, revision: number, userId: string | undefined): string {
    return CacheKeys.check(flag, revision, userId);
  }

  protected toStored(body: CheckBody): boolean {
    return body.enabled;
  }

  protected fromStored(enabled: boolean): CheckBody {
    return enabled ? HIT_ON : HIT_OFF;
  }
}
