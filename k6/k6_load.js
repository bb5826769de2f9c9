/**
 * edgeflags load test (k6).
 *
 *   k6 run k6/k6_load.js
 *   k6 run -e BASE_URL=http://127.0.0.1:8000 -e RATE=500 -e DURATION=2m k6/k6_load.js
 *   docker compose --profile load run --rm k6
 *
 * Scenarios, all running side by side for RAMP + DURATION:
 *   checks        the hot path, GET /flags/{flag}/check, for USERS distinct users over the 4 seed flags
 *                 (ramping-arrival-rate up to RATE req/s, or CHECK_EXECUTOR=constant-vus with VUS VUs)
 *   details       a lighter load on GET /flags/{flag}, with GET /flags and GET /cache/stats mixed in
 *   invalidation  every INVALIDATE_EVERY_S seconds: DELETE /flags/{flag}/cache, then the next check
 *                 of that flag must answer 200, a valid body and the same answer as before
 *   updates       UPDATE_VUS VUs upsert `k6_load_flag` with varying rollout percentages, then read it
 *                 back: the rollout must be one that this test wrote
 *   ofrep         OpenFeature (OFREP) at OFREP_RATE per second: a bulk evaluation of every flag for a
 *                 user and a country, revalidated at once with its ETag (304 unless a flag changed in
 *                 between), and a single evaluation of a seed flag; shapes as the protocol says
 *
 * Environment (all optional):
 *   BASE_URL            http://localhost:8000
 *   ADMIN_TOKEN         sent as `Authorization: Bearer …` on POST …/update and DELETE …/cache
 *   CLIENT_TOKEN        sent as `Authorization: Bearer …` on reads (needed when the service has CLIENT_TOKENS)
 *   RATE                200     check requests per second once ramped (arrival-rate executor)
 *   RAMP                10s     time to ramp from RATE/10 to RATE
 *   DURATION            1m      time at RATE after the ramp
 *   CHECK_EXECUTOR      ramping-arrival-rate | constant-vus
 *   VUS                 50      VUs for constant-vus; VUs pre-allocated for the arrival-rate executor
 *   MAX_VUS             max(4×VUS, 200)
 *   USERS               10000   size of the user-id pool (user-1 … user-N), picked uniformly
 *   DETAILS_RATE        20      detail requests per second
 *   INVALIDATE_EVERY_S  5
 *   UPDATE_VUS          3
 *   UPDATE_PAUSE_S      1       pause between two updates of one VU
 *   OFREP_RATE          20      OFREP iterations per second (each: bulk, revalidation, single)
 *
 * Only k6's own modules are imported, so the script runs offline and type-checks against
 * @types/k6 (`npx tsc --noEmit -p k6/tsconfig.json`).
 */
import http from 'k6/http';
import { check, fail, sleep } from 'k6';
import { Counter, Rate, Trend } from 'k6/metrics';

/** @typedef {import('k6/options').Options} Options */
/** @typedef {import('k6/options').Scenario} Scenario */
/** @typedef {import('k6/http').RefinedParams<'text'>} Params */
/** @typedef {import('k6/http').RefinedResponse<'text'>} Response */
/** @typedef {{ [key: string]: unknown }} Obj */

// ---------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------

/**
 * @param {string} name
 * @param {number} fallback
 * @returns {number}
 */
function numEnv(name, fallback) {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`${name}=${JSON.stringify(raw)} is not a non-negative number`);
  return n;
}

/**
 * Seconds in a k6 duration string such as `90s`, `1m30s`, `500ms`, `2h`.
 * @param {string} name
 * @param {string} fallback
 * @returns {number}
 */
function durationEnv(name, fallback) {
  const raw = __ENV[name] || fallback;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = '';
  for (let m = re.exec(raw); m !== null; m = re.exec(raw)) {
    const value = Number(m[1]);
    const unit = m[2];
    total +=
      unit === 'ms'
        ? value / 1000
        : unit === 's'
          ? value
          : unit === 'm'
            ? value * 60
            : value * 3600;
    consumed += m[0];
  }
  if (consumed !== raw || total <= 0)
    throw new Error(`${name}=${JSON.stringify(raw)} is not a duration like 90s or 1m30s`);
  return total;
}

