import { Inject, Injectable } from '@nestjs/common';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import type { Cache } from 'cache-manager';
import { APP_CONFIG, AppConfig } from '@app/config';
import { CacheStats } from './cache-stats';
import { REDIS_CONNECTIONS, RedisConnections } from './redis-connections';

export type CacheBackendState = 'up' | 'down' | 'memory';

/**
 * The shared cache (L2): Redis through cache-manager, or an in-process store when REDIS_URL is
 * unset. It never throws and never makes a caller wait long: a read that fails or outlives
 * REDIS_COMMAND_TIMEOUT_MS is a miss, a write that fails is dropped (counted in redisErrors).
 * Losing a cache write is always safe here because every key embeds the flag's revision.
 */
@Injectable()
export class L2Cache {
  private readonly timeoutMs: number;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @Inject(REDIS_CONNECTIONS) private readonly redis: RedisConnections | null,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly stats: CacheStats,
  ) {
    this.timeoutMs = config.redis.kind === 'redis' ? config.redis.commandTimeoutMs : 0;
  }

  get state(): CacheBackendState {
    if (this.redis === null) return 'memory';
    return this.redis.isReady ? 'up' : 'down';
  }

  async get<T>(key: string): Promise<T | undefined> {
    if (this.redis === null) return this.cache.get<T>(key);
    if (!this.redis.isReady) return undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<undefined>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Redis read timed out after ${this.timeoutMs} ms`)),
          this.timeoutMs,
        );
      });
      return await Promise.race([this.cache.get<T>(key), timeout]);
    } catch {
      this.stats.redisErrors++;
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Fire and forget: callers never wait for a cache write. */
  set(key: string, value: unknown, ttlMs: number): void {
    if (this.redis !== null && !this.redis.isReady) return;
    this.cache.set(key, value, ttlMs).catch(() => {
      this.stats.redisErrors++;
    });
  }

  /** Keys in the cache: DBSIZE of the Redis database (so give edgeflags a database of its own), or the in-process store's size. */
  async keyCount(): Promise<number | null> {
    try {
      if (this.redis === null) {
        const store = this.cache.stores[0]?.store as { size?: number } | undefined;
        return typeof store?.size === 'number' ? store.size : null;
      }
      return this.redis.isReady ? await this.redis.commands.dbSize() : null;
    } catch {
      return null;
    }
  }
}
