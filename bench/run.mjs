#!/usr/bin/env node
// @ts-check
// edgeflags benchmark: one run, every scenario, against the built app and two floors: a bare
// node:http server (bench/baseline-server.mjs) and a minimal NestJS + Fastify app answering from
// one interceptor (bench/nest-floor-server.mjs). With real PostgreSQL and Redis it also starts a
// second instance of the service to measure how stale it is after an update (staleness).
// Rolling restarts under load are measured separately: node bench/restart.mjs.
//
//   npm run build && npm run bench
//   BENCH_DURATION_S=3 node bench/run.mjs                     # short (CI) run, embedded backends
//   BENCH_DATABASE_URL=postgres://... BENCH_REDIS_URL=redis://.../12 BENCH_WRITE_DOCS=1 node bench/run.mjs
//   BENCH_SCENARIOS=ofrep-single,ofrep-bulk node bench/run.mjs # only these (docs are not written)
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
// Scenarios with a target print PASS or FAIL; BENCH_ENFORCE=1 makes a FAIL fail the run.
// Exits 1 when the service cannot start, a scenario has more than 1% errors, or answers are wrong.
//
// This file only reads the command line and the environment and picks the scenarios: the run is
// bench/lib/runner.mjs, each scenario a module of bench/scenarios (listed in its index.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { pinLoadGenerator } from './processes.mjs';
import { docsOnly } from './lib/docs.mjs';
import { nproc } from './lib/machine.mjs';
import { runBench } from './lib/runner.mjs';
import { fail, MAIN, readSettings, ROOT } from './lib/settings.mjs';
import { SCENARIOS } from './scenarios/index.mjs';

const DOCS_ONLY = process.argv.includes('--docs-only');
const settings = readSettings(process.env);

/** The registry, or the scenarios BENCH_SCENARIOS names (in the registry's order). */
function pickScenarios() {
  if (!settings.only.length) return SCENARIOS;
  const known = new Set(SCENARIOS.map((s) => s.name));
  const unknown = settings.only.filter((name) => !known.has(name));
  if (unknown.length)
    fail(`BENCH_SCENARIOS: unknown ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
  if (settings.writeDocs)
    fail('BENCH_WRITE_DOCS=1 needs every scenario: unset BENCH_SCENARIOS to write the docs');
  return SCENARIOS.filter((s) => settings.only.includes(s.name));
}

async function main() {
  if (DOCS_ONLY) return docsOnly();
  const scenarios = pickScenarios();
  if (!fs.existsSync(MAIN))
    fail(`${path.relative(ROOT, MAIN)} is missing: run npm run build first`);
  // Pinning: the service and the floors on CPU 0, this process (the load generator) on CPU 1.
  const cpus = nproc(); // before this process is pinned
  const pin = pinLoadGenerator();
  const description =
    pin.taskset !== null
      ? 'service (and its second instances: without request metrics, for staleness), baseline and nest-floor: taskset -c 0; load generator (autocannon, in bench/run.mjs): taskset -a -cp 1'
      : `none (${pin.why})`;
  await runBench({
    settings,
    scenarios,
    pinning: { taskset: pin.taskset, description },
    nproc: cpus,
  });
}

main().catch((/** @type {unknown} */ error) => {
  console.error(
    `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  // Children are killed by the exit handler of processes.mjs.
  process.exit(1);
});
