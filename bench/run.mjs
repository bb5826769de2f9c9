#!/usr/bin/env node
// edgeflags benchmark: one run, every scenario, against the built app and two floors: a bare
// node:http server (bench/baseline-server.mjs) and a minimal NestJS + Fastify app answering from
// one interceptor (bench/nest-floor-server.mjs). With real PostgreSQL and Redis it also starts a
// second instance of the service to measure how stale it is after an update (staleness).
// Rolling restarts under load are measured separately: node bench/restart.mjs.
//
//   npm run build && npm run bench
//   BENCH_DURATION_S=3 node bench/run.mjs                     # short (CI) run, embedded backends
//   BENCH_DATABASE_URL=postgres://... BENCH_REDIS_URL=redis://.../12 BENCH_WRITE_DOCS=1 node bench/run.mjs
//
//   node bench/run.mjs --docs-only                             # rewrite docs/benchmarks.md from the last results
//
// The service, its second instance and both floors run pinned to CPU 0 (never two under load at
// the same time), the load generator (autocannon, in this process) pinned to CPU 1. Results go
// to stdout and to bench/results/latest.json; with BENCH_WRITE_DOCS=1 docs/benchmarks.md is
// regenerated.
// BENCH_WAIT_QUIET_S=N waits up to N s before each scenario for other processes to go quiet.
// Give BENCH_REDIS_URL a Redis server of its own: the service's invalidation pub/sub channel is
// named after the Redis database, so another edgeflags instance on the same database reaches it.
// Exits 1 when the service cannot start, a scenario has more than 1% errors, or answers are wrong.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { childProcesses, freePort, pinLoadGenerator, redact, sleep } from './processes.mjs';
import { isEnabledFor } from './rollout.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = path.join(ROOT, 'dist/apps/api/main.js');
const RESULTS = path.join(ROOT, 'bench/results/latest.json');
const RESTART_RESULTS = path.join(ROOT, 'bench/results/restart.json'); // written by bench/restart.mjs
const DOCS = path.join(ROOT, 'docs/benchmarks.md');

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
if (!Number.isFinite(DURATION_S) || DURATION_S <= 0)
  fail('BENCH_DURATION_S must be a positive number');
const SHORT = DURATION_S < 5;
const WARMUP_S = SHORT ? 1 : 2;
const CONNECTIONS = 50;
const FIXED_RATE = 5000;
const USERS = 10_000;
const MEMORY_USERS = SHORT ? 200_000 : 1_000_000;
const MEMORY_MAX_S = SHORT ? 45 : 150;
const SEEDED_ANSWERS = SHORT ? 100_000 : 1_000_000;
const UPDATES = 200;
// baseline-check, nest-floor-check and check-hit run interleaved, this many rounds each.
const REFERENCE_ROUNDS = 3;
// staleness: updates on instance A, each followed by a tight poll of instance B until it answers
// the new value (after a few discarded warm-up rounds).
const STALENESS_UPDATES = 100;
const STALENESS_WARMUP = 5;
const STALENESS_TIMEOUT_MS = 10_000;
const STALENESS_TARGET_P99_MS = 50;
// miss-burst: this many concurrent checks, distinct users, on a flag no cache layer holds; repeated.
const BURST = 500;
const BURSTS = 3;
const BURST_PCT = 50;
const ERROR_BUDGET = 0.01;
// On a shared machine, wait up to this long before each scenario for other processes to go quiet.
const WAIT_QUIET_S = Number(process.env.BENCH_WAIT_QUIET_S ?? 0);
const SEED_FLAGS = ['new_checkout_flow', 'beta_features', 'dark_mode', 'experimental_api'];
const MIXED_FLAG = 'bench_mixed';
const UPDATE_FLAG = 'bench_update';
const STALENESS_FLAG = 'bench_staleness';
const STALENESS_USER = 'staleness-user';
const BURST_FLAG = (n) => `bench_burst_${n}`;

const DB_URL = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || '';
const REDIS_URL = process.env.BENCH_REDIS_URL || process.env.REDIS_URL || '';

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(1);
}

const DOCS_ONLY = process.argv.includes('--docs-only');
if (!DOCS_ONLY && !fs.existsSync(MAIN))
  fail(`${path.relative(ROOT, MAIN)} is missing: run npm run build first`);

// ---------------------------------------------------------------------------------------------
// Pinning: the service/baseline on CPU 0, this process (the load generator) on CPU 1.
const CPUS = os.availableParallelism ? os.availableParallelism() : os.cpus().length;
const NPROC = (() => {
  const r = spawnSync('nproc', [], { encoding: 'utf8' }); // before this process is pinned
  return r.status === 0 ? Number(r.stdout.trim()) : null;
})();
const pin = pinLoadGenerator({ skip: DOCS_ONLY });
const PIN = pin.taskset !== null;
const pinning = PIN
  ? 'service (and its second instances: without request metrics, for staleness), baseline and nest-floor: taskset -c 0; load generator (autocannon, in bench/run.mjs): taskset -a -cp 1'
  : `none (${pin.why})`;

// ---------------------------------------------------------------------------------------------
const { children, startChild, stopChild } = childProcesses('bench', {
  root: ROOT,
  pinTo: () => pin.taskset,
});

// ---------------------------------------------------------------------------------------------
// Plain HTTP for control requests (stats, updates, checks): one keep-alive connection.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

// The service is started with this admin token (it refuses NODE_ENV=production without one, and
// updates need it); control requests carry it. The load itself sends no credentials.
const ADMIN_TOKEN = randomBytes(24).toString('base64url');
const CONTROL_HEADERS = { authorization: `Bearer ${ADMIN_TOKEN}` };

/**
 * `at`: when the response had been read (process.hrtime.bigint()). `via`: another agent;
 * `anonymous`: without the admin token, as the load sends its checks.
 */
function request(method, url, { timeoutMs = 10_000, via = agent, anonymous = false } = {}) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const headers = anonymous ? {} : CONTROL_HEADERS;
    const options = { method, agent: via, timeout: timeoutMs, headers };
    const req = http.request(url, options, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const at = process.hrtime.bigint();
        const ms = Number(at - start) / 1e6;
        const text = Buffer.concat(chunks).toString('utf8');
        let body = text;
        try {
          body = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode, body, ms, at });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** A TCP connection to 127.0.0.1:port, for exchange(). */
function openSocket(port) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1', () => {
      sock.off('error', reject);
      sock.on('error', () => {});
      resolve(sock);
    });
    sock.setNoDelay(true);
    sock.on('error', reject);
  });
}

/**
 * Writes one raw HTTP/1.1 request on a keep-alive socket and reads its answer (a response with a
 * Content-Length, as the service gives): { status, body, at }, status 0 on a socket error.
 */
function exchange(sock, requestBuffer, timeoutMs = 30_000) {
  return new Promise((resolve) => {
    let data = Buffer.alloc(0);
    const done = (answer) => {
      clearTimeout(timer);
      sock.off('data', onData);
      sock.off('close', onClose);
      resolve({ at: process.hrtime.bigint(), ...answer });
    };
    const onClose = () => done({ status: 0, error: 'connection closed' });
    const onData = (chunk) => {
      data = data.length ? Buffer.concat([data, chunk]) : chunk;
      const end = data.indexOf('\r\n\r\n');
      if (end === -1) return;
      const head = data.subarray(0, end).toString('latin1');
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (data.length < end + 4 + length) return;
      const text = data.subarray(end + 4, end + 4 + length).toString('utf8');
      let body = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      done({ status: Number(head.slice(9, 12)), body });
    };
    const timer = setTimeout(() => done({ status: 0, error: 'timed out' }), timeoutMs);
    sock.on('data', onData);
    sock.on('close', onClose);
    sock.write(requestBuffer);
  });
}

async function waitHealthy(child, base, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!children.has(child)) {
      throw new Error(
        `${child.label} exited (${child.exitCode_}) before answering /health:\n${child.output.trim()}`,
      );
    }
    try {
      const r = await request('GET', `${base}/health`, { timeoutMs: 2000 });
      if (r.status === 200) return r.body;
      last = `HTTP ${r.status} ${JSON.stringify(r.body)}`;
    } catch (e) {
      last = e.message;
    }
    await sleep(200);
  }
  throw new Error(`${child.label} did not become healthy in ${timeoutMs / 1000} s (${last})`);
}

// ---------------------------------------------------------------------------------------------
// Load generation.

/** Latencies (ms, float) of one run, with sub-millisecond resolution. */
class Latencies {
  constructor() {
    this.values = new Float64Array(1 << 16);
    this.count = 0;
  }
  add(ms) {
    if (this.count === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.count++] = ms;
  }
  summary() {
    const v = this.values.slice(0, this.count).sort();
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
const require = createRequire(import.meta.url);
const RAW_REQUESTS = (() => {
  try {
    return typeof require('autocannon/lib/httpClient').prototype.getRequestBuffer === 'function';
  } catch {
    return false;
  }
})();

function generator(base, pathFor, overallRate) {
  let k = 0;
  const out = {};
  if (RAW_REQUESTS) {
    const host = new URL(base).host;
    let index = 0;
    out.setupClient = (client) => {
      client.getRequestBuffer = () =>
        Buffer.from(
          `GET ${pathFor(k++)} HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\n\r\n`,
          'latin1',
        );
      if (overallRate) smoothPacing(client, index++);
    };
  } else {
    out.requests = [
      {
        method: 'GET',
        setupRequest(req) {
          req.path = pathFor(k++);
          return req;
        },
      },
    ];
  }
  return out;
}

// autocannon paces a rate-limited connection per second: it sends the second's whole quota back to
// back, then waits for the next second. At 5,000 req/s over 50 connections that is a burst of
// 5,000 requests at the start of every second, which measures queueing behind the burst rather
// than latency at 5,000 req/s. This spreads each connection's quota evenly (one request every
// 1000/rate ms) and staggers the connections. Missed slots are not made up (no correction for
// coordinated omission): compare the achieved rate with the target.
function smoothPacing(client, index) {
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
      (index * tickMs) / CONNECTIONS,
    );
  });
}

async function load({ base, pathFor, seconds, amount, overallRate, maxSeconds, pid }) {
  const latencies = new Latencies();
  const cpu0 = cpuSnapshot(pid);
  const opts = {
    url: base,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 10,
    ...generator(base, pathFor, overallRate),
  };
  if (amount) opts.amount = amount;
  if (overallRate) opts.overallRate = overallRate;
  const instance = autocannon(opts);
  instance.on('response', (_client, _status, _bytes, responseTime) => latencies.add(responseTime));
  const guard = maxSeconds ? setTimeout(() => instance.stop(), maxSeconds * 1000) : undefined;
  const result = await instance;
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

// ---------------------------------------------------------------------------------------------
// CPU accounting, in percent of one CPU over a run: the server under test, this load generator,
// and everything else on the machine (PostgreSQL, Redis, and whatever else happens to run).
const TICK_MS = 10; // USER_HZ is 100 on Linux

function procTicks(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return NaN;
  }
}

function machineTicks() {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = v[3] + (v[4] || 0);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle };
  } catch {
    return { busy: NaN };
  }
}

function cpuSnapshot(pid) {
  const self = process.cpuUsage();
  return {
    at: process.hrtime.bigint(),
    server: pid ? procTicks(pid) : NaN,
    self: (self.user + self.system) / 1000,
    machine: machineTicks().busy,
  };
}

