import { createClient } from '@keyv/redis';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import type { Cache } from 'cache-manager';
import { CacheKeys } from '@app/cache';
import { OwnRedisServer } from './support/redis-server';
import {
  closeAll,
  enabledOn,
  startApp,
  storedAnswer,
  TestApp,
  uniqueFlag,
} from './support/test-app';

/**
 * The per-user layers behind the edge cache (check and endpoint answers in Redis, or in the
 * in-process store when REDIS_URL is unset). The edge cache answers first, so each test clears
 * it to reach them; what they hold is read back through the app's own shared cache.
 */
describe('the Redis layers behind the edge cache (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t?.close());

  /** A new flag, on for everybody, with `user`'s check and details answers in the shared cache. */
  async function warmFlag(user: string): Promise<string> {
    const flag = uniqueFlag();
    await t.admin.post(`/flags/${flag}/update?enabled=true&rollout_percentage=100`).expect(200);
    expect((await t.http.get(`/flags/${flag}/check?user_id=${user}`).expect(200)).body).toEqual({
      enabled: true,
      _cache: 'miss',
    });
    t.edge.clear(); // so that the details go through the endpoint layer too
    expect((await t.http.get(`/flags/${flag}?user_id=${user}`).expect(200)).body.enabled).toBe(
      true,
    );
    return flag;
  }

  /** Writes an answer into the shared cache, as the app would have. */
  const plant = (key: string, value: unknown) => t.app.get<Cache>(CACHE_MANAGER).set(key, value);

  it('stores the right answers under the current revision', async () => {
    const flag = await warmFlag('u1');
    expect(await storedAnswer(t, 'check', flag, 'u1')).toBe(true);
    expect(await storedAnswer(t, 'endpoint', flag, 'u1')).toMatchObject({
      flag_name: flag,
      enabled: true,
      flag_data: { enabled: true, rollout_percentage: 100, metadata: {} },
    });
  });

  it('answers check and details from the shared cache when the edge cache is cold', async () => {
    const flag = await warmFlag('u1');
    const revision = t.edge.revisionOf(flag) as number;
    // Answers only these layers could give: the flag is on for everybody.
    await plant(CacheKeys.check(flag, revision, 'u1'), false);
    await plant(CacheKeys.endpoint(flag, revision, 'u1'), {
      flag_name: flag,
      enabled: false,
      flag_data: { enabled: true, rollout_percentage: 100, metadata: { planted: true } },
      _cache: 'miss',
    });
    t.edge.clear();
    const reads = t.stats.dbReads;
    expect((await t.http.get(`/flags/${flag}/check?user_id=u1`).expect(200)).body).toEqual({
      enabled: false,
      _cache: 'hit',
    });
    t.edge.clear();
    expect((await t.http.get(`/flags/${flag}?user_id=u1`).expect(200)).body).toMatchObject({
      enabled: false,
      flag_data: { metadata: { planted: true } },
      _cache: 'hit',
    });
    expect(t.stats.dbReads).toBe(reads);
  });

  it('never serves an answer of an older revision after an update', async () => {
    const flag = await warmFlag('u1');
    await t.admin.post(`/flags/${flag}/update?enabled=false`).expect(200);
    expect((await t.http.get(`/flags/${flag}/check?user_id=u1`).expect(200)).body).toEqual({
      enabled: false,
      _cache: 'miss',
    });
    t.edge.clear();
    expect((await t.http.get(`/flags/${flag}?user_id=u1`).expect(200)).body).toMatchObject({
      enabled: false,
      flag_data: { enabled: false },
    });
    expect(await storedAnswer(t, 'check', flag, 'u1')).toBe(false);
  });

  it('never serves an answer of an older revision after DELETE /flags/:name/cache', async () => {
    const flag = await warmFlag('u1');
    const before = t.edge.revisionOf(flag) as number;
    // Wrong answers under the old revision: the invalidation must make them unreachable.
    await plant(CacheKeys.check(flag, before, 'u1'), false);
    await plant(CacheKeys.endpoint(flag, before, 'u1'), { flag_name: flag, enabled: false });
    const res = await t.admin.delete(`/flags/${flag}/cache`).expect(200);
    expect(res.body.revision).toBeGreaterThan(before);
    expect((await t.http.get(`/flags/${flag}/check?user_id=u1`).expect(200)).body).toEqual({
      enabled: true,
      _cache: 'miss',
    });
    t.edge.clear();
    expect((await t.http.get(`/flags/${flag}?user_id=u1`).expect(200)).body).toMatchObject({
      flag_name: flag,
      enabled: true,
    });
    expect(await storedAnswer(t, 'check', flag, 'u1')).toBe(true);
  });

  // Unleash's cross-client vectors (unleash-client-node, "normalized values are the same across
  // node, java, and go clients"): normalizedValue('123', 'gr1') = 73, ('999', 'groupX') = 25.
  it.each([
    ['gr1', '123', 73],
    ['groupX', '999', 25],
  ])(
    'answers %s for user %s (bucket %d) on at that percentage, off one point below, in every layer',
    async (flag, user, bucket) => {
      for (const [percentage, on] of [
        [bucket, true],
        [bucket - 1, false],
      ] as const) {
        await t.admin
          .post(`/flags/${flag}/update?enabled=true&rollout_percentage=${percentage}`)
          .expect(200);
        for (const cache of ['miss', 'hit']) {
          expect((await t.http.get(`/flags/${flag}/check?user_id=${user}`)).body).toEqual({
            enabled: on,
            _cache: cache,
          });
        }
        t.edge.clear();
        for (let i = 0; i < 2; i++) {
          const details = (await t.http.get(`/flags/${flag}?user_id=${user}`).expect(200)).body;
          expect(details).toMatchObject({ flag_name: flag, enabled: on });
          expect(details.flag_data.rollout_percentage).toBe(percentage);
        }
        t.edge.clear(); // from the Redis layers now
        expect(await enabledOn(t, flag, user)).toBe(on);
        expect((await t.http.get(`/flags/${flag}?user_id=${user}`)).body.enabled).toBe(on);
      }
    },
  );

  it('500 concurrent misses of one flag cost one database read (single-flight)', async () => {
    const flag = uniqueFlag();
    await t.admin.post(`/flags/${flag}/update?enabled=true&rollout_percentage=50`).expect(200);
    const before = t.stats.dbReads;
    const responses = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        t.app.inject({ method: 'GET', url: `/flags/${flag}/check?user_id=burst-${i}` }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(responses.map(() => 200));
    expect(t.stats.dbReads - before).toBe(1);
  });
});

