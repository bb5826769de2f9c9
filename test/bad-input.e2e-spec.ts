import { fullHistory } from './support/history';
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

/** Hostile admin input: never a 500, never a bad value stored, and a 400 that names the field. */
describe('hostile admin input (e2e)', () => {
  let t: TestApp;
  const flag = uniqueFlag('hostile');
  const missing = uniqueFlag('hostile_missing');

  beforeAll(async () => {
    t = await startApp();
    await t.admin
      .post(`/flags/${flag}/update`)
      .send({ enabled: true, rollout_percentage: 30, metadata: { owner: 'payments' } })
      .expect(200);
  });
  afterAll(() => t.close());

  /** What is stored and served: the flag, its whole history, and that `missing` was never created. */
  const snapshot = async () => ({
    flag: (await t.http.get(`/flags/${flag}`).expect(200)).body.flag_data as unknown,
    history: await fullHistory(t, flag),
    missing: (await t.http.get(`/flags/${missing}`)).status,
    missingHistory: (await t.admin.get(`/flags/${missing}/history`)).status,
  });

  const expectRefused = async (
    send: (name: string) => Promise<{ status: number; body: { field?: string; message?: string } }>,
    field: string | RegExp,
  ) => {
    const before = await snapshot();
    for (const name of [flag, missing]) {
      const res = await send(name);
      expect(res.status).toBe(400);
      if (typeof field === 'string') expect(res.body.field).toBe(field);
      else expect(res.body.field).toMatch(field);
      expect(res.body.message).toContain(res.body.field);
    }
    expect(await snapshot()).toEqual({ ...before, missing: 404, missingHistory: 404 });
  };
  const raw = (json: string) => (name: string) =>
    t.admin.post(`/flags/${name}/update`).set('content-type', 'application/json').send(json);

  it.each([
    ['NUL in a metadata value', '{"metadata":{"owner":"pay\\u0000ments"}}', 'metadata.owner'],
    // A key that is not an identifier is named as a JSON string, escapes included, so the field is printable.
    ['NUL in a metadata key', '{"metadata":{"ow\\u0000ner":"x"}}', 'metadata["ow\\u0000ner"]'],
    ['a lone high surrogate in a value', '{"metadata":{"owner":"\\ud800"}}', 'metadata.owner'],
    ['a lone low surrogate deep down', '{"metadata":{"a":[{"b":"x\\udc00"}]}}', 'metadata.a[0].b'],
    ['a lone surrogate in a key', '{"metadata":{"\\udbff":1}}', 'metadata["\\udbff"]'],
  ])('refuses %s with a 400 naming the field', async (_, json, field) => {
    await expectRefused(raw(json), field);
  });

  it('stores surrogate pairs (emoji) and other non-ASCII text as given', async () => {
    const other = uniqueFlag('hostile_ok');
    const metadata = { owner: '😀 é 漢字', '😀': ['ü'] };
    await t.admin.post(`/flags/${other}/update`).send({ metadata }).expect(200);
    expect((await t.http.get(`/flags/${other}`).expect(200)).body.flag_data.metadata).toEqual(
      metadata,
    );
  });

  it.each([
    ['5,000 nested arrays', `{"metadata":{"a":${'['.repeat(5000)}${']'.repeat(5000)}}}`],
    ['8,000 nested objects', `{"metadata":${'{"a":'.repeat(8000)}1${'}'.repeat(8001)}`],
    ['33 levels', `{"metadata":${'{"a":'.repeat(31)}[]${'}'.repeat(31)}}`],
  ])('refuses a body of %s with a 400 before validation runs', async (_, json) => {
    await expectRefused(raw(json), /^metadata/);
    expect((await raw(json)(flag)).body.message).toContain('nested deeper than 32 levels');
  });

  it('accepts a body exactly 32 levels deep', async () => {
    const other = uniqueFlag('hostile_deep');
    const json = `{"metadata":${'{"a":'.repeat(30)}[]${'}'.repeat(30)}}`;
    await raw(json)(other).expect(200);
  });

  it.each([
    ['{"metadata":null}', 'metadata'],
    ['{"enabled":null}', 'enabled'],
    ['{"rollout_percentage":null}', 'rollout_percentage'],
    ['{"enabled":null,"rollout_percentage":null}', /^(enabled|rollout_percentage)$/],
    ['{"enabled":true,"metadata":null}', 'metadata'],
  ])('refuses null in %s with a 400 naming it', async (json, field) => {
    await expectRefused(raw(json), field);
  });

  it('counts the metadata limit in UTF-8 bytes, not characters', async () => {
    // 9,000 × "é" is 9,000 characters but 18,000 bytes: over 16 KiB.
    await expectRefused(
      (name) => t.admin.post(`/flags/${name}/update`).send({ metadata: { s: 'é'.repeat(9000) } }),
      'metadata',
    );
    const other = uniqueFlag('hostile_bytes');
    await t.admin
      .post(`/flags/${other}/update`)
      .send({ metadata: { s: 'é'.repeat(8000) } }) // 16,008 bytes
      .expect(200);
  });

  it.each([
    ['9999999999999999999', 400],
    ['9223372036854775808', 400],
    ['99999999999999999999', 400],
    ['-1', 400],
    ['1.5', 400],
    ['9223372036854775807', 200],
  ])('range-checks the history cursor %s', async (cursor, status) => {
    const res = await t.admin.get(`/flags/${flag}/history?cursor=${cursor}`);
    expect(res.status).toBe(status);
    if (status === 400) expect(res.body.field).toBe('cursor');
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=99999999999999999999', 'limit'],
    ['limit=1e2', 'limit'],
  ])('range-checks the history %s', async (query, field) => {
    const res = await t.admin.get(`/flags/${flag}/history?${query}`).expect(400);
    expect(res.body.field).toBe(field);
  });

  it.each([
    ['rollout_percentage=99999999999999999999', 'rollout_percentage'],
    ['rollout_percentage=1e400', 'rollout_percentage'],
  ])('range-checks the query %s', async (query, field) => {
    await expectRefused((name) => t.admin.post(`/flags/${name}/update?${query}`), field);
  });

  it.each([
    ['{"rollout_percentage":1e400}', 'rollout_percentage'],
    ['{"rollout_percentage":99999999999999999999}', 'rollout_percentage'],
  ])('range-checks the body %s', async (json, field) => {
    await expectRefused(raw(json), field);
  });
});