function cpuDelta(a, b) {
  const ms = Number(b.at - a.at) / 1e6;
  const server = ((b.server - a.server) * TICK_MS * 100) / ms;
  const loadgen = ((b.self - a.self) * 100) / ms;
  const machine = ((b.machine - a.machine) * TICK_MS * 100) / ms;
  const round = (x) => (Number.isFinite(x) ? Math.round(x) : null);
  return {
    server: round(server),
    loadgen: round(loadgen),
    other: round(Math.max(0, machine - (Number.isFinite(server) ? server : 0) - loadgen)),
  };
}

/** Waits (up to WAIT_QUIET_S) until processes other than ours use under 15% of a CPU. */
async function waitQuiet(pids) {
  const deadline = Date.now() + WAIT_QUIET_S * 1000;
  let other;
  do {
    const a = { ...cpuSnapshot(), servers: pids.map(procTicks) };
    await sleep(500);
    const b = { ...cpuSnapshot(), servers: pids.map(procTicks) };
    const ms = Number(b.at - a.at) / 1e6;
    const ours = pids.reduce((sum, _, i) => sum + (b.servers[i] - a.servers[i]), 0) * TICK_MS;
    other = (((b.machine - a.machine) * TICK_MS - ours - (b.self - a.self)) * 100) / ms;
    if (other < 15) return { other: Math.round(other), waited: true };
  } while (Date.now() < deadline);
  return { other: Math.round(other), waited: false };
}

const checkPath = (flags, users) => (k) =>
  `/flags/${flags[k % flags.length]}/check?user_id=user-${Math.floor(k / flags.length) % users}`;

// ---------------------------------------------------------------------------------------------
// Measurements of the service process.

function rssKb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const pick = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: pick('VmRSS'), hwm: pick('VmHWM') };
  } catch {
    return { rss: NaN, hwm: NaN };
  }
}

function hitRate(before, after, layers) {
  let hits = 0;
  let misses = 0;
  for (const layer of layers) {
    hits += after.layers[layer].hits - before.layers[layer].hits;
    misses += after.layers[layer].misses - before.layers[layer].misses;
  }
  return { hits, misses, rate: hits + misses === 0 ? null : hits / (hits + misses) };
}

function quantiles(values) {
  const v = [...values].sort((a, b) => a - b);
  const at = (q) =>
    v.length === 0 ? null : v[Math.min(v.length - 1, Math.ceil(q * v.length) - 1)];
  return { count: v.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: v.at(-1) ?? null };
}

// ---------------------------------------------------------------------------------------------
// Server time, from the service's own latency histogram (GET /metrics, Prometheus text).
const CHECK_ROUTE = '/flags/:flag_name/check';

/** The cumulative buckets of one series of edgeflags_http_request_duration_seconds. */
function parseHistogram(text, { route = CHECK_ROUTE, method = 'GET', status = '200' } = {}) {
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

async function scrapeHistogram(base) {
  const r = await request('GET', `${base}/metrics`, { anonymous: true });
  if (r.status !== 200) throw new Error(`GET /metrics -> HTTP ${r.status}`);
  return parseHistogram(r.body);
}

/** after - before, bucket by bucket (summable over runs with addHistograms). */
function histogramDelta(before, after) {
  const prev = new Map(before.buckets);
  return {
    buckets: after.buckets.map(([le, v]) => [le, v - (prev.get(le) ?? 0)]),
    count: after.count - before.count,
    sum: after.sum - before.sum,
  };
}

function addHistograms(list) {
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
 */
function serverTime(delta) {
  const { buckets, count, sum } = delta;
  if (!count) return { requests: 0, within_1ms: null, p50_ms: null, p99_ms: null, mean_ms: null };
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

// ---------------------------------------------------------------------------------------------
// Redis (only when a real one is used), through node-redis as re-exported by @keyv/redis.

async function redisClient() {
  const { createClient } = await import('@keyv/redis');
  const client = createClient({ url: REDIS_URL });
  client.on('error', () => {});
  await client.connect();
  return client;
}

async function closeRedis(client) {
  if (typeof client.close === 'function') await client.close();
  else await client.quit();
}

async function seedAnswers(client, flag, revision, count) {
  const BATCH = 10_000;
  // The app's cache-manager/Keyv serialisation of a cached check answer.
  const value = JSON.stringify({ value: true, expires: Date.now() + 600_000 });
  for (let i = 0; i < count; i += BATCH) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + BATCH); j++) {
      batch.push(
        client.sendCommand([
          'SET',
          `ef:{${flag}}:${revision}:check:u:user-${j}`,
          value,
          'PX',
          '600000',
        ]),
      );
    }
    await Promise.all(batch);
  }
}

async function unlinkAnswers(client, flag, revision, count) {
  const BATCH = 1000;
  for (let i = 0; i < count; i += BATCH) {
    const keys = [];
    for (let j = i; j < Math.min(count, i + BATCH); j++)
      keys.push(`ef:{${flag}}:${revision}:check:u:user-${j}`);
    await client.sendCommand(['UNLINK', ...keys]);
  }
}

// ---------------------------------------------------------------------------------------------

const fmt = (x, digits = 2) =>
  x === null || x === undefined || Number.isNaN(x) ? '-' : x.toFixed(digits);
const pct = (x) => (x === null || x === undefined ? '-' : `${(x * 100).toFixed(2)}%`);

function machine() {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return {
    nproc: NPROC ?? CPUS,
    cpu_model: model.trim(),
    node: process.version,
    total_memory_gib: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    kernel: `${os.type()} ${os.release()}`,
  };
}

