import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { LRUCache } from 'lru-cache';
import { CacheKeys, REDIS_CONNECTIONS, RedisConnections } from '@app/cache';
import { APP_CONFIG, AppConfig } from '@app/config';

/**
 * One atomic round trip per failure: count it, start the window on the first failure, and
 * restart it on the failure that crosses the limit (the block lasts one window from then, and
 * the key's expiry is the end of the block). Returns the count and the milliseconds left.
 */
const COUNT_FAILURE = `
local n = redis.call('INCR', KEYS[1])
if n == 1 or n == tonumber(ARGV[2]) + 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}`;

/** Blocked addresses this instance remembers; beyond this many, the least recently seen go. */
const MAX_REMEMBERED_BLOCKS = 100_000;

/**
 * Failed authentications per client address, for every guard that checks a token (admin routes,
 * and reads when CLIENT_TOKENS is set: they accept admin tokens too, so guessing through them
 * must count). Past AUTH_FAILURE_LIMIT failures in a window the address is blocked for a window.
 *
 * With Redis the count is shared by every instance (a per-instance count would multiply an
 * attacker's budget by the number of instances), and a new block is published so that every
 * instance refuses the address at once, right tokens included. The check of a request, which
 * every guarded request pays, reads only this instance's memory: no await, no Redis. Only a
 * failure goes to Redis; if Redis fails or does not answer within REDIS_COMMAND_TIMEOUT_MS, the
 * failure is counted by this instance alone (@nestjs/throttler's in-memory storage), which is
 * also the store without REDIS_URL.
 *
 * A hand-written Lua counter rather than a Redis storage package for @nestjs/throttler: those
 * bring ioredis and a connection of their own, without our deadline and no-offline-queue
 * settings, for what is three Redis commands here.
 */
@Injectable()
export class AuthFailures implements OnApplicationBootstrap {
  private readonly log = new Logger('Auth');
  private readonly blocks = new LRUCache<string, number>({ max: MAX_REMEMBERED_BLOCKS });
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly timeoutMs: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly local: ThrottlerStorageService,
    @Inject(REDIS_CONNECTIONS) private readonly redis: RedisConnections | null,
  ) {
    this.limit = config.auth.failureLimit;
    this.windowMs = config.auth.failureWindowMs;
    this.timeoutMs = config.redis.kind === 'redis' ? config.redis.commandTimeoutMs : 0;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.redis === null) return;
    // node-redis re-subscribes after a reconnect by itself. A block published while this
    // instance was disconnected is learnt from the shared count on the address's next failure.
    const subscribe = () =>
      this.redis?.subscriber
        .subscribe(CacheKeys.authBlockChannel(this.redis.database), (m) => this.receive(m))
        .catch((error: Error) => this.log.warn(`auth block subscription failed: ${error.message}`));
    if (this.redis.subscriber.isReady) await subscribe();
    else this.redis.subscriber.once('ready', () => void subscribe());
  }

  /** When the address is blocked, the time (ms since the epoch) its block ends. Memory only. */
  blockedUntil(address: string): number | undefined {
    const until = this.blocks.get(address);
    if (until === undefined) return undefined;
    if (until > Date.now()) return until;
    this.blocks.delete(address);
    return undefined;
  }

  /** Counts a failed authentication; when the address is blocked now, the time its block ends. */
  async fail(address: string): Promise<number | undefined> {
    const until = (await this.countShared(address)) ?? (await this.countLocal(address));
    if (until === undefined) return undefined;
    if (this.blocks.get(address) === undefined)
      this.log.warn(`blocking ${address} after ${this.limit} failed authentications`);
    this.blocks.set(address, until);
    return until;
  }

  /** `undefined` when not blocked; `null` when Redis could not count it. */
  private async countShared(address: string): Promise<number | undefined | null> {
    const redis = this.redis;
    if (redis === null || !redis.isReady) return null;
    let timer: NodeJS.Timeout | undefined;
    try {
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), this.timeoutMs);
      });
      const [count, ttlMs] = (await Promise.race([
        redis.commands.eval(COUNT_FAILURE, {
          keys: [CacheKeys.authFailures(address)],
          arguments: [String(this.windowMs), String(this.limit)],
        }),
        deadline,
      ])) as [number, number];
      if (count <= this.limit) return undefined;
      const leftMs = ttlMs > 0 ? ttlMs : this.windowMs;
      if (count === this.limit + 1) this.publish(redis, address, leftMs);
      return Date.now() + leftMs;
    } catch (error) {
      this.log.warn(`counting an auth failure in Redis failed, counting locally: ${String(error)}`);
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  private async countLocal(address: string): Promise<number | undefined> {
    const record = await this.local.increment(
      `auth-failures:${address}`,
      this.windowMs,
      this.limit,
      this.windowMs,
      'auth',
    );
    return record.isBlocked ? Date.now() + record.timeToBlockExpire * 1000 : undefined;
  }

  /** The block's length, not its end: instances' clocks may disagree. */
  private publish(redis: RedisConnections, address: string, leftMs: number): void {
    redis.commands
      .publish(
        CacheKeys.authBlockChannel(redis.database),
        JSON.stringify({ a: address, t: leftMs }),
      )
      .catch(() => undefined); // the others learn the block on the address's next failure there
  }

  private receive(message: string): void {
    try {
      const { a, t } = JSON.parse(message) as { a: unknown; t: unknown };
      if (typeof a !== 'string' || typeof t !== 'number' || !(t > 0)) return;
      const until = Date.now() + Math.min(t, this.windowMs);
      if ((this.blocks.get(a) ?? 0) < until) this.blocks.set(a, until);
    } catch {
      this.log.warn('ignored a malformed auth block message');
    }
  }
}
