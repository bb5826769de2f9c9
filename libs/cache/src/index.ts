export { CacheModule } from './cache.module';
export { CacheKeys } from './cache-keys';
export { CacheStats, LayerCounter } from './cache-stats';
export { EdgeCache } from './edge-cache';
export type { CacheOutcome } from './cache-outcome';
export { InvalidationBus } from './invalidation-bus';
export { L2Cache, CacheBackendState } from './l2-cache';
export { boundedMemoryStore } from './bounded-memory-store';
