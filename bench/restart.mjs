#!/usr/bin/env node
// @ts-check
// edgeflags rolling restart under load: does a SIGTERM'd instance lose requests?
//
//   npm run build
//   BENCH_DATABASE_URL=postgres://... BENCH_REDIS_URL=redis://.../12 node bench/restart.mjs
//   (DATABASE_URL / REDIS_URL are used when the BENCH_ ones are unset; without either it is
//   skipped, exit 0.)
//
// Starts two instances of the built service (A and B, same PostgreSQL and Redis, pinned to CPU 0)
// and, in this process (pinned to CPU 1), a round-robin HTTP load balancer that behaves like
// HAProxy with `retry-on conn-failure empty-response`, `retries 2` and `option redispatch`: a
// request whose connection is refused, or closed before any response byte, is sent again to the
// other instance (only requests not yet answered). BENCH_LB_RETRY_ON="conn-failure empty-response
// 503" also retries 503 answers, as deploy/haproxy.cfg does.
// autocannon (50 connections, BENCH_DURATION_S or 10 s) loads the check endpoint through the
// balancer; at 1/3 of the run A gets SIGTERM, the script waits for it to exit (its exit code must
// be 0), starts it again and waits until it is healthy; at 2/3 (or later, once A is back) the
// same happens to B. The run ends at BENCH_DURATION_S, or 1 s after B is back if that is later.
//
// Writes bench/results/restart.json (docs/benchmarks.md includes it, section "Restart under
// load"); with BENCH_WRITE_DOCS=1 it regenerates docs/benchmarks.md from the last
// bench/results/latest.json and this result (node bench/run.mjs --docs-only).
// Exits 1 on any client error, any request the balancer could not place, or a non-zero exit code.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { childProcesses, freePort, pinLoadGenerator, redact, sleep } from './processes.mjs';
import { SEED_FLAGS, serviceEnv } from './lib/settings.mjs';

/**
 * @typedef {import('./lib/types').Child} Child
 * One instance of the service behind the balancer; restart() fills in its figures.
 * @typedef {{ name: string, port: number, served: number, agent: http.Agent, child: Child,
 *   sigterm_at_s: number, served_before_sigterm: number, exit_code?: number | string | null,
 *   drain_ms: number, served_before: number, old_output: string[], restart_ready_ms: number,
 *   down_ms: number, served_at_ready: number }} Instance
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = path.join(ROOT, 'dist/apps/api/main.js');
const RESULTS = path.join(ROOT, 'bench/results/restart.json');
const LATEST = path.join(ROOT, 'bench/results/latest.json');

const DB_URL = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || '';
const REDIS_URL = process.env.BENCH_REDIS_URL || process.env.REDIS_URL || '';
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = 50;
const RETRIES = 2;
const RETRY_ON = (process.env.BENCH_LB_RETRY_ON ?? 'conn-failure empty-response')
  .split(/[\s,]+/)
  .filter(Boolean);
const USERS = 10_000;

/**
 * @param {string} message
 * @returns {never}
 */
function fail(message) {
  console.error(`bench:restart: ${message}`);
  process.exit(1);
}

if (!DB_URL || !REDIS_URL) {
  console.log(
    'bench:restart: skipped: needs a shared PostgreSQL and Redis (BENCH_DATABASE_URL/DATABASE_URL and BENCH_REDIS_URL/REDIS_URL)',
  );
  process.exit(0);
}
if (!Number.isFinite(DURATION_S) || DURATION_S <= 0)
  fail('BENCH_DURATION_S must be a positive number');
for (const r of RETRY_ON)
  if (!['conn-failure', 'empty-response', '503'].includes(r))
    fail(`BENCH_LB_RETRY_ON: unknown condition ${r} (conn-failure, empty-response, 503)`);
if (!fs.existsSync(MAIN)) fail(`${path.relative(ROOT, MAIN)} is missing: run npm run build first`);

// ---------------------------------------------------------------------------------------------
// Pinning, as in bench/run.mjs: the instances on CPU 0, this process (balancer and load) on CPU 1.
const CPUS = os.availableParallelism ? os.availableParallelism() : os.cpus().length;
const pin = pinLoadGenerator();
const PIN = pin.taskset !== null;
const pinning = PIN
  ? 'instances A and B: taskset -c 0; balancer and load generator (both in bench/restart.mjs): taskset -a -cp 1'
  : `none (${pin.why})`;

const { children, startChild } = childProcesses('bench:restart', {
  root: ROOT,
  pinTo: () => pin.taskset,
});

/** @param {bigint} t */
const msSince = (t) => Number(process.hrtime.bigint() - t) / 1e6;

/**
 * @param {string} url
 * @returns {Promise<number | undefined>} the status
 */
