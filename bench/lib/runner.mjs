// @ts-check
// One benchmark run: start the service and the bare baseline, check that they and
// bench/rollout.mjs agree, run the scenarios in order, then write the results, the tables and
// (BENCH_WRITE_DOCS=1) docs/benchmarks.md. A problem recorded anywhere makes the run exit 1.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { childProcesses, freePort, redact, sleep } from '../processes.mjs';
import { isEnabledFor } from '../rollout.mjs';
import { createContext } from './context.mjs';
import { writeDocs } from './docs.mjs';
import { controlClient } from './http.mjs';
import { commitOf, cpuDelta, cpuSnapshot, describeMachine, rssKb } from './machine.mjs';
import { invalidationSubscribers } from './redis.mjs';
import { costPerCheck, metricsCost, printReport, ratios, renderTables } from './report.mjs';
import { MAIN, RESULTS, ROOT, SEED_FLAGS, serviceEnv } from './settings.mjs';

/**
 * @typedef {import('./context.mjs').Scenario} Scenario
 * @typedef {import('./context.mjs').BenchContext} BenchContext
 * @typedef {import('./settings.mjs').Settings} Settings
 * @typedef {import('./types').Results} Results
 * @typedef {import('./types').FlagTable} FlagTable
 */

/**
 * @param {object} run
 * @param {Settings} run.settings
 * @param {Scenario[]} run.scenarios in the order they run
 * @param {{ taskset: string | null, description: string }} run.pinning
 * @param {number | null} run.nproc `nproc` before this process was pinned
 */
