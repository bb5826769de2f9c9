// @ts-check
// What a run of bench/run.mjs is configured with: paths, the BENCH_* variables (read here and
// nowhere else in bench/run.mjs's modules) and the knobs recorded in results.settings.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const MAIN = path.join(ROOT, 'dist/apps/api/main.js');
export const RESULTS = path.join(ROOT, 'bench/results/latest.json');
/** Written by bench/restart.mjs; docs/benchmarks.md includes it. */
export const RESTART_RESULTS = path.join(ROOT, 'bench/results/restart.json');
export const DOCS = path.join(ROOT, 'docs/benchmarks.md');

export const SEED_FLAGS = ['new_checkout_flow', 'beta_features', 'dark_mode', 'experimental_api'];
/** A scenario with more than this share of errors fails the run. */
export const ERROR_BUDGET = 0.01;

/**
 * Prints `prefix: message` and exits 1.
 * @param {string} message
 * @returns {never}
 */
export function fail(message, prefix = 'bench') {
  console.error(`${prefix}: ${message}`);
  process.exit(1);
}

/**
 * The environment the service is started with (bench/run.mjs and bench/restart.mjs): this one
 * without its database, cache and token settings, in production mode with `adminToken` (it
 * refuses NODE_ENV=production without one, and updates need it).
 * @param {string} adminToken
 * @returns {Record<string, string | undefined>}
 */
export function serviceEnv(adminToken) {
  const env = { ...process.env };
  for (const name of [
    'DATABASE_URL',
    'REDIS_URL',
    'ADMIN_TOKENS',
    'CLIENT_TOKENS',
    'PGLITE_DATA_DIR',
  ])
    delete env[name];
  return Object.assign(env, {
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    ADMIN_TOKEN: adminToken,
  });
}

/**
 * @param {NodeJS.ProcessEnv} env
 */
export function readSettings(env) {
  const durationS = Number(env.BENCH_DURATION_S ?? 10);
  if (!Number.isFinite(durationS) || durationS <= 0)
    fail('BENCH_DURATION_S must be a positive number');
  // Below 5 s a run is a smoke test (CI): the long scenarios are scaled down.
  const short = durationS < 5;
  return {
    durationS,
    short,
    warmupS: short ? 1 : 2,
    connections: 50,
    fixedRate: 5000,
    users: 10_000,
    memoryUsers: short ? 200_000 : 1_000_000,
    memoryMaxS: short ? 45 : 150,
    seededAnswers: short ? 100_000 : 1_000_000,
    updates: 200,
    // baseline-check, nest-floor-check and check-hit run interleaved, this many rounds each.
    referenceRounds: 3,
    // staleness: updates on instance A, each followed by a tight poll of instance B.
    stalenessUpdates: 100,
    // miss-burst: this many concurrent checks, distinct users, on a flag no cache layer holds; repeated.
    burst: 500,
    bursts: 3,
    // On a shared machine, wait up to this long before each scenario for other processes to go quiet.
    waitQuietS: Number(env.BENCH_WAIT_QUIET_S ?? 0),
    dbUrl: env.BENCH_DATABASE_URL || env.DATABASE_URL || '',
    redisUrl: env.BENCH_REDIS_URL || env.REDIS_URL || '',
    writeDocs: env.BENCH_WRITE_DOCS === '1',
    // Scenarios with a target (PASS/FAIL) fail the run only with BENCH_ENFORCE=1.
    enforce: env.BENCH_ENFORCE === '1',
    /** Comma-separated scenario names (BENCH_SCENARIOS); empty: all of them. */
    only: (env.BENCH_SCENARIOS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  };
}

/** @typedef {ReturnType<typeof readSettings>} Settings */
