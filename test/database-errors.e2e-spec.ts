import { getPGliteInstance } from 'typeorm-pglite';
import {
  DataSource,
  QueryFailedError,
  QueryRunnerAlreadyReleasedError,
  TypeORMError,
} from 'typeorm';
import { isDatabaseUnavailable, typeormOptions } from '@app/database';
import { freePort } from './support/redis-server';
import { TcpProxy } from './support/tcp-proxy';
import { REAL_BACKENDS, waitFor } from './support/test-app';

/**
 * Produces, for real, every way PostgreSQL fails us, through the same driver options as the
 * service (typeormOptions), and checks (1) the shape each error has — class, code, message —
 * which libs/database/src/database-errors.spec.ts reconstructs, and (2) that the one
 * classification calls each of them "unavailable".
 */
const catchError = async (work: () => Promise<unknown>): Promise<unknown> => {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
};

const driverOf = (e: unknown) => (e instanceof QueryFailedError ? (e.driverError as Error) : e);
const codeOf = (e: unknown) => (driverOf(e) as { code?: unknown }).code;

const describeShared = REAL_BACKENDS ? describe : describe.skip;

describeShared('PostgreSQL errors, produced for real (e2e)', () => {
  const dataSources: DataSource[] = [];
  let proxy: TcpProxy | undefined;

  const open = (url: string, over: { poolSize?: number; statementTimeoutMs?: number } = {}) => {
    const ds = new DataSource({
      ...typeormOptions({
        kind: 'postgres',
        url,
        poolSize: over.poolSize ?? 2,
        connectTimeoutMs: 300,
        statementTimeoutMs: over.statementTimeoutMs ?? 300,
        migrationsRun: false,
      }),
      migrations: [],
    });
    dataSources.push(ds);
    return ds;
  };
  const throughProxy = async () => {
    const through = await TcpProxy.inFrontOf(process.env.DATABASE_URL as string);
    proxy = through.proxy;
    const ds = await open(through.url).initialize();
    await ds.query('SELECT 1');
    return { ds, proxy };
  };

  afterEach(async () => {
    proxy?.refuse(); // unblocks anything still waiting on a frozen socket
    await Promise.allSettled(
      dataSources.splice(0).map((d) => (d.isInitialized ? d.destroy() : Promise.resolve())),
    );
    await proxy?.close();
    proxy = undefined;
  });

  it('refused: a plain Error with code ECONNREFUSED', async () => {
    const url = new URL(process.env.DATABASE_URL as string);
    url.port = String(await freePort());
    const e = await catchError(async () => open(url.toString()).initialize());
    // (Node's own error class: from outside Jest's realm, so no toBeInstanceOf(Error) here.)
    expect((e as Error).message).toMatch(/^connect ECONNREFUSED /);
    expect(e).not.toBeInstanceOf(QueryFailedError);
    expect(codeOf(e)).toBe('ECONNREFUSED');
    expect(isDatabaseUnavailable(e)).toBe(true);
  });

  it('hung server (frozen sockets): QueryFailedError "Query read timeout" without SQLSTATE', async () => {
    const { ds, proxy } = await throughProxy();
    proxy.freeze();
    const e = await catchError(() => ds.query('SELECT 1'));
    expect(e).toBeInstanceOf(QueryFailedError);
    expect((e as Error).message).toBe('Query read timeout');
    expect(codeOf(e)).toBeUndefined();
    expect(isDatabaseUnavailable(e)).toBe(true);
  });

  it('blackholed server: connect timeout, then a connection dropped under a query', async () => {
    const { ds, proxy } = await throughProxy();
    proxy.blackhole();
    // The pooled connection is dropped by the partition...
    const dropped = await catchError(() => ds.query('SELECT 1'));
    expect(dropped).toBeInstanceOf(QueryFailedError);
    expect((dropped as Error).message).toBe('Connection terminated unexpectedly');
    expect(isDatabaseUnavailable(dropped)).toBe(true);
    // ...and a new one is accepted and never answered.
    const connect = await catchError(() => ds.query('SELECT 1'));
    expect(connect).not.toBeInstanceOf(QueryFailedError);
    expect((connect as Error).message).toBe('Connection terminated due to connection timeout');
    expect(codeOf(connect)).toBeUndefined();
    expect(isDatabaseUnavailable(connect)).toBe(true);
  });

  it('refused after being connected: the pooled connection is closed under the query', async () => {
    const { ds, proxy } = await throughProxy();
    proxy.refuse();
    const e = await catchError(() => ds.query('SELECT 1'));
    expect(e).toBeInstanceOf(QueryFailedError);
    expect((e as Error).message).toBe('Connection terminated unexpectedly');
    expect(isDatabaseUnavailable(e)).toBe(true);
    const reconnect = await catchError(() => ds.query('SELECT 1'));
    expect(isDatabaseUnavailable(reconnect)).toBe(true);
  });

  it('statement timeout: QueryFailedError with SQLSTATE 57014', async () => {
    const ds = await open(process.env.DATABASE_URL as string).initialize();
    const e = await catchError(() => ds.query('SELECT pg_sleep(5)'));
    expect(e).toBeInstanceOf(QueryFailedError);
    expect(codeOf(e)).toBe('57014');
    expect((e as Error).message).toBe('canceling statement due to statement timeout');
    expect(isDatabaseUnavailable(e)).toBe(true);
  });

  it('pool exhausted: "timeout exceeded when trying to connect"', async () => {
    const ds = await open(process.env.DATABASE_URL as string, {
      poolSize: 1,
      statementTimeoutMs: 3000,
    }).initialize();
    const holding = ds.query('SELECT pg_sleep(1)');
    const e = await catchError(() => ds.query('SELECT 1'));
    await holding;
    expect(e).not.toBeInstanceOf(QueryFailedError);
    expect((e as Error).message).toBe('timeout exceeded when trying to connect');
    expect(isDatabaseUnavailable(e)).toBe(true);
  });

  it('connection terminated by the server: SQLSTATE 57P01, then a released runner', async () => {
    const ds = await open(process.env.DATABASE_URL as string, {
      statementTimeoutMs: 10_000,
    }).initialize();
    const runner = ds.createQueryRunner();
    try {
      const [{ pid }] = (await runner.query('SELECT pg_backend_pid() AS pid')) as Array<{
        pid: number;
      }>;
      const sleeping = catchError(() => runner.query('SELECT pg_sleep(5)'));
      await waitFor(
        async () => {
          const [row] = await ds.query<Array<{ active: boolean }>>(
            `SELECT count(*) > 0 AS active FROM pg_stat_activity WHERE pid = $1 AND state = 'active'`,
            [pid],
          );
          return row.active;
        },
        5000,
        20,
      );
      await ds.query('SELECT pg_terminate_backend($1)', [pid]);
      const terminated = await sleeping;
      expect(terminated).toBeInstanceOf(QueryFailedError);
      expect(codeOf(terminated)).toBe('57P01');
      expect((terminated as Error).message).toBe(
        'terminating connection due to administrator command',
      );
      expect(isDatabaseUnavailable(terminated)).toBe(true);
      // Then either the socket's end or TypeORM's release of the runner arrives first.
      const dead = await catchError(() => runner.query('SELECT 1'));
      expect(
        dead instanceof QueryRunnerAlreadyReleasedError ||
          (dead instanceof QueryFailedError &&
            /Connection terminated|not queryable/.test(dead.message)),
      ).toBe(true);
      expect(isDatabaseUnavailable(dead)).toBe(true);
    } finally {
      await runner.release().catch(() => undefined);
    }
  });

  it('an error in the query is not an outage: division by zero (22012)', async () => {
    const ds = await open(process.env.DATABASE_URL as string).initialize();
    const e = await catchError(() => ds.query('SELECT 1/0'));
    expect(e).toBeInstanceOf(QueryFailedError);
    expect(codeOf(e)).toBe('22012');
    expect(isDatabaseUnavailable(e)).toBe(false);
  });

  it('a data source already destroyed (shutdown): "Driver not Connected"', async () => {
    const ds = await open(process.env.DATABASE_URL as string).initialize();
    await ds.destroy();
    const e = await catchError(() => ds.query('SELECT 1'));
    expect(e).toBeInstanceOf(TypeORMError);
    expect((e as Error).message).toBe('Driver not Connected');
    expect(isDatabaseUnavailable(e)).toBe(true);
  });
});

describe('PGlite errors, produced for real (e2e)', () => {
  it('a closed PGlite is unavailable', async () => {
    const ds = new DataSource({
      ...typeormOptions({ kind: 'pglite', dataDir: 'memory://', migrationsRun: false }),
      migrations: [],
    });
    await ds.initialize();
    await ds.query('SELECT 1');
    await (await getPGliteInstance()).close();
    const closed = await catchError(() => ds.query('SELECT 1'));
    expect((driverOf(closed) as Error).message).toBe('PGlite is closed');
    expect(isDatabaseUnavailable(closed)).toBe(true);
    await ds.destroy().catch(() => undefined);
  });
});
