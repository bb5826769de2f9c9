import fc from 'fast-check';
import type { InjectOptions } from 'fastify';

// The fuzz suite's vocabulary: what an attacker or a careless client sends, and the table of
// endpoints to send it to. A new endpoint or field is one entry in a table below.

/** Strings that have broken parsers, validators and databases before. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\udc00y',
  '\ud83d\ude00',
  'é',
  '\u202e',
  '%',
  '%00',
  '%zz',
  '%ED%A0%80',
  'null',
  'undefined',
  'true',
  'false',
  '0',
  '-0',
  '-1',
  '101',
  '1e2',
  '1e400',
  '0x10',
  'NaN',
  'Infinity',
  '9'.repeat(30),
  '9223372036854775808',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'prototype',
  "x';DROP TABLE flags;--",
  '../..',
  'a'.repeat(300),
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
);

const hostileNumber = fc.oneof(
  fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, 2 ** 63, -(2 ** 31), -0, 0.5, 1e-300, 100.0000001),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber,
  fc.boolean(),
  fc.constant(null),
);

/** Any JSON value, a few levels deep, made of hostile strings, numbers, nulls and containers. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'hostile-json' },
    hostileScalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

const unstorable = fc.constantFrom('\u0000', 'a\u0000', '\ud800', 'x\udfff', '\udbff\u0000');

/**
 * A valid value spoilt in one place: the near miss that a missing check lets through. Objects
 * and arrays get a string PostgreSQL cannot store (as a key or a value), strings get one spliced
 * in, numbers go out of range or fractional, booleans become their spelling.
 */
const spoilt = (valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.tuple(valid, unstorable, hostileNumber, fc.boolean()).map(([v, bad, n, asKey]) => {
    if (Array.isArray(v)) return [...(v as unknown[]), bad];
    if (typeof v === 'object' && v !== null) return asKey ? { ...v, [bad]: 1 } : { ...v, k: bad };
    if (typeof v === 'string') return v + bad;
    if (typeof v === 'number') return asKey ? n : v + 0.5;
    if (typeof v === 'boolean') return String(v);
    return bad;
  });

/** Bodies that are not a JSON document of a sane shape: bad JSON, deep nesting, other types. */
const rawBody = fc.oneof(
  fc.constantFrom(
    '',
    '{',
    '{"enabled": tru',
    'null',
    '"x"',
    '[]',
    '{"__proto__":{"x":1}}',
    '{"constructor":{"prototype":{"x":1}}}',
    '{"enabled":true,"enabled":false}',
    '\u0000',
    '{"metadata":{"a":"\\ud800"}}',
    '{"metadata":{"\\u0000":1}}',
  ),
  fc
    .oneof(fc.integer({ min: 20, max: 40 }), fc.constantFrom(5000, 8000))
    .chain((n) =>
      fc.constantFrom(
        `{"metadata":${'['.repeat(n)}${']'.repeat(n)}}`,
        `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`,
        `${'['.repeat(n)}${']'.repeat(n)}`,
      ),
    ),
  hostileString,
);

export type FieldTable = Record<string, fc.Arbitrary<unknown>>;

/** A valid value of each update field, so that some fuzzed requests succeed and change state. */
export const UPDATE_BODY_FIELDS: FieldTable = {
  enabled: fc.boolean(),
  rollout_percentage: fc.integer({ min: 0, max: 100 }),
  metadata: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
    maxKeys: 3,
  }),
  type: fc.constant('boolean'),
  rules: fc.array(
    fc.record({
      conditions: fc.array(
        fc.record({
          attribute: fc.constantFrom('country', 'plan', 'user_id'),
          operator: fc.constantFrom('IN', 'NOT_IN', 'STR_CONTAINS', 'STR_STARTS_WITH'),
          values: fc.constantFrom(['DE'], ['1'], ['DE', 'AT']),
        }),
        { minLength: 1, maxLength: 2 },
      ),
      rollout_percentage: fc.integer({ min: 0, max: 100 }),
    }),
    { maxLength: 2 },
  ),
  // expected_revision is left out: almost any value refuses the write (409), which test/targeting covers.
};

/** An OFREP request body: a context of primitive attributes and a targeting key. */
const OFREP_BODY: FieldTable = {
  context: fc.record({
    targetingKey: fc.string({ maxLength: 20 }),
    country: fc.constantFrom('DE', 'FR'),
    version: fc.constantFrom(1, 2.5, true),
  }),
};

const userId = fc.string({ maxLength: 20 });

export interface FuzzEndpoint {
  name: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** `{flag}` is replaced by a (fuzzed) flag name. */
  path: string;
  /** Valid values of the query parameters it knows; strings, as in a URL. */
  query?: FieldTable;
  /** Valid values of its JSON body's fields. */
  body?: FieldTable;
}

