// @ts-check
// What every scenario is handed: the running service and baseline, control requests, load runs
// that read the service's counters around them, and the recording of results, notes, warnings
// and problems (a problem fails the run).
import { scrapeHistogram, histogramDelta, serverTime } from './histogram.mjs';
import { fmt, pct } from './format.mjs';
import { load } from './load.mjs';
import { waitQuiet } from './machine.mjs';
import { sleep } from '../processes.mjs';
import { ERROR_BUDGET } from './settings.mjs';
import { hitRate } from './stats.mjs';

/**
 * @typedef {import('./types').Child} Child
 * @typedef {import('./types').CacheStats} CacheStats
 * @typedef {import('./types').FlagTable} FlagTable
 * @typedef {import('./types').LoadOptions} LoadOptions
 * @typedef {import('./types').LoadResult} LoadResult
 * @typedef {import('./types').RequestFn} RequestFn
 * @typedef {import('./types').Results} Results
 * @typedef {import('./types').ServiceBody} ServiceBody
 * @typedef {import('./types').TargetResult} TargetResult
 * @typedef {import('./settings.mjs').Settings} Settings
 * @typedef {ReturnType<typeof import('../processes.mjs').childProcesses>} Children
 */

/**
 * A scenario: one module of bench/scenarios, listed in bench/scenarios/index.mjs.
 * @typedef {object} Scenario
 * @property {string} name what BENCH_SCENARIOS selects it by
 * @property {(ctx: BenchContext) => Promise<void>} run
 */

/** @typedef {ReturnType<typeof createContext>} BenchContext */

/**
 * Measures around the measured part of a load run (mixed: one update a second).
 * @typedef {{ start(): void, stop(): Promise<void> }} During
 */

/**
 * @param {object} init
 * @param {Settings} init.settings
 * @param {Results} init.results
 * @param {Children} init.children
 * @param {RequestFn} init.request
 * @param {Record<string, string | undefined>} init.appEnv the service's environment
 */