function get(url, timeoutMs = 2000) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

/**
 * @param {Child} child
 * @param {number} port
 */
async function waitHealthy(child, port, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!children.has(child))
      throw new Error(`${child.label} exited (${child.exitCode_}):\n${child.output.trim()}`);
    try {
      const status = await get(`http://127.0.0.1:${port}/health`);
      if (status === 200) return;
      last = `HTTP ${status}`;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    await sleep(100);
  }
  throw new Error(`${child.label} did not become healthy in ${timeoutMs / 1000} s (${last})`);
}

// ---------------------------------------------------------------------------------------------
// The instances.
const ADMIN_TOKEN = randomBytes(24).toString('base64url');
const baseEnv = { ...serviceEnv(ADMIN_TOKEN), DATABASE_URL: DB_URL, REDIS_URL };

/** @type {Instance[]} */
const instances = [];
for (const name of ['A', 'B'])
  instances.push({
    name,
    port: await freePort(),
    served: 0,
    agent: new http.Agent({ keepAlive: true, maxSockets: 256 }),
    child: /** @type {Child} */ (/** @type {unknown} */ (null)), // started in main()
    sigterm_at_s: NaN,
    served_before_sigterm: 0,
    drain_ms: NaN,
    served_before: 0,
    old_output: [],
    restart_ready_ms: NaN,
    down_ms: NaN,
    served_at_ready: 0,
  });
/** @param {Instance} inst */
const startInstance = (inst) => {
  const child = startChild(`instance ${inst.name}`, [MAIN], {
    ...baseEnv,
    PORT: String(inst.port),
  });
  inst.child = child;
  return child;
};

// ---------------------------------------------------------------------------------------------
// The balancer: round robin; a request not yet answered is retried on the other instance when
// its connection was refused (conn-failure) or closed before any response byte (empty-response),
// and, with `503` in BENCH_LB_RETRY_ON, when the instance answered 503; at most RETRIES times.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
]);
/** @param {http.IncomingHttpHeaders} headers */
const strip = (headers) => {
  /** @type {http.OutgoingHttpHeaders} */
  const out = {};
  for (const [k, v] of Object.entries(headers)) if (!HOP_BY_HOP.has(k)) out[k] = v;
  return out;
};
const lb = {
  retries: { conn_failure: 0, empty_response: 0, status_503: 0 },
  gave_up: 0,
  broken_responses: 0,
  upstream_503: 0,
  /** @type {Record<string, number>} */
  errors_seen: {},
};
let roundRobin = 0;

/**
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 * @param {Buffer} body
 * @param {number} first the instance tried first
 * @param {number} attempt
 */
function forward(req, res, body, first, attempt) {
  const inst = instances[(first + attempt) % instances.length];
  const up = http.request({
    host: '127.0.0.1',
    port: inst.port,
    method: req.method,
    path: req.url,
    headers: strip(req.headers),
    agent: inst.agent,
  });
  let answered = false;
  /**
   * @param {string} condition
   * @param {keyof typeof lb.retries} counter
   * @param {number} status
   */
  const retryOr = (condition, counter, status) => {
    if (attempt < RETRIES && RETRY_ON.includes(condition)) {
      lb.retries[counter]++;
      forward(req, res, body, first, attempt + 1); // redispatch: the other instance
      return;
    }
    lb.gave_up++;
    if (!res.headersSent) {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(`{"error":"balancer: ${condition} after ${attempt + 1} attempt(s)"}`);
    } else res.destroy();
  };
  up.on('response', (upRes) => {
    answered = true;
    if (upRes.statusCode === 503) {
      lb.upstream_503++;
      if (attempt < RETRIES && RETRY_ON.includes('503')) {
        upRes.resume();
        lb.retries.status_503++;
        forward(req, res, body, first, attempt + 1);
        return;
      }
    }
    inst.served++;
    res.writeHead(upRes.statusCode ?? 502, strip(upRes.headers));
    upRes.pipe(res);
    upRes.on('error', () => {
      lb.broken_responses++;
      res.destroy();
    });
  });
  up.on('error', (/** @type {NodeJS.ErrnoException} */ error) => {
    lb.errors_seen[error.code ?? error.message] =
      (lb.errors_seen[error.code ?? error.message] ?? 0) + 1;
    if (answered) {
      lb.broken_responses++;
      res.destroy();
    } else if (error.code === 'ECONNREFUSED') retryOr('conn-failure', 'conn_failure', 503);
    else retryOr('empty-response', 'empty_response', 502);
  });
  up.end(body);
}

