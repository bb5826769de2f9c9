import { Logger } from '@nestjs/common';
import { createClient, RedisClientType } from '@keyv/redis';

export const REDIS_CONNECTIONS = Symbol('REDIS_CONNECTIONS');

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

  async close(): Promise<void> {
    await Promise.allSettled([this.commands.close(), this.subscriber.close()]);
  }
}
