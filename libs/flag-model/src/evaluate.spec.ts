import { bucketIn, bucketOf, isEnabledFor } from '@app/rollout';
import { attributesRead, contextFree, evaluate, readsClock, rolloutOnly } from './evaluate';
import type { EvaluationContext } from './evaluation';
import type { FlagDefinition, Operator, Variant } from './flag-definition';
import { variantBucketOf } from './split';
import { condition, flagDef, rule } from './testing';

const ctx = (
  userId: string | undefined,
  attributes: Record<string, unknown> = {},
  now?: number,
): EvaluationContext => ({ userId, attributes, now });

const USERS = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);

const stringFlag = (variants: Variant[], overrides: Partial<FlagDefinition> = {}) =>
  flagDef({ type: 'string', variants, defaultVariant: variants[0].name, ...overrides });
const v = (name: string, weight = 0): Variant => ({ name, value: `value-${name}`, weight });

describe(evaluate.name, () => {
  describe("Unleash's published vectors (flag my-flag, user user-7)", () => {
    it('has bucket 6 and variant hash 914', () => {
      expect(bucketOf('my-flag', 'user-7')).toBe(6);
      expect(variantBucketOf('my-flag', 'user-7')).toBe(914);
    });

    it.each([
      [6, true],
      [5, false],
    ])('a rule at %d%% is on=%s for user-7 (bucket 6)', (percent, on) => {
      const f = flagDef({
        rules: [rule([condition('user_id', 'IN', ['user-7'])], { rollout_percentage: percent })],
      });
      expect(evaluate(f, ctx('user-7'))).toMatchObject({
        on,
        reason: 'TARGETING_MATCH',
        ruleIndex: 0,
      });
    });

    it.each([
      [[914, 86], 'a'],
      [[913, 87], 'b'],
      [[0, 914, 86], 'b'],
      [[500, 413, 87], 'c'],
    ])('splits weights %j to variant %s (hash 914 against the running totals)', (weights, name) => {
      const f = stringFlag(weights.map((w, i) => v('abc'[i], w)));
      expect(evaluate(f, ctx('user-7'))).toEqual({
        on: true,
        value: `value-${name}`,
        variant: name,
        reason: 'SPLIT',
        ruleIndex: -1,
      });
    });
  });

  describe('operators', () => {
    const NOW = Date.parse('2025-06-01T00:00:00Z');
    // [operator, rule values, attribute value, holds]
    const cases: Array<[Operator, string[], string, boolean]> = [
      ['IN', ['a', 'b'], 'b', true],
      ['IN', ['a', 'b'], 'B', false],
      ['IN', ['a', 'b'], 'c', false],
      ['NOT_IN', ['a', 'b'], 'c', true],
      ['NOT_IN', ['a', 'b'], 'a', false],
      ['STR_CONTAINS', ['ell', 'zz'], 'hello', true],
      ['STR_CONTAINS', ['ELL'], 'hello', false],
      ['STR_STARTS_WITH', ['x', 'he'], 'hello', true],
      ['STR_STARTS_WITH', ['lo'], 'hello', false],
      ['STR_ENDS_WITH', ['lo'], 'hello', true],
      ['STR_ENDS_WITH', ['he'], 'hello', false],
      ['NUM_EQ', ['10'], '10.0', true],
      ['NUM_EQ', ['10'], '11', false],
      ['NUM_EQ', ['0'], '', false],
      ['NUM_EQ', ['0'], '  ', false],
      ['NUM_GT', ['10'], '10.5', true],
      ['NUM_GT', ['10'], '10', false],
      ['NUM_GT', ['10'], 'ten', false],
      ['NUM_GTE', ['10'], '10', true],
      ['NUM_GTE', ['10'], '9.99', false],
      ['NUM_LT', ['-1'], '-2', true],
      ['NUM_LT', ['-1'], '-1', false],
      ['NUM_LTE', ['1e3'], '1000', true],
      ['NUM_LTE', ['1e3'], 'Infinity', false],
      ['DATE_AFTER', ['2025-01-01T00:00:00Z'], '2025-01-01T00:00:01Z', true],
      ['DATE_AFTER', ['2025-01-01T00:00:00Z'], '2025-01-01T00:00:00Z', false],
      ['DATE_AFTER', ['2025-01-01'], 'not a date', false],
      ['DATE_BEFORE', ['2025-01-01T00:00:00+02:00'], '2024-12-31T21:59:59Z', true],
      ['DATE_BEFORE', ['2025-01-01T00:00:00+02:00'], '2024-12-31T22:00:00Z', false],
      ['SEMVER_EQ', ['1.2.3'], '1.2.3', true],
      ['SEMVER_EQ', ['1.2.3'], '1.2.3+build.5', true],
      ['SEMVER_EQ', ['1.2.3'], '1.2.3-rc.1', false],
      ['SEMVER_GT', ['1.2.3-rc.1'], '1.2.3', true],
      ['SEMVER_GT', ['1.2.3-rc.1'], '1.2.3-rc.2', true],
      ['SEMVER_GT', ['1.2.3-rc.1'], '1.2.3-beta.9', false],
      ['SEMVER_GT', ['1.2.3'], '1.10.0', true],
      ['SEMVER_LT', ['2.0.0'], '2.0.0-alpha', true],
      ['SEMVER_LT', ['2.0.0'], '2.0.0', false],
      ['SEMVER_LT', ['2.0.0'], '1.2', false],
      ['IN_CIDR', ['10.0.0.0/8', '192.168.1.7'], '10.200.3.4', true],
      ['IN_CIDR', ['10.0.0.0/8', '192.168.1.7'], '192.168.1.7', true],
      ['IN_CIDR', ['10.0.0.0/8', '192.168.1.7'], '192.168.1.8', false],
      ['IN_CIDR', ['10.0.0.0/8'], '11.0.0.1', false],
      ['IN_CIDR', ['2001:db8::/32'], '2001:db8:1::1', true],
      ['IN_CIDR', ['2001:db8::/32'], '2001:db9::1', false],
      ['IN_CIDR', ['10.0.0.0/8'], 'not-an-ip', false],
    ];

    it.each(cases)('%s %j against %j holds=%s', (operator, values, attribute, holds) => {
      const f = flagDef({
        rules: [rule([condition('a', operator, values)])],
        rolloutPercentage: 0,
      });
      expect(evaluate(f, ctx('u', { a: attribute }, NOW)).on).toBe(holds);
      const inverted = flagDef({
        rules: [rule([condition('a', operator, values, { inverted: true })])],
        rolloutPercentage: 0,
      });
      expect(evaluate(inverted, ctx('u', { a: attribute }, NOW)).on).toBe(!holds);
    });

    it.each([
      ['STR_CONTAINS', ['ELL'], 'hELlo', true],
      ['STR_STARTS_WITH', ['HE'], 'hello', true],
      ['STR_ENDS_WITH', ['lO'], 'HELLO', true],
      ['STR_ENDS_WITH', ['x'], 'HELLO', false],
      ['IN', ['hello'], 'HELLO', false], // folds case for STR_* only
      ['NOT_IN', ['hello'], 'HELLO', true],
    ] as Array<[Operator, string[], string, boolean]>)(
      'case_insensitive %s %j against %j holds=%s',
      (operator, values, attribute, holds) => {
        const f = flagDef({
          rules: [rule([condition('a', operator, values, { case_insensitive: true })])],
          rolloutPercentage: 0,
        });
        expect(evaluate(f, ctx('u', { a: attribute })).on).toBe(holds);
      },
    );

    it.each(cases.map(([operator, values]) => [operator, values] as const))(
      'a missing attribute fails %s (but NOT_IN holds), and inverted flips it',
      (operator, values) => {
        const expected = operator === 'NOT_IN';
        for (const attributes of [{}, { a: ['x', 'y'] }, { a: 5 }, { a: null }]) {
          const f = flagDef({
            rules: [rule([condition('a', operator, values)])],
            rolloutPercentage: 0,
          });
          expect(evaluate(f, ctx('u', attributes)).on).toBe(expected);
          const g = flagDef({
            rules: [rule([condition('a', operator, values, { inverted: true })])],
            rolloutPercentage: 0,
          });
          expect(evaluate(g, ctx('u', attributes)).on).toBe(!expected);
        }
      },
    );

    it('reads a missing currentTime as context.now, else the clock; other date attributes are missing', () => {
      const after = (attribute: string) =>
        flagDef({
          rules: [rule([condition(attribute, 'DATE_AFTER', ['2025-01-01T00:00:00Z'])])],
          rolloutPercentage: 0,
        });
      const before = Date.parse('2024-12-31T00:00:00Z');
      const later = Date.parse('2025-01-02T00:00:00Z');
      expect(evaluate(after('currentTime'), ctx('u', {}, later)).on).toBe(true);
      expect(evaluate(after('currentTime'), ctx('u', {}, before)).on).toBe(false);
      expect(
        evaluate(after('currentTime'), ctx('u', { currentTime: '2024-06-01T00:00:00Z' }, later)).on,
      ).toBe(false);
      expect(evaluate(after('currentTime'), ctx('u', {})).on).toBe(
        Date.now() > Date.parse('2025-01-01T00:00:00Z'),
      );
      expect(evaluate(after('signup'), ctx('u', {}, later)).on).toBe(false);
    });

    it('compares versions right past the bound of its memo of parsed versions, twice over', () => {
      const f = flagDef({
        rules: [rule([condition('app', 'SEMVER_GT', ['1.1000.0'])])],
        rolloutPercentage: 0,
      });
      const versions = Array.from({ length: 3000 }, (_, i) => `1.${i % 1500}.0`);
      const wrong = versions.filter(
        (app) => evaluate(f, ctx('u', { app })).on !== Number(app.split('.')[1]) > 1000,
      );
      expect(wrong).toEqual([]);
      expect(evaluate(f, ctx('u', { app: `1.2000.0-${'x'.repeat(300)}` })).on).toBe(false);
    });

    it('never holds for an operator it does not know, inverted or not', () => {
      for (const inverted of [false, true]) {
        const c = { ...condition('a', 'IN', ['x'], { inverted }), operator: 'REGEX' as Operator };
        const f = flagDef({ rules: [rule([c])], rolloutPercentage: 0 });
        expect(evaluate(f, ctx('u', { a: 'x' })).on).toBe(false);
      }
    });
  });

  describe('rules', () => {
    it('reads user_id from context.userId, never from attributes', () => {
      const f = flagDef({
        rules: [rule([condition('user_id', 'IN', ['alice'])])],
        rolloutPercentage: 0,
      });
      expect(evaluate(f, ctx('alice')).on).toBe(true);
      expect(evaluate(f, ctx('bob', { user_id: 'alice' })).on).toBe(false);
      expect(evaluate(f, ctx(undefined, { user_id: 'alice' })).on).toBe(false);
      const notIn = flagDef({
        rules: [rule([condition('user_id', 'NOT_IN', ['alice'])])],
        rolloutPercentage: 0,
      });
      expect(evaluate(notIn, ctx(undefined)).on).toBe(true); // missing → NOT_IN holds
    });

    it('needs every condition of a rule to hold', () => {
      const f = flagDef({
        rules: [rule([condition('country', 'IN', ['FR']), condition('plan', 'IN', ['pro'])])],
        rolloutPercentage: 0,
      });
      expect(evaluate(f, ctx('u', { country: 'FR', plan: 'pro' })).on).toBe(true);
      expect(evaluate(f, ctx('u', { country: 'FR', plan: 'free' })).on).toBe(false);
    });

    it('lets the first rule that holds decide, even when it says off', () => {
      const f = flagDef({
        rules: [
          rule([condition('plan', 'IN', ['free'])], { rollout_percentage: 0 }),
          rule([condition('country', 'IN', ['FR'])]),
        ],
      });
      expect(evaluate(f, ctx('u', { plan: 'free', country: 'FR' }))).toEqual({
        on: false,
        value: false,
        variant: 'off',
        reason: 'TARGETING_MATCH',
        ruleIndex: 0,
      });
      expect(evaluate(f, ctx('u', { plan: 'pro', country: 'FR' }))).toMatchObject({
        on: true,
        ruleIndex: 1,
      });
      expect(evaluate(f, ctx('u', { plan: 'pro' }))).toMatchObject({
        on: true,
        ruleIndex: -1,
        reason: 'DEFAULT',
      });
    });

    it("rolls a rule out by the user's bucket, as isEnabledFor does", () => {
      const f = flagDef({
        rules: [rule([condition('plan', 'IN', ['pro'])], { rollout_percentage: 30 })],
      });
      const differing = USERS.filter(
        (user) => evaluate(f, ctx(user, { plan: 'pro' })).on !== bucketOf('my-flag', user) <= 30,
      );
      expect(differing).toEqual([]);
      expect(evaluate(f, ctx(undefined, { plan: 'pro' }))).toMatchObject({
        on: false,
        reason: 'TARGETING_MATCH',
      });
    });

    it("serves the rule's variant when it names one, else the split, else the default", () => {
      const variants = [v('a', 500), v('b', 500), v('c')];
      const rules = [
        rule([condition('plan', 'IN', ['pro'])], { variant: 'c' }),
        rule([condition('plan', 'IN', ['team'])]),
      ];
      const split = stringFlag(variants, { rules, defaultVariant: 'a' });
      expect(evaluate(split, ctx('u', { plan: 'pro' }))).toMatchObject({
        value: 'value-c',
        variant: 'c',
        ruleIndex: 0,
      });
      const team = USERS.slice(0, 200).map(
        (u) => evaluate(split, ctx(u, { plan: 'team' })).variant,
      );
      expect(new Set(team)).toEqual(new Set(['a', 'b']));

      const noSplit = stringFlag([v('a'), v('b'), v('c')], { rules, defaultVariant: 'b' });
      expect(evaluate(noSplit, ctx('u', { plan: 'team' }))).toMatchObject({
        variant: 'b',
        reason: 'TARGETING_MATCH',
      });
      expect(evaluate(noSplit, ctx('u', { plan: 'pro' }))).toMatchObject({ variant: 'c' });
    });

    it('serves the default variant when a rule says off', () => {
      const f = stringFlag([v('a'), v('b')], {
        defaultVariant: 'b',
        rules: [rule([condition('plan', 'IN', ['pro'])], { rollout_percentage: 0, variant: 'a' })],
      });
      expect(evaluate(f, ctx('u', { plan: 'pro' }))).toEqual({
        on: false,
        value: 'value-b',
        variant: 'b',
        reason: 'TARGETING_MATCH',
        ruleIndex: 0,
      });
    });
  });

  describe('weighted split', () => {
    const weights = [v('a', 200), v('b', 300), v('c', 500)];

    it('gives a user the same variant every time, and each variant its share within 2 points', () => {
      const f = stringFlag(weights);
      const again = stringFlag(weights); // a new object: compiled afresh
      const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
      const unstable: string[] = [];
      for (const user of USERS) {
        const first = evaluate(f, ctx(user)).variant;
        if (evaluate(again, ctx(user)).variant !== first) unstable.push(user);
        counts[first]++;
      }
      expect(unstable).toEqual([]);
      for (const { name, weight } of weights) {
        expect(Math.abs((counts[name] / USERS.length) * 100 - weight / 10)).toBeLessThanOrEqual(2);
      }
    });

    it('splits only the users the rollout lets in; the rest get the default', () => {
      const f = stringFlag(weights, { rolloutPercentage: 40, defaultVariant: 'c' });
      const wrong = USERS.filter((user) => {
        const result = evaluate(f, ctx(user));
        const on = bucketOf('my-flag', user) <= 40;
        return result.on !== on || (!on && result.variant !== 'c') || result.reason !== 'SPLIT';
      });
      expect(wrong).toEqual([]);
    });

    it('serves object and number values', () => {
      const obj = flagDef({
        type: 'object',
        variants: [{ name: 'x', value: { color: 'red' }, weight: 0 }],
        defaultVariant: 'x',
      });
      expect(evaluate(obj, ctx('u'))).toMatchObject({
        value: { color: 'red' },
        variant: 'x',
        reason: 'STATIC',
      });
      const num = flagDef({
        type: 'number',
        variants: [{ name: 'n', value: 42, weight: 0 }],
        defaultVariant: 'n',
      });
      expect(evaluate(num, ctx('u')).value).toBe(42);
    });
  });

  describe('without a user id', () => {
    it.each([
      [100, true],
      [50, false],
      [0, false],
    ])('a boolean flag at %d%% is on=%s', (percent, on) => {
      expect(evaluate(flagDef({ rolloutPercentage: percent }), ctx(undefined)).on).toBe(on);
      expect(evaluate(flagDef({ rolloutPercentage: percent }), ctx('')).on).toBe(on);
    });

    it('keeps the reason of the rule it would take: a 50% flag is off by SPLIT', () => {
      expect(evaluate(flagDef({ rolloutPercentage: 50 }), ctx(undefined))).toEqual({
        on: false,
        value: false,
        variant: 'off',
        reason: 'SPLIT',
        ruleIndex: -1,
      });
    });

    it('falls back to the default variant where the split would choose', () => {
      const f = stringFlag([v('a', 500), v('b', 500)], { defaultVariant: 'b' });
      expect(evaluate(f, ctx(undefined))).toEqual({
        on: true,
        value: 'value-b',
        variant: 'b',
        reason: 'SPLIT',
        ruleIndex: -1,
      });
    });
  });

  describe('reasons', () => {
    const inRule = rule([condition('plan', 'IN', ['pro'])]);
    it.each<[string, FlagDefinition, EvaluationContext, Partial<ReturnType<typeof evaluate>>]>([
      [
        'DISABLED',
        flagDef({ enabled: false, rules: [inRule] }),
        ctx('u', { plan: 'pro' }),
        { on: false, reason: 'DISABLED', ruleIndex: -1 },
      ],
      [
        'TARGETING_MATCH',
        flagDef({ rules: [inRule] }),
        ctx('u', { plan: 'pro' }),
        { on: true, reason: 'TARGETING_MATCH', ruleIndex: 0 },
      ],
      [
        'SPLIT (partial rollout)',
        flagDef({ rolloutPercentage: 6 }),
        ctx('user-7'),
        { on: true, reason: 'SPLIT' },
      ],
      [
        'SPLIT (partial rollout, off)',
        flagDef({ rolloutPercentage: 5 }),
        ctx('user-7'),
        { on: false, reason: 'SPLIT' },
      ],
      [
        'DEFAULT (rules, none held)',
        flagDef({ rules: [inRule] }),
        ctx('u'),
        { on: true, reason: 'DEFAULT' },
      ],
      [
        'DEFAULT (off at 0%)',
        flagDef({ rules: [inRule], rolloutPercentage: 0 }),
        ctx('u'),
        { on: false, reason: 'DEFAULT' },
      ],
      [
        'STATIC (on at 100%)',
        flagDef(),
        ctx('u'),
        { on: true, value: true, variant: 'on', reason: 'STATIC' },
      ],
      [
        'STATIC (off at 0%)',
        flagDef({ rolloutPercentage: 0 }),
        ctx('u'),
        { on: false, value: false, variant: 'off', reason: 'STATIC' },
      ],
    ])('%s', (_, f, context, expected) => {
      expect(evaluate(f, context)).toMatchObject({ ruleIndex: -1, ...expected });
    });

    it('serves the default variant of a disabled non-boolean flag', () => {
      const f = stringFlag([v('a', 1000), v('b')], { enabled: false, defaultVariant: 'b' });
      expect(evaluate(f, ctx('u'))).toEqual({
        on: false,
        value: 'value-b',
        variant: 'b',
        reason: 'DISABLED',
        ruleIndex: -1,
      });
    });
  });

  it("keeps today's behaviour: a boolean flag without rules is on exactly when isEnabledFor says so", () => {
    for (const percent of [0, 1, 10, 33, 50, 77, 99, 100]) {
      for (const enabled of [true, false]) {
        const f = flagDef({ name: 'new_checkout_flow', enabled, rolloutPercentage: percent });
        const differing = USERS.filter(
          (u) => evaluate(f, ctx(u)).on !== isEnabledFor(f, f.name, u),
        );
        expect(differing).toEqual([]);
      }
    }
  });

  it('serves a snapshot from before rules and variants as the boolean flag it was', () => {
    const old = { name: 'my-flag', enabled: true, rolloutPercentage: 6, metadata: {}, revision: 1 };
    const f = old as unknown as FlagDefinition;
    expect(evaluate(f, ctx('user-7'))).toEqual({
      on: true,
      value: true,
      variant: 'on',
      reason: 'SPLIT',
      ruleIndex: -1,
    });
    expect(attributesRead(f)).toEqual([]);
  });

  it('hands out shared, frozen results for the same outcome', () => {
    const f = flagDef({ rolloutPercentage: 50 });
    const a = evaluate(f, ctx('user-7'));
    expect(Object.isFrozen(a)).toBe(true);
    const sameOutcome = USERS.find((u) => u !== 'user-7' && evaluate(f, ctx(u)).on === a.on);
    expect(evaluate(f, ctx(sameOutcome))).toBe(a);
  });
});