const BASE_URL = (__ENV.BASE_URL || 'http://localhost:8000').replace(/\/+$/, '');
const ADMIN_TOKEN = __ENV.ADMIN_TOKEN || '';
const CLIENT_TOKEN = __ENV.CLIENT_TOKEN || '';

const RATE = Math.max(1, Math.round(numEnv('RATE', 200)));
const RAMP_S = durationEnv('RAMP', '10s');
const DURATION_S = durationEnv('DURATION', '1m');
const TOTAL = `${Math.ceil(RAMP_S + DURATION_S)}s`;
const CHECK_EXECUTOR = __ENV.CHECK_EXECUTOR || 'ramping-arrival-rate';
const VUS = Math.max(1, Math.round(numEnv('VUS', 50)));
const MAX_VUS = Math.max(VUS, Math.round(numEnv('MAX_VUS', Math.max(VUS * 4, 200))));
const USERS = Math.max(1, Math.round(numEnv('USERS', 10000)));
const DETAILS_RATE = Math.max(1, Math.round(numEnv('DETAILS_RATE', 20)));
const INVALIDATE_EVERY_S = Math.max(1, Math.round(numEnv('INVALIDATE_EVERY_S', 5)));
const UPDATE_VUS = Math.max(1, Math.round(numEnv('UPDATE_VUS', 3)));
const UPDATE_PAUSE_S = numEnv('UPDATE_PAUSE_S', 1);
const OFREP_RATE = Math.max(1, Math.round(numEnv('OFREP_RATE', 20)));

/** The flags the service seeds on first start. */
const SEED_FLAGS = ['new_checkout_flow', 'beta_features', 'dark_mode', 'experimental_api'];
/** Seeded as disabled: every user must get `enabled: false`. */
const DISABLED_FLAGS = ['dark_mode'];
/** The flag the `updates` scenario owns; nothing else touches it. */
const LOAD_FLAG = 'k6_load_flag';
/** Every rollout percentage this test writes to LOAD_FLAG (0, 5, …, 100). */
const ROLLOUT_VALUES = Array.from({ length: 21 }, (_, i) => i * 5);
const SETUP_ROLLOUT = 50;
/** Seconds the setup's read-back may take to see its write (another replica, pub/sub). */
const SETUP_READBACK_S = 2;
const CACHE_STATES = ['hit', 'miss', 'stale'];
const CACHE_LAYERS = ['check', 'endpoint', 'service', 'list'];
/** Attribute values the OFREP contexts carry besides the user (no seed flag reads them). */
const COUNTRIES = ['DE', 'US', 'FR', 'JP'];
/** OFREP's evaluation reasons (a success carries one of these). */
const OFREP_REASONS = ['STATIC', 'DEFAULT', 'TARGETING_MATCH', 'SPLIT', 'DISABLED', 'ERROR'];

/** k6's console global, which @types/k6 does not declare. */
const logger =
  /** @type {{ log: (...args: unknown[]) => void, warn: (...args: unknown[]) => void }} */ (
    Reflect.get(globalThis, 'console')
  );

// ---------------------------------------------------------------------------
// Metrics
// ---------------------------------------------------------------------------

/** Share of hot-path check answers served from cache (`_cache === 'hit'`). */
const cacheHits = new Rate('cache_hits');
/** Share of check answers that were `enabled: true`, tagged by flag (the rollout as seen from outside). */
const flagEnabled = new Rate('flag_enabled');
/** Share of post-invalidation checks that reported `_cache: 'miss'` (informational: the hot path may refill first). */
const missAfterInvalidation = new Rate('miss_after_invalidation');
/** Share of update read-backs that returned exactly what this VU just wrote (informational with UPDATE_VUS > 1). */
const readYourWrite = new Rate('update_read_your_write');
/** Round trip of DELETE …/cache plus the next check. */
const invalidationRoundTrip = new Trend('invalidation_round_trip', true);
/** Bodies that were not the JSON expected. */
const badBodies = new Counter('bad_bodies');
/** Share of OFREP bulk revalidations (If-None-Match, right after) answered 304. */
const ofrepNotModified = new Rate('ofrep_not_modified');