async function main() {
  const started = new Date();
  const t0 = Date.now();
  const results = {
    command: process.argv
      .slice(1)
      .map((a) => path.relative(ROOT, a) || a)
      .join(' '),
    command_line: [
      DB_URL && `BENCH_DATABASE_URL=${redact(DB_URL)}`,
      REDIS_URL && `BENCH_REDIS_URL=${redact(REDIS_URL)}`,
      process.env.BENCH_WRITE_DOCS === '1' && 'BENCH_WRITE_DOCS=1',
      WAIT_QUIET_S > 0 && `BENCH_WAIT_QUIET_S=${WAIT_QUIET_S}`,
      `BENCH_DURATION_S=${DURATION_S}`,
      'node bench/run.mjs',
    ]
      .filter(Boolean)
      .join(' '),
    date: started.toISOString(),
    machine: machine(),
    pinning,
    settings: {
      wait_quiet_s: WAIT_QUIET_S,
      duration_s: DURATION_S,
      warmup_s: WARMUP_S,
      connections: CONNECTIONS,
      users: USERS,
      fixed_rate: FIXED_RATE,
      memory_users: MEMORY_USERS,
      seeded_answers: REDIS_URL ? SEEDED_ANSWERS : 0,
      updates: UPDATES,
      reference_rounds: REFERENCE_ROUNDS,
      staleness_updates: STALENESS_UPDATES,
      burst: BURST,
      bursts: BURSTS,
    },
    scenarios: {},
    checks: {},
    notes: [],
  };
  if (SHORT) {
    results.notes.push(
      `BENCH_DURATION_S=${DURATION_S} < 5: memory run over ${MEMORY_USERS.toLocaleString('en')} users instead of 1,000,000` +
        (REDIS_URL
          ? `, ${SEEDED_ANSWERS.toLocaleString('en')} seeded Redis answers instead of 1,000,000`
          : ''),
    );
  }
  const problems = []; // make the run fail
  const warnings = []; // do not, but cast doubt on the figures

  // Is the machine quiet? Everything else running skews every figure below.
  {
    const a = cpuSnapshot();
    await sleep(1000);
    const idle = cpuDelta(a, cpuSnapshot());
    results.machine_busy_before_pct = idle.other;
    if (idle.other >= 20) {
      const msg = `the machine was already busy before the run (${idle.other}% of a CPU used by other processes)`;
      console.warn(`bench: warning: ${msg}`);
      results.notes.push(msg);
    }
  }

  // --- the service ---------------------------------------------------------------------------
  const appPort = await freePort();
  const appBase = `http://127.0.0.1:${appPort}`;
  const appEnv = { ...process.env };
  for (const name of [
    'DATABASE_URL',
    'REDIS_URL',
    'ADMIN_TOKENS',
    'CLIENT_TOKENS',
    'PGLITE_DATA_DIR',
  ])
    delete appEnv[name];
  Object.assign(appEnv, {
    PORT: String(appPort),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    ADMIN_TOKEN,
  });
  if (DB_URL) appEnv.DATABASE_URL = DB_URL;
  else appEnv.PGLITE_DATA_DIR = 'memory://';
  if (REDIS_URL) appEnv.REDIS_URL = REDIS_URL;
  console.log(
    `bench: starting the service on :${appPort} (${DB_URL ? 'PostgreSQL' : 'PGlite'}, ${REDIS_URL ? 'Redis' : 'in-process cache'})`,
  );
  if (REDIS_URL) {
    try {
      const client = await redisClient();
      const channel = `ef:invalidate:${Number(new URL(REDIS_URL).pathname.slice(1) || 0) || 0}`;
      const [, subscribers] = await client.sendCommand(['PUBSUB', 'NUMSUB', channel]);
      await closeRedis(client);
      results.foreign_subscribers_before_start = Number(subscribers);
      if (Number(subscribers) > 0) {
        const msg = `${subscribers} other client(s) were subscribed to ${channel} before the service started: another edgeflags instance on the same Redis database shares its invalidation channel, and its updates will reach the benchmarked service`;
        console.warn(`bench: warning: ${msg}`);
        warnings.push(msg);
      }
    } catch (error) {
      throw new Error(`cannot reach Redis at ${redact(REDIS_URL)}: ${error.message}`);
    }
  }
  const app = startChild('service', [MAIN], appEnv);
  const health = await waitHealthy(app, appBase);
  results.backends = {
    database: health?.database?.backend ?? (DB_URL ? 'postgres' : 'pglite'),
    cache: health?.cache?.backend ?? (REDIS_URL ? 'redis' : 'memory'),
    health,
  };
  results.backends.summary =
    results.backends.database === 'postgres' && results.backends.cache === 'redis'
      ? 'real PostgreSQL + Redis (external servers, not pinned)'
      : `database: ${results.backends.database === 'pglite' ? 'embedded PGlite (memory://, in the service process)' : 'real PostgreSQL (external, not pinned)'}; ` +
        `shared cache: ${results.backends.cache === 'memory' ? 'in-process store' : 'real Redis (external, not pinned)'}`;
  results.service_rss_kb_after_start = rssKb(app.pid).rss;
  if (health?.status !== 'ok') problems.push(`service health is ${JSON.stringify(health)}`);

  const stats = async (base = appBase) => (await request('GET', `${base}/cache/stats`)).body;
  const update = async (flag, pctValue) => {
    const r = await request(
      'POST',
      `${appBase}/flags/${flag}/update?enabled=true&rollout_percentage=${pctValue}`,
    );
    if (r.status !== 200)
      throw new Error(`update ${flag} -> HTTP ${r.status} ${JSON.stringify(r.body)}`);
    return r;
  };

  // The flags as the service has them (the baseline answers from the same values).
  const listed = await request('GET', `${appBase}/flags`);
  if (listed.status !== 200) throw new Error(`GET /flags -> HTTP ${listed.status}`);
  const flagTable = Object.fromEntries(
    listed.body.flags.map((f) => [
      f.flag_name,
      { enabled: f.enabled, rollout_percentage: f.rollout_percentage },
    ]),
  );
  const missing = SEED_FLAGS.filter((f) => !(f in flagTable));
  if (missing.length) throw new Error(`seed flags missing from the service: ${missing.join(', ')}`);
  const seedTable = Object.fromEntries(SEED_FLAGS.map((f) => [f, flagTable[f]]));
  results.seed_flags = seedTable;

  // --- the baseline --------------------------------------------------------------------------
  const basePort = await freePort();
  const baseBase = `http://127.0.0.1:${basePort}`;
  const baseline = startChild('baseline', [path.join(ROOT, 'bench/baseline-server.mjs')], {
    ...process.env,
    PORT: String(basePort),
    HOST: '127.0.0.1',
    BASELINE_FLAGS: JSON.stringify(seedTable),
  });
  await waitHealthy(baseline, baseBase);

  // --- correctness: the service, the baseline and this file's rollout rule must agree ----------
  {
    let appWrong = 0;
    let baseWrong = 0;
    let checked = 0;
    const examples = [];
    for (let u = 0; u < 250; u++) {
      for (const f of SEED_FLAGS) {
        const user = `user-${u}`;
        const expected = isEnabledFor(seedTable[f], f, user);
        const a = await request('GET', `${appBase}/flags/${f}/check?user_id=${user}`);
        const b = await request('GET', `${baseBase}/flags/${f}/check?user_id=${user}`);
        checked++;
        if (a.status !== 200 || a.body.enabled !== expected) {
          appWrong++;
          if (examples.length < 5) examples.push({ flag: f, user, expected, got: a.body });
        }
        if (b.status !== 200 || b.body.enabled !== expected) baseWrong++;
      }
    }
    results.checks.rollout_agreement = {
      checked,
      service_wrong: appWrong,
      baseline_wrong: baseWrong,
      examples,
    };
    if (appWrong)
      problems.push(`service disagrees with the rollout rule on ${appWrong}/${checked} answers`);
    if (baseWrong)
      problems.push(`baseline disagrees with the rollout rule on ${baseWrong}/${checked} answers`);
  }

  const scenario = (name, data) => {
    results.scenarios[name] = data;
    const l = data.latency_ms;
    console.log(
      `  ${name.padEnd(18)} ${fmt(data.rps, 0).padStart(8)} req/s  p50 ${fmt(l.p50, 3)} ms  p99 ${fmt(l.p99, 3)} ms` +
        `  errors ${pct(data.error_rate)}${data.hit_rate ? `  hit ${pct(data.hit_rate.rate)}` : ''}` +
        `  cpu server/loadgen/other ${data.cpu_pct.server}/${data.cpu_pct.loadgen}/${data.cpu_pct.other}%`,
    );
    if (data.target_rate && data.rps < 0.95 * data.target_rate) {
      results.notes.push(
        `${name}: achieved ${Math.round(data.rps)} req/s of the ${data.target_rate} targeted`,
      );
    }
    if (data.cpu_pct.loadgen >= 90 && !data.target_rate) {
      results.notes.push(
        `${name}: the load generator was at ${data.cpu_pct.loadgen}% of its CPU, so it may have limited this figure`,
      );
    }
    if (data.cpu_pct.other >= 25) {
      results.notes.push(
        `${name}: other processes used ${data.cpu_pct.other}% of a CPU during the run (PostgreSQL, Redis or unrelated work)`,
      );
    }
    if (data.error_rate > ERROR_BUDGET)
      problems.push(`${name}: error rate ${pct(data.error_rate)} > 1%`);
    if (data.hit_rate?.rate !== null && data.hit_rate?.rate < 0.99) {
      warnings.push(
        `${name}: cache hit rate only ${pct(data.hit_rate.rate)} (${data.hit_rate.misses} misses, ${data.db_reads} database reads)`,
      );
    }
    if (data.foreign_invalidations > 0) {
      warnings.push(
        `${name}: the service received ${data.foreign_invalidations} invalidation messages it did not send: another edgeflags instance publishes on the same Redis database's invalidation channel`,
      );
    }
  };

  const gate = async (name, pid) => {
    if (WAIT_QUIET_S <= 0) return;
    const q = await waitQuiet([pid]);
    if (!q.waited)
      results.notes.push(
        `${name}: started although other processes used ${q.other}% of a CPU (waited ${WAIT_QUIET_S} s)`,
      );
  };

  const runLoad = async (name, base, opts, warmUp = true) => {
    await gate(name, opts.pid);
    if (warmUp)
      await load({ base, ...opts, seconds: WARMUP_S, amount: undefined, maxSeconds: undefined });
    return load({ base, seconds: DURATION_S, ...opts });
  };

  /** What the service's own counters say about a run. */
  const withStats = (r, before, after, layers) => {
    const inv = (s, k) => s.invalidations?.[k] ?? 0;
    r.hit_rate = hitRate(before, after, layers);
    r.layers = layers;
    r.db_reads = after.db_reads - before.db_reads;
    r.stale = (after.stale ?? 0) - (before.stale ?? 0);
    r.redis_errors = (after.redis?.errors ?? 0) - (before.redis?.errors ?? 0);
    // Every update this service makes is published and received back by itself; anything more
    // came from another process publishing on the same Redis server.
    r.foreign_invalidations =
      inv(after, 'received') - inv(before, 'received') - (inv(after, 'sent') - inv(before, 'sent'));
    return r;
  };

  // opts.base / opts.pid: another instance of the service (default: the main one).
  // opts.serverTime: scrape the check route's latency histogram around the measured part.
  const appLoad = async (name, layers, opts, during, warmUp = true) => {
    const { serverTime: scrape = false, ...rest } = opts;
    opts = { base: appBase, pid: app.pid, ...rest };
    await gate(name, opts.pid);
    if (warmUp)
      await load({
        ...opts,
        seconds: WARMUP_S,
        amount: undefined,
        maxSeconds: undefined,
      });
    const before = await stats(opts.base);
    const h0 = scrape ? await scrapeHistogram(opts.base) : null;
    during?.start();
    const r = await load({ seconds: DURATION_S, ...opts });
    await during?.stop();
    const after = await stats(opts.base);
    if (scrape) r.server_time = serverTime(histogramDelta(h0, await scrapeHistogram(opts.base)));
    return withStats(r, before, after, layers);
  };

  console.log(
    `bench: ${DURATION_S} s per scenario after a ${WARMUP_S} s warm-up, ${CONNECTIONS} connections; pinning: ${pinning}`,
  );

  // a, a2, b. The two floors and check-hit, interleaved: REFERENCE_ROUNDS rounds of baseline,
  // nest-floor, service (each idle while another is loaded), the first round after a warm-up.
  // On this kind of machine throughput drifts by tens of percent over a minute; adjacent runs
  // and the median of the rounds are what the ratios between them can rest on.
  // nest-floor is the cheapest NestJS + Fastify answer, from one interceptor; the service's
  // check path is also an interceptor answering before the handler, so what the service costs
  // beyond nest-floor is edgeflags' own work.
  {
    const floorPort = await freePort();
    const floorBase = `http://127.0.0.1:${floorPort}`;
    const floor = startChild('nest-floor', [path.join(ROOT, 'bench/nest-floor-server.mjs')], {
      ...process.env,
      PORT: String(floorPort),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      BASELINE_FLAGS: JSON.stringify(seedTable),
    });
    await waitHealthy(floor, floorBase);
    let wrong = 0;
    let checked = 0;
    for (let u = 0; u < 100; u++) {
      for (const f of SEED_FLAGS) {
        const a = await request('GET', `${floorBase}/flags/${f}/check?user_id=user-${u}`);
        checked++;
        if (a.status !== 200 || a.body.enabled !== isEnabledFor(seedTable[f], f, `user-${u}`))
          wrong++;
      }
    }
    results.checks.nest_floor_agreement = { checked, wrong };
    if (wrong)
      problems.push(`nest-floor disagrees with the rollout rule on ${wrong}/${checked} answers`);

    // A second instance of the service without the per-request metrics hook (METRICS_HTTP=false),
    // otherwise configured like the first: what the request metrics cost. Same CPU 0, own port,
    // idle while anything else is loaded.
    const bareAppPort = await freePort();
    const bareAppBase = `http://127.0.0.1:${bareAppPort}`;
    const bareApp = startChild('service without request metrics', [MAIN], {
      ...appEnv,
      PORT: String(bareAppPort),
      METRICS_HTTP: 'false',
    });
    await waitHealthy(bareApp, bareAppBase);
    {
      let wrongBare = 0;
      for (let u = 0; u < 100; u++) {
        const f = SEED_FLAGS[u % 4];
        const a = await request('GET', `${bareAppBase}/flags/${f}/check?user_id=user-${u}`);
        if (a.status !== 200 || a.body.enabled !== isEnabledFor(seedTable[f], f, `user-${u}`))
          wrongBare++;
      }
      const h = parseHistogram((await request('GET', `${bareAppBase}/metrics`)).body);
      results.checks.no_metrics_agreement = {
        checked: 100,
        wrong: wrongBare,
        check_route_observations: h.count,
      };
      if (wrongBare)
        problems.push(
          `check-hit-no-metrics: the service without request metrics disagrees with the rollout rule on ${wrongBare}/100 answers`,
        );
      if (h.count > 0)
        problems.push(
          `check-hit-no-metrics: METRICS_HTTP=false, but the instance recorded ${h.count} checks in its latency histogram`,
        );
    }

    const pathFor = checkPath(SEED_FLAGS, USERS);
    const rounds = {
      'baseline-check': [],
      'nest-floor-check': [],
      'check-hit': [],
      'check-hit-no-metrics': [],
    };
    for (let round = 0; round < REFERENCE_ROUNDS; round++) {
      const warmUp = round === 0;
      const b = await runLoad('baseline-check', baseBase, { pathFor, pid: baseline.pid }, warmUp);
      const f = await runLoad('nest-floor-check', floorBase, { pathFor, pid: floor.pid }, warmUp);
      f.rss_kb = rssKb(floor.pid).rss;
      const c = await appLoad(
        'check-hit',
        ['check'],
        { pathFor, serverTime: true },
        undefined,
        warmUp,
      );
      const n = await appLoad(
        'check-hit-no-metrics',
        ['check'],
        { pathFor, base: bareAppBase, pid: bareApp.pid },
        undefined,
        warmUp,
      );
      for (const [name, r] of [
        ['baseline-check', b],
        ['nest-floor-check', f],
        ['check-hit', c],
        ['check-hit-no-metrics', n],
      ])
        rounds[name].push(r);
      console.log(
        `  round ${round + 1}/${REFERENCE_ROUNDS}: baseline ${fmt(b.rps, 0)}, nest-floor ${fmt(f.rps, 0)}, check-hit ${fmt(c.rps, 0)}, check-hit-no-metrics ${fmt(n.rps, 0)} req/s` +
          (c.server_time
            ? `; check-hit server time p50 ${fmt(c.server_time.p50_ms, 3)} ms, p99 ${fmt(c.server_time.p99_ms, 3)} ms, ${pct(c.server_time.within_1ms)} within 1 ms`
            : ''),
      );
    }
    await stopChild(baseline);
    await stopChild(floor);
    await stopChild(bareApp);
    // check-hit's server time over all rounds together.
    const summed = rounds['check-hit'].map((r) => r.server_time?.histogram).filter(Boolean);
    if (summed.length) {
      const all = serverTime(addHistograms(summed));
      delete all.histogram;
      results.check_hit_server_time_all_rounds = { rounds: summed.length, ...all };
    }
    // Each of the three is reported by its round of median throughput, with every round's figures.
    for (const [name, list] of Object.entries(rounds)) {
      const median = [...list].sort((x, y) => x.rps - y.rps)[Math.floor(list.length / 2)];
      median.rounds = list.map((r) => ({
        rps: r.rps,
        p99_ms: r.latency_ms.p99,
        cpu_server_pct: r.cpu_pct.server,
        cpu_other_pct: r.cpu_pct.other,
        ...(r.server_time
          ? {
              server_p50_ms: r.server_time.p50_ms,
              server_p99_ms: r.server_time.p99_ms,
              server_within_1ms: r.server_time.within_1ms,
            }
          : {}),
      }));
      median.reported_round = list.indexOf(median) + 1;
      scenario(name, median);
    }
  }

  // h. memory: straight after check-hit, many more distinct users
  {
    await gate('memory', app.pid);
    const before = rssKb(app.pid);
    let peak = before.rss;
    const sampler = setInterval(() => {
      const now = rssKb(app.pid).rss;
      if (now > peak) peak = now;
    }, 200);
    const s0 = await stats();
    const r = await load({
      base: appBase,
      pathFor: (k) => `/flags/${SEED_FLAGS[k % 4]}/check?user_id=user-${k % MEMORY_USERS}`,
      seconds: DURATION_S,
      amount: MEMORY_USERS,
      maxSeconds: MEMORY_MAX_S,
      pid: app.pid,
    });
    const s1 = await stats();
    clearInterval(sampler);
    await sleep(500);
    const after = rssKb(app.pid);
    withStats(r, s0, s1, ['check']);
    r.distinct_users = Math.min(r.responses, MEMORY_USERS);
    r.target_users = MEMORY_USERS;
    r.rss_kb = { before: before.rss, after: after.rss, peak_sampled: peak, vm_hwm: after.hwm };
    r.cache_keys = { before: s0.keys, after: s1.keys };
    scenario('memory', r);
    console.log(
      `    RSS ${(before.rss / 1024).toFixed(1)} MiB -> ${(after.rss / 1024).toFixed(1)} MiB (peak ${(peak / 1024).toFixed(1)} MiB) over ${r.distinct_users.toLocaleString('en')} distinct users`,
    );
    if (r.responses < MEMORY_USERS) {
      results.notes.push(
        `memory run stopped after ${MEMORY_MAX_S} s with ${r.responses} of ${MEMORY_USERS} users requested`,
      );
    }
  }

  // c. check at a fixed rate
  scenario(
    'check-fixed-rate',
    await appLoad('check-fixed-rate', ['check'], {
      pathFor: checkPath(SEED_FLAGS, USERS),
      overallRate: FIXED_RATE,
      serverTime: true,
    }),
  );
  for (const name of ['check-hit', 'check-fixed-rate']) {
    const s = results.scenarios[name];
    const st = s?.server_time;
    if (!st) continue;
    if (name === 'check-fixed-rate')
      console.log(
        `    server time (the service's histogram): p50 ${fmtMs(st.p50_ms)} ms  p99 ${fmtMs(st.p99_ms)} ms  ${pct(st.within_1ms)} within 1 ms  over ${st.requests} checks`,
      );
    if (st.requests < 0.9 * s.responses)
      warnings.push(
        `${name}: the service's latency histogram (GET /metrics) recorded ${st.requests} checks of ${s.responses} answered: server time is not available (is dist/ built from the current source?)`,
      );
  }

  // d. details
  scenario(
    'details',
    await appLoad('details', ['endpoint'], {
      pathFor: (k) => `/flags/${SEED_FLAGS[k % 4]}?user_id=user-${Math.floor(k / 4) % USERS}`,
    }),
  );

  // e. list
  scenario('list', await appLoad('list', ['list'], { pathFor: () => '/flags' }));

  // i. miss-burst: BURST concurrent checks, each from a different user, of a flag that no cache
  // layer holds (a new revision of bench_burst_<n>, just written): the service must read it
  // from PostgreSQL once, not once per request.
  {
    const host = new URL(appBase).host;
    const raw = (p) =>
      Buffer.from(`GET ${p} HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\n\r\n`, 'latin1');
    // BURST keep-alive connections, each first used for a check answered from cache: the burst
    // then measures the miss, not BURST TCP handshakes queued on one core. Raw sockets and
    // pre-built requests, so that the burst leaves this (single-threaded) client as fast as it
    // can write: an http.Agent takes tens of ms to issue 500 requests.
    const sockets = await Promise.all(
      Array.from({ length: BURST }, () => openSocket(appPort).catch(() => null)),
    );
    const runs = [];
    for (let n = 1; n <= BURSTS; n++) {
      const flag = BURST_FLAG(n);
      await gate(`miss-burst ${n}`, app.pid);
      const warm = await Promise.all(
        sockets.map((sock, i) =>
          sock ? exchange(sock, raw(`/flags/${SEED_FLAGS[0]}/check?user_id=warm-${i}`)) : null,
        ),
      );
      const ready = warm.filter((a) => a?.status === 200).length;
      const requests = sockets.map((_, i) => raw(`/flags/${flag}/check?user_id=burst-${i}`));
      const written = await update(flag, BURST_PCT); // a revision no cache layer holds
      const before = await stats();
      const cpu0 = cpuSnapshot(app.pid);
      const start = process.hrtime.bigint();
      const pending = sockets.map((sock, i) => (sock ? exchange(sock, requests[i]) : null));
      const lastSent = process.hrtime.bigint();
      const answers = (await Promise.all(pending)).map(
        (a) => a ?? { status: 0, error: 'no connection', at: process.hrtime.bigint() },
      );
      const cpu = cpuDelta(cpu0, cpuSnapshot(app.pid));
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      const after = await stats();
      const rule = { enabled: true, rollout_percentage: BURST_PCT };
      let errors = 0;
      let non2xx = 0;
      let wrong = 0;
      const ms = [];
      const outcomes = {};
      answers.forEach((a, i) => {
        if (a.status === 0) return void errors++;
        ms.push(Number(a.at - start) / 1e6);
        if (a.status !== 200) return void non2xx++;
        outcomes[a.body._cache] = (outcomes[a.body._cache] ?? 0) + 1;
        if (a.body.enabled !== isEnabledFor(rule, flag, `burst-${i}`)) wrong++;
      });
      const delta = (layer, k) => after.layers[layer][k] - before.layers[layer][k];
      runs.push({
        flag,
        created: written.body.created,
        revision: written.body.revision,
        warm_connections: ready,
        all_sent_after_ms: Number(lastSent - start) / 1e6,
        wall_ms: wallMs,
        cpu_pct: cpu,
        // Server CPU time per check of the burst (10 ms tick resolution over a few hundred ms).
        server_cpu_ms_per_check: (cpu.server / 100) * (wallMs / BURST),
        db_reads: after.db_reads - before.db_reads,
        check_layer: { hits: delta('check', 'hits'), misses: delta('check', 'misses') },
        service_layer: { hits: delta('service', 'hits'), misses: delta('service', 'misses') },
        // Checks that reached the service while the flag's one load was in flight and waited for
        // it (single-flight): they missed the check layer, but counted neither a service-layer
        // hit (flag already loaded) nor a miss (the load itself).
        joined_load:
          delta('check', 'misses') - delta('service', 'hits') - delta('service', 'misses'),
        answers: outcomes,
        latency_ms: quantiles(ms),
        errors,
        non2xx,
        wrong,
      });
    }
    for (const sock of sockets) sock?.destroy();
    const reads = runs.map((b) => b.db_reads);
    results.miss_burst = {
      burst: BURST,
      bursts: BURSTS,
      rollout_percentage: BURST_PCT,
      runs,
      db_reads: reads,
      db_reads_max: Math.max(...reads),
      target_db_reads: 1,
    };
    for (const b of runs) {
      const l = b.latency_ms;
      console.log(
        `  miss-burst ${b.flag.padEnd(14)} ${BURST} concurrent: db_reads ${b.db_reads}  p50 ${fmt(l.p50, 2)} ms  p99 ${fmt(l.p99, 2)} ms  max ${fmt(l.max, 2)} ms` +
          `  errors ${b.errors}  non-2xx ${b.non2xx}  wrong ${b.wrong}  answers ${JSON.stringify(b.answers)}`,
      );
      if (b.errors || b.non2xx)
        problems.push(`miss-burst ${b.flag}: ${b.errors} errors, ${b.non2xx} non-2xx of ${BURST}`);
      if (b.wrong) problems.push(`miss-burst ${b.flag}: ${b.wrong}/${BURST} wrong answers`);
      if (b.db_reads > 1)
        results.notes.push(
          `miss-burst ${b.flag}: ${b.db_reads} database reads for one burst (target: 1)`,
        );
      if (b.warm_connections < BURST)
        results.notes.push(
          `miss-burst ${b.flag}: only ${b.warm_connections} of ${BURST} connections were open before the burst`,
        );
    }
  }

  // f. mixed: checks and details over the seed flags and bench_mixed, one update a second
  {
    const flags = [...SEED_FLAGS, MIXED_FLAG];
    await update(MIXED_FLAG, 50);
    const percentages = [50, 20, 80, 35, 65, 10, 90];
    const updateLatencies = [];
    let updateErrors = 0;
    let stopUpdates = false;
    let updater;
    let i = 0;
    // One update a second during the measured part (not the warm-up).
    const updates = {
      start() {
        updater = (async () => {
          while (!stopUpdates) {
            const next = Date.now() + 1000;
            try {
              const r = await update(MIXED_FLAG, percentages[i++ % percentages.length]);
              updateLatencies.push(r.ms);
            } catch {
              updateErrors++;
            }
            await sleep(Math.max(0, next - Date.now()));
          }
        })();
      },
      async stop() {
        stopUpdates = true;
        await updater;
      },
    };
    const pathFor = (k) => {
      const flag = flags[k % flags.length];
      const user = `user-${Math.floor(k / 10) % USERS}`;
      return k % 2 === 0
        ? `/flags/${flag}/check?user_id=${user}`
        : `/flags/${flag}?user_id=${user}`;
    };
    const r = await appLoad('mixed', ['check', 'endpoint'], { pathFor }, updates);
    // Read-your-writes right after an update: every answer must follow the new percentage.
    const finalPct = 42;
    await update(MIXED_FLAG, finalPct);
    let stale = 0;
    for (let u = 0; u < 200; u++) {
      const a = await request('GET', `${appBase}/flags/${MIXED_FLAG}/check?user_id=user-${u}`);
      if (
        a.body?.enabled !==
        isEnabledFor({ enabled: true, rollout_percentage: finalPct }, MIXED_FLAG, `user-${u}`)
      )
        stale++;
    }
    r.updates = { ...quantiles(updateLatencies), errors: updateErrors };
    r.after_update_wrong_answers = { checked: 200, wrong: stale };
    if (stale)
      problems.push(`mixed: ${stale}/200 check answers ignored an update made just before`);
    if (updateErrors) problems.push(`mixed: ${updateErrors} updates failed`);
    scenario('mixed', r);
    console.log(
      `    ${updateLatencies.length} updates during the run: p50 ${fmt(r.updates.p50, 2)} ms, max ${fmt(r.updates.max, 2)} ms; wrong answers after an update: ${stale}/200`,
    );
  }

  // g. update latency (twice with real Redis: plain, then with many cached answers of that flag)
  {
    const sequential = async () => {
      const ms = [];
      let errors = 0;
      let last;
      for (let n = 0; n < UPDATES; n++) {
        try {
          last = await update(UPDATE_FLAG, [30, 70][n % 2]);
          ms.push(last.ms);
        } catch {
          errors++;
        }
      }
      return {
        ...quantiles(ms),
        errors,
        error_rate: errors / UPDATES,
        revision: last?.body?.revision,
      };
    };
    for (let n = 0; n < 10; n++) await update(UPDATE_FLAG, 50); // warm-up
    results.update_latency = { plain: await sequential() };
    if (REDIS_URL && results.backends.cache === 'redis') {
      const client = await redisClient();
      const revision = (await update(UPDATE_FLAG, 50)).body.revision;
      const dbsizeBefore = await client.dbSize();
      const t = Date.now();
      await seedAnswers(client, UPDATE_FLAG, revision, SEEDED_ANSWERS);
      const seedSeconds = (Date.now() - t) / 1000;
      const dbsizeSeeded = await client.dbSize();
      const withAnswers = await sequential();
      const dbsizeAfter = await client.dbSize();
      await unlinkAnswers(client, UPDATE_FLAG, revision, SEEDED_ANSWERS);
      const dbsizeCleaned = await client.dbSize();
      await closeRedis(client);
      results.update_latency.with_cached_answers = {
        ...withAnswers,
        seeded_answers: SEEDED_ANSWERS,
        seeded_revision: revision,
        seed_seconds: seedSeconds,
        dbsize: {
          before_seed: dbsizeBefore,
          after_seed: dbsizeSeeded,
          after_updates: dbsizeAfter,
          after_cleanup: dbsizeCleaned,
        },
      };
    } else {
      results.update_latency.with_cached_answers = null;
      results.notes.push(
        'update latency with cached answers needs a real Redis (BENCH_REDIS_URL): skipped',
      );
    }
    for (const [k, v] of Object.entries(results.update_latency)) {
      if (!v) continue;
      console.log(
        `  update-latency ${k.padEnd(20)} n=${v.count} p50 ${fmt(v.p50, 2)} ms  p95 ${fmt(v.p95, 2)} ms  p99 ${fmt(v.p99, 2)} ms  max ${fmt(v.max, 2)} ms` +
          (v.dbsize
            ? `  DBSIZE ${v.dbsize.before_seed} -> ${v.dbsize.after_seed} (seeded) -> ${v.dbsize.after_updates} (after updates)`
            : ''),
      );
      if (v.error_rate > ERROR_BUDGET)
        problems.push(`update-latency ${k}: ${v.errors} of ${UPDATES} updates failed`);
    }
  }

  // j. staleness: how long after an update's response on instance A does instance B answer the
  // new value? Only with a PostgreSQL and a Redis both instances share.
  if (results.backends.database === 'postgres' && results.backends.cache === 'redis') {
    await gate('staleness', app.pid);
    const bPort = await freePort();
    const bBase = `http://127.0.0.1:${bPort}`;
    const b = startChild('service B', [MAIN], { ...appEnv, PORT: String(bPort) });
    await waitHealthy(b, bBase);
    const bAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const checkUrl = `${bBase}/flags/${STALENESS_FLAG}/check?user_id=${STALENESS_USER}`;
    const checkB = () => request('GET', checkUrl, { via: bAgent, anonymous: true });
    const statsB = async () => (await request('GET', `${bBase}/cache/stats`, { via: bAgent })).body;
    const edgeHitAgain = async (expected) => {
      const s0 = await statsB();
      const a = await checkB();
      const s1 = await statsB();
      return (
        a.status === 200 &&
        a.body.enabled === expected &&
        a.body._cache === 'hit' &&
        s1.edge.hits - s0.edge.hits === 1 &&
        s1.db_reads === s0.db_reads
      );
    };
    // Start from 0%: B has the flag in its edge cache and answers false.
    await update(STALENESS_FLAG, 0);
    for (let i = 0; i < 100 && !(await edgeHitAgain(false)); i++) await sleep(50);
    const bBefore = await statsB();
    const delays = [];
    const polls = [];
    const firstAnswers = {};
    let edgeHitsAfter = 0;
    let timeouts = 0;
    let errors = 0;
    for (let i = 0; i < STALENESS_WARMUP + STALENESS_UPDATES; i++) {
      const measured = i >= STALENESS_WARMUP;
      const pctValue = i % 2 === 0 ? 100 : 0; // enabled, so 100% is on and 0% off for everybody
      const expected = pctValue === 100;
      let written;
      try {
        written = await update(STALENESS_FLAG, pctValue);
      } catch {
        errors++;
        continue;
      }
      const deadline = written.at + BigInt(STALENESS_TIMEOUT_MS) * 1_000_000n;
      let n = 0;
      let first;
      for (;;) {
        let a;
        try {
          a = await checkB();
        } catch {
          errors++;
          break;
        }
        n++;
        if (a.status === 200 && a.body.enabled === expected) {
          first = a;
          break;
        }
        if (a.at > deadline) break;
      }
      if (!measured) continue;
      if (first === undefined) {
        timeouts++;
        continue;
      }
      delays.push(Number(first.at - written.at) / 1e6);
      polls.push(n);
      firstAnswers[first.body._cache] = (firstAnswers[first.body._cache] ?? 0) + 1;
      if (await edgeHitAgain(expected)) edgeHitsAfter++;
    }
    const bAfter = await statsB();
    bAgent.destroy();
    await stopChild(b);
    const st = {
      updates: STALENESS_UPDATES,
      warmup_updates: STALENESS_WARMUP,
      flag: STALENESS_FLAG,
      user: STALENESS_USER,
      delay_ms: quantiles(delays),
      polls: quantiles(polls),
      first_new_answer_cache: firstAnswers,
      edge_hit_after: { checked: delays.length, hits: edgeHitsAfter },
      b_counters: {
        invalidations_received: bAfter.invalidations.received - bBefore.invalidations.received,
        db_reads: bAfter.db_reads - bBefore.db_reads,
      },
      timeouts,
      errors,
      target_p99_ms: STALENESS_TARGET_P99_MS,
      b_exit_code: b.exitCode_,
      b_warnings: b.output.trim().split('\n').filter(Boolean).slice(-10),
    };
    results.staleness = st;
    const d = st.delay_ms;
    console.log(
      `  staleness          update on A -> new answer on B (n=${d.count}): p50 ${fmt(d.p50, 2)} ms  p95 ${fmt(d.p95, 2)} ms  p99 ${fmt(d.p99, 2)} ms  max ${fmt(d.max, 2)} ms` +
        `  (polls p50 ${st.polls.p50}, max ${st.polls.max}); edge hit right after: ${edgeHitsAfter}/${delays.length}; timeouts ${timeouts}, errors ${errors}`,
    );
    if (timeouts || errors)
      problems.push(
        `staleness: ${timeouts} updates never reached B within ${STALENESS_TIMEOUT_MS} ms, ${errors} request errors`,
      );
    if (edgeHitsAfter < delays.length)
      results.notes.push(
        `staleness: B answered from its edge cache right after the new value in only ${edgeHitsAfter} of ${delays.length} rounds`,
      );
  } else {
    results.staleness = { skipped: 'needs a shared PostgreSQL and Redis' };
    console.log('  staleness          skipped: needs a shared PostgreSQL and Redis');
  }

  results.final_stats = await stats();
  results.service_warnings = app.output.trim().split('\n').filter(Boolean).slice(-20);
  await stopChild(app);

  // --- ratios ---------------------------------------------------------------------------------
  const base = results.scenarios['baseline-check'];
  const floor = results.scenarios['nest-floor-check'];
  results.ratios = {};
  for (const [name, s] of Object.entries(results.scenarios)) {
    if (name === 'baseline-check') continue;
    results.ratios[name] = {
      throughput_vs_baseline: s.rps / base.rps,
      p99_vs_baseline: s.latency_ms.p99 / base.latency_ms.p99,
    };
    if (name !== 'nest-floor-check') {
      results.ratios[name].throughput_vs_nest_floor = s.rps / floor.rps;
      results.ratios[name].p99_vs_nest_floor = s.latency_ms.p99 / floor.latency_ms.p99;
    }
  }
  results.cost_per_check = costPerCheck(results);
  results.metrics_cost = metricsCost(results);
  results.elapsed_s = (Date.now() - t0) / 1000;
  results.problems = problems;
  results.warnings = warnings;

  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  fs.writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);

  const table = renderTable(results);
  console.log(
    `\n${table.main}\n\n${table.reference}\n\n${table.serverTime}\n\n${table.updates}\n\n${table.staleness}\n\n${table.burst}\n`,
  );
  for (const n of results.notes) console.log(`note: ${n}`);
  for (const w of warnings) console.log(`WARNING: ${w}`);
  console.log(`bench: wrote ${path.relative(ROOT, RESULTS)} in ${results.elapsed_s.toFixed(0)} s`);
  if (process.env.BENCH_WRITE_DOCS === '1') {
    fs.mkdirSync(path.dirname(DOCS), { recursive: true });
    fs.writeFileSync(DOCS, await formatMarkdown(renderDocs(results, table)));
    console.log(`bench: wrote ${path.relative(ROOT, DOCS)}`);
  }
  if (problems.length) {
    console.error(`bench: FAILED\n  ${problems.join('\n  ')}`);
    process.exitCode = 1;
  }
}

