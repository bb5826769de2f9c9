import { AuthFailures } from '@app/auth';
import {
  ADMIN_SECRET,
  expectSeedUnchanged,
  flushSharedCache,
  REAL_BACKENDS,
  resetState,
  startApp,
  TestApp,
  waitFor,
  withApp,
} from './support/test-app';

const ADMIN_CALLS: Array<[string, 'post' | 'delete' | 'get', string]> = [
  ['update', 'post', '/flags/new_checkout_flow/update?enabled=false&rollout_percentage=0'],
  ['invalidate', 'delete', '/flags/new_checkout_flow/cache'],
  ['archive', 'delete', '/flags/new_checkout_flow'],
  ['history', 'get', '/flags/new_checkout_flow/history'],
];

const BAD_HEADERS: Array<[string, string | undefined]> = [
  ['missing', undefined],
  ['empty', ''],
  ['scheme only', 'Bearer'],
  ['wrong token, lower-case scheme', 'bearer x'],
  ['Basic', `Basic ${Buffer.from(`e2e:${ADMIN_SECRET}`).toString('base64')}`],
  ['wrong', 'Bearer not-the-admin-secret-000000'],
  ['truncated', `Bearer ${ADMIN_SECRET.slice(0, -1)}`],
  ['extended', `Bearer ${ADMIN_SECRET}0`],
  ['token without scheme', ADMIN_SECRET],
];

describe('admin authentication (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp();
    await resetState(t);
  });
  afterAll(() => t.close());

  describe.each(ADMIN_CALLS)('%s', (_, method, url) => {
    it.each(BAD_HEADERS)(
      'refuses a %s Authorization header with 401 JSON, changing nothing',
      async (__, header) => {
        const call = t.http[method](url);
        if (header !== undefined) void call.set('Authorization', header);
        const res = await call;
        expect(res.status).toBe(401);
        expect(res.body).toMatchObject({ statusCode: 401, message: expect.any(String) });
        expect(JSON.stringify(res.body)).not.toContain(ADMIN_SECRET.slice(4, 20));
        await expectSeedUnchanged(t);
      },
    );
  });

  it('lets a valid token through and records its name in the history', async () => {
    await t.admin.post('/flags/new_checkout_flow/update?rollout_percentage=60').expect(200);
    const history = await t.admin.get('/flags/new_checkout_flow/history').expect(200);
    expect(history.body.entries[0]).toMatchObject({ action: 'update', actor: 'e2e' });
    await t.admin.post('/flags/new_checkout_flow/update?rollout_percentage=50').expect(200);
  });

  it('keeps reads open when CLIENT_TOKENS is unset', async () => {
    await t.http.get('/flags/new_checkout_flow/check?user_id=u').expect(200);
    await t.http.get('/flags').expect(200);
  });
});

describe('client tokens (e2e)', () => {
  let t: TestApp;
  const CLIENT = 'e2e-client-secret-0123456789';

  beforeAll(async () => {
    t = await startApp({ CLIENT_TOKENS: `web:${CLIENT}` });
  });
  afterAll(() => t.close());

  it('requires a client or admin token for reads when CLIENT_TOKENS is set', async () => {
    expect((await t.http.get('/flags/dark_mode/check?user_id=u')).status).toBe(401);
    expect((await t.http.get('/flags')).status).toBe(401);
    await t.http
      .get('/flags/dark_mode/check?user_id=u')
      .set('Authorization', `Bearer ${CLIENT}`)
      .expect(200);
    await t.admin.get('/flags/dark_mode?user_id=u').expect(200);
    // Probes stay open.
    await t.http.get('/health').expect(200);
  });

  it('does not accept a client token for admin calls', async () => {
    await t.http
      .post('/flags/dark_mode/update?enabled=true')
      .set('Authorization', `Bearer ${CLIENT}`)
      .expect(401);
  });
});

describe('brute-force protection (e2e)', () => {
  // Each test has an app of its own: failures counted by one test must not block the next.
  const guess = (t: TestApp, i: number) =>
    t.http
      .post('/flags/dark_mode/update?enabled=true')
      .set('Authorization', `Bearer wrong-guess-${i}-0000000000`);

  it('answers a flood of failed admin logins with 429, even for the right token', () =>
    withApp({ AUTH_FAILURE_LIMIT: '5', AUTH_FAILURE_WINDOW_S: '60' }, async (t) => {
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push((await guess(t, i)).status);
      // Limit 5 per address: five failures are answered, the sixth starts the block.
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
      const blocked = await t.admin.post('/flags/dark_mode/update?enabled=true');
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect((await t.http.get('/flags/dark_mode').expect(200)).body.flag_data.enabled).toBe(false);
    }));

  it('lifts the block when AUTH_FAILURE_WINDOW_S has passed', () =>
    withApp({ AUTH_FAILURE_LIMIT: '1', AUTH_FAILURE_WINDOW_S: '1' }, async (t) => {
      // Two failures within one second start a 1 s block (retried: a slow machine may space them out).
      const statuses: number[] = [];
      for (let i = 0; i < 20 && !statuses.includes(429); i++)
        statuses.push((await guess(t, i)).status);
      expect(statuses).toContain(429);
      // The right token gets through again once the block is over; a block that never ends fails here.
      await waitFor(
        async () => (await t.admin.post('/flags/dark_mode/update?enabled=false')).status === 200,
        10_000,
        100,
      );
    }));

  it('ignores X-Forwarded-For without TRUST_PROXY: a client cannot pick its own address', () =>
    withApp({ AUTH_FAILURE_LIMIT: '3' }, async (t) => {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await guess(t, i).set('X-Forwarded-For', `203.0.113.${i + 1}`)).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
      const other = await t.admin
        .post('/flags/dark_mode/update?enabled=false')
        .set('X-Forwarded-For', '198.51.100.9');
      expect(other.status).toBe(429);
    }));
});

