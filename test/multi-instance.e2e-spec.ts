import { Client } from 'pg';
import { MIGRATIONS } from '@app/database';
import {
  REAL_BACKENDS,
  resetState,
  startApp,
  TestApp,
  uniqueFlag,
  waitFor,
} from './support/test-app';

// Two instances need a shared PostgreSQL and Redis: CI always sets both (see .ci/run).
const describeShared = REAL_BACKENDS ? describe : describe.skip;

describeShared('two instances sharing PostgreSQL and Redis (e2e)', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    // A long poll interval: convergence measured here is pub/sub's, not the poll's.
    a = await startApp({ SYNC_INTERVAL_MS: '60000' });
    b = await startApp({ SYNC_INTERVAL_MS: '60000' });
    await resetState(a);
    await b.http.get('/flags').expect(200);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  const enabledOn = async (t: TestApp, flag: string, user: string) =>
    (await t.http.get(`/flags/${flag}/check?user_id=${user}`).expect(200)).body.enabled as boolean;

  it('an update on one instance reaches the other in milliseconds (pub/sub)', async () => {
    const flag = uniqueFlag();
    await a.admin.post(`/flags/${flag}/update?enabled=true&rollout_percentage=100`).expect(200);
    await waitFor(
      async () => (await b.http.get(`/flags/${flag}/check?user_id=u`)).status === 200,
      2000,
    );
    const delays: number[] = [];
    for (let i = 0; i < 20; i++) {
      const on = i % 2 === 1;
      expect(await enabledOn(b, flag, 'u')).toBe(!on); // B holds the old value in its edge cache
      await a.admin.post(`/flags/${flag}/update?enabled=${on}`).expect(200);
      delays.push(await waitFor(async () => (await enabledOn(b, flag, 'u')) === on, 2000, 1));
    }
    delays.sort((x, y) => x - y);
    const p99 = delays[delays.length - 1];
    console.log(
      `cross-instance staleness over ${delays.length} updates: median ${delays[10].toFixed(1)} ms, max ${p99.toFixed(1)} ms`,
    );
    expect(p99).toBeLessThan(250);
    expect(b.stats.invalidationsReceived).toBeGreaterThanOrEqual(20);
  });

  it('a manual invalidation on one instance makes the other reload', async () => {
    await enabledOn(b, 'experimental_api', 'u1');
    expect((await b.http.get('/flags/experimental_api/check?user_id=u1')).body._cache).toBe('hit');
    await a.admin.delete('/flags/experimental_api/cache').expect(200);
    await waitFor(
      async () =>
        (await b.http.get('/flags/experimental_api/check?user_id=u2')).body._cache === 'miss',
      2000,
    );
  });

  it('500 concurrent misses of one flag cost one database read per instance (single-flight)', async () => {
    const flag = uniqueFlag();
    await a.admin.post(`/flags/${flag}/update?enabled=true&rollout_percentage=50`).expect(200);
    await waitFor(() => b.edge.revisionOf(flag) !== undefined, 2000);
    const before = b.stats.dbReads;
    const responses = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        b.app.inject({ method: 'GET', url: `/flags/${flag}/check?user_id=burst-${i}` }),
      ),
    );
    expect(responses.every((r) => r.statusCode === 200)).toBe(true);
    expect(b.stats.dbReads - before).toBe(1);
  });

  it('an instance that never loaded a flag serves it from Redis, not PostgreSQL, once another did', async () => {
    const flag = uniqueFlag();
    await a.admin.post(`/flags/${flag}/update?enabled=true&rollout_percentage=100`).expect(200);
    await a.http.get(`/flags/${flag}/check?user_id=x`).expect(200); // A loads it: data now in Redis
    await waitFor(() => b.edge.revisionOf(flag) !== undefined, 2000);
    const before = b.stats.dbReads;
    const res = await b.http.get(`/flags/${flag}/check?user_id=y`).expect(200);
    expect(res.body).toEqual({ enabled: true, _cache: 'hit' });
    expect(b.stats.dbReads).toBe(before);
  });
});

describeShared('instances booting at once on a fresh database (e2e)', () => {
  const name = `edgeflags_boot_${process.pid}`;
  let admin: Client;
  let url: string;

  beforeAll(async () => {
    const base = new URL(process.env.DATABASE_URL as string);
    admin = new Client({ connectionString: base.toString() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    base.pathname = `/${name}`;
    url = base.toString();
  });
  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('migrate once, in turn (advisory lock), and both serve the seed flags', async () => {
    const apps = await Promise.all([
      startApp({ DATABASE_URL: url }),
      startApp({ DATABASE_URL: url }),
      startApp({ DATABASE_URL: url }),
    ]);
    try {
      for (const t of apps) expect((await t.http.get('/flags').expect(200)).body.count).toBe(4);
      const db = new Client({ connectionString: url });
      await db.connect();
      const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM migrations');
      await db.end();
      expect(Number(rows[0].n)).toBe(MIGRATIONS.length);
    } finally {
      await Promise.all(apps.map((t) => t.close()));
    }
  });
});

describeShared('a bogus invalidation message (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('cannot keep a flag out of the edge cache: PostgreSQL is the source of truth', async () => {
    const { createClient } = await import('@keyv/redis');
    const url = new URL(process.env.REDIS_URL as string);
    const publisher = createClient({ url: url.toString() });
    await publisher.connect();
    await t.http.get('/flags/beta_features/check?user_id=u').expect(200);
    await publisher.publish(
      `ef:invalidate:${Number(url.pathname.slice(1) || 0)}`,
      JSON.stringify({ f: 'beta_features', r: 999_999_999 }),
    );
    await publisher.close();
    await waitFor(() => t.edge.revisionOf('beta_features') === 999_999_999, 2000);
    expect(
      (await t.http.get('/flags/beta_features/check?user_id=u2').expect(200)).body._cache,
    ).toBe('miss');
    const reads = t.stats.dbReads;
    for (let i = 0; i < 20; i++)
      expect(
        (await t.http.get(`/flags/beta_features/check?user_id=v${i}`).expect(200)).body._cache,
      ).toBe('hit');
    expect(t.stats.dbReads).toBe(reads);
    expect((await t.http.get('/flags').expect(200)).body._cache).toBe('miss');
    expect((await t.http.get('/flags').expect(200)).body._cache).toBe('hit');
  });
});