/** The page as the repository's prettier config would write it, so `prettier --check` passes. */
async function formatMarkdown(text) {
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(DOCS)) ?? {};
    return await prettier.format(text, { ...options, filepath: DOCS });
  } catch {
    return text;
  }
}

const DESCRIPTIONS = {
  'baseline-check': 'bare node:http, same rollout rule, saturated',
  'nest-floor-check': 'minimal NestJS + Fastify app, one interceptor answering via of(), saturated',
  'check-hit': `GET /flags/:f/check, ${USERS.toLocaleString('en')} users x 4 flags, saturated`,
  'check-hit-no-metrics':
    'check-hit against a second instance started with METRICS_HTTP=false (no per-request metrics hook)',
  memory: 'check, one new user per request, saturated',
  'check-fixed-rate': `check at ${FIXED_RATE.toLocaleString('en')} req/s overall`,
  details: 'GET /flags/:f?user_id, saturated',
  list: 'GET /flags, saturated',
  mixed: 'checks + details over 5 flags, 1 update/s, saturated',
};

function renderTable(r) {
  const rows = [
    '| scenario | what | req/s | p50 ms | p99 ms | p99.9 ms | errors | cache hit rate | req/s vs baseline | p99 vs baseline | req/s vs nest-floor | CPU % server / load gen / other |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  const order = [
    'baseline-check',
    'nest-floor-check',
    'check-hit',
    'check-hit-no-metrics',
    'check-fixed-rate',
    'details',
    'list',
    'mixed',
    'memory',
  ];
  for (const name of order) {
    const s = r.scenarios[name];
    if (!s) continue;
    const ratio = r.ratios[name];
    const hit = s.hit_rate ? `${pct(s.hit_rate.rate)} (${s.layers.join('+')})` : 'n/a';
    const vsFloor =
      name === 'nest-floor-check'
        ? '1.00x'
        : ratio?.throughput_vs_nest_floor !== undefined
          ? `${fmt(ratio.throughput_vs_nest_floor, 2)}x`
          : '-';
    rows.push(
      `| ${name} | ${DESCRIPTIONS[name]} | ${fmt(s.rps, 0)} | ${fmt(s.latency_ms.p50, 3)} | ${fmt(s.latency_ms.p99, 3)} | ${fmt(s.latency_ms.p999, 3)} | ` +
        `${pct(s.error_rate)} | ${hit} | ${ratio ? fmt(ratio.throughput_vs_baseline, 2) + 'x' : '1.00x'} | ${ratio ? fmt(ratio.p99_vs_baseline, 1) + 'x' : '1.0x'} | ${vsFloor} | ${s.cpu_pct.server} / ${s.cpu_pct.loadgen} / ${s.cpu_pct.other} |`,
    );
  }
  const u = [
    '| update latency (sequential POSTs to one flag) | n | p50 ms | p95 ms | p99 ms | max ms | failed | Redis DBSIZE |',
    '|---|--:|--:|--:|--:|--:|--:|---|',
  ];
  const ul = r.update_latency;
  u.push(
    `| plain | ${ul.plain.count} | ${fmt(ul.plain.p50)} | ${fmt(ul.plain.p95)} | ${fmt(ul.plain.p99)} | ${fmt(ul.plain.max)} | ${ul.plain.errors} | - |`,
  );
  if (ul.with_cached_answers) {
    const w = ul.with_cached_answers;
    u.push(
      `| after seeding ${w.seeded_answers.toLocaleString('en')} cached answers of that flag | ${w.count} | ${fmt(w.p50)} | ${fmt(w.p95)} | ${fmt(w.p99)} | ${fmt(w.max)} | ${w.errors} | ` +
        `${w.dbsize.before_seed.toLocaleString('en')} before seeding, ${w.dbsize.after_seed.toLocaleString('en')} after, ${w.dbsize.after_updates.toLocaleString('en')} after the updates |`,
    );
  } else {
    u.push('| with cached answers | - | - | - | - | - | - | skipped: needs a real Redis |');
  }
  return {
    main: rows.join('\n'),
    reference: referenceTable(r),
    serverTime: serverTimeTable(r),
    updates: u.join('\n'),
    staleness: stalenessTable(r),
    burst: burstTable(r),
  };
}

