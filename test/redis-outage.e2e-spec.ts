import { freePort, OwnRedisServer } from './support/redis-server';
import { REAL_BACKENDS, startApp, TestApp, uniqueFlag, waitFor } from './support/test-app';

// Needs a shared PostgreSQL (CI sets DATABASE_URL) and a redis-server binary; Redis is this test's own.
const describeShared = REAL_BACKENDS ? describe : describe.skip;

describeShared('Redis outage (e2e)', () => {
  let redis: OwnRedisServer;
  let writer: TestApp;
  let polling: TestApp; // learns of changes by the PostgreSQL poll when pub/sub is gone
  let subscriber: TestApp; // polls rarely: must resynchronise on reconnection

  beforeAll(async () => {
    redis = new OwnRedisServer(await freePort());
    await redis.start();
    writer = await startApp({ REDIS_URL: redis.url, SYNC_INTERVAL_MS: '60000' });
    polling = await startApp({ REDIS_URL: redis.url, SYNC_INTERVAL_MS: '300' });
    subscriber = await startApp({ REDIS_URL: redis.url, SYNC_INTERVAL_MS: '60000' });
  });
  afterAll(async () => {
    await Promise.all([writer, polling, subscriber].map((t) => t.close()));
    await redis.stop();
  });

  const enabledOn = async (t: TestApp, flag: string, user = 'u') => {
    const res = await t.http.get(`/flags/${flag}/check?user_id=${user}`);
    expect(res.status).toBe(200);
    return res.body.enabled as boolean;
  };

  it('keeps answering, accepts updates and converges when Redis goes away and comes back', async () => {
    const flag = uniqueFlag();
    const other = uniqueFlag();
    await writer.admin
      .post(`/flags/${flag}/update?enabled=true&rollout_percentage=100`)
      .expect(200);
    await writer.admin
      .post(`/flags/${other}/update?enabled=true&rollout_percentage=100`)
      .expect(200);
    for (const t of [writer, polling, subscriber]) {
      await waitFor(
        async () => (await t.http.get(`/flags/${flag}/check?user_id=u`)).status === 200,
        2000,
      );
      expect(await enabledOn(t, flag)).toBe(true);
    }

    await redis.stop();
    await waitFor(
      async () => (await writer.http.get('/health')).body.cache.status === 'down',
      3000,
    );

    // Checks: answered from the edge cache, with no request waiting on the dead Redis.
    for (const t of [writer, polling, subscriber]) {
      for (let i = 0; i < 50; i++) {
        expect(await enabledOn(t, flag, `user-${i}`)).toBe(true);
      }
    }
    // A flag this instance has not loaded yet is read from PostgreSQL.
    expect((await polling.http.get(`/flags/${other}/check?user_id=u`).expect(200)).body).toEqual({
      enabled: true,
      _cache: 'miss',
    });

    // Updates still succeed: PostgreSQL is the source of truth.
    await writer.admin.post(`/flags/${flag}/update?enabled=false`).expect(200);
    expect(await enabledOn(writer, flag)).toBe(false);
    // Without pub/sub, the poll carries the change.
    const viaPoll = await waitFor(async () => !(await enabledOn(polling, flag)), 3000, 20);
    console.log(
      `converged by the PostgreSQL poll (300 ms interval) in ${viaPoll.toFixed(0)} ms with Redis down`,
    );
    // The rarely-polling instance cannot know yet: its message was lost.
    expect(await enabledOn(subscriber, flag)).toBe(true);

    await redis.start();
    // On reconnection it resynchronises at once instead of waiting a minute for its poll.
    const viaResync = await waitFor(async () => !(await enabledOn(subscriber, flag)), 5000, 20);
    console.log(`converged ${viaResync.toFixed(0)} ms after Redis came back (resync on reconnect)`);
    await waitFor(async () => (await writer.http.get('/health')).body.cache.status === 'up', 5000);

    // And pub/sub works again.
    const received = subscriber.stats.invalidationsReceived;
    await waitFor(
      async () => {
        await writer.admin.post(`/flags/${flag}/update?enabled=true`).expect(200);
        return subscriber.stats.invalidationsReceived > received;
      },
      5000,
      200,
    );
    await waitFor(async () => enabledOn(subscriber, flag), 1000);
  });
});
