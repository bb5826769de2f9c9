import { Inject, Injectable } from '@nestjs/common';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import type { Cache } from 'cache-manager';
import { APP_CONFIG, AppConfig } from '@app/config';
import { CircuitBreaker, Circuits, withDeadline } from '@app/resilience';
import { CacheStats } from './cache-stats';
import { REDIS_CONNECTIONS, RedisConnections } from './redis-connections';

export type CacheBackendState = 'up' | 'down' | 'memory';

/** How long `/health` waits for Redis's PONG before it reports Redis down. */
export const REDIS_PING_TIMEOUT_MS = 300;

/**
 * The shared cache (L2): Redis through cache-manager, or an in-process store when REDIS_URL is
 * unset. It never throws and never makes a caller wait long: a read that fails or outlives
 * REDIS_COMMAND_TIMEOUT_MS is a miss, a write that fails is dropped (counted in redisErrors).
 * Losing a cache write is always safe here because every key embeds the flag's revision.
 *
 * A Redis that hangs (SIGSTOP, a partition) keeps its connection "ready", so every command also
 * has a deadline, and the circuit breaker (Circuits.redis) skips Redis for a while after one
 * failed: reads are misses at once, writes are dropped instead of queueing behind a hung server.
 */
@Injectable()
export class L2Cache {
  private readonly timeoutMs: number;
  private readonly breaker: CircuitBreaker;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @Inject(REDIS_CONNECTIONS) private readonly redis: RedisConnections | null,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly stats: CacheStats,
    circuits: Circuits,
  ) {
    this.timeoutMs = config.redis.kind === 'redis' ? config.redis.commandTimeoutMs : 0;
    this.breaker = circuits.redis;
  }

  get state(): CacheBackendState {
    if (this.redis === null) return 'memory';
    return this.redis.isReady && this.breaker.closed ? 'up' : 'down';
  }

  async get<T>(key: string): Promise<T | undefined> {
    if (this.redis === null) return this.cache.get<T>(key);
    if (!this.redis.isReady || !this.breaker.allow()) return undefined;
    try {
      return await this.withinDeadline(this.cache.get<T>(key), this.timeoutMs);
    } catch {
      this.stats.redisErrors++;
      return undefined;
    }
  }

  /** Fire and forget: callers never wait for a cache write. */
  set(key: string, value: unknown, ttlMs: number): void {
    if (this.redis !== null && !(this.redis.isReady && this.breaker.closed)) return;
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
      if (!this.redis.isReady || !this.breaker.allow()) return null;
      return await this.withinDeadline(this.redis.commands.dbSize(), this.timeoutMs);
    } catch {
      return null;
    }
  }

  /** True when Redis answers a PING in time (always asked, whatever the breaker says: `/health` is a probe). */
  async ping(): Promise<boolean> {
    if (this.redis === null) return true;
    if (!this.redis.isReady) return false;
    try {
      await this.withinDeadline(this.redis.commands.ping(), REDIS_PING_TIMEOUT_MS);
      return true;
    } catch {
      return false;
    }
  }

  /** A Redis command that gives up after `ms`; its outcome opens or closes the breaker. */
  private async withinDeadline<T>(command: Promise<T>, ms: number): Promise<T> {
    try {
      const value = await withDeadline(
        command,
        ms,
        () => new Error(`Redis did not answer within ${ms} ms`),
      );
      this.breaker.succeed();
      return value;
    } catch (error) {
      this.breaker.fail();
      throw error;
    }
  }
}
