import { TcpProxy } from './support/tcp-proxy';
import {
  REAL_BACKENDS,
  startAppBehindProxy,
  TestApp,
  uniqueFlag,
  sleep,
  waitFor,
} from './support/test-app';

// Needs a real PostgreSQL to put the proxy in front of (CI sets DATABASE_URL).
const describeShared = REAL_BACKENDS ? describe : describe.skip;

describeShared('PostgreSQL outage (e2e)', () => {
  let proxy: TcpProxy;
  let t: TestApp;
  let flag: string;

  beforeAll(async () => {
    // A 1 s edge TTL, so that entries expire during the outage.
    ({ t, proxy } = await startAppBehindProxy());
    flag = uniqueFlag();
    await t.admin.post(`/flags/${flag}/update?enabled=true&rollout_percentage=100`).expect(200);
    expect((await t.http.get(`/flags/${flag}/check?user_id=warm`).expect(200)).body._cache).toBe(
      'miss',
    );
  });
  afterAll(async () => {
    await t.close();
    await proxy.close();
  });

  it('serves last known data as stale, refuses updates promptly with 503, and recovers', async () => {
    proxy.cut();

    // Still in the edge cache: a plain hit.
    expect((await t.http.get(`/flags/${flag}/check?user_id=warm`).expect(200)).body.enabled).toBe(
      true,
    );

    // Expired from every cache layer: the last known data, reported as stale.
    await sleep(1200);
    const stale = await t.http.get(`/flags/${flag}/check?user_id=new-user`).expect(200);
    expect(stale.body).toEqual({ enabled: true, _cache: 'stale' });
    expect((await t.http.get(`/flags/${flag}?user_id=new-user-2`).expect(200)).body._cache).toBe(
      'stale',
    );
    const stats = (await t.http.get('/cache/stats').expect(200)).body;
    expect(stats.stale).toBeGreaterThanOrEqual(2);

    // A flag this instance never loaded cannot be answered: 503, not 500.
    const unknown = await t.http.get('/flags/never_loaded_flag/check?user_id=u');
    expect([404, 503]).toContain(unknown.status);

    // Writes fail fast and clearly, and write nothing.
    const started = performance.now();
    const refused = await t.admin.post(`/flags/${flag}/update?enabled=false`);
    expect(refused.status).toBe(503);
    expect(refused.body.message).toMatch(/database unavailable/);
    expect(performance.now() - started).toBeLessThan(5000);
    expect((await t.admin.delete(`/flags/${flag}/cache`)).status).toBe(503);

    const health = await t.http.get('/health').expect(200);
    expect(health.body.database.status).toBe('down');

    proxy.restore();
    await waitFor(
      async () => (await t.admin.post(`/flags/${flag}/update?enabled=false`)).status === 200,
      10_000,
      200,
    );
    await waitFor(
      async () => (await t.http.get(`/flags/${flag}/check?user_id=warm`)).body.enabled === false,
      3000,
    );
    expect((await t.http.get('/health').expect(200)).body.database.status).toBe('up');
  });
});