export const ENDPOINTS: FuzzEndpoint[] = [
  {
    name: 'check',
    method: 'GET',
    path: '/flags/{flag}/check',
    query: { user_id: userId, country: fc.constantFrom('DE', 'FR') },
  },
  {
    name: 'details',
    method: 'GET',
    path: '/flags/{flag}',
    query: { user_id: userId, country: fc.constantFrom('DE', 'FR') },
  },
  { name: 'list', method: 'GET', path: '/flags' },
  {
    name: 'update',
    method: 'POST',
    path: '/flags/{flag}/update',
    query: {
      enabled: fc.constantFrom('true', 'false'),
      rollout_percentage: fc.integer({ min: 0, max: 100 }).map(String),
    },
    body: UPDATE_BODY_FIELDS,
  },
  { name: 'cache invalidate', method: 'DELETE', path: '/flags/{flag}/cache' },
  { name: 'archive', method: 'DELETE', path: '/flags/{flag}' },
  {
    name: 'history',
    method: 'GET',
    path: '/flags/{flag}/history',
    query: {
      limit: fc.integer({ min: 1, max: 100 }).map(String),
      cursor: fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }).map(String),
    },
  },
  { name: 'cache stats', method: 'GET', path: '/cache/stats' },
  { name: 'health', method: 'GET', path: '/health' },
  { name: 'readiness', method: 'GET', path: '/health/ready' },
  {
    name: 'ofrep evaluate',
    method: 'POST',
    path: '/ofrep/v1/evaluate/flags/{flag}',
    body: OFREP_BODY,
  },
  { name: 'ofrep bulk', method: 'POST', path: '/ofrep/v1/evaluate/flags', body: OFREP_BODY },
];

/** Percent-encodes anything, lone surrogates included (which encodeURIComponent refuses). */
function encode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return s.replace(
      /[^A-Za-z0-9_.~-]/g,
      (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
    );
  }
}

const queryValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.array(hostileString, { minLength: 2, maxLength: 3 }),
);

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
);

const hostileFlagName = fc.oneof(
  hostileString.map(encode),
  fc.constantFrom('..', '.', '%2e%2e', 'a'.repeat(129), '%00', 'a%2Fb'),
);

/** A request before it is encoded: what the fuzzer varies. */
interface Draft {
  /** Already URL-safe. */
  flag: string;
  /** Values are strings or arrays of strings (a repeated parameter). */
  query: Record<string, unknown>;
  queryTail: string;
  /** Sent as JSON; `raw` replaces it. */
  body?: unknown;
  raw?: { payload: string; contentType: string };
  authorization?: string;
}

type Defect = (draft: Draft) => Draft;
const withBody = (d: Draft, key: string, value: unknown): Draft => ({
  ...d,
  body: { ...(typeof d.body === 'object' && d.body !== null ? d.body : {}), [key]: value },
});

/**
 * Exactly one thing wrong (or nothing): a field null, spoilt or of another type, an unknown
 * field, a bad flag name, a bad token, a body that is not a sane document, garbage in the query.
 * A request with one defect is what finds a check that is missing; many at once hide each other.
 */
function oneDefect(endpoint: FuzzEndpoint, adminToken: string): fc.Arbitrary<Defect> {
  const defects: Array<fc.Arbitrary<Defect>> = [
    fc.constant((d: Draft) => d),
    hostileFlagName.map((flag) => (d: Draft) => ({ ...d, flag })),
    fc
      .constantFrom(
        undefined,
        '',
        'Bearer',
        'Bearer wrong-token-000000000000',
        `Basic ${adminToken}`,
      )
      .map((authorization) => (d: Draft) => ({ ...d, authorization })),
    fc
      .tuple(hostileString, queryValue)
      .map(([k, v]) => (d: Draft) => ({ ...d, query: { ...d.query, [k]: v } })),
    fc
      .constantFrom('&', '&&=', '%', '&%zz=1', '&a[b]=1', '&__proto__=1', '&=x', '&%ED%A0%80=1')
      .map((queryTail) => (d: Draft) => ({ ...d, queryTail })),
    fc.record({ payload: rawBody, contentType }).map((raw) => (d: Draft) => ({ ...d, raw })),
    hostileJson.map((body) => (d: Draft) => ({ ...d, body })),
    fc.tuple(hostileString, hostileJson).map(
      ([k, v]) =>
        (d: Draft) =>
          withBody(d, k, v),
    ),
  ];
  // Field defects weigh most: each field is where a missing check would hide.
  const fieldDefects: Array<fc.Arbitrary<Defect>> = [];
  for (const [k, valid] of Object.entries(endpoint.query ?? {}))
    fieldDefects.push(
      fc
        .oneof(queryValue, spoilt(valid))
        .map((v) => (d: Draft) => ({ ...d, query: { ...d.query, [k]: v } })),
    );
  for (const [k, valid] of Object.entries(endpoint.body ?? {}))
    fieldDefects.push(
      fc
        .oneof(fc.constant(null), spoilt(valid), hostileJson)
        .map((v) => (d: Draft) => withBody(d, k, v)),
    );
  return fc.oneof(
    ...defects.map((arbitrary) => ({ weight: 1, arbitrary })),
    ...fieldDefects.map((arbitrary) => ({ weight: 2, arbitrary })),
  );
}

