import { bucketOf } from '@app/rollout';
import {
  ADMIN_SECRET,
  REAL_BACKENDS,
  resetState,
  startApp,
  TestApp,
  uniqueFlag,
} from './support/test-app';

/** A second admin token (name `ops`), so that a change's author is seen to change. */
const OTHER_ADMIN_SECRET = 'e2e-ops-secret-0123456789abcdef';

/** The definition fields of a plain boolean flag (every flag that existed before targeting rules). */
const BOOLEAN = { type: 'boolean', variants: [], default_variant: null, rules: [] };
/** A timestamp as the API writes it (ISO 8601, UTC). */
const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
/** null (a seed flag no test has written since the reset) or an admin token's name. */
const NULL_OR_NAME = {
  asymmetricMatch: (value: unknown) => value === null || typeof value === 'string',
  toAsymmetricMatcher: () => 'null or a name',
};
/**
 * Each list item: the seed's fields, then the rest of the definition, the revision and the last
 * change (who; null for the seed's flags, which no API call wrote).
 */
const item = (
  flag_name: string,
  enabled: boolean,
  rollout_percentage: number,
  metadata: unknown,
  updated_by: unknown = NULL_OR_NAME,
) => ({
  flag_name,
  enabled,
  rollout_percentage,
  metadata,
  ...BOOLEAN,
  revision: expect.any(Number),
  updated_at: ISO,
  updated_by,
});

