// @ts-check
// Server time, from the service's own latency histogram (GET /metrics, Prometheus text):
// edgeflags_http_request_duration_seconds, one route, method and status.

/**
 * @typedef {import('./types').Histogram} Histogram
 * @typedef {import('./types').ServerTime} ServerTime
 * @typedef {import('./types').RequestFn} RequestFn
 */

export const CHECK_ROUTE = '/flags/:flag_name/check';

/**
 * The cumulative buckets of one series of edgeflags_http_request_duration_seconds.
 * @param {unknown} text
 * @returns {Histogram}
 */
export function parseHistogram(text, { route = CHECK_ROUTE, method = 'GET', status = '200' } = {}) {
  /** @type {Map<number, number>} */
  const buckets = new Map();
  let count = 0;
  let sum = 0;
  for (const line of String(text).split('\n')) {
    const m = /^edgeflags_http_request_duration_seconds_(bucket|sum|count)\{([^}]*)\}\s+(\S+)/.exec(
      line,
    );
    if (!m) continue;
    const labels = Object.fromEntries(
      [...m[2].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]),
    );
    if (labels.route !== route || labels.method !== method || labels.status !== status) continue;
    const value = Number(m[3]);
    if (m[1] === 'bucket') buckets.set(labels.le === '+Inf' ? Infinity : Number(labels.le), value);
    else if (m[1] === 'sum') sum = value;
    else count = value;
  }
  return {
    buckets: [...buckets.entries()].sort((a, b) => a[0] - b[0]),
    count,
    sum,
  };
}

/**
 * @param {RequestFn} request
 * @param {string} base
 */
export async function scrapeHistogram(request, base) {
  const r = await request('GET', `${base}/metrics`, { anonymous: true });
  if (r.status !== 200) throw new Error(`GET /metrics -> HTTP ${r.status}`);
  return parseHistogram(r.body);
}

/**
 * after - before, bucket by bucket (summable over runs with addHistograms).
 * @param {Histogram} before
 * @param {Histogram} after
 * @returns {Histogram}
 */
export function histogramDelta(before, after) {
  const prev = new Map(before.buckets);
  return {
    buckets: after.buckets.map(([le, v]) => [le, v - (prev.get(le) ?? 0)]),
    count: after.count - before.count,
    sum: after.sum - before.sum,
  };
}

/**
 * @param {Histogram[]} list
 * @returns {Histogram}
 */
export function addHistograms(list) {
  /** @type {Map<number, number>} */
  const acc = new Map();
  for (const h of list) for (const [le, v] of h.buckets) acc.set(le, (acc.get(le) ?? 0) + v);
  return {
    buckets: [...acc.entries()].sort((a, b) => a[0] - b[0]),
    count: list.reduce((n, h) => n + h.count, 0),
    sum: list.reduce((n, h) => n + h.sum, 0),
  };
}

/**
 * Share within 1 ms, and quantiles by linear interpolation inside the bucket that holds them
 * (from 0 for the first bucket), in ms; null when a quantile falls in the +Inf bucket.
 * @param {Histogram} delta
 * @returns {ServerTime}
 */
export function serverTime(delta) {
  const { buckets, count, sum } = delta;
  if (!count) return { requests: 0, within_1ms: null, p50_ms: null, p99_ms: null, mean_ms: null };
  /** @param {number} q */
  const quantile = (q) => {
    const target = q * count;
    let lower = 0;
    let below = 0;
    for (const [le, cum] of buckets) {
      if (cum >= target) {
        if (le === Infinity) return null;
        const inBucket = cum - below;
        return (lower + (le - lower) * (inBucket > 0 ? (target - below) / inBucket : 1)) * 1000;
      }
      lower = le;
      below = cum;
    }
    return null;
  };
  /** @param {number} le */
  const within = (le) => {
    const cum = buckets.find(([b]) => b === le)?.[1];
    return cum === undefined ? null : cum / count;
  };
  return {
    requests: count,
    within_1ms: within(0.001),
    // The finest bucket: quantiles below it are interpolated between 0 and 0.1 ms.
    within_0_1ms: within(0.0001),
    p50_ms: quantile(0.5),
    p99_ms: quantile(0.99),
    p999_ms: quantile(0.999),
    mean_ms: (sum / count) * 1000,
    histogram: delta,
  };
}
