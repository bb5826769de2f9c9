import { TcpProxy } from './support/tcp-proxy';
import { describeWithServers } from './support/suites';
import {
  closeAll,
  metric,
  sleep,
  startApp,
  storedAnswer,
  TestApp,
  uniqueFlag,
  waitFor,
} from './support/test-app';

// Needs a real PostgreSQL to put the proxy in front of (CI sets DATABASE_URL).
const describeShared = describeWithServers('DATABASE_URL');

describeShared('PostgreSQL outage (e2e)', () => {
  let proxy: TcpProxy | undefined;
  let t: TestApp | undefined;

  afterEach(async () => {
    await closeAll(t, proxy);
    t = proxy = undefined;
  });

  /** An app whose PostgreSQL sits behind a proxy the test cuts, with one flag loaded and listed. */
  async function start(): Promise<{ t: TestApp; proxy: TcpProxy; flag: string }> {
    const target = new URL(process.env.DATABASE_URL as string);
    proxy = new TcpProxy(Number(target.port || 5432), target.hostname);
    target.port = String(await proxy.listen());
    // 1 s TTLs so that the test sees entries expire during the outage.
    t = await startApp({
      DATABASE_URL: target.toString(),
      CACHE_TTL_SERVICE_S: '1',
      CACHE_TTL_LIST_S: '1',
      DB_CONNECT_TIMEOUT_MS: '1000',
      DB_STATEMENT_TIMEOUT_MS: '1000',
      SYNC_INTERVAL_MS: '200',
    });
    const flag = uniqueFlag();
    await t.admin.post(`/flags/${flag}/update?enabled=true&rollout_percentage=100`).expect(200);
    expect((await t.http.get(`/flags/${flag}/check?user_id=warm`).expect(200)).body._cache).toBe(
      'miss',
    );
    expect((await t.http.get('/flags').expect(200)).body._cache).toBe('miss');
    return { t, proxy, flag };
  }

  it('serves last known data as stale (checks, details, list) and never caches it', async () => {
    const { t, proxy, flag } = await start();
    const staleBefore = await metric(t, 'edgeflags_stale_served_total');
    proxy.cut();

    // Still in the edge cache: a plain hit.
    expect((await t.http.get(`/flags/${flag}/check?user_id=warm`).expect(200)).body).toEqual({
      enabled: true,
      _cache: 'hit',
    });

    // Expired from every cache layer: the last known data, reported as stale.
    await sleep(1200);
    const stale = await t.http.get(`/flags/${flag}/check?user_id=new-user`).expect(200);
    expect(stale.body).toEqual({ enabled: true, _cache: 'stale' });
    const details = await t.http.get(`/flags/${flag}?user_id=new-user-2`).expect(200);
    expect(details.body).toMatchObject({ enabled: true, _cache: 'stale' });
    const list = await t.http.get('/flags').expect(200);
    expect(list.body._cache).toBe('stale');
    expect(list.body.flags.map((f: { flag_name: string }) => f.flag_name)).toContain(flag);

    // A stale answer is not stored under the current revision: once PostgreSQL is back it
    // would otherwise be served as a hit for the rest of its TTL.
    expect(await storedAnswer(t, 'check', flag, 'new-user')).toBeUndefined();
    expect(await storedAnswer(t, 'endpoint', flag, 'new-user-2')).toBeUndefined();

    expect((await t.http.get('/cache/stats').expect(200)).body.stale).toBeGreaterThanOrEqual(3);
    expect(await metric(t, 'edgeflags_stale_served_total')).toBeGreaterThanOrEqual(staleBefore + 3);

    // A flag this instance never loaded cannot be answered: 503 or 404, not 500.
    const unknown = await t.http.get('/flags/never_loaded_flag/check?user_id=u');
    expect([404, 503]).toContain(unknown.status);
  });

  it('is not ready while PostgreSQL is down, and ready again when it is back', async () => {
    const { t, proxy } = await start();
    await t.http.get('/health/ready').expect(200);
    proxy.cut();
    const ready = await t.http.get('/health/ready').expect(503);
    expect(ready.body.details.database.status).toBe('down');
    expect((await t.http.get('/health').expect(200)).body.database.status).toBe('down');
    proxy.restore();
    await waitFor(async () => (await t.http.get('/health/ready')).status === 200, 10_000, 200);
    expect((await t.http.get('/health').expect(200)).body.database.status).toBe('up');
  });

  it('refuses writes with 503 having written nothing, and takes them again on recovery', async () => {
    const { t, proxy, flag } = await start();
    proxy.cut();

    // A value no other write in this test sets: if it is ever seen, the refused write wrote.
    const refused = await t.admin.post(`/flags/${flag}/update?rollout_percentage=37`);
    expect(refused.status).toBe(503);
    expect(refused.body.message).toMatch(/database unavailable/);
    expect((await t.admin.delete(`/flags/${flag}/cache`)).status).toBe(503);
    expect((await t.admin.delete(`/flags/${flag}`)).status).toBe(503);

    proxy.restore();
    await waitFor(
      async () => (await t.admin.post(`/flags/${flag}/update?enabled=false`)).status === 200,
      10_000,
      200,
    );
    await waitFor(
      async () => (await t.http.get(`/flags/${flag}/check?user_id=warm`)).body.enabled === false,
      5000,
    );
    const details = await t.http.get(`/flags/${flag}?user_id=warm`).expect(200);
    expect(details.body.flag_data).toMatchObject({ enabled: false, rollout_percentage: 100 });
    const history = (await t.admin.get(`/flags/${flag}/history`).expect(200)).body.entries;
    expect(
      history.map(
        (e: { action: string; after: { enabled: boolean; rollout_percentage: number } }) => [
          e.action,
          e.after.enabled,
          e.after.rollout_percentage,
        ],
      ),
    ).toEqual([
      ['update', false, 100],
      ['create', true, 100],
    ]);
  });
});