/** A valid request to `endpoint`: some of its fields, each with a valid value. */
function validDraft(
  endpoint: FuzzEndpoint,
  flags: string[],
  adminToken: string,
): fc.Arbitrary<Draft> {
  return fc.record({
    flag: fc.constantFrom(...flags),
    // Fields go in the body when there is one (the same field in both must agree).
    query: endpoint.body ? fc.constant({}) : fc.record(endpoint.query ?? {}, { requiredKeys: [] }),
    queryTail: fc.constant(''),
    body: endpoint.body ? fc.record(endpoint.body, { requiredKeys: [] }) : fc.constant(undefined),
    authorization: fc.constant(`Bearer ${adminToken}`),
  });
}

/** Anything at all, everything possibly wrong at once. */
function chaoticDraft(
  endpoint: FuzzEndpoint,
  flags: string[],
  adminToken: string,
): fc.Arbitrary<Draft> {
  const anyFields = (fields: FieldTable, wrong: fc.Arbitrary<unknown>) =>
    fc.record(
      Object.fromEntries(
        Object.entries(fields).map(([k, valid]) => [k, fc.oneof(valid, spoilt(valid), wrong)]),
      ),
      { requiredKeys: [] },
    );
  return fc.record({
    flag: fc.oneof(fc.constantFrom(...flags), hostileFlagName),
    query: fc
      .tuple(
        anyFields(endpoint.query ?? {}, queryValue),
        fc.dictionary(hostileString, queryValue, { maxKeys: 2 }),
      )
      .map(([known, unknown]) => ({ ...unknown, ...known })),
    queryTail: fc.constantFrom('', '&', '%', '&a[b]=1'),
    body: fc.oneof(
      fc.constant(undefined),
      hostileJson,
      fc
        .tuple(
          anyFields(endpoint.body ?? {}, hostileJson),
          fc.dictionary(hostileString, hostileJson, { maxKeys: 2 }),
        )
        .map(([known, unknown]) => ({ ...unknown, ...known })),
    ),
    raw: fc
      .option(fc.record({ payload: rawBody, contentType }), { freq: 3 })
      .map((r) => r ?? undefined),
    authorization: fc.constantFrom(
      undefined,
      `Bearer ${adminToken}`,
      'Bearer wrong-token-000000000000',
    ),
  });
}

function toRequest(endpoint: FuzzEndpoint, d: Draft): InjectOptions {
  const pairs: string[] = [];
  for (const [k, v] of Object.entries(d.query))
    for (const one of Array.isArray(v) ? v : [v]) pairs.push(`${encode(k)}=${encode(String(one))}`);
  const query = pairs.join('&') + d.queryTail;
  const headers: Record<string, string> = {};
  if (d.authorization !== undefined) headers.authorization = d.authorization;
  let payload: string | undefined;
  if (d.raw !== undefined) {
    payload = d.raw.payload;
    headers['content-type'] = d.raw.contentType;
  } else if (d.body !== undefined) {
    payload = JSON.stringify(d.body);
    headers['content-type'] = 'application/json';
  }
  return {
    method: endpoint.method,
    url: endpoint.path.replace('{flag}', d.flag) + (query === '' ? '' : `?${query}`),
    headers,
    ...(payload === undefined ? {} : { payload }),
  };
}

/**
 * One fuzzed request to `endpoint`, against one of the flags in `flags`: mostly a valid request
 * with at most one defect, sometimes chaos.
 */
export function fuzzedRequest(
  endpoint: FuzzEndpoint,
  flags: string[],
  adminToken: string,
): fc.Arbitrary<InjectOptions> {
  const nearlyValid = fc
    .tuple(validDraft(endpoint, flags, adminToken), oneDefect(endpoint, adminToken))
    .map(([draft, defect]) => defect(draft));
  return fc
    .oneof(
      { weight: 4, arbitrary: nearlyValid },
      { weight: 1, arbitrary: chaoticDraft(endpoint, flags, adminToken) },
    )
    .map((d) => toRequest(endpoint, d));
}
