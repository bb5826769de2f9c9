import { TcpProxy } from './support/tcp-proxy';
import { describeWithServers } from './support/suites';
import { closeAll, metric, startApp, TestApp, uniqueFlag, waitFor } from './support/test-app';

describe('metrics, probes, request ids, headers, OpenAPI (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('exposes Prometheus metrics per route and status, and per cache layer', async () => {
    const notFound =
      'edgeflags_http_requests_total{route="/flags/:flag_name/check",method="GET",status="404"}';
    const notFoundBefore = await metric(t, notFound);
    await t.http.get('/flags/dark_mode/check?user_id=m1').expect(200);
    await t.http.get('/flags/dark_mode/check?user_id=m2').expect(200);
    await t.http.get('/flags/nope_nope/check?user_id=m2').expect(404);
    const res = await t.http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.text;
    const requests =
      /edgeflags_http_requests_total\{route="\/flags\/:flag_name\/check",method="GET",status="200"\} (\d+)/.exec(
        text,
      );
    expect(Number(requests?.[1])).toBeGreaterThanOrEqual(2);
    expect(await metric(t, notFound)).toBe(notFoundBefore + 1);
    expect(text).toMatch(
      /edgeflags_http_request_duration_seconds_bucket\{le="0.001",route="\/flags\/:flag_name\/check"/,
    );
    expect(text).toMatch(/edgeflags_cache_hits_total\{layer="check"\} [1-9]/);
    expect(text).toMatch(/edgeflags_cache_misses_total\{layer="service"\} \d+/);
    expect(text).toMatch(/edgeflags_db_reads_total \d+/);
    expect(text).toMatch(/edgeflags_redis_errors_total \d+/);
    expect(text).toMatch(/edgeflags_invalidations_sent_total \d+/);
    expect(text).toMatch(/edgeflags_invalidations_received_total \d+/);
    expect(Number(/\nedgeflags_flags (\d+)/.exec(text)?.[1])).toBeGreaterThanOrEqual(4);
  });

  it('moves its counters by exactly what the requests did', async () => {
    const flag = uniqueFlag();
    await t.admin.post(`/flags/${flag}/update?enabled=true&rollout_percentage=100`).expect(200);
    // Once the revision list is loaded, an unknown name is a 404 from memory (no database read).
    await waitFor(() => t.edge.complete);
    const samples = [
      'edgeflags_db_reads_total',
      'edgeflags_edge_hits_total',
      'edgeflags_cache_hits_total{layer="check"}',
      'edgeflags_cache_misses_total{layer="check"}',
      'edgeflags_cache_misses_total{layer="service"}',
      'edgeflags_http_requests_total{route="/flags/:flag_name/check",method="GET",status="200"}',
      'edgeflags_http_requests_total{route="/flags/:flag_name/check",method="GET",status="404"}',
    ];
    const read = async () => {
      const values: Record<string, number> = {};
      for (const s of samples) values[s] = await metric(t, s);
      return values;
    };
    const before = await read();
    // One cold check (a miss: one database read), three answered from the edge cache, one 404.
    for (const user of ['a', 'b', 'c', 'd'])
      await t.http.get(`/flags/${flag}/check?user_id=${user}`).expect(200);
    await t.http.get(`/flags/${flag}_absent/check?user_id=a`).expect(404);
    const after = await read();
    const moved = Object.fromEntries(samples.map((s) => [s, after[s] - before[s]]));
    expect(moved).toEqual({
      edgeflags_db_reads_total: 1,
      edgeflags_edge_hits_total: 3,
      'edgeflags_cache_hits_total{layer="check"}': 3,
      'edgeflags_cache_misses_total{layer="check"}': 1,
      'edgeflags_cache_misses_total{layer="service"}': 1,
      'edgeflags_http_requests_total{route="/flags/:flag_name/check",method="GET",status="200"}': 4,
      'edgeflags_http_requests_total{route="/flags/:flag_name/check",method="GET",status="404"}': 1,
    });
  });

  it('answers liveness and readiness probes, and keeps GET /health', async () => {
    expect((await t.http.get('/health/live').expect(200)).body.status).toBe('ok');
    const ready = await t.http.get('/health/ready').expect(200);
    expect(ready.body.details).toMatchObject({
      database: { status: 'up' },
      cache: { status: 'up', state: expect.any(String) },
    });
    expect((await t.http.get('/health').expect(200)).body.status).toBe('ok');
  });

  it('echoes a well-formed x-request-id, and makes one otherwise', async () => {
    const given = await t.http
      .get('/flags/dark_mode/check?user_id=u')
      .set('x-request-id', 'trace-42.a:b');
    expect(given.headers['x-request-id']).toBe('trace-42.a:b');
    const injected = await t.http
      .get('/flags/dark_mode/check?user_id=u')
      .set('x-request-id', 'bad id\twith "quotes"');
    const made = injected.headers['x-request-id'];
    expect(made).toMatch(/^[A-Za-z0-9_-]{8}-[0-9a-z]+$/);
    const next = await t.http.get('/flags/dark_mode/check?user_id=u');
    expect(next.headers['x-request-id']).not.toBe(made);
  });

  it('sets API security headers', async () => {
    const res = await t.http.get('/flags/dark_mode/check?user_id=u');
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'referrer-policy': 'no-referrer',
    });
  });

  it('documents every endpoint with the seed field names at /docs-json, and serves /docs', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/flags',
        '/flags/{flag_name}',
        '/flags/{flag_name}/check',
        '/flags/{flag_name}/update',
        '/flags/{flag_name}/cache',
        '/flags/{flag_name}/history',
        '/cache/stats',
        '/health',
        '/health/live',
        '/health/ready',
      ]),
    );
    // The seed's fields first, then what targeting rules, variants and the last change added.
    expect(Object.keys(doc.components.schemas.DetailsDoc.properties)).toEqual([
      'flag_name',
      'enabled',
      'flag_data',
      'revision',
      'updated_at',
      'updated_by',
      'value',
      'variant',
      'reason',
      'rule_index',
      '_cache',
    ]);
    expect(Object.keys(doc.components.schemas.FlagDataDoc.properties)).toEqual([
      'enabled',
      'rollout_percentage',
      'metadata',
      'type',
      'variants',
      'default_variant',
      'rules',
    ]);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/ofrep/v1/evaluate/flags/{key}', '/ofrep/v1/evaluate/flags']),
    );
    const update = doc.paths['/flags/{flag_name}/update'].post;
    expect(update.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['flag_name', 'enabled', 'rollout_percentage']),
    );
    expect(update.security).toEqual([{ admin: [] }]);
    await t.http.get('/docs').expect(200);
  });
});