describe('flags API (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp({ ADMIN_TOKENS: `e2e:${ADMIN_SECRET},ops:${OTHER_ADMIN_SECRET}` });
    await resetState(t);
  });
  afterAll(() => t.close());

  describe('GET /flags/:flag_name/check', () => {
    it('answers miss, then hit, with the same value', async () => {
      const flag = uniqueFlag();
      await t.admin.post(`/flags/${flag}/update?enabled=true&rollout_percentage=100`).expect(200);
      const first = await t.http.get(`/flags/${flag}/check?user_id=user123`).expect(200);
      expect(first.body).toEqual({ enabled: true, _cache: 'miss' });
      const second = await t.http.get(`/flags/${flag}/check?user_id=user123`).expect(200);
      expect(second.body).toEqual({ enabled: true, _cache: 'hit' });
    });

    it('answers the seed flags by the rollout rule', async () => {
      // Buckets published in libs/rollout: new_checkout_flow:user123 -> 49 (<= 50: on).
      expect(
        (await t.http.get('/flags/new_checkout_flow/check?user_id=user123')).body.enabled,
      ).toBe(true);
      expect((await t.http.get('/flags/dark_mode/check?user_id=user123')).body.enabled).toBe(false);
    });

    it('is on without user_id only at 100%', async () => {
      expect((await t.http.get('/flags/new_checkout_flow/check').expect(200)).body.enabled).toBe(
        false,
      );
      const flag = uniqueFlag();
      await t.admin.post(`/flags/${flag}/update?enabled=true&rollout_percentage=100`).expect(200);
      expect((await t.http.get(`/flags/${flag}/check`).expect(200)).body.enabled).toBe(true);
    });

    it('is 404 with a clear message for an unknown flag', async () => {
      const res = await t.http.get('/flags/no_such_flag/check?user_id=u').expect(404);
      expect(res.body).toMatchObject({
        statusCode: 404,
        message: "flag 'no_such_flag' does not exist",
      });
    });
  });

  describe('GET /flags/:flag_name', () => {
    it('returns the seed shape, miss then hit', async () => {
      const flag = uniqueFlag();
      await t.admin
        .post(`/flags/${flag}/update`)
        .send({ enabled: true, rollout_percentage: 50, metadata: { owner: 'growth' } })
        .expect(200);
      const first = await t.http.get(`/flags/${flag}?user_id=user123`).expect(200);
      const on = bucketOf(flag, 'user123') <= 50;
      expect(first.body).toEqual({
        flag_name: flag,
        enabled: on,
        flag_data: {
          enabled: true,
          rollout_percentage: 50,
          metadata: { owner: 'growth' },
          ...BOOLEAN,
        },
        revision: expect.any(Number),
        updated_at: ISO,
        updated_by: 'e2e',
        value: on,
        variant: on ? 'on' : 'off',
        reason: 'SPLIT',
        rule_index: null,
        _cache: 'miss',
      });
      const second = await t.http.get(`/flags/${flag}?user_id=user123`).expect(200);
      expect(second.body).toEqual({ ...first.body, _cache: 'hit' });
    });

    it('is 404 for an unknown flag', async () => {
      await t.http.get('/flags/no_such_flag?user_id=u').expect(404);
    });
  });

  describe('GET /flags', () => {
    it('lists every flag with its status, then answers from the list cache', async () => {
      const flag = uniqueFlag();
      await t.admin.post(`/flags/${flag}/update?enabled=false&rollout_percentage=30`).expect(200);
      const first = await t.http.get('/flags').expect(200);
      expect(first.body._cache).toBe('miss');
      expect(first.body.count).toBe(first.body.flags.length);
      expect(first.body.flags).toEqual(
        expect.arrayContaining([
          item('new_checkout_flow', true, 50, expect.any(Object)),
          item('beta_features', true, 10, expect.any(Object)),
          item('dark_mode', false, 0, expect.any(Object)),
          item('experimental_api', true, 25, expect.any(Object)),
          item(flag, false, 30, {}, 'e2e'),
        ]),
      );
      expect((await t.http.get('/flags').expect(200)).body._cache).toBe('hit');
    });

    it("shows each flag's last change (who, when), and a new one at once after a write", async () => {
      const flag = uniqueFlag();
      const created = await t.admin.post(`/flags/${flag}/update?enabled=true`).expect(200);
      const listed = (await t.http.get('/flags').expect(200)).body.flags.find(
        (f: { flag_name: string }) => f.flag_name === flag,
      );
      expect(listed).toMatchObject({ revision: created.body.revision, updated_by: 'e2e' });
      const firstAt = Date.parse(listed.updated_at);
      expect(Math.abs(firstAt - Date.now())).toBeLessThan(60_000); // the database's clock, not a fixed value

      await t.admin
        .post(`/flags/${flag}/update?rollout_percentage=40`)
        .set('Authorization', `Bearer ${OTHER_ADMIN_SECRET}`)
        .expect(200);
      const list = await t.http.get('/flags').expect(200);
      expect(list.body._cache).toBe('miss'); // a new generation, not the list cached before
      const after = list.body.flags.find((f: { flag_name: string }) => f.flag_name === flag);
      expect(after).toMatchObject({ rollout_percentage: 40, updated_by: 'ops' });
      expect(Date.parse(after.updated_at)).toBeGreaterThanOrEqual(firstAt);
      const details = await t.http.get(`/flags/${flag}?user_id=u1`).expect(200);
      expect(details.body).toMatchObject({ updated_by: 'ops', updated_at: after.updated_at });
    });

    it('lists the archived flags alone with ?archived=true (admin only), as they were archived', async () => {
      const flag = uniqueFlag();
      await t.admin.post(`/flags/${flag}/update?enabled=true&rollout_percentage=20`).expect(200);
      const archived = await t.admin.delete(`/flags/${flag}`).expect(200);

      const res = await t.admin.get('/flags?archived=true').expect(200);
      expect(res.body.count).toBe(res.body.flags.length);
      expect(res.body._cache).toBe('miss');
      expect(res.body.flags).toContainEqual({
        ...item(flag, true, 20, {}, 'e2e'),
        revision: archived.body.revision,
      });
      const names = res.body.flags.map((f: { flag_name: string }) => f.flag_name);
      expect(names).not.toContain('new_checkout_flow');
      expect(names).toEqual([...names].sort());

      // The default list and archived=false are the live flags, as before.
      for (const path of ['/flags', '/flags?archived=false']) {
        const live = (await t.http.get(path).expect(200)).body.flags.map(
          (f: { flag_name: string }) => f.flag_name,
        );
        expect(live).toContain('new_checkout_flow');
        expect(live).not.toContain(flag);
      }
    });

    it('refuses ?archived=true without an admin token, and a bad value with a 400 naming the field', async () => {
      await t.http.get('/flags?archived=true').expect(401);
      await t.http
        .get('/flags?archived=true')
        .set('Authorization', 'Bearer not-the-admin-token-0000')
        .expect(401);
      for (const bad of ['yes', '1', '', 'TRUE']) {
        const res = await t.admin.get(`/flags?archived=${bad}`).expect(400);
        expect(res.body).toMatchObject({ statusCode: 400, field: 'archived' });
        expect(res.body.message).toContain('archived');
      }
    });
  });

  describe('POST /flags/:flag_name/update', () => {
    it('creates a missing flag (the seed updates new_feature) and reports it', async () => {
      const flag = uniqueFlag('new_feature');
      const res = await t.admin
        .post(`/flags/${flag}/update?enabled=true&rollout_percentage=10`)
        .expect(200);
      expect(res.body).toMatchObject({
        flag_name: flag,
        created: true,
        flag_data: { enabled: true, rollout_percentage: 10, metadata: {} },
      });
      const again = await t.admin.post(`/flags/${flag}/update?rollout_percentage=20`).expect(200);
      expect(again.body).toMatchObject({
        created: false,
        flag_data: { enabled: true, rollout_percentage: 20 },
      });
      expect(again.body.revision).toBeGreaterThan(res.body.revision);
    });

    it('invalidates every layer: the next reads say miss and return the new value', async () => {
      const flag = uniqueFlag();
      await t.admin.post(`/flags/${flag}/update?enabled=true&rollout_percentage=100`).expect(200);
      // Warm every layer.
      await t.http.get(`/flags/${flag}/check?user_id=u1`);
      await t.http.get(`/flags/${flag}?user_id=u1`);
      await t.http.get('/flags');
      expect((await t.http.get(`/flags/${flag}/check?user_id=u1`)).body._cache).toBe('hit');
      expect((await t.http.get(`/flags/${flag}?user_id=u1`)).body._cache).toBe('hit');
      expect((await t.http.get('/flags')).body._cache).toBe('hit');

      await t.admin.post(`/flags/${flag}/update?enabled=false`).expect(200);

      expect((await t.http.get(`/flags/${flag}/check?user_id=u1`)).body).toEqual({
        enabled: false,
        _cache: 'miss',
      });
      const details = (await t.http.get(`/flags/${flag}?user_id=u2`)).body;
      expect(details).toMatchObject({ enabled: false, flag_data: { enabled: false } });
      const list = (await t.http.get('/flags')).body;
      expect(list._cache).toBe('miss');
      expect(list.flags.find((f: { flag_name: string }) => f.flag_name === flag).enabled).toBe(
        false,
      );
    });

    it('accepts a JSON body with metadata, replacing metadata as a whole', async () => {
      const flag = uniqueFlag();
      await t.admin
        .post(`/flags/${flag}/update`)
        .send({ enabled: true, metadata: { a: 1, b: 2 } })
        .expect(200);
      const res = await t.admin
        .post(`/flags/${flag}/update`)
        .send({ metadata: { c: 3 } })
        .expect(200);
      expect(res.body.flag_data).toEqual({
        enabled: true,
        rollout_percentage: 100,
        metadata: { c: 3 },
        ...BOOLEAN,
      });
    });

    it('reads the cold path from the database once, then from cache', async () => {
      const flag = uniqueFlag();
      await t.admin.post(`/flags/${flag}/update?enabled=true&rollout_percentage=50`).expect(200);
      const before = t.stats.dbReads;
      for (let i = 0; i < 20; i++)
        await t.http.get(`/flags/${flag}/check?user_id=user-${i}`).expect(200);
      expect(t.stats.dbReads - before).toBe(1);
    });
  });

  describe('DELETE /flags/:flag_name/cache', () => {
    it('invalidates every layer of the flag', async () => {
      await t.http.get('/flags/beta_features/check?user_id=u1');
      await t.http.get('/flags/beta_features?user_id=u1');
      expect((await t.http.get('/flags/beta_features/check?user_id=u1')).body._cache).toBe('hit');
      const reads = t.stats.dbReads;
      const res = await t.admin.delete('/flags/beta_features/cache').expect(200);
      expect(res.body).toMatchObject({
        flag_name: 'beta_features',
        invalidated: ['check', 'endpoint', 'service', 'list'],
      });
      expect((await t.http.get('/flags/beta_features/check?user_id=u1')).body._cache).toBe('miss');
      expect(t.stats.dbReads).toBe(reads + 1);
      expect((await t.http.get('/flags/beta_features?user_id=u1')).body._cache).toBe('hit');
      expect((await t.http.get('/flags')).body._cache).toBe('miss');
    });

    it('is 404 for an unknown flag', async () => {
      await t.admin.delete('/flags/no_such_flag/cache').expect(404);
    });
  });

  describe('GET /cache/stats and /health', () => {
    it('reports counters per layer, keys, db reads and uptime', async () => {
      // Twice: the first may be this app's first read of the flag (a miss), the second is a hit.
      await t.http.get('/flags/new_checkout_flow/check?user_id=stats-user');
      await t.http.get('/flags/new_checkout_flow/check?user_id=stats-user');
      const res = await t.http.get('/cache/stats').expect(200);
      expect(res.body).toMatchObject({
        hits: expect.any(Number),
        misses: expect.any(Number),
        hit_rate: expect.any(Number),
        db_reads: expect.any(Number),
        uptime_s: expect.any(Number),
        keys: expect.any(Number),
      });
      for (const layer of ['check', 'endpoint', 'service', 'list']) {
        expect(res.body.layers[layer]).toEqual({
          hits: expect.any(Number),
          misses: expect.any(Number),
          hit_rate: expect.any(Number),
        });
      }
      expect(res.body.hits).toBeGreaterThan(0);
      expect(res.body.keys).toBeGreaterThan(0);
    });

    it('reports the database and the cache', async () => {
      const res = await t.http.get('/health').expect(200);
      expect(res.body).toEqual({
        status: 'ok',
        database: {
          status: 'up',
          backend: REAL_BACKENDS ? 'postgres' : 'pglite',
          circuit: { state: 'closed', failures: 0, opened_at: null },
        },
        cache: {
          status: 'up',
          backend: REAL_BACKENDS ? 'redis' : 'memory',
          circuit: { state: 'closed', failures: 0, opened_at: null },
        },
      });
    });
  });
});
