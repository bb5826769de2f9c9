import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { CacheKeys, CacheStats, L2Cache } from '@app/cache';
import type { EvaluationContext, FlagDefinition } from '@app/flag-model';
import { FlagReader } from '../flag-reader';
import { CheckBody, checkBody, checkOf } from '../presenters';
import { FlagLayerInterceptor } from './flag-layer.interceptor';

/** The check cache layer (per-user answers in Redis for CACHE_TTL_CHECK_S, 30 s). */
@Injectable()
export class CheckCacheInterceptor extends FlagLayerInterceptor<CheckBody, boolean> {
  constructor(
    reader: FlagReader,
    l2: L2Cache,
    stats: CacheStats,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super(reader, l2, stats, stats.check, config.ttl.checkMs);
  }

  protected fromDefinition(flag: FlagDefinition, context: EvaluationContext): CheckBody {
    return checkOf(flag, context, 'hit');
  }

  protected key(flag: string, revision: number, userId: string | undefined): string {
    return CacheKeys.check(flag, revision, userId);
  }

  protected toStored(body: CheckBody): boolean {
    return body.enabled;
  }

  protected fromStored(enabled: boolean): CheckBody {
    return checkBody(enabled, 'hit');
  }
}
