// @ts-check
// A second load generator, for cross-checks: wrk (C, one thread, event loop), where the bench's
// own autocannon is JavaScript in this process and nears its core's limit before a fast server
// does. wrk runs as a child of this process, so it inherits its CPU (1). Requests are made by a
// Lua script written here from a template (the k-th request, as `pathFor(k)` makes them for
// autocannon); its `done` callback prints the figures as one JSON line.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cpuDelta, cpuSnapshot } from './machine.mjs';

/**
 * @typedef {object} WrkRequests
 * @property {'GET' | 'POST'} method
 * @property {string} path Lua expression of `k` (the request's number, from 0): the path.
 * @property {string} [body] Lua expression of `k`: the JSON body.
 *
 * @typedef {object} WrkResult
 * @property {number} rps
 * @property {number} requests
 * @property {number} duration_s
 * @property {number} errors socket errors and timeouts
 * @property {number} non2xx
 * @property {{ p50: number, p99: number }} latency_ms
 * @property {import('./types').CpuPct} cpu_pct loadgen: this process, which waits for wrk
 *   (wrk's own CPU is in `other`)
 */

const MARK = 'WRK_RESULT ';

/** Whether `wrk` runs here (Debian package `wrk`; .ci/run installs it). */
export function wrkInstalled() {
  // `wrk -v` prints its version and exits 1; a missing binary is ENOENT.
  const r = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
  return !r.error && /^wrk /.test(`${r.stdout}${r.stderr}`);
}

/**
 * The Lua script for `requests`.
 * @param {WrkRequests} requests
 */
export function wrkScript({ method, path: pathOf, body }) {
  return [
    'local k = -1',
    `wrk.method = "${method}"`,
    body ? 'wrk.headers["content-type"] = "application/json"' : '',
    'request = function()',
    '  k = k + 1',
    `  return wrk.format(nil, ${pathOf}, nil, ${body ?? 'nil'})`,
    'end',
    'done = function(summary, latency, requests)',
    '  local e = summary.errors',
    `  io.write(string.format('${MARK}{"requests":%d,"duration_us":%d,"errors":%d,"non2xx":%d,"p50_us":%d,"p99_us":%d}\\n',`,
    '    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,',
    '    latency:percentile(50), latency:percentile(99)))',
    'end',
    '',
  ].join('\n');
}

/**
 * One wrk run of `seconds` against `base` with `connections`, measuring the server `pid`'s CPU.
 * @param {{ base: string, seconds: number, connections: number, pid: number | undefined, requests: WrkRequests }} options
 * @returns {Promise<WrkResult>}
 */
export async function wrkLoad({ base, seconds, connections, pid, requests }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgeflags-wrk-'));
  const script = path.join(dir, 'requests.lua');
  fs.writeFileSync(script, wrkScript(requests));
  try {
    const cpu0 = cpuSnapshot(pid);
    const args = ['-t1', `-c${connections}`, `-d${Math.max(1, Math.round(seconds))}s`];
    const output = await run('wrk', [...args, '--timeout', '10s', '-s', script, base]);
    const cpu = cpuDelta(cpu0, cpuSnapshot(pid));
    const line = output.split('\n').find((l) => l.startsWith(MARK));
    if (!line) throw new Error(`wrk printed no result:\n${output}`);
    /** @type {unknown} */
    const parsed = JSON.parse(line.slice(MARK.length));
    const r =
      /** @type {{ requests: number, duration_us: number, errors: number, non2xx: number, p50_us: number, p99_us: number }} */ (
        parsed
      );
    const durationS = r.duration_us / 1e6;
    return {
      rps: r.requests / durationS,
      requests: r.requests,
      duration_s: durationS,
      errors: r.errors,
      non2xx: r.non2xx,
      latency_ms: { p50: r.p50_us / 1000, p99: r.p99_us / 1000 },
      cpu_pct: cpu,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * @param {string} command
 * @param {string[]} args
 * @returns {Promise<string>} stdout and stderr
 */
function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${command} exited ${code}:\n${output}`)),
    );
  });
}