/** The interleaved rounds: throughput, latency and server CPU per check, and the metrics cost. */
function referenceTable(r) {
  const c = r.cost_per_check ?? {};
  const cpu = {
    'baseline-check': c.baseline_cpu_us,
    'nest-floor-check': c.nest_floor_cpu_us,
    'check-hit': c.check_hit_cpu_us,
    'check-hit-no-metrics': c.check_hit_no_metrics_cpu_us,
  };
  const rows = [
    '| interleaved rounds | req/s (median round) | p50 ms | p99 ms | server CPU µs per check (median of rounds) | req/s round by round |',
    '|---|--:|--:|--:|--:|---|',
  ];
  for (const name of Object.keys(cpu)) {
    const s = r.scenarios[name];
    if (!s) continue;
    rows.push(
      `| ${name} | ${fmt(s.rps, 0)} | ${fmt(s.latency_ms.p50, 3)} | ${fmt(s.latency_ms.p99, 3)} | ${fmt(cpu[name], 1)} | ${(s.rounds ?? []).map((x) => fmt(x.rps, 0)).join(', ')} |`,
    );
  }
  const m = r.metrics_cost;
  if (m) {
    rows.push(
      `| **check-hit / check-hit-no-metrics** (request metrics cost) | **${fmt(m.rps_ratio, 3)}x** (${fmt(m.throughput_cost * 100, 1)}% of throughput) | - | - | **${m.cpu_us_cost === null ? '-' : `${m.cpu_us_cost >= 0 ? '+' : ''}${fmt(m.cpu_us_cost, 1)}`} µs** | ${m.rps_ratio_rounds.map((x) => `${fmt(x, 3)}x`).join(', ')} |`,
    );
  }
  return rows.join('\n');
}

