import type { FlagDefinition } from './flag-definition';
import { condition, flagDef, rule } from './testing';
import { parseDefinitionPatch, validateDefinition } from './validate';

const fieldOf = (input: Parameters<typeof parseDefinitionPatch>[0]) => {
  const result = parseDefinitionPatch(input);
  return 'error' in result ? result.error.field : null;
};
const inRule = (extra: Record<string, unknown> = {}) => ({
  conditions: [{ attribute: 'plan', operator: 'IN', values: ['pro'] }],
  ...extra,
});
const cond = (extra: Record<string, unknown>) => ({
  rules: [{ conditions: [{ attribute: 'a', operator: 'IN', values: ['x'], ...extra }] }],
});
const variant = (extra: Record<string, unknown> = {}) => ({
  name: 'a',
  value: 'x',
  weight: 0,
  ...extra,
});

describe(parseDefinitionPatch.name, () => {
  it('fills in the defaults of rules and conditions, and keeps nothing else', () => {
    const result = parseDefinitionPatch({
      type: 'string',
      variants: [variant({ weight: 1000 })],
      default_variant: 'a',
      rules: [inRule({ name: 'pros' })],
    });
    expect(result).toEqual({
      patch: {
        type: 'string',
        variants: [{ name: 'a', value: 'x', weight: 1000 }],
        default_variant: 'a',
        rules: [
          {
            name: 'pros',
            conditions: [
              {
                attribute: 'plan',
                operator: 'IN',
                values: ['pro'],
                inverted: false,
                case_insensitive: false,
              },
            ],
            rollout_percentage: 100,
          },
        ],
      },
    });
  });

  it('leaves absent fields absent and keeps a null default_variant', () => {
    expect(parseDefinitionPatch({})).toEqual({ patch: {} });
    expect(parseDefinitionPatch({ default_variant: null })).toEqual({
      patch: { default_variant: null },
    });
  });

  it('names the constraint in the message', () => {
    const result = parseDefinitionPatch({
      rules: [
        inRule(),
        inRule(),
        { conditions: [{ attribute: 'a', operator: 'LIKE', values: ['x'] }] },
      ],
    });
    expect(result).toEqual({
      error: {
        field: 'rules[2].conditions[0].operator',
        message:
          'rules[2].conditions[0].operator must be one of IN, NOT_IN, STR_CONTAINS, STR_STARTS_WITH, STR_ENDS_WITH, NUM_EQ, NUM_GT, NUM_GTE, NUM_LT, NUM_LTE, DATE_AFTER, DATE_BEFORE, SEMVER_EQ, SEMVER_GT, SEMVER_LT, IN_CIDR',
      },
    });
  });

  it.each<[string, Parameters<typeof parseDefinitionPatch>[0], string]>([
    // type
    ['an unknown type', { type: 'json' }, 'type'],
    ['a null type', { type: null }, 'type'],
    // variants
    ['null variants', { variants: null }, 'variants'],
    ['variants not an array', { variants: { a: 1 } }, 'variants'],
    [
      '101 variants',
      { variants: Array.from({ length: 101 }, (_, i) => variant({ name: `v${i}` })) },
      'variants',
    ],
    ['a variant that is not an object', { variants: ['a'] }, 'variants[0]'],
    ['an unknown variant key', { variants: [variant({ color: 'red' })] }, 'variants[0].color'],
    ['a variant without a name', { variants: [{ value: 'x', weight: 0 }] }, 'variants[0].name'],
    ['an empty variant name', { variants: [variant({ name: '' })] }, 'variants[0].name'],
    [
      'a 65-character variant name',
      { variants: [variant({ name: 'n'.repeat(65) })] },
      'variants[0].name',
    ],
    ['a variant name with a space', { variants: [variant({ name: 'a b' })] }, 'variants[0].name'],
    [
      'a duplicate variant name',
      { variants: [variant(), variant({ name: 'b' }), variant()] },
      'variants[2].name',
    ],
    ['a null variant value', { variants: [variant({ value: null })] }, 'variants[0].value'],
    ['an array variant value', { variants: [variant({ value: [1] })] }, 'variants[0].value'],
    ['a boolean variant value', { variants: [variant({ value: true })] }, 'variants[0].value'],
    [
      'a variant value unlike the type',
      { type: 'number', variants: [variant({ value: '1' })] },
      'variants[0].value',
    ],
    [
      'an object value for a string flag',
      { type: 'string', variants: [variant({ value: {} })] },
      'variants[0].value',
    ],
    [
      'a 1025-character string value',
      { variants: [variant({ value: 'x'.repeat(1025) })] },
      'variants[0].value',
    ],
    [
      'a non-finite number value',
      { type: 'number', variants: [variant({ value: Infinity })] },
      'variants[0].value',
    ],
    [
      'U+0000 in an object value',
      { type: 'object', variants: [variant({ value: { a: ['\u0000'] } })] },
      'variants[0].value.a[0]',
    ],
    [
      'a lone surrogate in a string value',
      { variants: [variant({ value: '\ud800' })] },
      'variants[0].value',
    ],
    ['a fractional weight', { variants: [variant({ weight: 0.5 })] }, 'variants[0].weight'],
    ['a weight over 1000', { variants: [variant({ weight: 1001 })] }, 'variants[0].weight'],
    ['a negative weight', { variants: [variant({ weight: -1 })] }, 'variants[0].weight'],
    ['a missing weight', { variants: [{ name: 'a', value: 'x' }] }, 'variants[0].weight'],
    [
      'weights not summing to 1000',
      { variants: [variant({ weight: 500 }), variant({ name: 'b', weight: 400 })] },
      'variants',
    ],
    // default_variant
    ['a default_variant that is not a name', { default_variant: 7 }, 'default_variant'],
    // rules
    ['null rules', { rules: null }, 'rules'],
    ['51 rules', { rules: Array.from({ length: 51 }, () => inRule()) }, 'rules'],
    ['an unknown rule key', { rules: [inRule({ when: 'now' })] }, 'rules[0].when'],
    ['a 129-character rule name', { rules: [inRule({ name: 'r'.repeat(129) })] }, 'rules[0].name'],
    ['a null rule name', { rules: [inRule({ name: null })] }, 'rules[0].name'],
    ['U+0000 in a rule name', { rules: [inRule({ name: 'a\u0000' })] }, 'rules[0].name'],
    ['a rule without conditions', { rules: [{}] }, 'rules[0].conditions'],
    ['a rule with no conditions', { rules: [{ conditions: [] }] }, 'rules[0].conditions'],
    [
      'a rule with 21 conditions',
      { rules: [{ conditions: Array.from({ length: 21 }, () => inRule().conditions[0]) }] },
      'rules[0].conditions',
    ],
    [
      'a rollout over 100',
      { rules: [inRule({ rollout_percentage: 101 })] },
      'rules[0].rollout_percentage',
    ],
    [
      'a fractional rollout',
      { rules: [inRule({ rollout_percentage: 50.5 })] },
      'rules[0].rollout_percentage',
    ],
    [
      'a null rollout',
      { rules: [inRule({ rollout_percentage: null })] },
      'rules[0].rollout_percentage',
    ],
    [
      'a rule variant that is not a name',
      { rules: [inRule({ variant: 'a b' })] },
      'rules[0].variant',
    ],
    // conditions
    ['an unknown condition key', cond({ negate: true }), 'rules[0].conditions[0].negate'],
    [
      'a missing attribute',
      { rules: [{ conditions: [{ operator: 'IN', values: ['x'] }] }] },
      'rules[0].conditions[0].attribute',
    ],
    ['an attribute with a space', cond({ attribute: 'a b' }), 'rules[0].conditions[0].attribute'],
    [
      'a 65-character attribute',
      cond({ attribute: 'a'.repeat(65) }),
      'rules[0].conditions[0].attribute',
    ],
    ['a lower-case operator', cond({ operator: 'in' }), 'rules[0].conditions[0].operator'],
    ['no values', cond({ values: [] }), 'rules[0].conditions[0].values'],
    [
      '1001 values',
      cond({ values: Array.from({ length: 1001 }, (_, i) => `${i}`) }),
      'rules[0].conditions[0].values',
    ],
    ['a number among the values', cond({ values: ['a', 1] }), 'rules[0].conditions[0].values[1]'],
    [
      'a 1025-character value',
      cond({ values: ['x'.repeat(1025)] }),
      'rules[0].conditions[0].values[0]',
    ],
    ['U+0000 in a value', cond({ values: ['ok', 'a\u0000'] }), 'rules[0].conditions[0].values[1]'],
    [
      'two values for NUM_GT',
      cond({ operator: 'NUM_GT', values: ['1', '2'] }),
      'rules[0].conditions[0].values',
    ],
    [
      'a non-number for NUM_EQ',
      cond({ operator: 'NUM_EQ', values: ['ten'] }),
      'rules[0].conditions[0].values[0]',
    ],
    [
      'a blank for NUM_LT',
      cond({ operator: 'NUM_LT', values: [' '] }),
      'rules[0].conditions[0].values[0]',
    ],
    [
      'a non-ISO date',
      cond({ operator: 'DATE_AFTER', values: ['March 7, 2025'] }),
      'rules[0].conditions[0].values[0]',
    ],
    [
      'a date-time without offset',
      cond({ operator: 'DATE_BEFORE', values: ['2025-03-07T10:00:00'] }),
      'rules[0].conditions[0].values[0]',
    ],
    [
      'an impossible date',
      cond({ operator: 'DATE_BEFORE', values: ['2025-13-07'] }),
      'rules[0].conditions[0].values[0]',
    ],
    [
      'a day the month does not have',
      cond({ operator: 'DATE_AFTER', values: ['2025-02-30'] }),
      'rules[0].conditions[0].values[0]',
    ],
    [
      'an invalid semver',
      cond({ operator: 'SEMVER_EQ', values: ['1.2'] }),
      'rules[0].conditions[0].values[0]',
    ],
    [
      'an invalid CIDR',
      cond({ operator: 'IN_CIDR', values: ['10.0.0.0/8', '10.0.0.0/33'] }),
      'rules[0].conditions[0].values[1]',
    ],
    [
      'a CIDR with a hex prefix',
      cond({ operator: 'IN_CIDR', values: ['10.0.0.0/0x8'] }),
      'rules[0].conditions[0].values[0]',
    ],
    [
      'a host name for IN_CIDR',
      cond({ operator: 'IN_CIDR', values: ['example.com'] }),
      'rules[0].conditions[0].values[0]',
    ],
    ['a non-boolean inverted', cond({ inverted: 'yes' }), 'rules[0].conditions[0].inverted'],
    [
      'a null case_insensitive',
      cond({ case_insensitive: null }),
      'rules[0].conditions[0].case_insensitive',
    ],
    // document order
    [
      'the first bad part',
      { type: 'string', variants: [variant({ weight: 2000 })], rules: null },
      'variants[0].weight',
    ],
  ])('refuses %s at its field', (_, input, field) => {
    expect(fieldOf(input)).toBe(field);
  });

  it.each([
    ['NUM_GTE', '-1.5e3'],
    ['DATE_AFTER', '2025-03-07'],
    ['DATE_AFTER', '2025-03-07T10:00Z'],
    ['DATE_BEFORE', '2025-03-07T10:00:00.123+05:30'],
    ['SEMVER_GT', '1.2.3-rc.1+build.7'],
    ['IN_CIDR', '2001:db8::/32'],
    ['IN_CIDR', '::1'],
    ['IN_CIDR', '192.168.0.1/32'],
  ])('accepts %s %j', (operator, value) => {
    expect(fieldOf(cond({ operator, values: [value] }))).toBeNull();
  });
});