export async function runBench({ settings, scenarios, pinning, nproc }) {
  const { durationS, dbUrl, redisUrl } = settings;
  const started = new Date();
  const t0 = Date.now();
  const children = childProcesses('bench', { root: ROOT, pinTo: () => pinning.taskset });
  const adminToken = randomBytes(24).toString('base64url');
  const { request } = controlClient(adminToken);

  /** @type {Results} */
  const results = {
    command: process.argv
      .slice(1)
      .map((a) => path.relative(ROOT, a) || a)
      .join(' '),
    command_line: [
      dbUrl && `BENCH_DATABASE_URL=${redact(dbUrl)}`,
      redisUrl && `BENCH_REDIS_URL=${redact(redisUrl)}`,
      settings.writeDocs && 'BENCH_WRITE_DOCS=1',
      settings.waitQuietS > 0 && `BENCH_WAIT_QUIET_S=${settings.waitQuietS}`,
      settings.enforce && 'BENCH_ENFORCE=1',
      settings.only.length > 0 && `BENCH_SCENARIOS=${settings.only.join(',')}`,
      `BENCH_DURATION_S=${durationS}`,
      'node bench/run.mjs',
    ]
      .filter(Boolean)
      .join(' '),
    date: started.toISOString(),
    commit: commitOf(ROOT),
    machine: describeMachine(nproc),
    pinning: pinning.description,
    settings: {
      wait_quiet_s: settings.waitQuietS,
      duration_s: durationS,
      warmup_s: settings.warmupS,
      connections: settings.connections,
      users: settings.users,
      fixed_rate: settings.fixedRate,
      memory_users: settings.memoryUsers,
      seeded_answers: redisUrl ? settings.seededAnswers : 0,
      updates: settings.updates,
      reference_rounds: settings.referenceRounds,
      staleness_updates: settings.stalenessUpdates,
      burst: settings.burst,
      bursts: settings.bursts,
    },
    scenarios: {},
    checks: {},
    notes: [],
    backends: { database: '', cache: '', health: {} },
    problems: [], // make the run fail
    warnings: [], // do not, but cast doubt on the figures
  };
  const { problems, warnings } = results;
  if (settings.short) {
    results.notes.push(
      `BENCH_DURATION_S=${durationS} < 5: memory run over ${settings.memoryUsers.toLocaleString('en')} users instead of 1,000,000` +
        (redisUrl
          ? `, ${settings.seededAnswers.toLocaleString('en')} seeded Redis answers instead of 1,000,000`
          : ''),
    );
  }

  // Is the machine quiet? Everything else running skews every figure below.
  {
    const a = cpuSnapshot();
    await sleep(1000);
    const idle = cpuDelta(a, cpuSnapshot());
    results.machine_busy_before_pct = idle.other;
    if ((idle.other ?? 0) >= 20) {
      const msg = `the machine was already busy before the run (${idle.other}% of a CPU used by other processes)`;
      console.warn(`bench: warning: ${msg}`);
      results.notes.push(msg);
    }
  }

  // --- the service ---------------------------------------------------------------------------
  const appPort = await freePort();
  const appBase = `http://127.0.0.1:${appPort}`;
  /** @type {Record<string, string | undefined>} */
  const appEnv = { ...serviceEnv(adminToken), PORT: String(appPort) };
  if (dbUrl) appEnv.DATABASE_URL = dbUrl;
  else appEnv.PGLITE_DATA_DIR = 'memory://';
  if (redisUrl) appEnv.REDIS_URL = redisUrl;
  console.log(
    `bench: starting the service on :${appPort} (${dbUrl ? 'PostgreSQL' : 'PGlite'}, ${redisUrl ? 'Redis' : 'in-process cache'})`,
  );
  if (redisUrl) {
    try {
      const { channel, subscribers } = await invalidationSubscribers(redisUrl);
      results.foreign_subscribers_before_start = subscribers;
      if (subscribers > 0) {
        const msg = `${subscribers} other client(s) were subscribed to ${channel} before the service started: another edgeflags instance on the same Redis database shares its invalidation channel, and its updates will reach the benchmarked service`;
        console.warn(`bench: warning: ${msg}`);
        warnings.push(msg);
      }
    } catch (error) {
      throw new Error(
        `cannot reach Redis at ${redact(redisUrl)}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  const ctx = createContext({ settings, results, children, request, appEnv });
  const app = children.startChild('service', [MAIN], appEnv);
  ctx.app = app;
  ctx.appBase = appBase;
  ctx.appPort = appPort;
  const health = await ctx.waitHealthy(app, appBase);
  results.backends = {
    database: health?.database?.backend ?? (dbUrl ? 'postgres' : 'pglite'),
    cache: health?.cache?.backend ?? (redisUrl ? 'redis' : 'memory'),
    health,
  };
  results.backends.summary =
    results.backends.database === 'postgres' && results.backends.cache === 'redis'
      ? 'real PostgreSQL + Redis (external servers, not pinned)'
      : `database: ${results.backends.database === 'pglite' ? 'embedded PGlite (memory://, in the service process)' : 'real PostgreSQL (external, not pinned)'}; ` +
        `shared cache: ${results.backends.cache === 'memory' ? 'in-process store' : 'real Redis (external, not pinned)'}`;
  results.service_rss_kb_after_start = rssKb(app.pid).rss;
  if (health?.status !== 'ok') problems.push(`service health is ${JSON.stringify(health)}`);

  // The flags as the service has them (the baseline answers from the same values).
  const listed = await request('GET', `${appBase}/flags`);
  if (listed.status !== 200) throw new Error(`GET /flags -> HTTP ${listed.status}`);
  /** @type {FlagTable} */
  const flagTable = Object.fromEntries(
    (listed.body.flags ?? []).map((f) => [
      f.flag_name,
      { enabled: f.enabled, rollout_percentage: f.rollout_percentage },
    ]),
  );
  const missing = SEED_FLAGS.filter((f) => !(f in flagTable));
  if (missing.length) throw new Error(`seed flags missing from the service: ${missing.join(', ')}`);
  const seedTable = Object.fromEntries(SEED_FLAGS.map((f) => [f, flagTable[f]]));
  results.seed_flags = seedTable;
  ctx.seedTable = seedTable;

  // --- the baseline --------------------------------------------------------------------------
  const basePort = await freePort();
  ctx.baselineBase = `http://127.0.0.1:${basePort}`;
  ctx.baseline = children.startChild('baseline', [path.join(ROOT, 'bench/baseline-server.mjs')], {
    ...process.env,
    PORT: String(basePort),
    HOST: '127.0.0.1',
    BASELINE_FLAGS: JSON.stringify(seedTable),
  });
  await ctx.waitHealthy(ctx.baseline, ctx.baselineBase);

  await checkAgreement(ctx);

  console.log(
    `bench: ${durationS} s per scenario after a ${settings.warmupS} s warm-up, ${settings.connections} connections; pinning: ${pinning.description}`,
  );
  for (const scenario of scenarios) await scenario.run(ctx);
  // A scenario that uses the baseline stops it; without one it is stopped here.
  await children.stopChild(ctx.baseline);

  results.final_stats = await ctx.stats();
  results.service_warnings = app.output.trim().split('\n').filter(Boolean).slice(-20);
  await children.stopChild(app);

  results.ratios = ratios(results);
  results.cost_per_check = costPerCheck(results);
  results.metrics_cost = metricsCost(results);
  results.elapsed_s = (Date.now() - t0) / 1000;

  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  fs.writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);

  const tables = renderTables(results);
  printReport(results, tables);
  console.log(`bench: wrote ${path.relative(ROOT, RESULTS)} in ${results.elapsed_s.toFixed(0)} s`);
  if (settings.writeDocs) await writeDocs(results, tables);
  if (problems.length) {
    console.error(`bench: FAILED\n  ${problems.join('\n  ')}`);
    process.exitCode = 1;
  }
}

/**
 * Correctness first: the service, the baseline and bench/rollout.mjs must agree.
 * @param {BenchContext} ctx
 */
async function checkAgreement(ctx) {
  const { request, seedTable, appBase, baselineBase, problems } = ctx;
  let appWrong = 0;
  let baseWrong = 0;
  let checked = 0;
  const examples = [];
  for (let u = 0; u < 250; u++) {
    for (const f of SEED_FLAGS) {
      const user = `user-${u}`;
      const expected = isEnabledFor(seedTable[f], f, user);
      const a = await request('GET', `${appBase}/flags/${f}/check?user_id=${user}`);
      const b = await request('GET', `${baselineBase}/flags/${f}/check?user_id=${user}`);
      checked++;
      if (a.status !== 200 || a.body.enabled !== expected) {
        appWrong++;
        if (examples.length < 5) examples.push({ flag: f, user, expected, got: a.body });
      }
      if (b.status !== 200 || b.body.enabled !== expected) baseWrong++;
    }
  }
  ctx.results.checks.rollout_agreement = {
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