/** Server time from the service's own histogram, for check-hit and check-fixed-rate. */
function serverTimeTable(r) {
  const rows = [
    `| server time (from the service's own histogram: \`${CHECK_ROUTE}\`, GET, 200) | requests | within 0.1 ms | within 1 ms | p50 ms | p99 ms | p99.9 ms | mean ms | client p50 ms | client p99 ms |`,
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  const row = (label, st, client) => {
    if (!st) return;
    const q = (x) => (st.requests ? fmtMs(x) : '-');
    rows.push(
      `| ${label} | ${st.requests.toLocaleString('en')} | ${pct(st.within_0_1ms)} | ${pct(st.within_1ms)} | ${q(st.p50_ms)} | ${q(st.p99_ms)} | ${q(st.p999_ms)} | ${fmt(st.mean_ms, 3)} | ${client ? fmt(client.p50, 3) : '-'} | ${client ? fmt(client.p99, 3) : '-'} |`,
    );
  };
  const c = r.scenarios['check-hit'];
  row(
    `check-hit, saturated (round ${c?.reported_round ?? '-'}, the one in the table above)`,
    c?.server_time,
    c?.latency_ms,
  );
  const all = r.check_hit_server_time_all_rounds;
  if (all) row(`check-hit, saturated, all ${all.rounds} rounds together`, all, null);
  const f = r.scenarios['check-fixed-rate'];
  row(
    `check-fixed-rate, ${r.settings.fixed_rate.toLocaleString('en')} req/s`,
    f?.server_time,
    f?.latency_ms,
  );
  if (rows.length === 2)
    rows.push('| not measured in this run | - | - | - | - | - | - | - | - | - |');
  return rows.join('\n');
}

/** A quantile from the histogram: null when it falls in the +Inf bucket. */
const fmtMs = (x) =>
  x === null || x === undefined ? '> 5000' : x <= 0.1 ? `≤ 0.1 (${fmt(x, 3)})` : fmt(x, 3);

function stalenessTable(r) {
  const st = r.staleness;
  const head = [
    '| staleness: update on instance A, then instance B polled until it answers the new value | n | p50 ms | p95 ms | p99 ms | max ms | polls p50 / max | first new answer | edge hit right after | timeouts |',
    '|---|--:|--:|--:|--:|--:|--:|---|--:|--:|',
  ];
  if (!st || st.skipped)
    return [
      ...head,
      `| ${st?.skipped ? `skipped: ${st.skipped}` : 'not run'} | - | - | - | - | - | - | - | - | - |`,
    ].join('\n');
  const d = st.delay_ms;
  const first = Object.entries(st.first_new_answer_cache)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  return [
    ...head,
    `| from the update's response to B's first new answer | ${d.count} | ${fmt(d.p50)} | ${fmt(d.p95)} | ${fmt(d.p99)} | ${fmt(d.max)} | ${st.polls.p50} / ${st.polls.max} | ${first} | ${st.edge_hit_after.hits}/${st.edge_hit_after.checked} | ${st.timeouts} |`,
  ].join('\n');
}

function burstTable(r) {
  const mb = r.miss_burst;
  const rows = [
    `| miss-burst: ${mb ? mb.burst : BURST} concurrent checks, distinct users, of a flag no cache layer holds | database reads | check-layer misses | waited for the one load | p50 ms | p99 ms | max ms | errors | wrong answers |`,
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  if (!mb) return [...rows, '| not run | - | - | - | - | - | - | - | - |'].join('\n');
  for (const b of mb.runs) {
    rows.push(
      `| \`${b.flag}\` (revision ${b.revision}${b.created ? ', just created' : ', just updated'}) | ${b.db_reads} | ${b.check_layer.misses} | ${b.joined_load} | ${fmt(b.latency_ms.p50)} | ${fmt(b.latency_ms.p99)} | ${fmt(b.latency_ms.max)} | ${b.errors + b.non2xx} | ${b.wrong} |`,
    );
  }
  return rows.join('\n');
}

/**
 * Server CPU time per saturated check (CPU % x 1 s / req/s), for the bare floor, the Nest floor
 * and the service: which part of the gap to bare node:http is NestJS + Fastify's own pipeline.
 * Medians over the interleaved rounds, and the ratios of each round (adjacent runs).
 */
function costPerCheck(r) {
  const median = (xs) => {
    const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
    return v.length ? v[Math.floor(v.length / 2)] : null;
  };
  const rounds = (name) => {
    const s = r.scenarios[name];
    if (!s) return null;
    return (s.rounds ?? [{ rps: s.rps, cpu_server_pct: s.cpu_pct.server }]).map((x) => ({
      rps: x.rps,
      cpu_us: x.cpu_server_pct === null ? NaN : (x.cpu_server_pct / 100) * (1e6 / x.rps),
    }));
  };
  const base = rounds('baseline-check');
  const floor = rounds('nest-floor-check');
  const check = rounds('check-hit');
  const bare = rounds('check-hit-no-metrics');
  if (!base || !floor || !check) return null;
  const us = (list) => median(list.map((x) => x.cpu_us));
  const [b, f, c] = [us(base), us(floor), us(check)];
  if (b === null || f === null || c === null) return null;
  const nm = bare ? us(bare) : null;
  const n = Math.min(base.length, floor.length, check.length, bare ? bare.length : Infinity);
  const paired = Array.from({ length: n }, (_, i) => ({
    floor_vs_baseline: floor[i].rps / base[i].rps,
    check_vs_floor: check[i].rps / floor[i].rps,
    check_vs_baseline: check[i].rps / base[i].rps,
    ...(bare ? { check_vs_no_metrics: check[i].rps / bare[i].rps } : {}),
  }));
  return {
    baseline_cpu_us: b,
    nest_floor_cpu_us: f,
    check_hit_cpu_us: c,
    check_hit_no_metrics_cpu_us: nm,
    metrics_cpu_us: nm === null ? null : c - nm,
    framework_us: f - b,
    edgeflags_us: c - f,
    framework_share_of_gap: c - b > 0 ? (f - b) / (c - b) : null,
    rounds: paired,
  };
}

/** What the per-request metrics hook costs: check-hit against check-hit-no-metrics. */
function metricsCost(r) {
  const c = r.scenarios['check-hit'];
  const n = r.scenarios['check-hit-no-metrics'];
  const k = r.cost_per_check;
  if (!c || !n) return null;
  const perRound = (k?.rounds ?? []).map((x) => x.check_vs_no_metrics).filter(Number.isFinite);
  const sorted = [...perRound].sort((a, b) => a - b);
  return {
    // Each one's round of median throughput, as in the table.
    rps_ratio: c.rps / n.rps,
    throughput_cost: 1 - c.rps / n.rps,
    // Round by round (adjacent runs) and their median.
    rps_ratio_rounds: perRound,
    rps_ratio_median_of_rounds: sorted.length ? sorted[Math.floor(sorted.length / 2)] : null,
    cpu_us_with: k?.check_hit_cpu_us ?? null,
    cpu_us_without: k?.check_hit_no_metrics_cpu_us ?? null,
    cpu_us_cost: k?.metrics_cpu_us ?? null,
  };
}

function updateLine(r) {
  const p = r.update_latency.plain;
  const w = r.update_latency.with_cached_answers;
  if (!w) {
    return `- ${p.count} sequential updates of one flag: p50 ${fmt(p.p50)} ms, p95 ${fmt(p.p95)} ms, p99 ${fmt(p.p99)} ms. The run with many cached answers of the flag needs a real Redis and was skipped.`;
  }
  const n = w.seeded_answers.toLocaleString('en');
  const ratio = w.p50 / p.p50;
  const verdict =
    ratio <= 1.5
      ? `was about the same (within this machine's run-to-run noise) with ${n} cached answers of the flag in Redis as without`
      : `was ${fmt(ratio, 1)}x higher at the median with ${n} cached answers of the flag in Redis (noise, or a real dependency: rerun before concluding)`;
  const kept =
    w.dbsize.after_updates >= w.dbsize.after_seed
      ? `DBSIZE was ${w.dbsize.after_updates.toLocaleString('en')} after the updates, as after seeding: the updates neither scanned nor deleted those keys; they became unreachable (keys embed the flag's revision) and would expire by their TTL. The benchmark deletes them afterwards.`
      : `DBSIZE went from ${w.dbsize.after_seed.toLocaleString('en')} after seeding to ${w.dbsize.after_updates.toLocaleString('en')} after the updates.`;
  return `- Update latency ${verdict}: p50 ${fmt(p.p50)} ms without and ${fmt(w.p50)} ms with, p99 ${fmt(p.p99)} ms and ${fmt(w.p99)} ms (${p.count} sequential POSTs each). ${kept}`;
}

function floorLine(r) {
  const floor = r.scenarios['nest-floor-check'];
  if (!floor) return '- (No `nest-floor-check` in this run.)';
  const check = r.scenarios['check-hit'];
  const base = r.scenarios['baseline-check'];
  const c = r.cost_per_check;
  const list = (f) => (c?.rounds ?? []).map((x) => `${fmt(f(x) * 100, 0)}%`).join(', ');
  const cost = c
    ? ` In server CPU time per check (CPU % over a run divided by its req/s; medians of the rounds): ${fmt(c.baseline_cpu_us, 1)} µs bare, ${fmt(c.nest_floor_cpu_us, 1)} µs for the Nest floor, ${fmt(c.check_hit_cpu_us, 1)} µs for the service. Of the ${fmt(c.check_hit_cpu_us - c.baseline_cpu_us, 1)} µs the service spends beyond bare \`node:http\`, ${fmt(c.framework_us, 1)} µs (${c.framework_share_of_gap === null ? '-' : fmt(c.framework_share_of_gap * 100, 0) + '%'}) is what NestJS + Fastify cost for the cheapest interceptor answer, and ${fmt(c.edgeflags_us, 1)} µs is edgeflags' own work on top of it (the request-id and security-header hook and the extra response headers, the per-route metrics hook, reading the flag request, the edge-cache lookup and the hit counters; no guard or pipe runs on a hit in this configuration).` +
      ` Round by round (adjacent runs): nest-floor served ${list((x) => x.floor_vs_baseline)} of bare \`node:http\`, check-hit ${list((x) => x.check_vs_floor)} of nest-floor.`
    : '';
  return (
    `- The minimal NestJS + Fastify app (\`bench/nest-floor-server.mjs\`: one interceptor answering from a map via \`of(...)\`, no hooks, no global pipes or guards) served ${fmt(floor.rps, 0)} req/s, ${fmt(r.ratios['nest-floor-check'].throughput_vs_baseline * 100, 0)}% of bare \`node:http\` (${fmt(base.rps, 0)}). ` +
    `The service's check-hit served ${fmt(r.ratios['check-hit'].throughput_vs_nest_floor * 100, 0)}% of that floor (${fmt(check.rps, 0)} req/s).${cost} ` +
    `They ran interleaved (${floor.rounds ? `${floor.rounds.length} rounds of bare, Nest floor, service, service without request metrics; the table shows each one's round of median throughput` : 'one round'}), so slow drifts of the machine affect them alike, but not the noise within a run. Both floors evaluate the rollout with \`bench/rollout.mjs\`, the service with its own implementation.`
  );
}

function metricsLine(r) {
  const m = r.metrics_cost;
  if (!m) return '- (No `check-hit-no-metrics` in this run.)';
  const n = r.scenarios['check-hit-no-metrics'];
  const c = r.scenarios['check-hit'];
  const cost = (x) => `${fmt(x * 100, 1)}%`;
  return (
    `- Request metrics cost ${cost(m.throughput_cost)} of throughput / ${m.cpu_us_cost === null ? '-' : fmt(m.cpu_us_cost, 1)} µs of CPU per check in this run: check-hit served ${fmt(c.rps, 0)} req/s with the per-request metrics hook (\`METRICS_HTTP=true\`, the default) and ${fmt(n.rps, 0)} req/s on a second instance without it (\`METRICS_HTTP=false\`), ${fmt(m.rps_ratio, 3)}x, at ${m.cpu_us_with === null ? '-' : fmt(m.cpu_us_with, 1)} and ${m.cpu_us_without === null ? '-' : fmt(m.cpu_us_without, 1)} µs of server CPU per check. ` +
    `Round by round (adjacent runs) the ratio was ${m.rps_ratio_rounds.map((x) => `${fmt(x, 3)}x`).join(', ')}` +
    (m.rps_ratio_rounds.length > 1 && m.rps_ratio_rounds.every((x) => x < 1)
      ? ': below 1 in every round, though its size moves with the run-to-run noise of this machine (several percent).'
      : ': not below 1 in every round, so on this machine the cost is within the run-to-run noise (several percent) rather than measured.')
  );
}

function fixedServerLine(r) {
  const f = r.scenarios['check-fixed-rate'];
  const st = f?.server_time;
  if (!st || !st.requests)
    return "- (No server time for `check-fixed-rate` in this run: the service's histogram was not scraped.)";
  const rate = r.settings.fixed_rate.toLocaleString('en');
  const meets = st.within_1ms !== null && st.within_1ms >= 0.99;
  const all = r.check_hit_server_time_all_rounds;
  const sat = r.scenarios['check-hit']?.server_time;
  return (
    `- Server time: at ${rate} req/s, p99 server time was ${fmt(st.p99_ms, 3)} ms (${pct(st.within_1ms)} within 1 ms${st.p99_ms !== null && st.p99_ms <= 0.1 ? `; that is an interpolation inside the histogram's finest bucket, 0 to 0.1 ms, which held ${pct(st.within_0_1ms)} of the checks` : ''}; p50 ${fmtMs(st.p50_ms)} ms, mean ${fmt(st.mean_ms, 3)} ms (exact, from the histogram's sum), over ${st.requests.toLocaleString('en')} checks); the client-side p99 (${fmt(f.latency_ms.p99, 3)} ms) adds the load generator's and the kernel's queueing. ` +
    `The issue's target, "check endpoint at a fixed 5,000 requests/s: p99 under 1 ms", is ${meets ? '**met** on server time' : '**not met** on server time'} (${meets ? 'at least' : 'fewer than'} 99% of the checks were answered within 1 ms, a bucket bound, so this does not depend on the interpolation)` +
    `${f.latency_ms.p99 < 1 ? '; client-side p99 was also under 1 ms' : `; client-side p99 was ${meets ? 'not' : 'not either'}`}. ` +
    (sat
      ? `Saturated (\`check-hit\`, 50 requests in flight), server time was p50 ${fmtMs(sat.p50_ms)} ms, p99 ${fmtMs(sat.p99_ms)} ms (${pct(sat.within_1ms)} within 1 ms)${all ? `; over all ${all.rounds} rounds p99 ${fmtMs(all.p99_ms)} ms, ${pct(all.within_1ms)} within 1 ms` : ''}: there the client's latency is mostly requests queued in the kernel and in Node before Fastify sees them, which server time does not include.`
      : '')
  );
}

