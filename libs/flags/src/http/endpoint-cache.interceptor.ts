import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { CacheKeys, CacheStats, L2Cache } from '@app/cache';
import type { EvaluationContext, FlagDefinition } from '@app/flag-model';
import { FlagReader } from '../flag-reader';
import { detailsBody, FlagDetailsBody } from '../presenters';
import { FlagLayerInterceptor } from './flag-layer.interceptor';

/** The endpoint cache layer (whole responses per user in Redis for CACHE_TTL_ENDPOINT_S, 60 s). */
@Injectable()
export class EndpointCacheInterceptor extends FlagLayerInterceptor<
  FlagDetailsBody,
  FlagDetailsBody
> {
  constructor(
    reader: FlagReader,
    l2: L2Cache,
    stats: CacheStats,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super(reader, l2, stats, stats.endpoint, config.ttl.endpointMs);
  }

  protected fromDefinition(flag: FlagDefinition, context: EvaluationContext): FlagDetailsBody {
    return detailsBody(flag, context, 'hit');
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
