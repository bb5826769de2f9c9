import { createClient } from '@keyv/redis';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import type { Cache } from 'cache-manager';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { CacheKeys, CacheStats, EdgeCache, L2Cache } from '@app/cache';
import { SEED_FLAGS } from '@app/database';
import { createApp } from '../../apps/api/src/create-app';
import { TcpProxy } from './tcp-proxy';

/** True when the suite runs against real servers (CI); false on the embedded defaults. */
export const REAL_BACKENDS = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);

/** The admin token every test app is configured with (name `e2e`). */
export const ADMIN_SECRET = 'e2e-admin-secret-0123456789';

export function testEnv(
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    DATABASE_URL: process.env.DATABASE_URL,
    REDIS_URL: process.env.REDIS_URL,
    PGLITE_DATA_DIR: 'memory://',
    LOG_LEVEL: 'error',
    SYNC_INTERVAL_MS: '1000',
    ADMIN_TOKENS: `e2e:${ADMIN_SECRET}`,
    AUTH_FAILURE_LIMIT: '1000',
    ...overrides,
  };
}

export interface TestApp {
  app: NestFastifyApplication;
  /** No credentials: reads, and admin calls that must be refused. */
  http: TestAgent;
  /** With the admin token. */
  admin: TestAgent;
  stats: CacheStats;
  edge: EdgeCache;
  close(): Promise<void>;
}

/** Apps of this test file still open, and whether the file has finished. */
const openApps = new Set<NestFastifyApplication>();
let fileDone = false;
// A safety net for apps the file's own hooks could not close: one whose start outlived a timed-out
// beforeAll is assigned to nothing, and would keep the run from ever exiting.
afterAll(async () => {
  fileDone = true;
  await closeAll(...[...openApps].map((app) => ({ close: () => closeApp(app) })));
});

export async function startApp(
  overrides: Record<string, string | undefined> = {},
): Promise<TestApp> {
  const app = await createApp(testEnv(overrides));
  if (fileDone) {
    await closeApp(app);
    throw new Error('the app started after its test file had finished (a hook timed out)');
  }
  openApps.add(app);
  return {
    app,
    http: request(app.getHttpServer()),
    admin: request.agent(app.getHttpServer()).set('Authorization', `Bearer ${ADMIN_SECRET}`),
    stats: app.get(CacheStats),
    edge: app.get(EdgeCache),
    close: () => closeApp(app),
  };
}

const CLOSE_TIMEOUT_MS = 15_000;

/**
 * Closes the app, or throws after CLOSE_TIMEOUT_MS: a broken shutdown fails its test instead
 * of hanging the run (the connections it kept are dropped so the process can still exit).
 */
async function closeApp(app: NestFastifyApplication): Promise<void> {
  openApps.delete(app);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      app.getHttpServer().closeAllConnections();
      reject(new Error(`app.close() did not finish within ${CLOSE_TIMEOUT_MS} ms`));
    }, CLOSE_TIMEOUT_MS);
  });
  try {
    await Promise.race([app.close(), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** Closes every one of them even when some fail, then throws the first failure. */
export async function closeAll(
  ...closables: Array<{ close(): Promise<void> } | undefined>
): Promise<void> {
  const results = await Promise.allSettled(
    closables.map((c) => (c === undefined ? Promise.resolve() : c.close())),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}

/** Runs `body` with an app of its own, closed whatever happens. */
export async function withApp<T>(
  overrides: Record<string, string | undefined>,
  body: (t: TestApp) => Promise<T>,
): Promise<T> {
  const t = await startApp(overrides);
  try {
    // Failed authentications are counted in the shared cache (across instances): start from none.
    await flushSharedCache(t);
    return await body(t);
  } finally {
    await t.close();
  }
}

/** The check answer for a user (asserting a 200). */
export async function enabledOn(t: TestApp, flag: string, user: string): Promise<boolean> {
  const res = await t.http.get(`/flags/${flag}/check?user_id=${user}`);
  expect(res.status).toBe(200);
  return res.body.enabled as boolean;
}

/** The seed flag `new_checkout_flow` still has its seed values: a refused call changed nothing. */
export async function expectSeedUnchanged(t: TestApp): Promise<void> {
  const res = await t.http.get('/flags/new_checkout_flow').expect(200);
  expect(res.body.flag_data).toMatchObject({ enabled: true, rollout_percentage: 50 });
}

/** Back to the four seed flags, with an empty shared cache. Revisions keep growing (the sequence is not reset). */
export async function resetState(t: TestApp): Promise<void> {
  const db = t.app.get(DataSource);
  await db.query('DELETE FROM flags');
  for (const f of SEED_FLAGS) {
    await db.query(
      `INSERT INTO flags (name, enabled, rollout_percentage, metadata) VALUES ($1, $2, $3, $4::jsonb)`,
      [f.name, f.enabled, f.rolloutPercentage, JSON.stringify(f.metadata)],
    );
  }
  await flushSharedCache(t);
  t.edge.clear();
  await t.http.get('/flags').expect(200); // learns the new revisions
}

export async function flushSharedCache(t: TestApp): Promise<void> {
  const redisUrl = process.env.REDIS_URL;
  if (redisUrl) {
    const client = createClient({ url: redisUrl });
    await client.connect();
    await client.flushDb();
    await client.close();
  } else {
    await t.app.get<Cache>(CACHE_MANAGER).clear();
  }
}

/** A flag name of this test's own, so tests never see each other's writes. */
let counter = 0;
export const uniqueFlag = (prefix = 'e2e') =>
  `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns true or `timeoutMs` passes; returns the time it took. */
export async function waitFor(
  probe: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  everyMs = 2,
): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < timeoutMs) {
    if (await probe()) return performance.now() - start;
    await sleep(everyMs);
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

/**
 * An app whose PostgreSQL (DATABASE_URL, so real backends only) is reached through a proxy the
 * test can freeze, blackhole or cut, with 1 s database timeouts, a 1 s edge TTL and a 200 ms
 * poll, so that an outage and the recovery from it both show within a test.
 */
export async function startAppBehindProxy(
  overrides: Record<string, string | undefined> = {},
): Promise<{ t: TestApp; proxy: TcpProxy }> {
  const { proxy, url } = await TcpProxy.inFrontOf(process.env.DATABASE_URL as string);
  const t = await startApp({
    DATABASE_URL: url,
    CACHE_TTL_SERVICE_S: '1',
    DB_CONNECT_TIMEOUT_MS: '1000',
    DB_STATEMENT_TIMEOUT_MS: '1000',
    SYNC_INTERVAL_MS: '200',
    ...overrides,
  });
  return { t, proxy };
}

/**
 * What the shared cache (Redis, or the in-process store standing in for it) holds for a user's
 * answer of the flag at a revision (default: the revision this instance knows now).
 */
export function storedAnswer(
  t: TestApp,
  layer: 'check' | 'endpoint',
  flag: string,
  user: string,
  revision = t.edge.revisionOf(flag),
): Promise<unknown> {
  if (revision === undefined) throw new Error(`no revision known for ${flag}`);
  return t.app.get(L2Cache).get(CacheKeys[layer](flag, revision, user));
}

/** The value of one Prometheus sample in /metrics (0 when absent), e.g. `edgeflags_db_reads_total`. */
export async function metric(t: TestApp, sample: string): Promise<number> {
  const text = (await t.http.get('/metrics').expect(200)).text;
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? 0 : Number(line.slice(sample.length + 1));
}