const balancer = http.createServer((req, res) => {
  /** @type {Buffer[]} */
  const chunks = [];
  req.on('data', (/** @type {Buffer} */ c) => chunks.push(c));
  req.on('end', () => forward(req, res, Buffer.concat(chunks), roundRobin++ % 2, 0));
});
balancer.keepAliveTimeout = 60_000;
const lbPort = await freePort();
await new Promise((resolve) => balancer.listen(lbPort, '127.0.0.1', () => resolve(undefined)));

// ---------------------------------------------------------------------------------------------
async function main() {
  const started = new Date();
  const command_line = [
    `BENCH_DATABASE_URL=${redact(DB_URL)}`,
    `BENCH_REDIS_URL=${redact(REDIS_URL)}`,
    process.env.BENCH_DURATION_S && `BENCH_DURATION_S=${DURATION_S}`,
    process.env.BENCH_LB_RETRY_ON && `BENCH_LB_RETRY_ON="${RETRY_ON.join(' ')}"`,
    process.env.BENCH_WRITE_DOCS === '1' && 'BENCH_WRITE_DOCS=1',
    'node bench/restart.mjs',
  ]
    .filter(Boolean)
    .join(' ');
  console.log(
    `bench:restart: instances A :${instances[0].port} and B :${instances[1].port} (PostgreSQL ${redact(DB_URL)}, Redis ${redact(REDIS_URL)}), balancer :${lbPort}, retry-on ${RETRY_ON.join(' ')}; pinning: ${pinning}`,
  );
  for (const inst of instances) startInstance(inst);
  for (const inst of instances) await waitHealthy(inst.child, inst.port);

  // The load: checks of the seed flags through the balancer, users cycling.
  /** @type {number[]} */
  const latencies = [];
  let k = 0;
  const done = autocannon({
    url: `http://127.0.0.1:${lbPort}`,
    connections: CONNECTIONS,
    duration: DURATION_S * 3 + 120, // a cap: stopped below
    timeout: 10,
    requests: [
      {
        method: 'GET',
        setupRequest(req) {
          const n = k++;
          req.path = `/flags/${SEED_FLAGS[n % 4]}/check?user_id=user-${Math.floor(n / 4) % USERS}`;
          return req;
        },
      },
    ],
  });
  // Without a callback autocannon returns its instance, which is also the promise of its result
  // (its published types only have the promise).
  const run = /** @type {autocannon.Instance} */ (/** @type {unknown} */ (done));
  run.on('response', (_c, _s, _b, ms) => latencies.push(ms));
  const t0 = process.hrtime.bigint();
  /** @param {number} s seconds into the run */
  const at = (s) => sleep(Math.max(0, s * 1000 - msSince(t0)));

  /**
   * @param {Instance} inst
   * @param {number} whenS
   */
  const restart = async (inst, whenS) => {
    await at(whenS);
    const old = inst.child;
    inst.sigterm_at_s = msSince(t0) / 1000;
    inst.served_before_sigterm = inst.served;
    const sigterm = process.hrtime.bigint();
    console.log(`  ${inst.name}: SIGTERM at ${inst.sigterm_at_s.toFixed(1)} s`);
    old.kill('SIGTERM');
    const killer = setTimeout(() => old.kill('SIGKILL'), 30_000);
    await old.exited;
    clearTimeout(killer);
    inst.exit_code = old.exitCode_;
    inst.drain_ms = Number((old.exitedAt ?? process.hrtime.bigint()) - sigterm) / 1e6;
    inst.served_before = inst.served;
    inst.old_output = old.output.trim().split('\n').filter(Boolean).slice(-10);
    const again = process.hrtime.bigint();
    startInstance(inst);
    await waitHealthy(inst.child, inst.port);
    inst.restart_ready_ms = msSince(again);
    inst.down_ms = msSince(sigterm);
    inst.served_at_ready = inst.served;
    console.log(
      `  ${inst.name}: exited ${inst.exit_code} after ${inst.drain_ms.toFixed(0)} ms of draining; restarted, healthy after ${inst.restart_ready_ms.toFixed(0)} ms`,
    );
  };
  const [A, B] = instances;
  await restart(A, DURATION_S / 3);
  await restart(B, Math.max((2 * DURATION_S) / 3, msSince(t0) / 1000 + 0.5));
  await at(Math.max(DURATION_S, msSince(t0) / 1000 + 1));
  run.stop();
  const result = await done;
  balancer.close();
  for (const inst of instances) inst.agent.destroy();

  latencies.sort((a, b) => a - b);
  /** @param {number} p */
  const q = (p) =>
    latencies.length
      ? latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)]
      : null;
  const load = {
    duration_s: result.duration,
    requests: latencies.length,
    rps: latencies.length / result.duration,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    status_codes: result.statusCodeStats,
    latency_ms: { p50: q(0.5), p99: q(0.99), p999: q(0.999), max: latencies.at(-1) ?? null },
  };
  /** @param {Instance} i */
  const inst = (i) => ({
    port: i.port,
    sigterm_at_s: i.sigterm_at_s,
    exit_code: i.exit_code,
    drain_ms: i.drain_ms,
    restart_ready_ms: i.restart_ready_ms,
    down_ms: i.down_ms,
    served_before: i.served_before,
    served_after: i.served - i.served_at_ready,
    served_while_draining: i.served_before - i.served_before_sigterm,
    output_of_stopped_process: i.old_output,
  });
  const problems = [];
  if (load.errors || load.timeouts)
    problems.push(`${load.errors} client errors, ${load.timeouts} timeouts`);
  if (lb.gave_up) problems.push(`${lb.gave_up} requests the balancer could not place`);
  if (lb.broken_responses)
    problems.push(`${lb.broken_responses} responses broken after their first byte`);
  for (const i of instances)
    if (i.exit_code !== 0) problems.push(`instance ${i.name} exited with ${i.exit_code}`);
  if (load.non2xx) problems.push(`${load.non2xx} non-2xx answers reached the client`);
  // Decided now, from the measured window: tearing down (the balancer's agents destroyed, the
  // instances stopped) can fail requests the stopped load generator left in flight, which no
  // client is waiting for; counting those made a clean run fail now and then.
  const fatal = Boolean(
    load.errors ||
    load.timeouts ||
    lb.gave_up ||
    lb.broken_responses ||
    instances.some((i) => i.exit_code !== 0),
  );
  const out = {
    date: started.toISOString(),
    command_line,
    machine: {
      nproc: CPUS,
      cpu_model: os.cpus()[0]?.model?.trim() ?? 'unknown',
      node: process.version,
    },
    pinning,
    settings: {
      duration_s: DURATION_S,
      connections: CONNECTIONS,
      retry_on: RETRY_ON,
      retries: RETRIES,
      database: redact(DB_URL),
      redis: redact(REDIS_URL),
    },
    instances: { A: inst(A), B: inst(B) },
    load,
    balancer: { ...lb, served: { A: A.served, B: B.served } },
    problems,
    // Non-2xx answers are reported, and listed as a problem, but (as the brief for this script
    // has it) only errors, unplaced requests and exit codes make it exit non-zero.
    ok: problems.length === 0,
  };
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  fs.writeFileSync(RESULTS, `${JSON.stringify(out, null, 2)}\n`);

  console.log(
    `bench:restart: ${load.requests} requests in ${load.duration_s} s (${load.rps.toFixed(0)} req/s), non-2xx ${load.non2xx}, errors ${load.errors}, timeouts ${load.timeouts}; p50 ${load.latency_ms.p50} ms, p99 ${load.latency_ms.p99} ms, max ${load.latency_ms.max} ms`,
  );
  console.log(
    `  balancer: retried ${lb.retries.conn_failure} refused, ${lb.retries.empty_response} empty, ${lb.retries.status_503} 503; gave up ${lb.gave_up}; broken ${lb.broken_responses}; 503 from instances ${lb.upstream_503}; served A ${A.served}, B ${B.served}; errors seen ${JSON.stringify(lb.errors_seen)}`,
  );
  for (const i of instances)
    console.log(
      `  ${i.name}: exit ${i.exit_code}, drain ${i.drain_ms.toFixed(0)} ms, down ${i.down_ms.toFixed(0)} ms, served ${i.served_before} before / ${i.served - i.served_at_ready} after its restart`,
    );
  console.log(`bench:restart: wrote ${path.relative(ROOT, RESULTS)}`);
  if (process.env.BENCH_WRITE_DOCS === '1') {
    if (fs.existsSync(LATEST)) {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'bench/run.mjs'), '--docs-only'], {
        cwd: ROOT,
        stdio: 'inherit',
      });
      if (r.status !== 0) problems.push('regenerating docs/benchmarks.md failed');
    } else {
      console.log(
        `bench:restart: ${path.relative(ROOT, LATEST)} is missing: run bench/run.mjs first to write docs/benchmarks.md`,
      );
    }
  }
  for (const i of instances) {
    i.child.kill('SIGTERM');
    await i.child.exited;
  }
  if (fatal) {
    console.error(`bench:restart: FAILED\n  ${problems.join('\n  ')}`);
    process.exitCode = 1;
  } else if (problems.length) {
    console.log(`bench:restart: passed, but: ${problems.join('; ')}`);
  } else {
    console.log('bench:restart: passed: no request lost, both instances exited 0');
  }
}

main().catch((/** @type {unknown} */ error) => {
  console.error(
    `bench:restart: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  // Children are killed by the exit handler of processes.mjs.
  process.exit(1);
});