// A Redis server of the test's own (needs only the redis-server binary): INFO commandstats
// counts every client of a server, so a shared one would count other people's commands.
describe('O(1) invalidation (e2e, own redis-server)', () => {
  let redis: OwnRedisServer | undefined;
  let t: TestApp | undefined;
  let client: ReturnType<typeof createClient> | undefined;

  beforeAll(async () => {
    redis = new OwnRedisServer();
    await redis.start();
    t = await startApp({ REDIS_URL: redis.url });
    client = createClient({ url: redis.url });
    await client.connect();
  });
  afterAll(() => closeAll(t, client, redis));

  const commandCounts = async (): Promise<Record<string, number>> => {
    const info = await client!.info('commandstats');
    return Object.fromEntries(
      [...info.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)].map((m) => [m[1], Number(m[2])]),
    );
  };

  it('an update with 20,000 answers cached issues no SCAN, KEYS or DEL, and the next check has the new value', async () => {
    const app = t!;
    const flag = uniqueFlag();
    await app.admin.post(`/flags/${flag}/update?enabled=true&rollout_percentage=100`).expect(200);
    for (let i = 0; i < 20; i++) {
      app.edge.clear(); // each check through the cold path: its answer lands in Redis
      expect(await enabledOn(app, flag, `real-${i}`)).toBe(true);
    }
    const revision = app.edge.revisionOf(flag) as number;
    const planted = Array.from({ length: 20_000 }, (_, i) => [
      CacheKeys.check(flag, revision, `user-${i}`),
      'true',
    ]);
    for (let i = 0; i < planted.length; i += 1000)
      await client!.mSet(Object.fromEntries(planted.slice(i, i + 1000)));
    const keys = await client!.dbSize();
    expect(keys).toBeGreaterThanOrEqual(20_020);
    await client!.sendCommand(['CONFIG', 'RESETSTAT']);

    await app.admin.post(`/flags/${flag}/update?enabled=false`).expect(200);
    expect(await enabledOn(app, flag, 'user-7')).toBe(false);
    expect(await enabledOn(app, flag, 'real-3')).toBe(false);

    const counts = await commandCounts();
    for (const command of ['scan', 'keys', 'del', 'unlink', 'flushdb', 'flushall', 'expire'])
      expect({ command, calls: counts[command] ?? 0 }).toEqual({ command, calls: 0 });
    expect(counts.publish).toBe(1); // the one message that tells every other instance
    expect(await client!.dbSize()).toBeGreaterThanOrEqual(keys); // nothing was deleted
  });
});