// Needs a real PostgreSQL to slow down behind a proxy (CI sets DATABASE_URL).
describeWithServers('DATABASE_URL')('graceful shutdown (e2e)', () => {
  let proxy: TcpProxy | undefined;
  let t: TestApp | undefined;
  afterEach(() => closeAll(t, proxy));

  it('finishes every accepted request, then stops accepting', async () => {
    const target = new URL(process.env.DATABASE_URL as string);
    proxy = new TcpProxy(Number(target.port || 5432), target.hostname);
    target.port = String(await proxy.listen());
    t = await startApp({ DATABASE_URL: target.toString() });
    await t.app.listen(0, '127.0.0.1');
    const url = await t.app.getUrl();
    const flags = [uniqueFlag(), uniqueFlag()];
    for (const f of flags) await t.admin.post(`/flags/${f}/update?enabled=true`).expect(200);
    const app = t.app;

    // Every PostgreSQL reply now takes 300 ms: cold reads are in flight long enough to be caught.
    proxy.delayMs = 300;
    let received = 0;
    app.getHttpServer().on('request', () => received++);
    const inFlight = Array.from({ length: 100 }, (_, i) =>
      // A failed request is a value, not an unhandled rejection if the test fails before awaiting it.
      fetch(`${url}/flags/${flags[i % 2]}/check?user_id=s${i}`).then(
        (r) => r.status,
        (e: Error) => e.message,
      ),
    );
    await waitFor(() => received === 100, 30_000, 1);

    const closing = t.close();
    t = undefined; // closed here (or by its own timeout), not again by afterEach
    const statuses = await Promise.all(inFlight);
    await closing;
    expect(statuses).toEqual(Array.from({ length: 100 }, () => 200));
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});