function stalenessLine(r) {
  const st = r.staleness;
  if (!st || st.skipped)
    return `- Staleness across instances: ${st?.skipped ? `skipped: ${st.skipped}` : 'not run'} (it runs only with \`BENCH_DATABASE_URL\` and \`BENCH_REDIS_URL\`).`;
  const d = st.delay_ms;
  const met = d.p99 !== null && d.p99 < st.target_p99_ms;
  return (
    `- Staleness across instances: a second instance (B, same PostgreSQL and Redis, also pinned to CPU 0) was polled in a tight loop (one request at a time, keep-alive) for one user after each of ${st.updates} updates made on the first (A), alternating \`${st.flag}\` between 100% and 0%. ` +
    `B answered the new value p50 ${fmt(d.p50)} ms, p95 ${fmt(d.p95)} ms, p99 ${fmt(d.p99)} ms, max ${fmt(d.max)} ms after A's update response: ${met ? 'within' : '**not** within'} the issue's target of p99 < ${st.target_p99_ms} ms. ` +
    `That delay is Redis pub/sub delivery, then B's cold path for the new revision (two Redis reads, then PostgreSQL: B counted ${st.b_counters.invalidations_received} invalidations received and ${st.b_counters.db_reads} database reads for the ${st.updates + st.warmup_updates} updates, ${st.warmup_updates} of them unmeasured warm-up). ` +
    `Right after each first new answer, B answered the same check from its edge cache (\`_cache: hit\`, its edge-hit counter up by one, no database read) in ${st.edge_hit_after.hits} of ${st.edge_hit_after.checked} rounds. ` +
    'Caveats: A and B share CPU 0, so the poll loop loading B competes with A handling the update; the delay includes the round trip of the poll that saw the new value, and its resolution is one poll round trip.'
  );
}

function burstLine(r) {
  const mb = r.miss_burst;
  if (!mb) return '- (No `miss-burst` in this run.)';
  const reads = mb.db_reads.join(', ');
  const ok = mb.db_reads_max <= mb.target_db_reads;
  const p99s = mb.runs.map((b) => fmt(b.latency_ms.p99)).join(', ');
  const mostly = (f) => mb.runs.filter((b) => f(b) > mb.burst / 2).length > mb.runs.length / 2;
  const mostlyCold = mostly((b) => b.check_layer.misses);
  const mostlyWaited = mostly((b) => b.joined_load);
  return (
    `- Cold misses: ${mb.burst} concurrent checks (distinct users \`burst-0\`..) of a flag at a revision no cache layer held, right after it was written, caused ${reads} database read(s) in ${mb.bursts} bursts (target: 1${ok ? ', met' : ', **not met**'}): concurrent misses of one flag share one load. ` +
    `Of the ${mb.burst} checks, ${mb.runs.map((b) => b.check_layer.misses).join(', ')} missed the per-user check layer (the flag was not in the edge cache when the interceptor saw them: one shared-cache read each) and ${mb.runs.map((b) => b.joined_load).join(', ')} of those reached the service while the one load was in flight and waited for it instead of reading PostgreSQL themselves; the others found the flag already loaded and were answered from memory. Time from the burst's start to each answer: p50 ${mb.runs.map((b) => fmt(b.latency_ms.p50)).join(', ')} ms, p99 ${p99s} ms, the last after ${mb.runs.map((b) => fmt(b.latency_ms.max)).join(', ')} ms. The service was busy ${mb.runs.map((b) => `${b.cpu_pct?.server ?? '-'}%`).join(', ')} of that time: ${mb.runs.map((b) => fmt(b.server_cpu_ms_per_check, 2)).join(', ')} ms of CPU per check of the burst (${mostlyCold ? 'nearly all of them cold: a shared-cache read, the handler with its validation pipe, a shared-cache write' : 'most of them answered from memory once the flag was loaded'}; 10 ms tick resolution), against ${r.cost_per_check ? fmt(r.cost_per_check.check_hit_cpu_us / 1000, 3) : '-'} ms for a check answered from the edge cache in \`check-hit\`.${mostlyWaited ? ' The answers come close together because the requests waiting for the one load are released together.' : ''} ` +
    `The ${mb.burst} keep-alive connections were opened (with cached checks) before each burst, so the figures exclude TCP connection setup; the client (one thread) had handed the last of them to the kernel ${mb.runs.map((b) => fmt(b.all_sent_after_ms)).join(', ')} ms after the burst started.`
  );
}

function lastRestart() {
  try {
    return JSON.parse(fs.readFileSync(RESTART_RESULTS, 'utf8'));
  } catch {
    return null;
  }
}

