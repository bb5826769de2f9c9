import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, QueryRunner } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import { CircuitBreaker, Circuits, withDeadline } from '@app/resilience';
import { DatabaseUnavailableError, isDatabaseUnavailable } from './database-errors';

/** Past DB_CONNECT_TIMEOUT_MS, how long a call may still take: one connect plus a few round trips. */
const DEADLINE_MARGIN_MS = 1000;
/** Whatever the configuration, no call waits on PostgreSQL longer than this. */
const MAX_DEADLINE_MS = 3500;

/** Lets a write hand over the connection its transaction runs on, to be dropped at the deadline. */
export interface WriteDeadline {
  /** Throws when the deadline has already passed, so that a late transaction does nothing. */
  hold(runner: QueryRunner): void;
}

/**
 * Every call to PostgreSQL goes through here, so that none waits on a dead or hung database:
 *
 * - **reads** (loads that have a fallback: last known data, 404 from memory, the next poll) are
 *   skipped at once while the circuit breaker is not closed, so a check never pays a timeout per
 *   request during an outage. The breaker's probe is not a reader's load (that reader would
 *   wait out the deadline): once the breaker's interval has passed, the next read that is
 *   skipped starts a `SELECT 1` in the background, one at a time; the revision poll, a read
 *   every SYNC_INTERVAL_MS, makes sure one is started even when no request comes;
 * - **writes** are always tried (an admin's write must succeed as soon as the database answers);
 * - both give up at the deadline (DB_CONNECT_TIMEOUT_MS + 1 s, at most 3.5 s) as "unavailable".
 *   A write's transaction connection is dropped then, so the server rolls it back and nothing
 *   answered with 503 commits later. (A COMMIT already on the wire at that moment may still
 *   land; no client can know, which is why the 503 says "retry".)
 *
 * Every outcome is reported to the breaker: an answer closes it, an outage opens it.
 * PGlite runs in this process and cannot hang on a network, so it has no deadline.
 */
@Injectable()
export class DatabaseGuard {
  private readonly deadlineMs: number | undefined;
  private readonly breaker: CircuitBreaker;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    circuits: Circuits,
    @InjectDataSource() private readonly db: DataSource,
  ) {
    const database = config.database;
    this.deadlineMs =
      database.kind === 'postgres'
        ? Math.min(database.connectTimeoutMs + DEADLINE_MARGIN_MS, MAX_DEADLINE_MS)
        : undefined;
    this.breaker = circuits.database;
  }

  read<T>(work: () => Promise<T>): Promise<T> {
    if (this.breaker.closed) return this.observe(work(), () => undefined);
    if (this.breaker.allow()) this.probe();
    return Promise.reject(
      new DatabaseUnavailableError('PostgreSQL failed recently (circuit open)'),
    );
  }

  write<T>(work: (deadline: WriteDeadline) => Promise<T>): Promise<T> {
    let expired = false;
    let runner: QueryRunner | undefined;
    const deadline: WriteDeadline = {
      hold: (r) => {
        if (expired) throw new DatabaseUnavailableError('PostgreSQL did not answer in time');
        runner = r;
      },
    };
    return this.observe(work(deadline), () => {
      expired = true;
      if (runner !== undefined) dropConnection(runner);
    });
  }

  /** The breaker's probe: its outcome closes the breaker or opens it for longer; nobody waits on it. */
  private probe(): void {
    this.observe(this.db.query('SELECT 1'), () => undefined).catch(() => undefined);
  }

  private async observe<T>(work: Promise<T>, onExpired: () => void): Promise<T> {
    let settled = false;
    const report = (ok: boolean) => {
      if (settled) return;
      settled = true;
      if (ok) this.breaker.succeed();
      else this.breaker.fail();
    };
    // Whatever the database answered, even an error in the query, it answered.
    const observed = work.then(
      (value) => {
        report(true);
        return value;
      },
      (error: unknown) => {
        report(!isDatabaseUnavailable(error));
        throw error;
      },
    );
    if (this.deadlineMs === undefined) return observed;
    return withDeadline(observed, this.deadlineMs, () => {
      report(false);
      onExpired();
      return new DatabaseUnavailableError(`PostgreSQL did not answer within ${this.deadlineMs} ms`);
    });
  }
}

/**
 * Closes the socket under a query runner (a pg client): its queries fail at once, the server
 * rolls back its open transaction, and the pool discards the client instead of reusing a
 * connection that is stuck behind a hung query.
 */
function dropConnection(runner: QueryRunner): void {
  const client = (
    runner as { databaseConnection?: { connection?: { stream?: { destroy(): void } } } }
  ).databaseConnection;
  client?.connection?.stream?.destroy();
}
