import { TcpProxy } from './support/tcp-proxy';
import {
  REAL_BACKENDS,
  sleep,
  startAppBehindProxy,
  TestApp,
  uniqueFlag,
  waitFor,
} from './support/test-app';

// Needs a real PostgreSQL to put the proxy in front of (CI sets DATABASE_URL).
const describeShared = REAL_BACKENDS ? describe : describe.skip;

/**
 * PostgreSQL that hangs rather than refuses: the proxy in front of it stops forwarding without
 * closing anything (frozen), or drops the connections and never answers new ones (blackholed).
 * What must hold: no 500; loaded flags answered from memory (`stale` once their data is no
 * longer known to be current); writes refused with 503 having written nothing; flags that need
 * a load do not each wait on the database (the circuit breaker); everything works again after.
 */
describeShared('hung PostgreSQL (e2e)', () => {
  let proxy: TcpProxy;
  let t: TestApp;

  beforeAll(async () => {
    // A 1 s edge TTL, so that entries expire during the outage.
    ({ t, proxy } = await startAppBehindProxy());
  });
  afterEach(async () => {
    proxy.restore();
    // The next test starts with PostgreSQL answering and the breaker closed.
    await waitFor(
      async () => (await t.http.get('/health')).body.database.circuit.state === 'closed',
      10_000,
      100,
    );
  });
  afterAll(async () => {
    proxy.restore();
    await t.close();
    await proxy.close();
  });

  const historyOf = async (flag: string) =>
    (await t.admin.get(`/flags/${flag}/history`).expect(200)).body.entries as Array<{
      after: { enabled: boolean } | null;
    }>;
  const databaseCircuit = async () =>
    (await t.http.get('/cache/stats').expect(200)).body.circuits.database as {
      state: string;
      failures: number;
    };

  it('frozen: loaded flags answer stale, writes answer 503 and write nothing, then all recovers', async () => {
    const flag = uniqueFlag('hung');
    await t.admin.post(`/flags/${flag}/update?enabled=true&rollout_percentage=100`).expect(200);
    expect((await t.http.get(`/flags/${flag}/check?user_id=warm`).expect(200)).body._cache).toBe(
      'miss',
    );
    await t.http.get('/flags').expect(200);
    const historyBefore = await historyOf(flag);

    proxy.freeze();
    await sleep(1200); // the edge entry is no longer known to be current

    const check = await t.http.get(`/flags/${flag}/check?user_id=new-user`);
    expect(check.status).toBe(200);
    expect(check.body).toEqual({ enabled: true, _cache: 'stale' });
    const details = await t.http.get(`/flags/${flag}?user_id=another-user`);
    expect(details.status).toBe(200);
    expect(details.body._cache).toBe('stale');
    const list = await t.http.get('/flags');
    expect(list.status).toBe(200);
    expect(['hit', 'stale']).toContain(list.body._cache); // the list has a TTL of its own

    const update = await t.admin.post(`/flags/${flag}/update?enabled=false`);
    expect(update.status).toBe(503);
    expect(update.body.message).toMatch(/database unavailable/);
    // More writers than the pool has connections: the ones on a hung connection and the ones
    // waiting for a connection alike are refused with 503, none with 500.
    const parallel = await Promise.all(
      Array.from({ length: 20 }, () => t.admin.post(`/flags/${flag}/update?enabled=false`)),
    );
    expect(new Set(parallel.map((r) => r.status))).toEqual(new Set([503]));
    const invalidate = await t.admin.delete(`/flags/${flag}/cache`);
    expect(invalidate.status).toBe(503);

    // The breaker is open (or probing), and says so everywhere.
    expect((await databaseCircuit()).state).not.toBe('closed');
    const health = (await t.http.get('/health').expect(200)).body;
    expect(health.database.status).toBe('down');
    expect(health.database.circuit.state).not.toBe('closed');
    expect((await t.http.get('/metrics').expect(200)).text).toMatch(
      /^edgeflags_circuit_state\{dependency="database"\} [12]$/m,
    );

    // Checks of a loaded flag keep being answered, every one of them.
    for (let i = 0; i < 20; i++) {
      const res = await t.http.get(`/flags/${flag}/check?user_id=u${i}`);
      expect(res.status).toBe(200);
      expect(res.body.enabled).toBe(true);
    }

    proxy.restore();
    // As soon as PostgreSQL answers, writes succeed; the refused one never lands.
    await waitFor(
      async () =>
        (await t.admin.post(`/flags/${flag}/update?rollout_percentage=50`)).status === 200,
      10_000,
      200,
    );
    const historyAfter = await historyOf(flag);
    expect(historyAfter).toHaveLength(historyBefore.length + 1);
    expect(historyAfter.every((e) => e.after?.enabled !== false)).toBe(true);
    await waitFor(async () => (await databaseCircuit()).state === 'closed', 5000, 50);
    const fresh = await t.http.get(`/flags/${flag}/check?user_id=after`).expect(200);
    expect(['miss', 'hit']).toContain(fresh.body._cache);
  });

  it('blackholed: once the breaker is open, checks that need a load do not wait on the database', async () => {
    // Known to this instance (its own write) but never loaded, so never cached: a check of it
    // needs PostgreSQL.
    const known = uniqueFlag('hole');
    await t.admin.post(`/flags/${known}/update?enabled=true&rollout_percentage=100`).expect(200);
    const loaded = uniqueFlag('hole');
    await t.admin.post(`/flags/${loaded}/update?enabled=true&rollout_percentage=100`).expect(200);
    await t.http.get(`/flags/${loaded}/check?user_id=warm`).expect(200);
    const historyBefore = await historyOf(loaded);

    proxy.blackhole();
    // The revision poll (every 200 ms) runs into the outage and its probes keep failing, so the
    // breaker's interval grows: wait until it is at least 1 s.
    await waitFor(async () => (await databaseCircuit()).failures >= 3, 15_000, 50);

    const connectionsBefore = proxy.connections;
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++)
      statuses.push((await t.http.get(`/flags/${known}/check?user_id=u${i}`)).status);
    // Nothing to serve it from: 503, never 500, and at most one probe reached for the database.
    expect(new Set(statuses)).toEqual(new Set([503]));
    expect(proxy.connections - connectionsBefore).toBeLessThanOrEqual(1);

    // A loaded flag is answered from memory (stale once its edge entry is past its TTL).
    const check = await t.http.get(`/flags/${loaded}/check?user_id=someone`);
    expect(check.status).toBe(200);
    expect(['hit', 'stale']).toContain(check.body._cache);

    // Writes are still tried, and refused within their deadline.
    const update = await t.admin.post(`/flags/${loaded}/update?enabled=false`);
    expect(update.status).toBe(503);

    proxy.restore();
    await waitFor(
      async () =>
        (await t.admin.post(`/flags/${known}/update?rollout_percentage=40`)).status === 200,
      10_000,
      200,
    );
    expect(await historyOf(loaded)).toHaveLength(historyBefore.length);
    const miss = await t.http.get(`/flags/${known}/check?user_id=after`).expect(200);
    expect(miss.body._cache).toBe('miss');
    const hit = await t.http.get(`/flags/${known}/check?user_id=after`).expect(200);
    expect(hit.body._cache).toBe('hit');
  });
});
