import { Client } from 'pg';
import { MIGRATIONS } from '@app/database';
import { describeWithServers } from './support/suites';
import {
  closeAll,
  enabledOn,
  flushSharedCache,
  resetState,
  startApp,
  TestApp,
  uniqueFlag,
  waitFor,
} from './support/test-app';

// Two instances need a shared PostgreSQL and Redis: CI always sets both (see .ci/run).
const describeShared = describeWithServers('DATABASE_URL', 'REDIS_URL');

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
  afterAll(() => closeAll(a, b));

  it('an update on one instance reaches the other by pub/sub (no poll for a minute)', async () => {
    const flag = uniqueFlag();
    await a.admin.post(`/flags/${flag}/update?enabled=true&rollout_percentage=100`).expect(200);
    await waitFor(
      async () => (await b.http.get(`/flags/${flag}/check?user_id=u`)).status === 200,
      2000,
    );
    // How fast is for npm run bench to say (docs/benchmarks.md); here only that it arrives while
    // the poll is a minute away, so pub/sub is what carried it.
    const received = b.stats.invalidationsReceived;
    for (let i = 0; i < 20; i++) {
      const on = i % 2 === 1;
      expect(await enabledOn(b, flag, 'u')).toBe(!on); // B holds the old value in its edge cache
      await a.admin.post(`/flags/${flag}/update?enabled=${on}`).expect(200);
      await waitFor(async () => (await enabledOn(b, flag, 'u')) === on, 10_000, 1);
    }
    expect(b.stats.invalidationsReceived - received).toBeGreaterThanOrEqual(20);
  });

  it('an update on one instance changes the OFREP bulk answers and ETag on the other', async () => {
    const flag = uniqueFlag('of_bulk');
    await a.admin.post(`/flags/${flag}/update?enabled=true&rollout_percentage=100`).expect(200);
    const bulk = (etag?: string) =>
      b.http
        .post('/ofrep/v1/evaluate/flags')
        .set(etag === undefined ? {} : { 'if-none-match': etag })
        .send({ context: { targetingKey: 'u' } });
    const answer = (res: { body: { flags?: Array<{ key: string; value: unknown }> } }) =>
      res.body.flags?.find((f) => f.key === flag)?.value;
    await waitFor(async () => answer(await bulk()) === true);
    const before = await bulk();
    const etag = before.headers.etag;
    expect((await bulk(etag)).status).toBe(304); // nothing changed for this context
    await a.admin.post(`/flags/${flag}/update?enabled=false`).expect(200);
    await waitFor(async () => (await bulk(etag)).status === 200);
    const after = await bulk(etag);
    expect(answer(after)).toBe(false);
    expect(after.headers.etag).not.toBe(etag);
  });

  it('an archive on one instance reaches the other: checks there answer 404, its list drops the flag', async () => {
    const flag = uniqueFlag();
    await a.admin.post(`/flags/${flag}/update?enabled=true&rollout_percentage=100`).expect(200);
    await waitFor(async () => (await b.http.get(`/flags/${flag}/check?user_id=u`)).status === 200);
    expect(await enabledOn(b, flag, 'u')).toBe(true); // now in B's edge cache
    await a.admin.delete(`/flags/${flag}`).expect(200);
    await waitFor(async () => (await b.http.get(`/flags/${flag}/check?user_id=u`)).status === 404);
    await b.http.get(`/flags/${flag}?user_id=u2`).expect(404);
    const list = (await b.http.get('/flags').expect(200)).body.flags as Array<{
      flag_name: string;
    }>;
    expect(list.map((f) => f.flag_name)).not.toContain(flag);
  });

  it('a manual invalidation on one instance makes the other reload', async () => {
    const flag = uniqueFlag();
    await a.admin.post(`/flags/${flag}/update?enabled=true&rollout_percentage=25`).expect(200);
    await waitFor(async () => (await b.http.get(`/flags/${flag}/check?user_id=u1`)).status === 200);
    expect((await b.http.get(`/flags/${flag}/check?user_id=u1`)).body._cache).toBe('hit');
    await a.admin.delete(`/flags/${flag}/cache`).expect(200);
    await waitFor(
      async () => (await b.http.get(`/flags/${flag}/check?user_id=u2`)).body._cache === 'miss',
      10_000,
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

describeWithServers('DATABASE_URL')('instances booting at once on a fresh database (e2e)', () => {
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
    const started = await Promise.allSettled([
      startApp({ DATABASE_URL: url }),
      startApp({ DATABASE_URL: url }),
      startApp({ DATABASE_URL: url }),
    ]);
    const apps = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    try {
      for (const s of started) if (s.status === 'rejected') throw s.reason;
      for (const t of apps) expect((await t.http.get('/flags').expect(200)).body.count).toBe(4);
      const db = new Client({ connectionString: url });
      await db.connect();
      const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM migrations');
      await db.end();
      expect(Number(rows[0].n)).toBe(MIGRATIONS.length);
    } finally {
      await closeAll(...apps);
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
    // Another suite may have cached the list at the current revision in the shared Redis.
    await flushSharedCache(t);
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
