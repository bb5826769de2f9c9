import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CacheKeys } from './cache-keys';
import { CacheStats } from './cache-stats';
import { ChangeAction, ChangeNotice, ChangeNotices } from './change-notices';
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
    private readonly notices: ChangeNotices,
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

  /**
   * `archived`: the flag is gone at this revision (receivers forget it instead of reloading it).
   * The message is `{f, r, a?}` as instances of earlier versions send and read it, plus the
   * change itself (`p` previous revision, `g` the change recorded before it, `c` action, `u`
   * actor, `t` time) for the change stream of every other instance; earlier versions ignore
   * fields they do not know.
   */
  publish(change: ChangeNotice, archived = false): void {
    if (this.redis === null || !this.redis.isReady) return;
    this.stats.invalidationsSent++;
    const message: WireMessage = { f: change.flag, r: change.revision };
    if (archived) message.a = 1;
    if (change.previous !== undefined) message.p = change.previous;
    if (change.follows !== undefined) message.g = change.follows;
    if (change.action !== undefined) message.c = change.action;
    if (change.actor !== undefined) message.u = change.actor;
    if (change.at !== undefined) message.t = change.at;
    this.redis.commands
      .publish(CacheKeys.invalidationChannel(this.redis.database), JSON.stringify(message))
      .catch(() => {
        this.stats.redisErrors++;
      });
  }

  private receive(message: string): void {
    let parsed: Partial<Record<keyof WireMessage, unknown>>;
    try {
      parsed = JSON.parse(message) as Partial<Record<keyof WireMessage, unknown>>;
    } catch {
      this.log.warn('ignored a malformed invalidation message');
      return;
    }
    const { f, r, a } = parsed;
    if (typeof f !== 'string' || !Number.isSafeInteger(r) || (r as number) <= 0) return;
    const revision = r as number;
    this.stats.invalidationsReceived++;
    if (a === 1) this.edge.forget(f, revision);
    else this.edge.noteRevision(f, revision);
    this.notices.announce(noticeOf(f, revision, parsed));
  }
}

/** The pub/sub message; one-letter keys because every instance receives every message. */
interface WireMessage {
  f: string;
  r: number;
  a?: 1;
  p?: number;
  g?: number;
  c?: ChangeAction;
  u?: string;
  t?: string;
}

const ACTIONS: ReadonlySet<unknown> = new Set<ChangeAction>([
  'create',
  'update',
  'archive',
  'restore',
  'invalidate',
]);

/** The change a message tells of; the fields of an older instance's message (or bad ones) are left out. */
function noticeOf(
  flag: string,
  revision: number,
  { g, c, u, t }: Partial<Record<keyof WireMessage, unknown>>,
): ChangeNotice {
  const notice: ChangeNotice = { flag, revision };
  // `p` is for instances of earlier versions, whose change feed went by each flag's previous
  // revision; this one goes by `g`.
  if (Number.isSafeInteger(g) && (g as number) >= 0 && (g as number) < revision)
    notice.follows = g as number;
  if (ACTIONS.has(c)) notice.action = c as ChangeAction;
  if (typeof u === 'string') notice.actor = u;
  if (typeof t === 'string') notice.at = t;
  return notice;
}
