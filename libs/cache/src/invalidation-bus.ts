import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CacheKeys } from './cache-keys';
import { CacheStats } from './cache-stats';
import { EdgeCache } from './edge-cache';
import { REDIS_CONNECTIONS, RedisConnections } from './redis-connections';

/**
 * Carries "flag F is now at revision R" to every instance through Redis pub/sub, in
 * milliseconds. Pub/sub is at-most-once: a message published while an instance is disconnected
 * is lost. That is covered by the revision poll (RevisionSync, in the flags library), which
 * every instance runs against PostgreSQL; `onReconnect` asks it to run at once.
 */
@Injectable()
export class InvalidationBus implements OnApplicationBootstrap {
  private readonly log = new Logger(InvalidationBus.name);
  private reconnectListeners: Array<() => void> = [];

  constructor(
    @Inject(REDIS_CONNECTIONS) private readonly redis: RedisConnections | null,
    private readonly edge: EdgeCache,
    private readonly stats: CacheStats,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.redis === null) return;
    const subscriber = this.redis.subscriber;
    const channel = CacheKeys.invalidationChannel(this.redis.database);
    let subscribed = false;
    let lost = false;
    const subscribe = () =>
      subscriber
        .subscribe(channel, (message) => this.receive(message))
        .then(
          () => (subscribed = true),
          (error: Error) =>
            this.log.warn(`subscribe failed, will retry on reconnect: ${error.message}`),
        );
    subscriber.on('error', () => (lost = true));
    subscriber.on('ready', () => {
      // node-redis re-subscribes by itself after a reconnect; only a subscription that never
      // succeeded (Redis down at boot) has to be made here.
      if (!subscribed) void subscribe();
      if (!lost) return;
      lost = false;
      for (const listener of this.reconnectListeners) listener();
    });
    if (subscriber.isReady) await subscribe();
  }

  /** Called after a reconnection, when messages may have been missed. */
  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }

  /** `archived`: the flag is gone at this revision (receivers forget it instead of reloading it). */
  publish(flag: string, revision: number, archived = false): void {
    if (this.redis === null || !this.redis.isReady) return;
    this.stats.invalidationsSent++;
    this.redis.commands
      .publish(
        CacheKeys.invalidationChannel(this.redis.database),
        JSON.stringify(archived ? { f: flag, r: revision, a: 1 } : { f: flag, r: revision }),
      )
      .catch(() => {
        this.stats.redisErrors++;
      });
  }

  private receive(message: string): void {
    try {
      const { f, r, a } = JSON.parse(message) as { f: unknown; r: unknown; a?: unknown };
      if (typeof f !== 'string' || !Number.isSafeInteger(r) || (r as number) <= 0) return;
      this.stats.invalidationsReceived++;
      if (a === 1) this.edge.forget(f, r as number);
      else this.edge.noteRevision(f, r as number);
    } catch {
      this.log.warn('ignored a malformed invalidation message');
    }
  }
}