describe(validateDefinition.name, () => {
  const stringFlag = (overrides: Partial<FlagDefinition> = {}): FlagDefinition =>
    flagDef({
      type: 'string',
      variants: [
        { name: 'a', value: 'x', weight: 500 },
        { name: 'b', value: 'y', weight: 500 },
      ],
      defaultVariant: 'a',
      ...overrides,
    });

  it('accepts valid boolean and non-boolean flags', () => {
    expect(
      validateDefinition(flagDef({ rules: [rule([condition('plan', 'IN', ['pro'])])] })),
    ).toBeNull();
    expect(
      validateDefinition(
        stringFlag({ rules: [rule([condition('plan', 'IN', ['pro'])], { variant: 'b' })] }),
      ),
    ).toBeNull();
    expect(
      validateDefinition(
        flagDef({
          type: 'object',
          variants: [{ name: 'o', value: { deep: [1] }, weight: 0 }],
          defaultVariant: 'o',
        }),
      ),
    ).toBeNull();
  });

  it.each<[string, FlagDefinition, string]>([
    [
      'a boolean flag with variants',
      flagDef({ variants: [{ name: 'a', value: 'x', weight: 0 }] }),
      'variants',
    ],
    [
      'a string flag without variants',
      stringFlag({ variants: [], defaultVariant: null }),
      'variants',
    ],
    ['a value unlike the type', stringFlag({ type: 'number' }), 'variants[0].value'],
    ['a boolean flag with a default_variant', flagDef({ defaultVariant: 'a' }), 'default_variant'],
    [
      'a string flag without a default_variant',
      stringFlag({ defaultVariant: null }),
      'default_variant',
    ],
    ['a default_variant naming no variant', stringFlag({ defaultVariant: 'c' }), 'default_variant'],
    [
      'a rule variant naming no variant',
      stringFlag({ rules: [rule([condition('p', 'IN', ['x'])], { variant: 'c' })] }),
      'rules[0].variant',
    ],
    [
      'a rule variant on a boolean flag',
      flagDef({ rules: [rule([condition('p', 'IN', ['x'])], { variant: 'a' })] }),
      'rules[0].variant',
    ],
    [
      'a rule variant before a later bad condition (document order)',
      stringFlag({
        rules: [
          rule([condition('p', 'IN', ['x'])], { variant: 'c' }),
          rule([condition('p', 'NUM_GT', ['x'])]),
        ],
      }),
      'rules[0].variant',
    ],
    ['an unknown type', flagDef({ type: 'date' as FlagDefinition['type'] }), 'type'],
  ])('refuses %s at its field', (_, flag, field) => {
    expect(validateDefinition(flag)?.field).toBe(field);
  });
});

