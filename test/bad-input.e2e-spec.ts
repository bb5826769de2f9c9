import { expectSeedUnchanged, resetState, startApp, TestApp, uniqueFlag } from './support/test-app';

describe('bad and hostile input (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp();
    await resetState(t);
  });
  afterAll(() => t.close());

  const expectUnchanged = () => expectSeedUnchanged(t);

  it.each([
    ['rollout_percentage=101', 'rollout_percentage'],
    ['rollout_percentage=-1', 'rollout_percentage'],
    ['rollout_percentage=50.5', 'rollout_percentage'],
    ['rollout_percentage=abc', 'rollout_percentage'],
    ['rollout_percentage=', 'rollout_percentage'],
    ['enabled=yes', 'enabled'],
    ['enabled=1', 'enabled'],
    ['enabled=true&rollout_percent=75', 'rollout_percent'],
  ])('rejects ?%s with a 400 naming %s, changing nothing', async (query, field) => {
    const res = await t.admin.post(`/flags/new_checkout_flow/update?${query}`).expect(400);
    expect(res.body.statusCode).toBe(400);
    expect(res.body.field).toBe(field);
    expect(res.body.message).toContain(field);
    await expectUnchanged();
  });

  it.each([
    [{ rollout_percentage: '50' }, 'rollout_percentage'],
    [{ enabled: 'true' }, 'enabled'],
    [{ metadata: 'x' }, 'metadata'],
    [{ metadata: { big: 'x'.repeat(20_000) } }, 'metadata'],
    [{ enabled: true, color: 'red' }, 'color'],
  ])('rejects the body %j with a 400 naming %s', async (body, field) => {
    const res = await t.admin.post('/flags/new_checkout_flow/update').send(body).expect(400);
    expect(res.body.field).toBe(field);
    await expectUnchanged();
  });

  it('rejects an update with nothing to change, and a field given twice with two values', async () => {
    expect(
      (await t.admin.post('/flags/new_checkout_flow/update').expect(400)).body.message,
    ).toContain('nothing to update');
    const res = await t.admin
      .post('/flags/new_checkout_flow/update?enabled=true')
      .send({ enabled: false })
      .expect(400);
    expect(res.body.field).toBe('enabled');
    await expectUnchanged();
  });

  it('rejects malformed JSON and oversized bodies with a 4xx', async () => {
    const bad = await t.admin
      .post('/flags/new_checkout_flow/update')
      .set('content-type', 'application/json')
      .send('{"enabled": tru');
    expect(bad.status).toBe(400);
    const big = await t.admin
      .post('/flags/new_checkout_flow/update')
      .send({ metadata: { a: 'x'.repeat(200_000) } });
    expect(big.status).toBe(413);
    await expectUnchanged();
  });

  it.each([
    ['a'.repeat(129)],
    ['..%2F..%2Fetc%2Fpasswd'],
    ["x';DROP TABLE flags;--"],
    ['%00'],
    ['..'],
    ['sp%20ace'],
  ])('rejects the flag name %s with a 400 naming flag_name', async (name) => {
    const count = (await t.http.get('/flags')).body.count as number;
    for (const res of [
      await t.http.get(`/flags/${name}/check?user_id=u`),
      await t.http.get(`/flags/${name}`),
      await t.admin.post(`/flags/${name}/update?enabled=true`),
      await t.admin.delete(`/flags/${name}/cache`),
    ]) {
      expect(res.status).toBe(400);
      expect(res.body.field).toBe('flag_name');
    }
    expect((await t.http.get('/flags')).body.count).toBe(count); // nothing created
  });

  it('rejects a long or repeated user_id with a 4xx, never a 5xx', async () => {
    const long = await t.http.get(`/flags/new_checkout_flow/check?user_id=${'u'.repeat(257)}`);
    expect(long.status).toBe(400);
    expect(long.body.message).toContain('user_id');
    const huge = await t.http.get(
      `/flags/new_checkout_flow/check?user_id=${'u'.repeat(20 * 1024)}`,
    );
    expect(huge.status).toBeGreaterThanOrEqual(400);
    expect(huge.status).toBeLessThan(500);
    const twice = await t.http
      .get('/flags/new_checkout_flow/check?user_id=a&user_id=b')
      .expect(400);
    expect(twice.body.field).toBe('user_id');
  });

  it('accepts the longest valid names and ids', async () => {
    const flag = `${uniqueFlag()}_`.padEnd(128, 'x');
    await t.admin.post(`/flags/${flag}/update?enabled=true&rollout_percentage=100`).expect(200);
    const res = await t.http.get(`/flags/${flag}/check?user_id=${'ü'.repeat(256)}`).expect(200);
    expect(res.body.enabled).toBe(true);
  });
});
