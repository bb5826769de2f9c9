import { bucketOf } from '@app/rollout';
import { startApp, TestApp, uniqueFlag, flushSharedCache } from './support/test-app';

// Targeting rules and multivariate flags through the seed's REST API (issue 7).

const IN_DE = { attribute: 'country', operator: 'IN', values: ['DE', 'AT'] };

describe('targeting and variants (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  const history = async (flag: string) =>
    (await t.admin.get(`/flags/${flag}/history?limit=100`).expect(200)).body.entries;
  const details = async (flag: string, query = '') =>
    (await t.http.get(`/flags/${flag}${query}`).expect(200)).body;

  it('turns a flag on by an attribute, for checks and details alike', async () => {
    const flag = uniqueFlag('tgt');
    await t.admin
      .post(`/flags/${flag}/update`)
      .send({
        enabled: true,
        rollout_percentage: 0,
        rules: [{ name: 'dach', conditions: [IN_DE] }],
      })
      .expect(200);
    const check = async (query: string) =>
      (await t.http.get(`/flags/${flag}/check${query}`).expect(200)).body;
    expect(await check('?user_id=u1&country=DE')).toEqual({
      enabled: true,
      _cache: expect.any(String),
    });
    expect((await check('?user_id=u1&country=US')).enabled).toBe(false);
    expect((await check('?user_id=u1')).enabled).toBe(false);
    expect((await check('?country=AT')).enabled).toBe(true); // a rule at 100% needs no user id

    expect(await details(flag, '?user_id=u1&country=DE')).toMatchObject({
      flag_name: flag,
      enabled: true,
      value: true,
      variant: 'on',
      reason: 'TARGETING_MATCH',
      rule_index: 0,
      flag_data: {
        enabled: true,
        rollout_percentage: 0,
        type: 'boolean',
        variants: [],
        default_variant: null,
        rules: [
          {
            name: 'dach',
            conditions: [{ ...IN_DE, inverted: false, case_insensitive: false }],
            rollout_percentage: 100,
          },
        ],
      },
    });
    expect(await details(flag, '?user_id=u1&country=US')).toMatchObject({
      enabled: false,
      value: false,
      variant: 'off',
      reason: 'DEFAULT',
      rule_index: null,
    });
  });

  it('serves variants: by rule, by weighted split, and the default when off', async () => {
    const flag = uniqueFlag('mv');
    const res = await t.admin
      .post(`/flags/${flag}/update`)
      .send({
        enabled: true,
        type: 'string',
        variants: [
          { name: 'blue', value: '#00f', weight: 500 },
          { name: 'green', value: '#0f0', weight: 500 },
          { name: 'red', value: '#f00', weight: 0 },
        ],
        default_variant: 'red',
        rules: [
          {
            conditions: [{ attribute: 'plan', operator: 'IN', values: ['pro'] }],
            variant: 'green',
          },
        ],
      })
      .expect(200);
    expect(res.body).toMatchObject({
      created: true,
      flag_data: { type: 'string', default_variant: 'red' },
    });

    expect(await details(flag, '?user_id=u1&plan=pro')).toMatchObject({
      value: '#0f0',
      variant: 'green',
      reason: 'TARGETING_MATCH',
    });
    const split = await details(flag, '?user_id=u1');
    expect(split.reason).toBe('SPLIT');
    expect(['#00f', '#0f0']).toContain(split.value);
    // The same user keeps the variant; without a user id the split falls back to the default.
    expect((await details(flag, '?user_id=u1')).value).toBe(split.value);
    expect(await details(flag)).toMatchObject({ value: '#f00', variant: 'red' });

    await t.admin.post(`/flags/${flag}/update?enabled=false`).expect(200);
    expect(await details(flag, '?user_id=u1&plan=pro')).toMatchObject({
      enabled: false,
      value: '#f00',
      variant: 'red',
      reason: 'DISABLED',
    });
  });

  it('evaluates a rule’s rollout by the user’s Unleash bucket', async () => {
    const flag = uniqueFlag('pct');
    await t.admin
      .post(`/flags/${flag}/update`)
      .send({
        enabled: true,
        rollout_percentage: 0,
        rules: [{ conditions: [IN_DE], rollout_percentage: 30 }],
      })
      .expect(200);
    let seenOn = 0;
    let seenOff = 0;
    for (let i = 0; i < 40; i++) {
      const user = `user-${i}`;
      const expected = bucketOf(flag, user) <= 30;
      const body = (await t.http.get(`/flags/${flag}/check?user_id=${user}&country=DE`).expect(200))
        .body;
      expect(body.enabled).toBe(expected);
      if (expected) seenOn++;
      else seenOff++;
    }
    expect(seenOn).toBeGreaterThan(0);
    expect(seenOff).toBeGreaterThan(0);
  });

  it('never answers a request with attributes from a per-user answer cached without them', async () => {
    const flag = uniqueFlag('layer');
    await t.admin
      .post(`/flags/${flag}/update`)
      .send({ enabled: true, rollout_percentage: 0, rules: [{ conditions: [IN_DE] }] })
      .expect(200);
    // Cache u1's answer without attributes in the check and endpoint layers (off)...
    expect((await t.http.get(`/flags/${flag}/check?user_id=u1`).expect(200)).body.enabled).toBe(
      false,
    );
    expect((await details(flag, '?user_id=u1')).enabled).toBe(false);
    // ...then make every request take the cold path: the edge cache no longer holds the flag.
    t.edge.clear();
    expect((await t.http.get(`/flags/${flag}/check?user_id=u1`).expect(200)).body).toEqual({
      enabled: false,
      _cache: 'hit',
    });
    t.edge.clear();
    expect(
      (await t.http.get(`/flags/${flag}/check?user_id=u1&country=DE`).expect(200)).body.enabled,
    ).toBe(true);
    t.edge.clear();
    expect((await details(flag, '?user_id=u1&country=DE')).enabled).toBe(true);
  });

  it('refuses an invalid definition whole, naming the first bad part, and stores nothing', async () => {
    const flag = uniqueFlag('bad');
    await t.admin.post(`/flags/${flag}/update`).send({ enabled: true }).expect(200);
    const before = await details(flag);
    const entries = await history(flag);
    const cases: Array<[object, string]> = [
      [
        { rules: [{ conditions: [{ attribute: 'country', operator: 'MATCHES', values: ['x'] }] }] },
        'rules[0].conditions[0].operator',
      ],
      [{ rules: [{}] }, 'rules[0].conditions'],
      [{ rules: [IN_DE] }, 'rules[0].attribute'], // a condition where a rule belongs: not a rule's field
      [
        {
          rules: [
            { conditions: [IN_DE] },
            { conditions: [{ attribute: 'v', operator: 'NUM_GT', values: ['1', '2'] }] },
          ],
        },
        'rules[1].conditions[0].values',
      ],
      [
        { type: 'number', variants: [{ name: 'a', value: 'x', weight: 0 }], default_variant: 'a' },
        'variants[0].value',
      ],
      [{ type: 'string', variants: [{ name: 'a', value: 'x', weight: 0 }] }, 'default_variant'],
      [
        {
          type: 'string',
          variants: [
            { name: 'a', value: 'x', weight: 600 },
            { name: 'b', value: 'y', weight: 300 },
          ],
          default_variant: 'a',
        },
        'variants',
      ],
      [{ type: 'colour' }, 'type'],
      [{ rules: null }, 'rules'],
    ];
    for (const [body, field] of cases) {
      const res = await t.admin.post(`/flags/${flag}/update`).send(body).expect(400);
      expect({ body, field: res.body.field }).toEqual({ body, field });
      expect(typeof res.body.message).toBe('string');
    }
    expect(await details(flag)).toEqual({ ...before, _cache: expect.any(String) });
    expect(await history(flag)).toEqual(entries);
  });

  it('refuses a write on a flag that moved on since expected_revision (409), writing nothing', async () => {
    const flag = uniqueFlag('cas');
    const created = (
      await t.admin
        .post(`/flags/${flag}/update`)
        .send({ enabled: true, expected_revision: 0 })
        .expect(200)
    ).body;
    // A second create "expecting nothing" finds the flag there.
    await t.admin
      .post(`/flags/${flag}/update`)
      .send({ enabled: false, expected_revision: 0 })
      .expect(409);
    const second = (
      await t.admin
        .post(`/flags/${flag}/update`)
        .send({ rollout_percentage: 40, expected_revision: created.revision })
        .expect(200)
    ).body;
    const stale = await t.admin
      .post(`/flags/${flag}/update?expected_revision=${created.revision}`)
      .send({ rollout_percentage: 90 })
      .expect(409);
    expect(stale.body).toMatchObject({
      statusCode: 409,
      field: 'expected_revision',
      current: {
        flag_name: flag,
        revision: second.revision,
        flag_data: { rollout_percentage: 40 },
      },
    });
    expect((await details(flag)).flag_data.rollout_percentage).toBe(40);
    expect((await history(flag)).length).toBe(2);
  });

  it('records the whole definition before and after in the history, as an unbroken chain', async () => {
    const flag = uniqueFlag('hist');
    await t.admin.post(`/flags/${flag}/update`).send({ enabled: true }).expect(200);
    await t.admin
      .post(`/flags/${flag}/update`)
      .send({ rules: [{ conditions: [IN_DE] }] })
      .expect(200);
    await t.admin
      .post(`/flags/${flag}/update`)
      .send({ metadata: { owner: 'growth' } })
      .expect(200);
    const entries = (await history(flag)).reverse();
    expect(entries.map((e: { action: string }) => e.action)).toEqual([
      'create',
      'update',
      'update',
    ]);
    expect(entries[1].after.rules).toHaveLength(1);
    expect(entries[1].after).toMatchObject({
      type: 'boolean',
      variants: [],
      default_variant: null,
    });
    for (let i = 1; i < entries.length; i++)
      expect(entries[i].before).toEqual(entries[i - 1].after);
  });

  it('shows the definition and the revision in the list, and keeps the seed flags boolean', async () => {
    const list = (await t.http.get('/flags').expect(200)).body;
    const seed = list.flags.find((f: { flag_name: string }) => f.flag_name === 'dark_mode');
    expect(seed).toMatchObject({
      flag_name: 'dark_mode',
      enabled: false,
      type: 'boolean',
      variants: [],
      default_variant: null,
      rules: [],
      revision: expect.any(Number),
    });
  });

  it('refuses attributes that are not single strings, naming the parameter', async () => {
    const res = await t.http
      .get('/flags/new_checkout_flow/check?user_id=u1&country=DE&country=FR')
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, field: 'country' });
    await t.http.get(`/flags/new_checkout_flow?country=${'x'.repeat(1025)}`).expect(400);
    await t.http.get('/flags/new_checkout_flow/check?country=%00').expect(400);
  });

  it('keeps cached answers correct across an update of the rules', async () => {
    await flushSharedCache(t);
    const flag = uniqueFlag('upd');
    await t.admin
      .post(`/flags/${flag}/update`)
      .send({ enabled: true, rollout_percentage: 0 })
      .expect(200);
    expect(
      (await t.http.get(`/flags/${flag}/check?user_id=u1&country=DE`).expect(200)).body.enabled,
    ).toBe(false);
    await t.admin
      .post(`/flags/${flag}/update`)
      .send({ rules: [{ conditions: [IN_DE] }] })
      .expect(200);
    expect(
      (await t.http.get(`/flags/${flag}/check?user_id=u1&country=DE`).expect(200)).body.enabled,
    ).toBe(true);
  });
});
