/**
 * Fault script: what clients see while PostgreSQL hangs (frozen) or is blackholed, measured
 * against the built service (`npm run build` first).
 *
 *   npm run build && FAULT_DATABASE_URL=postgres://… npm run fault:hung-postgres
 *   (DATABASE_URL is used when FAULT_DATABASE_URL is unset; REDIS_URL / FAULT_REDIS_URL is
 *   optional; FAULT_DURATION_S per phase, default 10.)
 *
 * It starts one instance with the default database timeouts behind a TCP proxy (the one the e2e
 * suite uses), loads FLAGS flags, and for each fault (frozen: sockets stall; blackholed: sockets
 * dropped, new ones never answered) runs, for FAULT_DURATION_S: CONCURRENCY clients checking
 * those flags for random users, and one admin writing once a second (first with PostgreSQL
 * answering, for reference). Edge entries live 2 s
 * (CACHE_TTL_SERVICE_S=2) so that most checks need the database and are answered `stale`.
 * It prints, per phase, the checks' count, latency percentiles and `_cache` outcomes, the
 * writes' statuses and time to answer, and how long after the fault ended a write succeeded.
 * Exits 1 if any answer was a 5xx other than a write's 503.
 *
 * Latency here is measured at the client, through Node's http module, on whatever else runs on
 * the machine: say so next to any figure taken from it.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { TcpProxy } from '../support/tcp-proxy';

const ROOT = path.resolve(__dirname, '../../../..');
const MAIN = path.join(ROOT, 'dist/apps/api/main.js');
const DATABASE_URL = process.env.FAULT_DATABASE_URL || process.env.DATABASE_URL || '';
const REDIS_URL = process.env.FAULT_REDIS_URL || process.env.REDIS_URL || '';
const DURATION_S = Number(process.env.FAULT_DURATION_S ?? 10);
const CONCURRENCY = 10;
const FLAGS = 20;
const ADMIN = 'fault-admin-secret-0123456789';

interface Answer {
  status: number;
  ms: number;
  cache?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY + 4 });

function request(port: number, method: string, url: string, admin = false): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: url,
        agent,
        headers: admin ? { authorization: `Bearer ${ADMIN}` } : {},
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => {
          let cache: string | undefined;
          try {
            cache = (JSON.parse(body) as { _cache?: string })._cache;
          } catch {
            cache = undefined;
          }
          resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, cache });
        });
      },
    );
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
    req.end();
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const countBy = (values: Array<string | number | undefined>) => {
  const counts: Record<string, number> = {};
  for (const v of values) counts[String(v)] = (counts[String(v)] ?? 0) + 1;
  return counts;
};
const ms = (n: number) => (Number.isNaN(n) ? '–' : `${n.toFixed(n < 10 ? 2 : 0)} ms`);

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function phase(
  name: string,
  port: number,
  flags: string[],
  fault: () => void,
  proxy: TcpProxy,
): Promise<boolean> {
  fault();
  const checks: Answer[] = [];
  const writes: Answer[] = [];
  const until = performance.now() + DURATION_S * 1000;
  const client = async () => {
    while (performance.now() < until) {
      const flag = flags[Math.floor(Math.random() * flags.length)];
      const user = `u${Math.floor(Math.random() * 1e6)}`;
      checks.push(await request(port, 'GET', `/flags/${flag}/check?user_id=${user}`));
    }
  };
  let n = 0;
  const writer = async () => {
    while (performance.now() < until) {
      const pct = n++ % 100;
      const flag = flags[0];
      writes.push(
        await request(port, 'POST', `/flags/${flag}/update?rollout_percentage=${pct}`, true),
      );
      await sleep(1000);
    }
  };
  await Promise.all([...Array.from({ length: CONCURRENCY }, client), writer()]);

  const restoredAt = performance.now();
  proxy.restore();
  let recoveredMs = NaN;
  while (performance.now() - restoredAt < 30_000) {
    const res = await request(port, 'POST', `/flags/${flags[0]}/update?enabled=true`, true);
    if (res.status === 200) {
      recoveredMs = performance.now() - restoredAt;
      break;
    }
    await sleep(50);
  }

  const latencies = checks.map((c) => c.ms).sort((a, b) => a - b);
  const writeTimes = writes.map((w) => w.ms).sort((a, b) => a - b);
  console.log(`\n## ${name} PostgreSQL, ${DURATION_S} s`);
  console.log(
    `checks: ${checks.length}, p50 ${ms(percentile(latencies, 0.5))}, p99 ${ms(percentile(latencies, 0.99))}, max ${ms(latencies[latencies.length - 1])}`,
  );
  console.log(`  statuses ${JSON.stringify(countBy(checks.map((c) => c.status)))}`);
  console.log(`  _cache   ${JSON.stringify(countBy(checks.map((c) => c.cache)))}`);
  console.log(
    `writes: ${writes.length}, statuses ${JSON.stringify(countBy(writes.map((w) => w.status)))}, time to answer p50 ${ms(percentile(writeTimes, 0.5))}, max ${ms(writeTimes[writeTimes.length - 1])}`,
  );
  console.log(`first successful write after the fault ended: ${ms(recoveredMs)}`);
  const bad = [...checks.filter((c) => c.status >= 500), ...writes.filter((w) => w.status > 503)];
  if (bad.length > 0) console.log(`FAIL: ${bad.length} answers were server errors`);
  return bad.length === 0 && !Number.isNaN(recoveredMs);
}

async function main(): Promise<number> {
  if (!DATABASE_URL) {
    console.log('fault:hung-postgres: skipped: needs FAULT_DATABASE_URL or DATABASE_URL');
    return 0;
  }
  const { proxy, url: throughProxy } = await TcpProxy.inFrontOf(DATABASE_URL);
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: throughProxy,
      REDIS_URL: REDIS_URL || undefined,
      ADMIN_TOKENS: `fault:${ADMIN}`,
      CACHE_TTL_SERVICE_S: '2',
      LOG_LEVEL: 'error',
    },
  });
  try {
    for (let i = 0; ; i++) {
      if ((await request(port, 'GET', '/health/ready')).status === 200) break;
      if (i > 300 || child.exitCode !== null) throw new Error('the service did not start');
      await sleep(100);
    }
    const flags = Array.from({ length: FLAGS }, (_, i) => `fault_${process.pid}_${i}`);
    for (const flag of flags) {
      await request(port, 'POST', `/flags/${flag}/update?enabled=true&rollout_percentage=50`, true);
      await request(port, 'GET', `/flags/${flag}/check?user_id=warm`);
    }
    console.log(
      `edgeflags fault script: ${FLAGS} flags loaded, ${CONCURRENCY} checking clients + 1 writer/s, default DB timeouts (connect 2000 ms, statement 3000 ms), edge TTL 2 s, Redis ${REDIS_URL ? 'on' : 'off'}`,
    );
    // The same load with PostgreSQL answering: the reference for this machine, in this run.
    const healthy = await phase('answering', port, flags, () => undefined, proxy);
    const frozen = await phase('frozen', port, flags, () => proxy.freeze(), proxy);
    await sleep(2000);
    const hole = await phase('blackholed', port, flags, () => proxy.blackhole(), proxy);
    return healthy && frozen && hole ? 0 : 1;
  } finally {
    child.kill('SIGKILL');
    agent.destroy();
    await proxy.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
