// @ts-check
// f. mixed: checks and details over the seed flags and bench_mixed, one update a second during
// the measured part; then read-your-writes right after one more update.
import { sleep } from '../processes.mjs';
import { isEnabledFor } from '../rollout.mjs';
import { fmt } from '../lib/format.mjs';
import { SEED_FLAGS } from '../lib/settings.mjs';
import { quantiles } from '../lib/stats.mjs';

const MIXED_FLAG = 'bench_mixed';
const PERCENTAGES = [50, 20, 80, 35, 65, 10, 90];

/** @type {import('../lib/context.mjs').Scenario} */
export default {
  name: 'mixed',
  async run(ctx) {
    const { users } = ctx.settings;
    const flags = [...SEED_FLAGS, MIXED_FLAG];
    await ctx.update(MIXED_FLAG, 50);
    /** @type {number[]} */
    const updateLatencies = [];
    let updateErrors = 0;
    let stopUpdates = false;
    /** @type {Promise<void> | undefined} */
    let updater;
    let i = 0;
    // One update a second during the measured part (not the warm-up).
    const updates = {
      start() {
        updater = (async () => {
          while (!stopUpdates) {
            const next = Date.now() + 1000;
            try {
              const r = await ctx.update(MIXED_FLAG, PERCENTAGES[i++ % PERCENTAGES.length]);
              updateLatencies.push(r.ms);
            } catch {
              updateErrors++;
            }
            await sleep(Math.max(0, next - Date.now()));
          }
        })();
      },
      async stop() {
        stopUpdates = true;
        await updater;
      },
    };
    /** @param {number} k */
    const pathFor = (k) => {
      const flag = flags[k % flags.length];
      const user = `user-${Math.floor(k / 10) % users}`;
      return k % 2 === 0
        ? `/flags/${flag}/check?user_id=${user}`
        : `/flags/${flag}?user_id=${user}`;
    };
    const r = await ctx.appLoad('mixed', ['check', 'endpoint'], { pathFor }, updates);
    // Read-your-writes right after an update: every answer must follow the new percentage.
    const finalPct = 42;
    await ctx.update(MIXED_FLAG, finalPct);
    let stale = 0;
    for (let u = 0; u < 200; u++) {
      const a = await ctx.request(
        'GET',
        `${ctx.appBase}/flags/${MIXED_FLAG}/check?user_id=user-${u}`,
      );
      if (
        a.body?.enabled !==
        isEnabledFor({ enabled: true, rollout_percentage: finalPct }, MIXED_FLAG, `user-${u}`)
      )
        stale++;
    }
    r.updates = { ...quantiles(updateLatencies), errors: updateErrors };
    r.after_update_wrong_answers = { checked: 200, wrong: stale };
    if (stale)
      ctx.problems.push(`mixed: ${stale}/200 check answers ignored an update made just before`);
    if (updateErrors) ctx.problems.push(`mixed: ${updateErrors} updates failed`);
    ctx.record('mixed', r);
    console.log(
      `    ${updateLatencies.length} updates during the run: p50 ${fmt(r.updates.p50, 2)} ms, max ${fmt(r.updates.max, 2)} ms; wrong answers after an update: ${stale}/200`,
    );
  },
};