describe(`${evaluate.name}: shared results`, () => {
  it('keeps every (rule, on, variant) outcome of one definition apart', () => {
    // One definition object, so every outcome lands in its memo of results; each must equal the
    // result a fresh copy (a memo of its own) gives for the same context.
    const f = flagDef({
      type: 'string',
      rolloutPercentage: 50,
      variants: [
        { name: 'a', value: 'A', weight: 300 },
        { name: 'b', value: 'B', weight: 300 },
        { name: 'c', value: 'C', weight: 400 },
      ],
      defaultVariant: 'c',
      rules: [
        rule([condition('plan', 'IN', ['pro'])], { rollout_percentage: 50, variant: 'a' }),
        rule([condition('plan', 'IN', ['team'])], { rollout_percentage: 50 }),
        rule([condition('plan', 'IN', ['free'])], { rollout_percentage: 0 }),
      ],
    });
    const seen = new Set<string>();
    for (const plan of ['pro', 'team', 'free', 'none']) {
      for (const user of USERS.slice(0, 200)) {
        const context = ctx(user, { plan });
        const result = evaluate(f, context);
        expect(result).toEqual(evaluate({ ...f }, context));
        seen.add(`${result.ruleIndex}:${result.on}:${result.variant}:${result.reason}`);
      }
    }
    expect([...seen].sort()).toEqual([
      '-1:false:c:SPLIT',
      '-1:true:a:SPLIT',
      '-1:true:b:SPLIT',
      '-1:true:c:SPLIT',
      '0:false:c:TARGETING_MATCH',
      '0:true:a:TARGETING_MATCH',
      '1:false:c:TARGETING_MATCH',
      '1:true:a:TARGETING_MATCH',
      '1:true:b:TARGETING_MATCH',
      '1:true:c:TARGETING_MATCH',
      '2:false:c:TARGETING_MATCH',
    ]);
  });
});

