// @ts-check
// Load generation: autocannon, in this process (pinned to CPU 1), with per-response latencies at
// sub-millisecond resolution and the CPU time of the server, this process and the rest.
import autocannon from 'autocannon';
import { rawRequest } from './http.mjs';
import { requireUnknown } from './untyped.mjs';
import { cpuDelta, cpuSnapshot } from './machine.mjs';

/**
 * @typedef {import('./types').LoadOptions} LoadOptions
 * @typedef {import('./types').LoadResult} LoadResult
 * @typedef {import('./types').LatencySummary} LatencySummary
 */

/**
 * autocannon's client, with the internals smoothPacing() and the raw-request generator use
 * (autocannon 7-9; not in its published types).
 * @typedef {object} ClientInternals
 * @property {() => Buffer} [getRequestBuffer]
 * @property {boolean} [destroyed]
 * @property {number} [rate]
 * @property {NodeJS.Timeout} [rateInterval]
 * @property {number} [reqsMadeThisSecond]
 * @property {boolean} [paused]
 * @property {() => void} _doRequest
 */

/** Latencies (ms, float) of one run, with sub-millisecond resolution. */
class Latencies {
  constructor() {
    this.values = new Float64Array(1 << 16);
    this.count = 0;
  }
  /** @param {number} ms */
  add(ms) {
    if (this.count === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.count++] = ms;
  }
  /** @returns {LatencySummary} */
  summary() {
    const v = this.values.slice(0, this.count).sort();
    /** @param {number} q */
    const at = (q) =>
      v.length === 0 ? null : v[Math.min(v.length - 1, Math.ceil(q * v.length) - 1)];
    let sum = 0;
    for (const x of v) sum += x;
    return {
      count: v.length,
      mean: v.length ? sum / v.length : null,
      p50: at(0.5),
      p95: at(0.95),
      p99: at(0.99),
      p999: at(0.999),
      max: v.length ? v[v.length - 1] : null,
    };
  }
}

// Each request's path comes from `pathFor(k)` with k a counter shared by all connections, so that
// consecutive requests go to different users and flags. autocannon's own way (`requests` with a
// `setupRequest`) rebuilds each request through its generic builder, which costs the one-core load
// generator about a third of its throughput; when autocannon's client exposes `getRequestBuffer`
// (autocannon 7-9) the raw request bytes are produced directly instead.
const RAW_REQUESTS = (() => {
  try {
    const { prototype } = /** @type {{ prototype: ClientInternals }} */ (
      requireUnknown('autocannon/lib/httpClient')
    );
    return typeof prototype.getRequestBuffer === 'function';
  } catch {
    return false;
  }
})();

/**
 * The options that make autocannon send pathFor(k) (and bodyFor(k)) as the k-th request.
 * @param {LoadOptions} options
 * @param {number} connections
 * @returns {Partial<autocannon.Options>}
 */
function generator({ base, pathFor, bodyFor, method = 'GET', overallRate }, connections) {
  let k = 0;
  if (RAW_REQUESTS) {
    const host = new URL(base).host;
    let index = 0;
    return {
      setupClient: (client) => {
        const internals = /** @type {ClientInternals} */ (/** @type {unknown} */ (client));
        internals.getRequestBuffer = () => {
          const n = k++;
          return rawRequest(host, pathFor(n), { method, body: bodyFor?.(n) });
        };
        if (overallRate) smoothPacing(internals, index++, connections);
      },
    };
  }
  return {
    requests: [
      {
        method,
        ...(bodyFor ? { headers: { 'content-type': 'application/json' } } : {}),
        setupRequest(req) {
          const n = k++;
          req.path = pathFor(n);
          if (bodyFor) req.body = bodyFor(n);
          return req;
        },
      },
    ],
  };
}

// autocannon paces a rate-limited connection per second: it sends the second's whole quota back to
// back, then waits for the next second. At 5,000 req/s over 50 connections that is a burst of
// 5,000 requests at the start of every second, which measures queueing behind the burst rather
// than latency at 5,000 req/s. This spreads each connection's quota evenly (one request every
// 1000/rate ms) and staggers the connections. Missed slots are not made up (no correction for
// coordinated omission): compare the achieved rate with the target.
/**
 * @param {ClientInternals} client
 * @param {number} index
 * @param {number} connections
 */
function smoothPacing(client, index, connections) {
  setImmediate(() => {
    // The client's constructor has now started its once-a-second timer: replace it.
    if (client.destroyed || !client.rate) return;
    clearInterval(client.rateInterval);
    const tickMs = 1000 / client.rate;
    client.rate = 1;
    client.reqsMadeThisSecond = 0;
    setTimeout(
      () => {
        if (client.destroyed) return;
        client.rateInterval = setInterval(() => {
          client.reqsMadeThisSecond = 0;
          if (client.paused) {
            client.paused = false;
            client._doRequest();
          }
        }, tickMs);
      },
      (index * tickMs) / connections,
    );
  });
}

/**
 * One autocannon run.
 * @param {LoadOptions} options
 * @param {number} connections
 * @returns {Promise<LoadResult>}
 */
export async function load(options, connections) {
  const { base, seconds, amount, overallRate, maxSeconds, pid } = options;
  const latencies = new Latencies();
  const cpu0 = cpuSnapshot(pid);
  /** @type {autocannon.Options} */
  const opts = {
    url: base,
    connections,
    duration: seconds,
    timeout: 10,
    ...generator(options, connections),
  };
  if (amount) opts.amount = amount;
  if (overallRate) opts.overallRate = overallRate;
  // Without a callback autocannon returns its instance, which is also the promise of its result
  // (its published types only have the promise).
  const run = autocannon(opts);
  const instance = /** @type {autocannon.Instance} */ (/** @type {unknown} */ (run));
  instance.on('response', (_client, _status, _bytes, responseTime) => latencies.add(responseTime));
  const guard = maxSeconds ? setTimeout(() => instance.stop(), maxSeconds * 1000) : undefined;
  const result = await run;
  clearTimeout(guard);
  const cpu = cpuDelta(cpu0, cpuSnapshot(pid));
  const lat = latencies.summary();
  const responses = lat.count;
  const failed = result.errors + result.timeouts;
  const bad = failed + result.non2xx;
  return {
    duration_s: result.duration,
    responses,
    rps: responses / result.duration,
    rps_autocannon_mean: result.requests.average,
    latency_ms: lat,
    autocannon_latency_ms: {
      p50: result.latency.p50,
      p99: result.latency.p99,
      p99_9: result.latency.p99_9,
      note: 'autocannon histogram: integer ms; with a rate set, its coordinated-omission correction assumes its own pacing',
    },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    status_codes: result.statusCodeStats,
    error_rate: bad / Math.max(1, responses + failed),
    cpu_pct: cpu,
    target_rate: overallRate ?? null,
  };
}

/**
 * Checks of `flags` in turn, users cycling: the k-th request.
 * @param {string[]} flags
 * @param {number} users
 */
export const checkPath = (flags, users) => (/** @type {number} */ k) =>
  `/flags/${flags[k % flags.length]}/check?user_id=user-${Math.floor(k / flags.length) % users}`;