describe('definition errors say what is wrong, naming the field', () => {
  const errorOf = (input: Parameters<typeof parseDefinitionPatch>[0]) => {
    const result = parseDefinitionPatch(input);
    return 'error' in result ? result.error : null;
  };
  const ISO = 'an ISO-8601 date (2025-01-31, or 2025-01-31T12:00:00Z with an offset)';
  const at = 'rules[0].conditions[0]';

  const refusals: Array<[Parameters<typeof parseDefinitionPatch>[0], string, string]> = [
    [{ type: null }, 'type', 'type must not be null'],
    [{ type: 'json' }, 'type', 'type must be one of boolean, string, number, object'],
    [{ variants: { a: 1 } }, 'variants', 'variants must be an array'],
    [
      { variants: Array.from({ length: 101 }, (_, i) => variant({ name: `v${i}` })) },
      'variants',
      'variants must have at most 100 variants',
    ],
    [{ variants: ['a'] }, 'variants[0]', 'variants[0] must be an object'],
    [{ variants: [[variant()]] }, 'variants[0]', 'variants[0] must be an object'],
    [
      { variants: [variant({ 'bad key': 1 })] },
      'variants[0]["bad key"]',
      'variants[0]["bad key"] is not a known field',
    ],
    [{ variants: [{ value: 'x', weight: 0 }] }, 'variants[0].name', 'variants[0].name is required'],
    [
      { variants: [variant({ name: 'a b' })] },
      'variants[0].name',
      'variants[0].name must be 1–64 characters of A–Z, a–z, 0–9, _, . and -',
    ],
    [
      { variants: [variant(), variant({ name: 'b' }), variant({ name: 'b' })] },
      'variants[2].name',
      'variants[2].name duplicates variants[1].name',
    ],
    [
      { variants: [variant({ value: true })] },
      'variants[0].value',
      'variants[0].value must be a string, a number or a JSON object',
    ],
    [
      { type: 'boolean', variants: [variant({ value: [] })] },
      'variants[0].value',
      'variants[0].value must be a string, a number or a JSON object',
    ],
    [
      { type: 'number', variants: [variant({ value: '1' })] },
      'variants[0].value',
      "variants[0].value must be a number (the flag's type)",
    ],
    [
      { type: 'string', variants: [variant({ value: 1 })] },
      'variants[0].value',
      "variants[0].value must be a string (the flag's type)",
    ],
    [
      { type: 'object', variants: [variant({ value: 'x' })] },
      'variants[0].value',
      "variants[0].value must be a JSON object (the flag's type)",
    ],
    [
      { type: 'number', variants: [variant({ value: NaN })] },
      'variants[0].value',
      'variants[0].value must be a finite number',
    ],
    [
      { variants: [variant({ value: 'x'.repeat(1025) })] },
      'variants[0].value',
      'variants[0].value must be a string of at most 1024 characters',
    ],
    [
      { variants: [variant({ value: 'a\u0000' })] },
      'variants[0].value',
      'variants[0].value contains U+0000, which cannot be stored',
    ],
    [
      { variants: [variant({ value: { k: 'x\udc00' } })] },
      'variants[0].value.k',
      'variants[0].value.k contains a lone UTF-16 surrogate, which cannot be stored',
    ],
    [
      { variants: [variant({ weight: 1.5 })] },
      'variants[0].weight',
      'variants[0].weight must be an integer from 0 to 1000',
    ],
    [
      { variants: [variant({ weight: '1' })] },
      'variants[0].weight',
      'variants[0].weight must be an integer from 0 to 1000',
    ],
    [
      { variants: [variant({ weight: 600 }), variant({ name: 'b', weight: 300 })] },
      'variants',
      'variants must have weights that sum to 1000, or all 0 (these sum to 900)',
    ],
    [
      { default_variant: '' },
      'default_variant',
      'default_variant must be 1–64 characters of A–Z, a–z, 0–9, _, . and -',
    ],
    [{ rules: 'all' }, 'rules', 'rules must be an array'],
    [
      { rules: Array.from({ length: 51 }, () => inRule()) },
      'rules',
      'rules must have at most 50 rules',
    ],
    [{ rules: [{}] }, 'rules[0].conditions', 'rules[0].conditions is required'],
    [
      { rules: [{ conditions: [] }] },
      'rules[0].conditions',
      'rules[0].conditions must have 1 to 20 conditions',
    ],
    [
      { rules: [inRule({ name: 7 })] },
      'rules[0].name',
      'rules[0].name must be a string of at most 128 characters',
    ],
    [
      { rules: [inRule({ rollout_percentage: -1 })] },
      'rules[0].rollout_percentage',
      'rules[0].rollout_percentage must be an integer from 0 to 100',
    ],
    [
      { rules: [inRule({ variant: null })] },
      'rules[0].variant',
      'rules[0].variant must not be null',
    ],
    [cond({ operator: undefined }), `${at}.operator`, `${at}.operator is required`],
    [cond({ values: 'x' }), `${at}.values`, `${at}.values must be an array`],
    [cond({ values: [] }), `${at}.values`, `${at}.values must have 1 to 1000 values`],
    [
      cond({ operator: 'DATE_AFTER', values: ['2025-01-01', '2025-02-01'] }),
      `${at}.values`,
      `${at}.values must hold exactly one value for DATE_AFTER`,
    ],
    [
      cond({ operator: 'SEMVER_LT', values: ['1.0.0', '2.0.0'] }),
      `${at}.values`,
      `${at}.values must hold exactly one value for SEMVER_LT`,
    ],
    [
      cond({ operator: 'NUM_LTE', values: ['1', '2'] }),
      `${at}.values`,
      `${at}.values must hold exactly one value for NUM_LTE`,
    ],
    [
      cond({ operator: 'NUM_GTE', values: ['x'] }),
      `${at}.values[0]`,
      `${at}.values[0] must be a finite number for NUM_GTE`,
    ],
    [
      cond({ operator: 'DATE_BEFORE', values: ['soon'] }),
      `${at}.values[0]`,
      `${at}.values[0] must be ${ISO} for DATE_BEFORE`,
    ],
    [
      cond({ operator: 'SEMVER_GT', values: ['v'] }),
      `${at}.values[0]`,
      `${at}.values[0] must be a semantic version such as 1.2.3 for SEMVER_GT`,
    ],
    [
      cond({ operator: 'IN_CIDR', values: ['10.0.0.0/40'] }),
      `${at}.values[0]`,
      `${at}.values[0] must be an IPv4 or IPv6 address or CIDR for IN_CIDR`,
    ],
    [cond({ inverted: 1 }), `${at}.inverted`, `${at}.inverted must be true or false`],
    [
      cond({ case_insensitive: 'no' }),
      `${at}.case_insensitive`,
      `${at}.case_insensitive must be true or false`,
    ],
  ];
  it.each(refusals.map(([input, field, message]) => [field, message, input] as const))(
    '%s: %s',
    (field, message, input) => {
      expect(errorOf(input)).toEqual({ field, message });
    },
  );

  it.each([
    ['IN', ['a', 'b', 'c']],
    ['NOT_IN', ['a', 'b']],
    ['STR_CONTAINS', ['a', 'b']],
    ['STR_STARTS_WITH', ['a', 'b']],
    ['STR_ENDS_WITH', ['a', 'b']],
    ['IN_CIDR', ['10.0.0.0/8', '::1']],
  ])('lets %s hold several values', (operator, values) => {
    expect(errorOf(cond({ operator, values }))).toBeNull();
  });

  it('fills inverted and case_insensitive as given', () => {
    const result = parseDefinitionPatch(cond({ inverted: true, case_insensitive: true }));
    expect(result).toEqual({
      patch: {
        rules: [
          {
            conditions: [
              {
                attribute: 'a',
                operator: 'IN',
                values: ['x'],
                inverted: true,
                case_insensitive: true,
              },
            ],
            rollout_percentage: 100,
          },
        ],
      },
    });
  });

  it('keeps a rule variant and an explicit rollout', () => {
    const result = parseDefinitionPatch({
      rules: [inRule({ variant: 'v', rollout_percentage: 0 })],
    });
    expect('patch' in result && result.patch.rules?.[0]).toMatchObject({
      rollout_percentage: 0,
      variant: 'v',
    });
  });

  it('accepts the bounds: 100 variants, 50 rules, 20 conditions, 1000 values, 0 and 1000 weights', () => {
    const values = Array.from({ length: 1000 }, (_, i) => `${i}`);
    const conditions = Array.from({ length: 20 }, () => ({
      attribute: 'a',
      operator: 'IN',
      values,
    }));
    expect(
      errorOf({
        variants: Array.from({ length: 100 }, (_, i) =>
          variant({ name: `v${i}`, weight: i === 0 ? 1000 : 0 }),
        ),
        rules: [...Array.from({ length: 49 }, () => inRule()), { conditions }],
      }),
    ).toBeNull();
    expect(
      errorOf({ variants: [variant({ name: 'n'.repeat(64), value: 'x'.repeat(1024) })] }),
    ).toBeNull();
    expect(
      errorOf({ rules: [inRule({ name: 'r'.repeat(128), rollout_percentage: 100 })] }),
    ).toBeNull();
  });

  it('reads only the fields a body itself has, never its prototype', () => {
    const inherited = Object.create({ name: 'a', value: 'x', weight: 0 }) as object;
    expect(errorOf({ variants: [inherited] })).toEqual({
      field: 'variants[0].name',
      message: 'variants[0].name is required',
    });
  });

  const stringFlag = (overrides: Partial<FlagDefinition> = {}): FlagDefinition =>
    flagDef({
      type: 'string',
      variants: [{ name: 'a', value: 'x', weight: 1000 }],
      defaultVariant: 'a',
      ...overrides,
    });
  it.each<[string, FlagDefinition, string, string]>([
    [
      'a boolean flag with variants',
      flagDef({ variants: [{ name: 'a', value: 'x', weight: 0 }] }),
      'variants',
      'variants must be empty for a boolean flag',
    ],
    [
      'a number flag without variants',
      stringFlag({ type: 'number', variants: [], defaultVariant: null }),
      'variants',
      'variants must hold at least one variant for a number flag',
    ],
    [
      'a boolean flag with a default variant',
      flagDef({ defaultVariant: 'a' }),
      'default_variant',
      'default_variant must be null for a boolean flag',
    ],
    [
      'a string flag without a default variant',
      stringFlag({ defaultVariant: null }),
      'default_variant',
      'default_variant is required for a string flag',
    ],
    [
      'a default variant naming no variant',
      stringFlag({ defaultVariant: 'b' }),
      'default_variant',
      'default_variant must name one of the variants',
    ],
    [
      'a rule variant on a boolean flag',
      flagDef({ rules: [rule([condition('p', 'IN', ['x'])], { variant: 'a' })] }),
      'rules[0].variant',
      'rules[0].variant must be absent for a boolean flag',
    ],
    [
      'a rule variant naming no variant',
      stringFlag({
        rules: [
          rule([condition('p', 'IN', ['x'])]),
          rule([condition('p', 'IN', ['x'])], { variant: 'b' }),
        ],
      }),
      'rules[1].variant',
      'rules[1].variant must name one of the variants',
    ],
    [
      'variants that are not an array',
      flagDef({ variants: 'a' as unknown as [] }),
      'variants',
      'variants must be an array',
    ],
  ])('validateDefinition refuses %s', (_, flag, field, message) => {
    expect(validateDefinition(flag)).toEqual({ field, message });
  });
});