// ---------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------

/** @returns {Scenario} */
function checksScenario() {
  if (CHECK_EXECUTOR === 'constant-vus') {
    return { executor: 'constant-vus', exec: 'checkFlags', vus: VUS, duration: TOTAL };
  }
  if (CHECK_EXECUTOR !== 'ramping-arrival-rate') {
    throw new Error(`CHECK_EXECUTOR=${CHECK_EXECUTOR}: use ramping-arrival-rate or constant-vus`);
  }
  return {
    executor: 'ramping-arrival-rate',
    exec: 'checkFlags',
    startRate: Math.max(1, Math.round(RATE / 10)),
    timeUnit: '1s',
    preAllocatedVUs: VUS,
    maxVUs: MAX_VUS,
    stages: [
      { duration: `${RAMP_S}s`, target: RATE },
      { duration: `${DURATION_S}s`, target: RATE },
    ],
  };
}

/** @type {Options} */
export const options = {
  scenarios: {
    checks: checksScenario(),
    details: {
      executor: 'constant-arrival-rate',
      exec: 'detailsAndList',
      rate: DETAILS_RATE,
      timeUnit: '1s',
      duration: TOTAL,
      preAllocatedVUs: Math.max(2, Math.ceil(DETAILS_RATE / 4)),
      maxVUs: Math.max(10, DETAILS_RATE * 2),
    },
    invalidation: {
      executor: 'constant-arrival-rate',
      exec: 'invalidateThenCheck',
      rate: 1,
      timeUnit: `${INVALIDATE_EVERY_S}s`,
      duration: TOTAL,
      preAllocatedVUs: 1,
      maxVUs: 2,
    },
    updates: {
      executor: 'constant-vus',
      exec: 'updateFlag',
      vus: UPDATE_VUS,
      duration: TOTAL,
    },
    ofrep: {
      executor: 'constant-arrival-rate',
      exec: 'openFeature',
      rate: OFREP_RATE,
      timeUnit: '1s',
      duration: TOTAL,
      preAllocatedVUs: Math.max(2, Math.ceil(OFREP_RATE / 4)),
      maxVUs: Math.max(10, OFREP_RATE * 2),
    },
  },
  thresholds: {
    'http_req_duration{scenario:checks}': ['p(95)<200'],
    cache_hits: ['rate>0.8'],
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
    // Always true: listed so that the summary prints each sub-metric.
    'flag_enabled{flag:new_checkout_flow}': ['rate>=0'],
    'flag_enabled{flag:beta_features}': ['rate>=0'],
    'flag_enabled{flag:dark_mode}': ['rate>=0'],
    'flag_enabled{flag:experimental_api}': ['rate>=0'],
    'http_req_duration{scenario:details}': ['p(95)>=0'],
    'http_req_duration{scenario:updates}': ['p(95)>=0'],
    'http_req_duration{scenario:ofrep}': ['p(95)<200'],
    // Informational: the updates scenario changes a flag every second or so, and every change
    // gives every context a new ETag.
    ofrep_not_modified: ['rate>=0'],
  },
  summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/**
 * @template T
 * @param {readonly T[]} items
 * @returns {T}
 */
function pick(items) {
  const item = items[Math.floor(Math.random() * items.length)];
  if (item === undefined) throw new Error('pick() from an empty list');
  return item;
}

function randomUser() {
  return `user-${1 + Math.floor(Math.random() * USERS)}`;
}

/**
 * @param {unknown} v
 * @returns {v is Obj}
 */
function isObj(v) {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * @param {unknown} v
 * @returns {v is number}
 */
function isPercent(v) {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 100;
}

/**
 * @param {unknown} v
 * @returns {v is number}
 */
function isCount(v) {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

/**
 * @param {unknown} v
 * @returns {v is number}
 */
function isRatio(v) {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;
}

/**
 * The response body parsed as JSON, or null when it is not JSON.
 * @param {Response} res
 * @returns {unknown}
 */
function parseBody(res) {
  if (typeof res.body !== 'string' || res.body === '') return null;
  try {
    return JSON.parse(res.body);
  } catch (_) {
    return null;
  }
}

/**
 * The response body when it is a JSON object, else null (and counted in bad_bodies).
 * @param {Response} res
 * @returns {Obj | null}
 */
function jsonObject(res) {
  const body = parseBody(res);
  if (isObj(body)) return body;
  badBodies.add(1, { status: String(res.status) });
  return null;
}

/**
 * Request params: a stable `name` tag (so ten thousand user ids make one URL in the metrics),
 * the admin token on writes, the client token (if any) on reads.
 * @param {string} name
 * @param {{ admin?: boolean, json?: boolean }} [opts]
 * @returns {Params}
 */
function params(name, opts = {}) {
  /** @type {{ [name: string]: string }} */
  const headers = { Accept: 'application/json' };
  if (opts.json) headers['Content-Type'] = 'application/json';
  if (opts.admin && ADMIN_TOKEN) headers.Authorization = `Bearer ${ADMIN_TOKEN}`;
  else if (!opts.admin && CLIENT_TOKEN) headers.Authorization = `Bearer ${CLIENT_TOKEN}`;
  return { headers, tags: { name }, responseType: 'text' };
}

/**
 * @param {string} flag
 * @param {string} user
 */
function getCheck(flag, user) {
  return http.get(
    `${BASE_URL}/flags/${encodeURIComponent(flag)}/check?user_id=${encodeURIComponent(user)}`,
    params('GET /flags/{flag}/check'),
  );
}

/**
 * @param {string} flag
 * @param {string} user
 */
function getDetails(flag, user) {
  return http.get(
    `${BASE_URL}/flags/${encodeURIComponent(flag)}?user_id=${encodeURIComponent(user)}`,
    params('GET /flags/{flag}'),
  );
}

/**
 * Upserts a flag, through the query string or a JSON body.
 * @param {string} flag
 * @param {boolean} enabled
 * @param {number} rollout
 * @param {'query' | 'json'} style
 */
function postUpdate(flag, enabled, rollout, style) {
  const url = `${BASE_URL}/flags/${encodeURIComponent(flag)}/update`;
  if (style === 'query') {
    return http.post(
      `${url}?enabled=${enabled}&rollout_percentage=${rollout}`,
      null,
      params('POST /flags/{flag}/update', { admin: true }),
    );
  }
  const body = JSON.stringify({
    enabled,
    rollout_percentage: rollout,
    metadata: { source: 'k6', vu: String(__VU) },
  });
  return http.post(url, body, params('POST /flags/{flag}/update', { admin: true, json: true }));
}

/**
 * An OFREP evaluation: every flag (`flag` undefined) or one.
 * @param {Obj} context
 * @param {string} [flag]
 * @param {string} [etag] sent as If-None-Match
 */
function postOfrep(context, flag, etag) {
  const p = params(
    flag === undefined ? 'POST /ofrep/v1/evaluate/flags' : 'POST /ofrep/v1/evaluate/flags/{key}',
    {
      json: true,
    },
  );
  if (etag !== undefined && p.headers) p.headers['If-None-Match'] = etag;
  const path = flag === undefined ? '' : `/${encodeURIComponent(flag)}`;
  return http.post(`${BASE_URL}/ofrep/v1/evaluate/flags${path}`, JSON.stringify({ context }), p);
}

/**
 * Whether `v` is an OFREP success: `{key, value, reason, variant?, metadata?}`.
 * @param {unknown} v
 * @returns {v is Obj}
 */
function isOfrepSuccess(v) {
  return (
    isObj(v) &&
    typeof v.key === 'string' &&
    'value' in v &&
    OFREP_REASONS.includes(String(v.reason)) &&
    (v.variant === undefined || typeof v.variant === 'string') &&
    (v.metadata === undefined || isObj(v.metadata))
  );
}

/**
 * @param {Response} res
 * @param {Obj | null} body
 * @param {string} flag
 * @param {string} prefix
 * @returns {boolean}
 */
function checkCheckResponse(res, body, flag, prefix) {
  return check(res, {
    [`${prefix}: status 200`]: (r) => r.status === 200,
    [`${prefix}: enabled is a boolean`]: () => body !== null && typeof body.enabled === 'boolean',
    [`${prefix}: _cache is hit|miss|stale`]: () =>
      body !== null && CACHE_STATES.includes(String(body._cache)),
    [`${prefix}: a disabled flag answers false`]: () =>
      !DISABLED_FLAGS.includes(flag) || (body !== null && body.enabled === false),
  });
}

/**
 * @param {Response} res
 * @param {Obj | null} body
 * @param {string} flag
 * @param {string} prefix
 * @returns {boolean}
 */
function checkDetailsResponse(res, body, flag, prefix) {
  const data = body !== null && isObj(body.flag_data) ? body.flag_data : null;
  return check(res, {
    [`${prefix}: status 200`]: (r) => r.status === 200,
    [`${prefix}: flag_name is the flag asked for`]: () => body !== null && body.flag_name === flag,
    [`${prefix}: enabled is a boolean`]: () => body !== null && typeof body.enabled === 'boolean',
    [`${prefix}: flag_data.enabled is a boolean`]: () =>
      data !== null && typeof data.enabled === 'boolean',
    [`${prefix}: flag_data.rollout_percentage is 0..100`]: () =>
      data !== null && isPercent(data.rollout_percentage),
    [`${prefix}: flag_data.metadata is an object`]: () =>
      data !== null && (data.metadata === null || isObj(data.metadata)),
    [`${prefix}: _cache is hit|miss|stale`]: () =>
      body !== null && CACHE_STATES.includes(String(body._cache)),
    [`${prefix}: a user is never enabled on a disabled flag`]: () =>
      body === null || data === null || data.enabled !== false || body.enabled === false,
  });
}

/**
 * The flags of GET /flags, whether it answers an array or an object holding one.
 * @param {unknown} body
 * @returns {unknown[] | null}
 */
function flagList(body) {
  if (Array.isArray(body)) return body;
  if (isObj(body)) {
    for (const key of ['flags', 'items', 'data']) {
      const v = body[key];
      if (Array.isArray(v)) return v;
    }
  }
  return null;
}

/**
 * @param {unknown} item
 * @returns {string | null}
 */
function listedName(item) {
  if (typeof item === 'string') return item;
  if (!isObj(item)) return null;
  const name = item.flag_name ?? item.name;
  return typeof name === 'string' ? name : null;
}

/**
 * @param {unknown} v
 * @returns {boolean}
 */
function isLayerStats(v) {
  return isObj(v) && isCount(v.hits) && isCount(v.misses) && isRatio(v.hit_rate);
}

// ---------------------------------------------------------------------------
// Lifecycle
// ---------------------------------------------------------------------------

export function setup() {
  const health = http.get(`${BASE_URL}/health`, params('GET /health'));
  if (health.status !== 200) {
    fail(
      `${BASE_URL}/health answered ${health.status} (${health.error || 'no error'}): is the service up?`,
    );
  }

  // Give the updates scenario a known starting point, so that a value left by an earlier run
  // (outside ROLLOUT_VALUES) can only come back from a stale cache.
  const res = postUpdate(LOAD_FLAG, true, SETUP_ROLLOUT, 'json');
  if (res.status !== 200) {
    fail(
      `POST /flags/${LOAD_FLAG}/update answered ${res.status}: ${String(res.body).slice(0, 200)} (ADMIN_TOKEN ${ADMIN_TOKEN ? 'set' : 'unset'})`,
    );
  }
  // Behind a load balancer the read may reach another replica, which learns of the write through
  // Redis pub/sub a few milliseconds later: allow it up to SETUP_READBACK_S to catch up.
  /** @type {Obj | null} */
  let back = null;
  const deadline = Date.now() + SETUP_READBACK_S * 1000;
  for (;;) {
    back = jsonObject(getDetails(LOAD_FLAG, 'k6-setup'));
    const data = back !== null && isObj(back.flag_data) ? back.flag_data : null;
    if (data !== null && data.rollout_percentage === SETUP_ROLLOUT) break;
    if (Date.now() >= deadline) {
      fail(
        `GET /flags/${LOAD_FLAG} did not return rollout_percentage ${SETUP_ROLLOUT} within ${SETUP_READBACK_S}s of an update: ${JSON.stringify(back)}`,
      );
    }
    sleep(0.1);
  }
  return { startedAt: Date.now() };
}

export function teardown() {
  const res = http.get(`${BASE_URL}/cache/stats`, params('GET /cache/stats'));
  const body = parseBody(res);
  if (res.status === 200 && isObj(body)) {
    const layers = isObj(body.layers) ? body.layers : {};
    const perLayer = CACHE_LAYERS.map((l) => {
      const s = layers[l];
      return isObj(s) ? `${l}=${String(s.hit_rate)}` : `${l}=?`;
    }).join(' ');
    const memo = isObj(body.ofrep_bulk_memo) ? body.ofrep_bulk_memo : {};
    logger.log(
      `cache/stats at the end: hit_rate=${String(body.hit_rate)} (${perLayer}) keys=${String(body.keys)} db_reads=${String(body.db_reads)} ofrep_bulk_memo.hit_rate=${String(memo.hit_rate)}`,
    );
  } else {
    logger.warn(`GET /cache/stats answered ${res.status} at the end`);
  }
}

// ---------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------

/** `checks`: the hot path. */
export function checkFlags() {
  const flag = pick(SEED_FLAGS);
  const res = getCheck(flag, randomUser());
  const body = jsonObject(res);
  checkCheckResponse(res, body, flag, 'check');
  if (body !== null && typeof body._cache === 'string') cacheHits.add(body._cache === 'hit');
  if (body !== null && typeof body.enabled === 'boolean') flagEnabled.add(body.enabled, { flag });
}

/** `details`: flag details, and now and then the flag list and the cache stats. */
export function detailsAndList() {
  const flag = pick(SEED_FLAGS);
  const res = getDetails(flag, randomUser());
  checkDetailsResponse(res, jsonObject(res), flag, 'details');

  if (Math.random() < 0.2) {
    const list = http.get(`${BASE_URL}/flags`, params('GET /flags'));
    const flags = flagList(parseBody(list));
    if (flags === null) badBodies.add(1, { status: String(list.status) });
    check(list, {
      'list: status 200': (r) => r.status === 200,
      'list: is a list of flags': () => flags !== null,
      'list: holds every seed flag': () => {
        const names = (flags || []).map(listedName);
        return SEED_FLAGS.every((f) => names.includes(f));
      },
    });
  }

  if (Math.random() < 0.05) {
    const stats = http.get(`${BASE_URL}/cache/stats`, params('GET /cache/stats'));
    const body = jsonObject(stats);
    check(stats, {
      'stats: status 200': (r) => r.status === 200,
      'stats: hits, misses, hit_rate': () =>
        body !== null && isCount(body.hits) && isCount(body.misses) && isRatio(body.hit_rate),
      'stats: layers check/endpoint/service/list': () => {
        const layers = body !== null && isObj(body.layers) ? body.layers : null;
        return layers !== null && CACHE_LAYERS.every((l) => isLayerStats(layers[l]));
      },
      'stats: keys, db_reads, uptime_s': () =>
        body !== null && isCount(body.keys) && isCount(body.db_reads) && isCount(body.uptime_s),
    });
  }
}

/** `invalidation`: drop one flag's cache, then the next check of it must still be right. */
export function invalidateThenCheck() {
  const flag = pick(SEED_FLAGS);
  const user = randomUser();

  const before = jsonObject(getCheck(flag, user));

  const started = Date.now();
  const del = http.del(
    `${BASE_URL}/flags/${encodeURIComponent(flag)}/cache`,
    null,
    params('DELETE /flags/{flag}/cache', { admin: true }),
  );
  check(del, { 'invalidate: status 200 or 204': (r) => r.status === 200 || r.status === 204 });

  const res = getCheck(flag, user);
  invalidationRoundTrip.add(Date.now() - started);
  const body = jsonObject(res);
  checkCheckResponse(res, body, flag, 'check after invalidation');
  check(res, {
    // Seed flags are never updated by this test, and rollout is a pure function of (flag, user).
    'check after invalidation: same answer as before': () =>
      before === null ||
      body === null ||
      typeof before.enabled !== 'boolean' ||
      body.enabled === before.enabled,
  });
  if (body !== null && typeof body._cache === 'string')
    missAfterInvalidation.add(body._cache === 'miss');
}

/** `ofrep`: what an OpenFeature provider does: a bulk evaluation, its revalidation, one flag. */
export function openFeature() {
  const context = { targetingKey: randomUser(), country: pick(COUNTRIES) };
  const bulk = postOfrep(context);
  const body = jsonObject(bulk);
  const flags = body !== null && Array.isArray(body.flags) ? body.flags : null;
  const etag = bulk.headers.Etag ?? bulk.headers.ETag;
  check(bulk, {
    'ofrep bulk: status 200': (r) => r.status === 200,
    'ofrep bulk: every flag a success': () => flags !== null && flags.every(isOfrepSuccess),
    'ofrep bulk: holds every seed flag': () => {
      const keys = (flags || []).map((f) => (isObj(f) ? f.key : null));
      return SEED_FLAGS.every((f) => keys.includes(f));
    },
    'ofrep bulk: a disabled flag is false, DISABLED': () =>
      (flags || []).every(
        (f) =>
          !isObj(f) ||
          !DISABLED_FLAGS.includes(String(f.key)) ||
          (f.value === false && f.reason === 'DISABLED'),
      ),
    'ofrep bulk: has an ETag': () => typeof etag === 'string' && etag !== '',
  });
  if (typeof etag === 'string' && etag !== '') {
    const again = postOfrep(context, undefined, etag);
    check(again, {
      // 200 only when a flag changed in between (the updates scenario writes one every second).
      'ofrep revalidation: 304, or 200 with a new ETag': (r) =>
        r.status === 304 || (r.status === 200 && (r.headers.Etag ?? r.headers.ETag) !== etag),
    });
    ofrepNotModified.add(again.status === 304);
  }

  const flag = pick(SEED_FLAGS);
  const single = postOfrep(context, flag);
  const one = jsonObject(single);
  check(single, {
    'ofrep single: status 200': (r) => r.status === 200,
    'ofrep single: the flag asked for, as a success': () => isOfrepSuccess(one) && one.key === flag,
  });
}

/** `updates`: concurrent upserts of LOAD_FLAG, each read back. */
export function updateFlag() {
  const rollout = pick(ROLLOUT_VALUES);
  const enabled = Math.random() < 0.9;
  const style = __ITER % 2 === 0 ? 'json' : 'query';

  const res = postUpdate(LOAD_FLAG, enabled, rollout, style);
  check(res, { [`update (${style}): status 200`]: (r) => r.status === 200 });

  const read = getDetails(LOAD_FLAG, `k6-updater-${__VU}`);
  const body = jsonObject(read);
  checkDetailsResponse(read, body, LOAD_FLAG, 'details after update');
  const data = body !== null && isObj(body.flag_data) ? body.flag_data : null;
  const seen = data !== null ? data.rollout_percentage : undefined;
  check(read, {
    'details after update: rollout is one this test wrote': () =>
      typeof seen === 'number' && ROLLOUT_VALUES.includes(seen),
  });
  if (res.status === 200 && typeof seen === 'number') readYourWrite.add(seen === rollout);

  if (UPDATE_PAUSE_S > 0) sleep(UPDATE_PAUSE_S);
}
