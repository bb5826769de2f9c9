import { AuthFailures } from '@app/auth';
import {
  ADMIN_SECRET,
  flushSharedCache,
  REAL_BACKENDS,
  resetState,
  startApp,
  TestApp,
  waitFor,
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

  const unchanged = async () => {
    const res = await t.http.get('/flags/new_checkout_flow').expect(200);
    expect(res.body.flag_data).toMatchObject({ enabled: true, rollout_percentage: 50 });
  };

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
        await unchanged();
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

describe('client tokens and brute-force protection (e2e)', () => {
  let t: TestApp;
  const CLIENT = 'e2e-client-secret-0123456789';

  beforeAll(async () => {
    t = await startApp({
      CLIENT_TOKENS: `web:${CLIENT}`,
      AUTH_FAILURE_LIMIT: '5',
      AUTH_FAILURE_WINDOW_S: '60',
    });
    await flushSharedCache(t); // failure counts are shared through Redis, and other suites fail too
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

  it('answers a flood of failed admin logins with 429, even for the right token, until the block ends', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      statuses.push(
        (
          await t.http
            .post('/flags/dark_mode/update?enabled=true')
            .set('Authorization', `Bearer wrong-guess-${i}-0000000000`)
        ).status,
      );
    }
    // Limit 5 per address; one failure was already counted by the previous test.
    const firstBlocked = statuses.indexOf(429);
    expect(firstBlocked).toBe(4);
    expect(statuses.slice(0, firstBlocked).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(firstBlocked).every((s) => s === 429)).toBe(true);
    const blocked = await t.admin.post('/flags/dark_mode/update?enabled=true');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // The block covers reads too (they accept admin tokens); from another address, the flag is unchanged.
    expect(
      (await t.http.get('/flags/dark_mode').set('Authorization', `Bearer ${CLIENT}`)).status,
    ).toBe(429);
    const other = await t.app.inject({
      url: '/flags/dark_mode',
      headers: { authorization: `Bearer ${CLIENT}` },
      remoteAddress: '192.0.2.99',
    });
    expect(other.json<{ flag_data: { enabled: boolean } }>().flag_data.enabled).toBe(false);
  });
});

describe('behind a load balancer (TRUST_PROXY=1) (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp({ TRUST_PROXY: '1', AUTH_FAILURE_LIMIT: '3' });
    await flushSharedCache(t);
  });
  afterAll(() => t.close());

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