export function createContext({ settings, results, children, request, appEnv }) {
  const { problems, warnings } = results;

  /**
   * Polls GET /health until it answers 200; its body.
   * @param {Child} child
   * @param {string} base
   * @returns {Promise<ServiceBody>}
   */
  async function waitHealthy(child, base, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (!children.children.has(child)) {
        throw new Error(
          `${child.label} exited (${child.exitCode_}) before answering /health:\n${child.output.trim()}`,
        );
      }
      try {
        const r = await request('GET', `${base}/health`, { timeoutMs: 2000 });
        if (r.status === 200) return r.body;
        last = `HTTP ${r.status} ${JSON.stringify(r.body)}`;
      } catch (e) {
        last = e instanceof Error ? e.message : String(e);
      }
      await sleep(200);
    }
    throw new Error(`${child.label} did not become healthy in ${timeoutMs / 1000} s (${last})`);
  }

  // Set by the runner as it starts them.
  const state = {
    /** The service under test. */
    app: /** @type {Child} */ (/** @type {unknown} */ (undefined)),
    appBase: '',
    appPort: 0,
    /** The bare node:http floor; the reference scenario stops it. */
    baseline: /** @type {Child} */ (/** @type {unknown} */ (undefined)),
    baselineBase: '',
    /** The seed flags as the service has them (the floors answer from the same values). */
    seedTable: /** @type {FlagTable} */ ({}),
  };

  /** @param {LoadOptions} opts */
  const runOnce = (opts) => load(opts, settings.connections);

  /**
   * GET /cache/stats of the service (or another instance).
   * @returns {Promise<CacheStats>}
   */
  const stats = async (base = state.appBase) =>
    /** @type {CacheStats} */ ((await request('GET', `${base}/cache/stats`)).body);

  /**
   * Before a scenario: waits (BENCH_WAIT_QUIET_S) for other processes to go quiet.
   * @param {string} name
   * @param {number | undefined} pid
   */
  async function gate(name, pid) {
    if (settings.waitQuietS <= 0) return;
    const q = await waitQuiet(pid === undefined ? [] : [pid], settings.waitQuietS);
    if (!q.waited)
      results.notes.push(
        `${name}: started although other processes used ${q.other}% of a CPU (waited ${settings.waitQuietS} s)`,
      );
  }

  /**
   * What the service's own counters say about a run.
   * @param {LoadResult} r
   * @param {CacheStats} before
   * @param {CacheStats} after
   * @param {string[]} layers
   */
  function withStats(r, before, after, layers) {
    /** @param {CacheStats} s @param {'sent' | 'received'} k */
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
  }

  return Object.assign(state, {
    settings,
    results,
    problems,
    warnings,
    request,
    appEnv,
    startChild: children.startChild,
    stopChild: children.stopChild,
    waitHealthy,
    load: runOnce,
    stats,
    gate,
    withStats,

    /**
     * Enables the flag at `pctValue` percent (creating it): the seed form of an update.
     * @param {string} flag
     * @param {number} pctValue
     */
    async update(flag, pctValue) {
      const r = await request(
        'POST',
        `${state.appBase}/flags/${flag}/update?enabled=true&rollout_percentage=${pctValue}`,
      );
      if (r.status !== 200)
        throw new Error(`update ${flag} -> HTTP ${r.status} ${JSON.stringify(r.body)}`);
      return r;
    },

    /**
     * Records a load run as results.scenarios[name], prints its line, and notes what casts
     * doubt on it.
     * @param {string} name
     * @param {LoadResult} data
     */
    record(name, data) {
      const { notes } = results;
      results.scenarios[name] = data;
      const l = data.latency_ms;
      console.log(
        `  ${name.padEnd(18)} ${fmt(data.rps, 0).padStart(8)} req/s  p50 ${fmt(l.p50, 3)} ms  p99 ${fmt(l.p99, 3)} ms` +
          `  errors ${pct(data.error_rate)}${data.hit_rate ? `  hit ${pct(data.hit_rate.rate)}` : ''}` +
          `  cpu server/loadgen/other ${data.cpu_pct.server}/${data.cpu_pct.loadgen}/${data.cpu_pct.other}%`,
      );
      if (data.target_rate && data.rps < 0.95 * data.target_rate) {
        notes.push(
          `${name}: achieved ${Math.round(data.rps)} req/s of the ${data.target_rate} targeted`,
        );
      }
      if ((data.cpu_pct.loadgen ?? 0) >= 90 && !data.target_rate) {
        notes.push(
          `${name}: the load generator was at ${data.cpu_pct.loadgen}% of its CPU, so it may have limited this figure`,
        );
      }
      if ((data.cpu_pct.other ?? 0) >= 25) {
        notes.push(
          `${name}: other processes used ${data.cpu_pct.other}% of a CPU during the run (PostgreSQL, Redis or unrelated work)`,
        );
      }
      if (data.error_rate > ERROR_BUDGET)
        problems.push(`${name}: error rate ${pct(data.error_rate)} > 1%`);
      const hit = data.hit_rate;
      if (hit && hit.rate !== null && hit.rate < 0.99) {
        warnings.push(
          `${name}: cache hit rate only ${pct(hit.rate)} (${hit.misses} misses, ${data.db_reads} database reads)`,
        );
      }
      if ((data.foreign_invalidations ?? 0) > 0) {
        warnings.push(
          `${name}: the service received ${data.foreign_invalidations} invalidation messages it did not send: another edgeflags instance publishes on the same Redis database's invalidation channel`,
        );
      }
    },

    /**
     * Records a scenario checked against a target and prints its verdict. A miss fails the run
     * only with BENCH_ENFORCE=1; otherwise it is a note.
     * @param {string} name
     * @param {TargetResult} t
     */
    target(name, t) {
      results.targets ??= {};
      results.targets[name] = t;
      if (t.skipped !== undefined) {
        console.log(`  ${name.padEnd(18)} skipped: ${t.skipped}`);
        return;
      }
      const value = t.unit === 'ratio' ? `${fmt(t.value, 3)}x` : `${fmt(t.value, 0)}/s`;
      const target = t.unit === 'ratio' ? `${fmt(t.target, 2)}x` : `${fmt(t.target, 0)}/s`;
      const rounds = t.rounds?.length
        ? ` (rounds ${t.rounds.map((x) => (t.unit === 'ratio' ? `${fmt(x, 3)}x` : fmt(x, 0))).join(', ')})`
        : '';
      console.log(
        `  ${name.padEnd(18)} ${t.what}: ${value}${rounds}, target >= ${target}: ${t.pass ? 'PASS' : 'FAIL'}`,
      );
      if (t.pass) return;
      const miss = `${name}: ${t.what} ${value}, below the target of ${target}`;
      if (settings.enforce) problems.push(miss);
      else results.notes.push(`${miss} (not enforced: BENCH_ENFORCE=1 makes it fail the run)`);
    },

    /**
     * A load run against any server, after a warm-up.
     * @param {string} name
     * @param {string} base
     * @param {Omit<LoadOptions, 'base' | 'seconds'>} opts
     */
    async runLoad(name, base, opts, warmUp = true) {
      await gate(name, opts.pid);
      if (warmUp)
        await runOnce({
          base,
          ...opts,
          seconds: settings.warmupS,
          amount: undefined,
          maxSeconds: undefined,
        });
      return runOnce({ base, seconds: settings.durationS, ...opts });
    },

    /**
     * A load run against the service (opts.base / opts.pid: another instance of it), with its
     * cache counters around the measured part; opts.serverTime: also its latency histogram.
     * @param {string} name
     * @param {string[]} layers the cache layers whose hit rate counts
     * @param {Omit<LoadOptions, 'base' | 'seconds'> & { base?: string, serverTime?: boolean }} options
     * @param {During} [during]
     */
    async appLoad(name, layers, options, during, warmUp = true) {
      const { serverTime: scrape = false, ...rest } = options;
      const opts = { base: state.appBase, pid: state.app.pid, ...rest };
      await gate(name, opts.pid);
      if (warmUp)
        await runOnce({
          ...opts,
          seconds: settings.warmupS,
          amount: undefined,
          maxSeconds: undefined,
        });
      const before = await stats(opts.base);
      const h0 = scrape ? await scrapeHistogram(request, opts.base) : null;
      during?.start();
      const r = await runOnce({ seconds: settings.durationS, ...opts });
      await during?.stop();
      const after = await stats(opts.base);
      if (h0)
        r.server_time = serverTime(histogramDelta(h0, await scrapeHistogram(request, opts.base)));
      return withStats(r, before, after, layers);
    },
  });
}