function restartLines(x) {
  const ms = (v) => (v === null || v === undefined ? '-' : `${Math.round(v)} ms`);
  const inst = (name) => {
    const i = x.instances[name];
    return `| ${name} | ${fmt(i.sigterm_at_s, 1)} s | ${i.exit_code ?? '-'} | ${ms(i.drain_ms)} | ${ms(i.restart_ready_ms)} | ${i.served_before} / ${i.served_after} |`;
  };
  const l = x.load;
  const b = x.balancer;
  return [
    `From \`node bench/restart.mjs\` (${x.date}), run separately from the rest of this page:`,
    '',
    '```sh',
    x.command_line,
    '```',
    '',
    `Two instances of the service (same PostgreSQL and Redis, both pinned to CPU 0) behind a round-robin HTTP balancer written in Node (in the script, sharing CPU 1 with the load generator) that, like HAProxy with \`retry-on ${x.settings.retry_on.join(' ')}\`, \`retries ${x.settings.retries}\` and \`option redispatch\`, retries a request on the other instance when ${x.settings.retry_on.includes('503') ? 'the connection is refused, closed before any response byte, or answered 503' : 'the connection is refused or closed before any response byte'}. ` +
      `autocannon kept ${x.settings.connections} connections busy on the check endpoint for ${fmt(l.duration_s, 1)} s; SIGTERM went to A at about 1/3 of the run and, once A had exited and been started again, to B at about 2/3.`,
    '',
    '| instance | SIGTERM at | exit code | drain (SIGTERM to exit) | restarted, ready after | requests served before / after its restart |',
    '|---|--:|--:|--:|--:|--:|',
    inst('A'),
    inst('B'),
    '',
    `- Requests: ${l.requests.toLocaleString('en')} (${fmt(l.rps, 0)} req/s), non-2xx ${l.non2xx}, errors ${l.errors} (socket errors and timeouts at the client), latency p50 ${fmt(l.latency_ms.p50)} ms, p99 ${fmt(l.latency_ms.p99)} ms, max ${fmt(l.latency_ms.max)} ms.`,
    `- The balancer retried ${b.retries.conn_failure} refused connections, ${b.retries.empty_response} requests whose connection closed before any response byte${x.settings.retry_on.includes('503') ? ` and ${b.retries.status_503} answered 503` : ''}; ${b.gave_up} requests ran out of retries; ${b.broken_responses} responses broke after their first byte. Fastify answered ${b.upstream_503} requests 503 while draining${x.settings.retry_on.includes('503') || b.upstream_503 === 0 ? '' : ' (not retried with this retry-on setting: they reached the client as non-2xx; deploy/haproxy.cfg also retries 503)'}.`,
    `- Throughput here is the Node balancer's (it shares CPU 1 with the load generator), not the service's: compare it with nothing above. "Restarted, ready after" is from starting the new process to its first healthy \`/health\`, booting on CPU 0 next to the other instance under load.`,
    `- Verdict: ${x.ok ? 'no request lost, both instances exited 0' : `**failed**: ${x.problems.join('; ')}`}.`,
  ];
}

function memoryLine(r, mib) {
  const m = r.scenarios.memory;
  const grew = m.rss_kb.after - m.rss_kb.before;
  const perUser = (grew * 1024) / m.distinct_users;
  const sign = grew >= 0 ? '+' : '-';
  const verdict =
    perUser < 20
      ? `about ${Math.max(0, perUser).toFixed(0)} bytes per new user id, far less than keeping anything per user would take`
      : `about ${perUser.toFixed(0)} bytes per new user id: memory grew with the number of users`;
  return (
    `- Memory: over ${m.distinct_users.toLocaleString('en')} checks, each from a user id not seen before (${fmt(m.rps, 0)} req/s, hit rate ${pct(m.hit_rate.rate)}), the service's RSS went from ${mib(m.rss_kb.before)} to ${mib(m.rss_kb.after)} (${sign}${mib(Math.abs(grew))}; highest sample ${mib(m.rss_kb.peak_sampled)}): ${verdict}. ` +
    `Right after start it was ${mib(r.service_rss_kb_after_start)}${r.backends.database === 'pglite' ? ' (the embedded PGlite database lives in this process and accounts for much of it)' : ''}.`
  );
}

function renderDocs(r, table) {
  const m = r.machine;
  const mixed = r.scenarios.mixed;
  const check = r.scenarios['check-hit'];
  const fixed = r.scenarios['check-fixed-rate'];
  const base = r.scenarios['baseline-check'];
  const mib = (kb) => `${(kb / 1024).toFixed(1)} MiB`;
  const lines = [
    '# Benchmarks',
    '',
    '<!-- Generated by `BENCH_WRITE_DOCS=1 node bench/run.mjs`; edit bench/run.mjs, not this file. -->',
    '',
    'What one run of `bench/run.mjs` measured: the service against two reference servers that answer',
    'the same check with the same rollout rule from an in-memory map: a bare `node:http` server (the',
    'floor no framework can beat) and a minimal NestJS 11 + Fastify app whose check route has one',
    'interceptor answering via `of(...)` (the floor for any NestJS app whose cache layers are',
    'interceptors, as the issue requires). These are means and percentiles from **a single run on a small, shared 2-core',
    'machine**: expect run-to-run differences of 10-20% in throughput, occasionally up to 40% in one',
    "scenario with no other process visibly busy (the machine is a VM; its neighbours' load is not",
    'seen by the CPU accounting below), and much more in the tails.',
    'Read them as orders of magnitude and ratios, not as guarantees.',
    '',
    '## How it was run',
    '',
    '```sh',
    'npm run build',
    r.command_line,
    '```',
    '',
    `- Date: ${r.date}`,
    `- Machine: ${m.nproc} CPUs (\`nproc\`), ${m.cpu_model}, ${m.total_memory_gib} GiB RAM, ${m.kernel}, Node ${m.node}`,
    `- Backends: ${r.backends.summary}`,
    `- Pinning: ${r.pinning}. PostgreSQL and Redis, when used, are separate servers and are not pinned: they share the two CPUs with the service and the load generator.`,
    `- Load: autocannon 9 (programmatic), ${r.settings.connections} connections, ${r.settings.duration_s} s per scenario after a discarded ${r.settings.warmup_s} s warm-up; scenarios run one after the other, so the baseline and the service are never loaded at the same time; \`baseline-check\`, \`nest-floor-check\`, \`check-hit\` and \`check-hit-no-metrics\` (a second instance of the service, started with \`METRICS_HTTP=false\`, same configuration and backends otherwise, also on CPU 0, idle while the others run) run interleaved, ${r.settings.reference_rounds ?? 1} rounds of ${r.settings.duration_s} s each (warm-up before the first only), and the table shows each one's round of median throughput. Requests cycle through ${r.settings.users.toLocaleString('en')} user ids (\`user-0\`..) and the 4 seed flags.`,
    "- Latency: measured per response by the load generator (sub-millisecond resolution), so it includes the load generator's own queueing. Saturated runs keep 50 requests in flight, so their latency is mostly queueing: p50 is roughly 50 / throughput.",
    '- Cache hit rate: from `GET /cache/stats` counters before and after the measured part (the check layer for checks, the endpoint layer for details, the list layer for the list).',
    '',
    '## Results',
    '',
    table.main,
    '',
    table.reference,
    '',
    table.serverTime,
    '',
    "Server time is what the service's own latency histogram (\`GET /metrics\`, \`edgeflags_http_request_duration_seconds\`) recorded from Fastify receiving a request to its response being written, from the difference of two scrapes around the measured part; quantiles are interpolated linearly inside the bucket that holds them (bucket bounds 0.1, 0.25, 0.5, 1, 2.5 ms ...; the first bucket runs from 0), so a quantile shown as \`≤ 0.1 (x)\` is only known to be under 0.1 ms, the histogram's finest bound, and x is the interpolation; the shares within 0.1 ms and 1 ms are exact (bucket bounds). Client p50/p99 are autocannon's, for the same run.",
    '',
    "Ratios are against the saturated `baseline-check` and `nest-floor-check` runs, including for `check-fixed-rate`, which is not saturated. Errors are socket errors, timeouts and non-2xx responses over all responses. CPU is in percent of one CPU over the measured part: the server under test (pinned to CPU 0), the load generator (CPU 1) and every other process (PostgreSQL, Redis when used, and anything else running on the machine); a load generator near 100% means the figure may be the load generator's limit rather than the server's.",
    '',
    table.updates,
    '',
    table.staleness,
    '',
    table.burst,
    '',
    '## What the numbers say',
    '',
    `- The check endpoint, answered from cache, served ${fmt(check.rps, 0)} req/s on one core: ${fmt(r.ratios['check-hit'].throughput_vs_baseline * 100, 0)}% of what the bare \`node:http\` server did on the same core (${fmt(base.rps, 0)} req/s). Check-layer hit rate over the run: ${pct(check.hit_rate.rate)}; database reads during it: ${check.db_reads}.`,
    floorLine(r),
    metricsLine(r),
    `- At a fixed ${r.settings.fixed_rate.toLocaleString('en')} req/s (${fmt(fixed.rps, 0)} achieved, the service at ${fixed.cpu_pct.server}% of its CPU) a check took p50 ${fmt(fixed.latency_ms.p50, 3)} ms, p99 ${fmt(fixed.latency_ms.p99, 3)} ms, p99.9 ${fmt(fixed.latency_ms.p999, 3)} ms, measured at the client. autocannon's own pacing sends each connection's per-second quota in one burst; the benchmark spreads it evenly instead (one request per connection every 10 ms), and does not correct for coordinated omission.`,
    fixedServerLine(r),
    `- With one update a second to a flag that is being read (\`mixed\`), the check and endpoint layers together hit ${pct(mixed.hit_rate.rate)} (${mixed.hit_rate.misses} misses, ${mixed.db_reads} database reads for ${mixed.updates.count} updates). The updates, made while the service was saturated, took p50 ${fmt(mixed.updates.p50)} ms, max ${fmt(mixed.updates.max)} ms. Right after one more update, ${mixed.after_update_wrong_answers.wrong} of ${mixed.after_update_wrong_answers.checked} checks of that flag returned an answer computed from the old percentage.`,
    updateLine(r),
    memoryLine(r, mib),
    stalenessLine(r),
    burstLine(r),
  ];
  const restart = lastRestart();
  if (restart) lines.push('', '## Restart under load', '', ...restartLines(restart));
  if (r.notes.length) lines.push('', '## Notes', '', ...r.notes.map((n) => `- ${n}`));
  if (r.warnings?.length)
    lines.push(
      '',
      '## Warnings: figures this run may not represent',
      '',
      ...r.warnings.map((w) => `- ${w}`),
    );
  if (r.problems.length)
    lines.push('', '## Problems seen in this run', '', ...r.problems.map((p) => `- ${p}`));
  lines.push(
    '',
    '## Reproducing',
    '',
    '`npm run bench` runs everything against embedded backends (PGlite in memory, in-process cache). Set `BENCH_DATABASE_URL` and `BENCH_REDIS_URL` to use real servers. Give it a Redis database of its own: the invalidation channel is named after the database, so another edgeflags instance on the same database (a test suite, say) would deliver its invalidations to the benchmarked service; the run warns when that happens. Set `BENCH_WAIT_QUIET_S` to wait that long before each scenario for other processes to go quiet, `BENCH_DURATION_S` to shorten the runs (below 5 s the memory and Redis-seeding scenarios are scaled down), and `BENCH_WRITE_DOCS=1` to regenerate this page (`node bench/run.mjs --docs-only` rewrites it from the last results without measuring again). The `staleness` scenario runs only with both real servers (it needs a second instance sharing them). Raw figures of the last run are in `bench/results/latest.json` (not committed). `node bench/restart.mjs` (same variables; skipped without them) measures rolling restarts under load; it writes `bench/results/restart.json`, which this page includes when present, and with `BENCH_WRITE_DOCS=1` it regenerates this page.',
    '',
  );
  return lines.join('\n');
}

async function docsOnly() {
  if (!fs.existsSync(RESULTS))
    fail(`${path.relative(ROOT, RESULTS)} is missing: run the benchmark first`);
  const results = JSON.parse(fs.readFileSync(RESULTS, 'utf8'));
  fs.mkdirSync(path.dirname(DOCS), { recursive: true });
  fs.writeFileSync(DOCS, await formatMarkdown(renderDocs(results, renderTable(results))));
  console.log(`bench: wrote ${path.relative(ROOT, DOCS)} from ${path.relative(ROOT, RESULTS)}`);
}

(DOCS_ONLY ? docsOnly() : main()).catch((error) => {
  console.error(`bench: ${error.stack ?? error}`);
  killAll();
  process.exit(1);
});
