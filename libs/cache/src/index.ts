export { CacheModule } from './cache.module';
export { CacheKeys } from './cache-keys';
export { CacheStats, LayerCounter } from './cache-stats';
export { EdgeCache } from './edge-cache';
export type { CacheOutcome, FlagSnapshot } from './flag-snapshot';
export { InvalidationBus } from './invalidation-bus';
export { L2Cache, CacheBackendState } from './l2-cache';
export { CheckBody, CheckCacheInterceptor } from './interceptors/check-cache.interceptor';
export {
  detailsBody,
  EndpointCacheInterceptor,
  FlagDetailsBody,
} from './interceptors/endpoint-cache.interceptor';
export { MAX_USER_ID_LENGTH } from './interceptors/flag-request';
export { REDIS_CONNECTIONS, RedisConnections } from './redis-connections';
