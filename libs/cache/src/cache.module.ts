import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { CacheModule as NestCacheModule } from '@nestjs/cache-manager';
import { createKeyv } from '@keyv/redis';
import { APP_CONFIG, AppConfig } from '@app/config';
import { boundedMemoryStore } from './bounded-memory-store';
import { CacheStats } from './cache-stats';
import { ChangeNotices } from './change-notices';
import { CacheStatsController } from './cache-stats.controller';
import { EdgeCache } from './edge-cache';
import { InvalidationBus } from './invalidation-bus';
import { L2Cache } from './l2-cache';
import { REDIS_CONNECTIONS, RedisConnections } from './redis-connections';

/**
 * The Keyv store over our commands connection, with its `disconnect` left to
 * RedisConnections.close: cache-manager disconnects every store when its module is destroyed,
 * which would close the connection with node-redis's unbounded close(), before the app's own
 * bounded one (and before the HTTP server has finished the requests still using it).
 */
function ownedByUs<T extends { disconnect(): Promise<void> }>(store: T): T {
  store.disconnect = () => Promise.resolve();
  return store;
}

/** Owns the Redis connections; imported by cache-manager's factory and by this module. */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CONNECTIONS,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<RedisConnections | null> => {
        const log = new Logger('Cache');
        if (config.redis.kind === 'memory') {
          log.log('REDIS_URL is unset: shared cache is in process (single instance only)');
          return null;
        }
        const connections = new RedisConnections(config.redis.url);
        await connections.connect(1500);
        log.log(`shared cache: Redis at ${new URL(config.redis.url).host}`);
        return connections;
      },
    },
  ],
  exports: [REDIS_CONNECTIONS],
})
class RedisConnectionModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CONNECTIONS) private readonly redis: RedisConnections | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.close();
  }
}

@Global()
@Module({
  imports: [
    RedisConnectionModule,
    NestCacheModule.registerAsync({
      inject: [APP_CONFIG, REDIS_CONNECTIONS],
      useFactory: (config: AppConfig, redis: RedisConnections | null) => {
        const store =
          redis === null || config.redis.kind === 'memory'
            ? boundedMemoryStore(config.redis.kind === 'memory' ? config.redis.maxKeys : 1)
            : ownedByUs(createKeyv(redis.commands, { throwOnErrors: true }));
        return { stores: [store] };
      },
    }),
  ],
  controllers: [CacheStatsController],
  providers: [
    CacheStats,
    L2Cache,
    InvalidationBus,
    ChangeNotices,
    {
      provide: EdgeCache,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new EdgeCache(config.edge.maxFlags, config.ttl.serviceMs),
    },
  ],
  exports: [CacheStats, L2Cache, InvalidationBus, EdgeCache, ChangeNotices],
})
export class CacheModule {}