describe('behind a load balancer (TRUST_PROXY=1) (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp({ TRUST_PROXY: '1', AUTH_FAILURE_LIMIT: '3' });
    await flushSharedCache(t);
  });
  afterAll(() => t?.close());

  it('throttles failed logins per forwarded client address, not per balancer', async () => {
    const attempt = (client: string, token: string) =>
      t.http
        .post('/flags/dark_mode/update?enabled=false')
        .set('X-Forwarded-For', client)
        .set('Authorization', `Bearer ${token}`);
    for (let i = 0; i < 5; i++) await attempt('203.0.113.7', `wrong-guess-${i}-0000000000`);
    expect((await attempt('203.0.113.7', ADMIN_SECRET)).status).toBe(429);
    expect((await attempt('198.51.100.9', ADMIN_SECRET)).status).toBe(200);
  });
});

/** Reads accept admin tokens when CLIENT_TOKENS is set, so guesses there must count too. */
describe('failed authentications on reads (e2e)', () => {
  let t: TestApp;
  const CLIENT = 'e2e-client-secret-0123456789';

  beforeAll(async () => {
    t = await startApp({
      CLIENT_TOKENS: `web:${CLIENT}`,
      AUTH_FAILURE_LIMIT: '3',
      TRUST_PROXY: '1',
    });
    await flushSharedCache(t);
  });
  afterAll(() => t.close());

  const from = (address: string, method: 'get' | 'post', url: string, token?: string) => {
    const call = t.http[method](url).set('X-Forwarded-For', address);
    return token === undefined ? call : call.set('Authorization', `Bearer ${token}`);
  };

  it('counts wrong tokens on GET /cache/stats toward the block, which then covers every route', async () => {
    const address = '192.0.2.10';
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await from(address, 'get', '/cache/stats', `guess-${i}-0000000000`)).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    // Blocked everywhere the address shows a token, right tokens included: no oracle.
    const admin = await from(address, 'post', '/flags/dark_mode/update?enabled=true', ADMIN_SECRET);
    expect(admin.status).toBe(429);
    expect(Number(admin.headers['retry-after'])).toBeGreaterThan(0);
    expect((await from(address, 'get', '/flags', CLIENT)).status).toBe(429);
    expect(
      (await from(address, 'get', '/flags/dark_mode/check?user_id=u', ADMIN_SECRET)).status,
    ).toBe(429);
    // Probes stay open; other addresses are not affected.
    expect((await from(address, 'get', '/health')).status).toBe(200);
    expect((await from('192.0.2.11', 'get', '/cache/stats', ADMIN_SECRET)).status).toBe(200);
    expect((await from('192.0.2.11', 'get', '/flags', CLIENT)).status).toBe(200);
  });

  it('counts failures on reads and admin routes together', async () => {
    const address = '192.0.2.20';
    expect((await from(address, 'get', '/flags', 'guess-a-0000000000')).status).toBe(401);
    expect(
      (await from(address, 'post', '/flags/x/update?enabled=true', 'guess-b-00000')).status,
    ).toBe(401);
    // No token at all guesses nothing and is not counted (a client deployed without its token
    // must not get its address blocked).
    for (let i = 0; i < 5; i++)
      expect((await from(address, 'get', '/flags/dark_mode')).status).toBe(401);
    expect((await from(address, 'get', '/cache/stats', 'guess-c-0000000000')).status).toBe(401);
    expect(
      (await from(address, 'post', '/flags/x/update?enabled=true', 'guess-d-00000')).status,
    ).toBe(429);
  });
});

// Sharing the count needs a shared Redis: CI always sets it (see .ci/run).
const describeShared = REAL_BACKENDS ? describe : describe.skip;

describeShared('failed authentications over two instances sharing Redis (e2e)', () => {
  let a: TestApp;
  let b: TestApp;
  const env = {
    AUTH_FAILURE_LIMIT: '4',
    TRUST_PROXY: '1',
    CLIENT_TOKENS: 'web:e2e-client-0123456789',
  };

  beforeAll(async () => {
    a = await startApp(env);
    b = await startApp(env);
    await flushSharedCache(a);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  const guess = (t: TestApp, address: string, i: number) =>
    t.http
      .get('/cache/stats')
      .set('X-Forwarded-For', address)
      .set('Authorization', `Bearer guess-${i}-0000000000`);

  it('counts failures on both instances together, and a block on one is enforced by the other', async () => {
    const address = '198.51.100.40';
    const statuses: number[] = [];
    // Alternating instances: per-instance counts would allow 4 failures on each.
    for (let i = 0; i < 5; i++)
      statuses.push((await guess(i % 2 === 0 ? a : b, address, i)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    // The block was made on A (the fifth guess); B learns it by pub/sub and refuses even the
    // right admin token, before looking at it.
    await waitFor(() => b.app.get(AuthFailures).blockedUntil(address) !== undefined, 2000);
    const right = await b.http
      .post('/flags/dark_mode/update?enabled=true')
      .set('X-Forwarded-For', address)
      .set('Authorization', `Bearer ${ADMIN_SECRET}`);
    expect(right.status).toBe(429);
    expect((await b.admin.get('/cache/stats').set('X-Forwarded-For', '198.51.100.41')).status).toBe(
      200,
    );
  });
});
