import { Logger } from '@nestjs/common';
import { createClient, RedisClientType } from '@keyv/redis';

export const REDIS_CONNECTIONS = Symbol('REDIS_CONNECTIONS');

/** How long a close waits for replies to commands already sent before it drops them. */
export const REDIS_CLOSE_WAIT_MS = 1000;

/**
 * The two connections an instance keeps to Redis: one for commands (shared with cache-manager's
 * Keyv store) and one in subscriber mode for invalidations.
 *
 * Both are built so that a dead Redis never makes a request wait: no offline queue (a command
 * sent while disconnected fails at once instead of queueing without bound), a short connect
 * timeout, and reconnection forever with a capped backoff so that recovery is automatic.
 */
export class RedisConnections {
  private readonly log = new Logger('Redis');
  readonly commands: RedisClientType;
  readonly subscriber: RedisClientType;
  /** The Redis database number of the URL (`redis://host:6379/9` is 9). */
  readonly database: number;

  constructor(url: string) {
    this.database = Number(new URL(url).pathname.slice(1) || 0) || 0;
    const options = {
      url,
      disableOfflineQueue: true,
      // A Redis that hangs (rather than drops the connection) must not collect an unbounded
      // queue of fire-and-forget writes: past this many pending commands, new ones fail at once.
      commandsQueueMaxLength: 10_000,
      socket: {
        connectTimeout: 1000,
        reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000),
      },
    };
    this.commands = createClient(options);
    this.subscriber = createClient(options);
    for (const [name, client] of [
      ['commands', this.commands],
      ['subscriber', this.subscriber],
    ] as const) {
      let down = false;
      client.on('error', (error: Error) => {
        if (!down) this.log.warn(`${name} connection lost: ${error.message}`);
        down = true;
      });
      client.on('ready', () => {
        if (down) this.log.log(`${name} connection back`);
        down = false;
      });
    }
  }

  get isReady(): boolean {
    return this.commands.isReady;
  }

  /** Starts connecting; waits at most `waitMs` so that boot goes on (degraded) without Redis. */
  async connect(waitMs: number): Promise<void> {
    const both = Promise.all([this.commands.connect(), this.subscriber.connect()]);
    both.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
    await Promise.race([both, timeout]);
    clearTimeout(timer);
    if (!this.isReady)
      this.log.warn('Redis is not reachable yet: serving from memory and PostgreSQL, retrying');
  }

  /**
   * Closes both connections without waiting on a Redis that does not answer. node-redis's
   * close() waits for the replies to every command already sent, and a hung Redis (or a
   * connection that died with commands in flight) never replies: shutdown would then wait until
   * SHUTDOWN_TIMEOUT_MS ended it with exit code 1. So the commands connection is closed
   * gracefully (its last cache writes and invalidation messages get out) only when a PING is
   * answered within `waitMs` (Redis answers in order, so what was sent before has been answered
   * too); otherwise it is destroyed, failing what is in flight. The subscriber holds only
   * subscriptions: it is destroyed at once.
   */
  async close(waitMs = REDIS_CLOSE_WAIT_MS): Promise<void> {
    if (this.subscriber.isOpen) this.subscriber.destroy();
    if (!this.commands.isOpen) return;
    if (await answers(this.commands, waitMs)) await this.commands.close().catch(() => undefined);
    else this.commands.destroy();
  }
}

/** Whether the client is ready and Redis answers a PING within `waitMs`. */
async function answers(client: RedisClientType, waitMs: number): Promise<boolean> {
  if (!client.isReady) return false;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(resolve, waitMs, false)));
  const pong = client.ping().then(
    () => true,
    () => false,
  );
  const answered = await Promise.race([pong, late]);
  clearTimeout(timer);
  return answered;
}
