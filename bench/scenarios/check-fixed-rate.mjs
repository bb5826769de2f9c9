// @ts-check
// c. check at a fixed rate (settings.fixedRate overall, paced evenly), with the service's own
// server time; then whether the server time of check-hit and this run is there at all.
import { fmtMs, pct } from '../lib/format.mjs';
import { checkPath } from '../lib/load.mjs';
import { SEED_FLAGS } from '../lib/settings.mjs';

/** @type {import('../lib/context.mjs').Scenario} */
export default {
  name: 'check-fixed-rate',
  async run(ctx) {
    const { settings, results } = ctx;
    ctx.record(
      'check-fixed-rate',
      await ctx.appLoad('check-fixed-rate', ['check'], {
        pathFor: checkPath(SEED_FLAGS, settings.users),
        overallRate: settings.fixedRate,
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
        ctx.warnings.push(
          `${name}: the service's latency histogram (GET /metrics) recorded ${st.requests} checks of ${s.responses} answered: server time is not available (is dist/ built from the current source?)`,
        );
    }
  },
};
