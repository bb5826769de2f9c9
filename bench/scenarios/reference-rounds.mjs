// @ts-check
// a, a2, b. The two floors and check-hit, interleaved: settings.referenceRounds rounds of
// baseline-check, nest-floor-check, check-hit and check-hit-no-metrics (each idle while another
// is loaded), the first round after a warm-up. On this kind of machine throughput drifts by tens
// of percent over a minute; adjacent runs and the median of the rounds are what the ratios
// between them can rest on, which is why these four are one scenario and not four.
// nest-floor is the cheapest NestJS + Fastify answer, from one interceptor; the service's check
// path is also an interceptor answering before the handler, so what the service costs beyond
// nest-floor is edgeflags' own work. check-hit-no-metrics is a second instance of the service
// without the per-request metrics hook (METRICS_HTTP=false): what the request metrics cost.
import path from 'node:path';
import { freePort } from '../processes.mjs';
import { isEnabledFor } from '../rollout.mjs';
import { addHistograms, parseHistogram, serverTime } from '../lib/histogram.mjs';
import { fmt, pct } from '../lib/format.mjs';
import { checkPath } from '../lib/load.mjs';
import { rssKb } from '../lib/machine.mjs';
import { MAIN, ROOT, SEED_FLAGS } from '../lib/settings.mjs';

/**
 * @typedef {import('../lib/context.mjs').BenchContext} BenchContext
 * @typedef {import('../lib/types').LoadResult} LoadResult
 * @typedef {import('../lib/types').Child} Child
 */

/** @type {import('../lib/context.mjs').Scenario} */
export default {
  name: 'reference-rounds',
  async run(ctx) {
    const { settings, results, problems, seedTable, request } = ctx;
    const floorPort = await freePort();
    const floorBase = `http://127.0.0.1:${floorPort}`;
    const floor = ctx.startChild('nest-floor', [path.join(ROOT, 'bench/nest-floor-server.mjs')], {
      ...process.env,
      PORT: String(floorPort),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      BASELINE_FLAGS: JSON.stringify(seedTable),
    });
    await ctx.waitHealthy(floor, floorBase);
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

    // Same CPU 0 as the first instance, own port, idle while anything else is loaded.
    const bareAppPort = await freePort();
    const bareAppBase = `http://127.0.0.1:${bareAppPort}`;
    const bareApp = ctx.startChild('service without request metrics', [MAIN], {
      ...ctx.appEnv,
      PORT: String(bareAppPort),
      METRICS_HTTP: 'false',
    });
    await ctx.waitHealthy(bareApp, bareAppBase);
    await checkBareInstance(ctx, bareAppBase);

    const pathFor = checkPath(SEED_FLAGS, settings.users);
    /** @type {Record<string, LoadResult[]>} */
    const rounds = {
      'baseline-check': [],
      'nest-floor-check': [],
      'check-hit': [],
      'check-hit-no-metrics': [],
    };
    for (let round = 0; round < settings.referenceRounds; round++) {
      const warmUp = round === 0;
      const b = await ctx.runLoad(
        'baseline-check',
        ctx.baselineBase,
        { pathFor, pid: ctx.baseline.pid },
        warmUp,
      );
      const f = await ctx.runLoad(
        'nest-floor-check',
        floorBase,
        { pathFor, pid: floor.pid },
        warmUp,
      );
      f.rss_kb = rssKb(floor.pid).rss;
      const c = await ctx.appLoad(
        'check-hit',
        ['check'],
        { pathFor, serverTime: true },
        undefined,
        warmUp,
      );
      const n = await ctx.appLoad(
        'check-hit-no-metrics',
        ['check'],
        { pathFor, base: bareAppBase, pid: bareApp.pid },
        undefined,
        warmUp,
      );
      rounds['baseline-check'].push(b);
      rounds['nest-floor-check'].push(f);
      rounds['check-hit'].push(c);
      rounds['check-hit-no-metrics'].push(n);
      console.log(
        `  round ${round + 1}/${settings.referenceRounds}: baseline ${fmt(b.rps, 0)}, nest-floor ${fmt(f.rps, 0)}, check-hit ${fmt(c.rps, 0)}, check-hit-no-metrics ${fmt(n.rps, 0)} req/s` +
          (c.server_time
            ? `; check-hit server time p50 ${fmt(c.server_time.p50_ms, 3)} ms, p99 ${fmt(c.server_time.p99_ms, 3)} ms, ${pct(c.server_time.within_1ms)} within 1 ms`
            : ''),
      );
    }
    await ctx.stopChild(ctx.baseline);
    await ctx.stopChild(floor);
    await ctx.stopChild(bareApp);
    // check-hit's server time over all rounds together.
    const summed = rounds['check-hit'].flatMap((r) =>
      r.server_time?.histogram ? [r.server_time.histogram] : [],
    );
    if (summed.length) {
      const all = serverTime(addHistograms(summed));
      delete all.histogram;
      results.check_hit_server_time_all_rounds = { rounds: summed.length, ...all };
    }
    // Each of the four is reported by its round of median throughput, with every round's figures.
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
      ctx.record(name, median);
    }
  },
};

/**
 * The instance without request metrics answers like the service and records no check.
 * @param {BenchContext} ctx
 * @param {string} bareAppBase
 */
async function checkBareInstance(ctx, bareAppBase) {
  const { request, seedTable, problems } = ctx;
  let wrongBare = 0;
  for (let u = 0; u < 100; u++) {
    const f = SEED_FLAGS[u % 4];
    const a = await request('GET', `${bareAppBase}/flags/${f}/check?user_id=user-${u}`);
    if (a.status !== 200 || a.body.enabled !== isEnabledFor(seedTable[f], f, `user-${u}`))
      wrongBare++;
  }
  const h = parseHistogram((await request('GET', `${bareAppBase}/metrics`)).body);
  ctx.results.checks.no_metrics_agreement = {
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