describe(attributesRead.name, () => {
  it('lists the attributes the rules read, once each, sorted', () => {
    const f = flagDef({
      rules: [
        rule([condition('plan', 'IN', ['pro']), condition('user_id', 'IN', ['x'])]),
        rule([condition('country', 'IN', ['FR']), condition('plan', 'NOT_IN', ['free'])]),
      ],
    });
    expect(attributesRead(f)).toEqual(['country', 'plan', 'user_id']);
    expect(attributesRead(flagDef())).toEqual([]);
  });
});

describe(readsClock.name, () => {
  it('is true only when a DATE_* condition reads currentTime (the evaluation time stands in)', () => {
    const dated = (attribute: string) =>
      flagDef({ rules: [rule([condition(attribute, 'DATE_AFTER', ['2024-01-01T00:00:00Z'])])] });
    expect(readsClock(dated('currentTime'))).toBe(true);
    expect(readsClock(dated('signup_date'))).toBe(false);
    expect(readsClock(flagDef({ rules: [rule([condition('currentTime', 'IN', ['x'])])] }))).toBe(
      false,
    );
    expect(readsClock(flagDef())).toBe(false);
  });
});

describe(contextFree.name, () => {
  const split = [v('a', 500), v('b', 500)];
  const unsplit = [v('a'), v('b')];
  const germans = rule([condition('country', 'IN', ['DE'])]);
  // free: whether the definition's answer is the same for every context
  const TABLE: Array<{ what: string; f: FlagDefinition; free: boolean }> = [
    { what: 'disabled', f: flagDef({ enabled: false, rolloutPercentage: 50 }), free: true },
    { what: 'disabled, with rules', f: flagDef({ enabled: false, rules: [germans] }), free: true },
    { what: 'disabled string flag', f: stringFlag(split, { enabled: false }), free: true },
    { what: 'at 0%', f: flagDef({ rolloutPercentage: 0 }), free: true },
    { what: 'at 100%', f: flagDef({ rolloutPercentage: 100 }), free: true },
    {
      what: 'string at 100%, no split',
      f: stringFlag(unsplit, { defaultVariant: 'b' }),
      free: true,
    },
    { what: 'string at 0%, split', f: stringFlag(split, { rolloutPercentage: 0 }), free: true },
    { what: 'at 50%', f: flagDef({ rolloutPercentage: 50 }), free: false },
    { what: 'at 1%', f: flagDef({ rolloutPercentage: 1 }), free: false },
    { what: 'string at 100%, split', f: stringFlag(split), free: false },
    { what: 'at 100%, with a rule', f: flagDef({ rules: [germans] }), free: false },
    {
      what: 'at 0%, with a rule',
      f: flagDef({ rolloutPercentage: 0, rules: [germans] }),
      free: false,
    },
    {
      what: 'an old snapshot at 100%',
      f: { ...flagDef(), type: undefined, rules: undefined } as never,
      free: true,
    },
  ];
  const contexts = [
    ctx(undefined),
    ctx(''),
    ctx('user-7', { country: 'DE' }),
    ctx('user-8', { country: 'FR' }),
    ...USERS.slice(0, 200).map((u) => ctx(u)),
  ];

  it.each(TABLE)('$what: context-free is $free', ({ f, free }) => {
    const result = contextFree(f);
    expect(result !== undefined).toBe(free);
    if (result !== undefined) {
      const differing = contexts.filter((c) => evaluate(f, c) !== result);
      expect(differing).toEqual([]);
    } else {
      // Not context-free here means some context gets another answer.
      const answers = new Set(contexts.map((c) => evaluate(f, c)));
      expect(answers.size).toBeGreaterThan(1);
    }
  });
});

