import { freePort, OwnRedisServer } from './support/redis-server';
import { REAL_BACKENDS, startApp, TestApp, uniqueFlag, waitFor } from './support/test-app';

// Needs a shared PostgreSQL (CI sets DATABASE_URL) and a redis-server binary; Redis is this test's own.
const describeShared = REAL_BACKENDS ? describe : describe.skip;

/**
 * Redis that hangs (SIGSTOP) rather than drops its connections: the client still calls it
 * ready, so only deadlines and the circuit breaker keep requests from waiting on it.
 */
describeShared('hung Redis (e2e)', () => {
  let redis: OwnRedisServer;
  let t: TestApp;

  beforeAll(async () => {
    redis = new OwnRedisServer(await freePort());
    await redis.start();
    t = await startApp({ REDIS_URL: redis.url });
  });
  afterAll(async () => {
    redis.resume(); // so that the close below is the graceful one (the test after covers the other)
    await t.close();
    await redis.stop();
  });

  it('keeps answering, reports Redis down, and recovers when it resumes', async () => {
    const flag = uniqueFlag('hungredis');
    const unloaded = uniqueFlag('hungredis');
    await t.admin.post(`/flags/${flag}/update?enabled=true&rollout_percentage=100`).expect(200);
    await t.admin.post(`/flags/${unloaded}/update?enabled=true&rollout_percentage=100`).expect(200);
    await t.http.get(`/flags/${flag}/check?user_id=warm`).expect(200);
    expect((await t.http.get('/cache/stats').expect(200)).body.keys).toBeGreaterThan(0);

    redis.pause();
    try {
      // Stats answer without Redis's key count (DBSIZE has a deadline now), and say why.
      const stats = await t.http.get('/cache/stats');
      expect(stats.status).toBe(200);
      expect(stats.body.keys).toBeNull();
      expect(stats.body.circuits.redis.state).not.toBe('closed');

      const health = await t.http.get('/health');
      expect(health.status).toBe(200);
      expect(health.body.cache.status).toBe('down');
      expect(health.body.status).toBe('degraded');
      expect((await t.http.get('/metrics').expect(200)).text).toMatch(/^edgeflags_redis_up 0$/m);

      // Checks and writes carry on: from memory, and from PostgreSQL past the stopped Redis.
      for (let i = 0; i < 20; i++) {
        const res = await t.http.get(`/flags/${flag}/check?user_id=u${i}`);
        expect(res.status).toBe(200);
        expect(res.body.enabled).toBe(true);
      }
      const load = await t.http.get(`/flags/${unloaded}/check?user_id=u`);
      expect(load.status).toBe(200);
      expect(load.body).toEqual({ enabled: true, _cache: 'miss' });
      await t.admin.post(`/flags/${flag}/update?enabled=false`).expect(200);
      expect((await t.http.get(`/flags/${flag}/check?user_id=u0`).expect(200)).body.enabled).toBe(
        false,
      );
    } finally {
      redis.resume();
    }

    await waitFor(
      async () => (await t.http.get('/health')).body.cache.status === 'up',
      10_000,
      100,
    );
    const stats = (await t.http.get('/cache/stats').expect(200)).body;
    expect(stats.keys).toBeGreaterThan(0);
    expect(stats.circuits.redis.state).toBe('closed');
    const after = await t.http.get(`/flags/${flag}/check?user_id=after`).expect(200);
    expect(after.body.enabled).toBe(false);
    const again = await t.http.get(`/flags/${flag}/check?user_id=after`).expect(200);
    expect(again.body).toEqual({ enabled: false, _cache: 'hit' });
  });

  it('shuts down within seconds while Redis hangs with commands in flight', async () => {
    const own = new OwnRedisServer(await freePort());
    await own.start();
    const app = await startApp({ REDIS_URL: own.url });
    let closed = false;
    try {
      const flag = uniqueFlag('hungclose');
      await app.admin.post(`/flags/${flag}/update?enabled=true`).expect(200);
      own.pause();
      // New users: each check reads the per-user layer in Redis (given up after its deadline,
      // still waiting for a reply) and writes its answer there; an update publishes.
      for (let i = 0; i < 5; i++)
        await app.http.get(`/flags/${flag}/check?user_id=u${i}`).expect(200);
      await app.admin.post(`/flags/${flag}/update?enabled=false`).expect(200);
      const started = performance.now();
      await app.close(); // fails after 15 s (test-app's bound) if a close waits on Redis
      closed = true;
      expect(performance.now() - started).toBeLessThan(5000);
    } finally {
      own.resume();
      if (!closed) await app.close().catch(() => undefined);
      await own.stop();
    }
  });
});
