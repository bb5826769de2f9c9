// @ts-check
// h. memory: straight after check-hit, many more distinct users (one new user per request):
// does the service keep anything per user?
import { sleep } from '../processes.mjs';
import { rssKb } from '../lib/machine.mjs';
import { SEED_FLAGS } from '../lib/settings.mjs';

/** @type {import('../lib/context.mjs').Scenario} */
export default {
  name: 'memory',
  async run(ctx) {
    const { app } = ctx;
    const { memoryUsers, memoryMaxS, durationS } = ctx.settings;
    await ctx.gate('memory', app.pid);
    const before = rssKb(app.pid);
    let peak = before.rss;
    const sampler = setInterval(() => {
      const now = rssKb(app.pid).rss;
      if (now > peak) peak = now;
    }, 200);
    const s0 = await ctx.stats();
    const r = await ctx.load({
      base: ctx.appBase,
      pathFor: (k) => `/flags/${SEED_FLAGS[k % 4]}/check?user_id=user-${k % memoryUsers}`,
      seconds: durationS,
      amount: memoryUsers,
      maxSeconds: memoryMaxS,
      pid: app.pid,
    });
    const s1 = await ctx.stats();
    clearInterval(sampler);
    await sleep(500);
    const after = rssKb(app.pid);
    ctx.withStats(r, s0, s1, ['check']);
    r.distinct_users = Math.min(r.responses, memoryUsers);
    r.target_users = memoryUsers;
    r.rss_kb = { before: before.rss, after: after.rss, peak_sampled: peak, vm_hwm: after.hwm };
    r.cache_keys = { before: s0.keys, after: s1.keys };
    ctx.record('memory', r);
    console.log(
      `    RSS ${(before.rss / 1024).toFixed(1)} MiB -> ${(after.rss / 1024).toFixed(1)} MiB (peak ${(peak / 1024).toFixed(1)} MiB) over ${r.distinct_users.toLocaleString('en')} distinct users`,
    );
    if (r.responses < memoryUsers) {
      ctx.results.notes.push(
        `memory run stopped after ${memoryMaxS} s with ${r.responses} of ${memoryUsers} users requested`,
      );
    }
  },
};