describe(rolloutOnly.name, () => {
  const split = [v('a', 500), v('b', 500)];
  const unsplit = [v('a'), v('b')];
  const germans = rule([condition('country', 'IN', ['DE'])]);
  // only: whether the answer depends on the context through the rollout bucket alone
  const TABLE: Array<{ what: string; f: FlagDefinition; only: boolean }> = [
    { what: 'at 50%', f: flagDef({ rolloutPercentage: 50 }), only: true },
    { what: 'at 1%', f: flagDef({ rolloutPercentage: 1 }), only: true },
    { what: 'at 99%', f: flagDef({ rolloutPercentage: 99 }), only: true },
    {
      what: 'string at 30%, no split',
      f: stringFlag(unsplit, { rolloutPercentage: 30, defaultVariant: 'b' }),
      only: true,
    },
    { what: 'disabled at 50%', f: flagDef({ enabled: false, rolloutPercentage: 50 }), only: false },
    { what: 'at 0%', f: flagDef({ rolloutPercentage: 0 }), only: false },
    { what: 'at 100%', f: flagDef({ rolloutPercentage: 100 }), only: false },
    { what: 'string at 50%, split', f: stringFlag(split, { rolloutPercentage: 50 }), only: false },
    {
      what: 'at 50%, with a rule',
      f: flagDef({ rolloutPercentage: 50, rules: [germans] }),
      only: false,
    },
  ];
  const contexts = [
    ctx(undefined),
    ctx(''),
    ctx('user-7', { country: 'DE' }),
    ctx('ü🙂'),
    ctx('u'.repeat(5000)),
    ...USERS.slice(0, 500).map((u) => ctx(u)),
  ];

  it.each(TABLE)('$what: rollout-only is $only', ({ f, only }) => {
    expect(rolloutOnly(f) !== undefined).toBe(only);
  });

  it.each(TABLE.filter((t) => t.only))(
    '$what: on exactly for users bucketed within the percentage, as evaluate says',
    ({ f }) => {
      const g = { ...f, name: 'rollout-only-spec' };
      const r = rolloutOnly(g);
      if (r === undefined) throw new Error('not rollout-only');
      const decided = (c: EvaluationContext) =>
        c.userId !== undefined && c.userId !== '' && bucketIn(r.prefix, c.userId) <= r.percentage
          ? r.on
          : r.off;
      expect(contexts.filter((c) => decided(c) !== evaluate(g, c))).toEqual([]);
      // Both outcomes occur: the table's percentages are partial.
      expect(new Set(contexts.map(decided)).size).toBe(2);
    },
  );
});
