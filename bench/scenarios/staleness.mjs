// @ts-check
// j. staleness: how long after an update's response on instance A does instance B answer the
// new value? Only with a PostgreSQL and a Redis both instances share.
import http from 'node:http';
import { freePort, sleep } from '../processes.mjs';
import { fmt } from '../lib/format.mjs';
import { MAIN } from '../lib/settings.mjs';
import { quantiles } from '../lib/stats.mjs';

/**
 * @typedef {import('../lib/types').CacheStats} CacheStats
 * @typedef {import('../lib/types').HttpAnswer} HttpAnswer
 * @typedef {import('../lib/types').Staleness} Staleness
 */

// Updates on A, each followed by a tight poll of B until it answers the new value (after a few
// discarded warm-up rounds).
const STALENESS_WARMUP = 5;
const STALENESS_TIMEOUT_MS = 10_000;
const STALENESS_TARGET_P99_MS = 50;
const STALENESS_FLAG = 'bench_staleness';
const STALENESS_USER = 'staleness-user';

/** @type {import('../lib/context.mjs').Scenario} */
export default {
  name: 'staleness',
  async run(ctx) {
    const { results, request } = ctx;
    const updates = ctx.settings.stalenessUpdates;
    if (results.backends.database !== 'postgres' || results.backends.cache !== 'redis') {
      results.staleness = { skipped: 'needs a shared PostgreSQL and Redis' };
      console.log('  staleness          skipped: needs a shared PostgreSQL and Redis');
      return;
    }
    await ctx.gate('staleness', ctx.app.pid);
    const bPort = await freePort();
    const bBase = `http://127.0.0.1:${bPort}`;
    const b = ctx.startChild('service B', [MAIN], { ...ctx.appEnv, PORT: String(bPort) });
    await ctx.waitHealthy(b, bBase);
    const bAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const checkUrl = `${bBase}/flags/${STALENESS_FLAG}/check?user_id=${STALENESS_USER}`;
    const checkB = () => request('GET', checkUrl, { via: bAgent, anonymous: true });
    const statsB = async () =>
      /** @type {CacheStats} */ (
        (await request('GET', `${bBase}/cache/stats`, { via: bAgent })).body
      );
    /** @param {boolean} expected */
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
    await ctx.update(STALENESS_FLAG, 0);
    for (let i = 0; i < 100 && !(await edgeHitAgain(false)); i++) await sleep(50);
    const bBefore = await statsB();
    /** @type {number[]} */
    const delays = [];
    /** @type {number[]} */
    const polls = [];
    /** @type {Record<string, number>} */
    const firstAnswers = {};
    let edgeHitsAfter = 0;
    let timeouts = 0;
    let errors = 0;
    for (let i = 0; i < STALENESS_WARMUP + updates; i++) {
      const measured = i >= STALENESS_WARMUP;
      const pctValue = i % 2 === 0 ? 100 : 0; // enabled, so 100% is on and 0% off for everybody
      const expected = pctValue === 100;
      let written;
      try {
        written = await ctx.update(STALENESS_FLAG, pctValue);
      } catch {
        errors++;
        continue;
      }
      const deadline = written.at + BigInt(STALENESS_TIMEOUT_MS) * 1_000_000n;
      let n = 0;
      /** @type {HttpAnswer | undefined} */
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
      const cache = String(first.body._cache);
      firstAnswers[cache] = (firstAnswers[cache] ?? 0) + 1;
      if (await edgeHitAgain(expected)) edgeHitsAfter++;
    }
    const bAfter = await statsB();
    bAgent.destroy();
    await ctx.stopChild(b);
    /** @type {Staleness} */
    const st = {
      updates,
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
      ctx.problems.push(
        `staleness: ${timeouts} updates never reached B within ${STALENESS_TIMEOUT_MS} ms, ${errors} request errors`,
      );
    if (edgeHitsAfter < delays.length)
      results.notes.push(
        `staleness: B answered from its edge cache right after the new value in only ${edgeHitsAfter} of ${delays.length} rounds`,
      );
  },
};
