// @ts-check
// g. update latency: sequential updates of one flag; with a real Redis twice: plain, then with
// many cached answers of that flag seeded into Redis (do updates scan or delete them?).
import { fmt } from '../lib/format.mjs';
import { closeRedis, redisClient, seedAnswers, unlinkAnswers } from '../lib/redis.mjs';
import { ERROR_BUDGET } from '../lib/settings.mjs';
import { quantiles } from '../lib/stats.mjs';

/**
 * @typedef {import('../lib/types').UpdateStats} UpdateStats
 * @typedef {import('../lib/types').HttpAnswer} HttpAnswer
 */

const UPDATE_FLAG = 'bench_update';

/** @type {import('../lib/context.mjs').Scenario} */
export default {
  name: 'update-latency',
  async run(ctx) {
    const { results, settings } = ctx;
    const { updates, seededAnswers } = settings;
    /** @returns {Promise<UpdateStats>} */
    const sequential = async () => {
      /** @type {number[]} */
      const ms = [];
      let errors = 0;
      /** @type {HttpAnswer | undefined} */
      let last;
      for (let n = 0; n < updates; n++) {
        try {
          last = await ctx.update(UPDATE_FLAG, [30, 70][n % 2]);
          ms.push(last.ms);
        } catch {
          errors++;
        }
      }
      return {
        ...quantiles(ms),
        errors,
        error_rate: errors / updates,
        revision: last?.body?.revision,
      };
    };
    for (let n = 0; n < 10; n++) await ctx.update(UPDATE_FLAG, 50); // warm-up
    const latency = { plain: await sequential(), with_cached_answers: null };
    results.update_latency = latency;
    if (settings.redisUrl && results.backends.cache === 'redis') {
      const client = await redisClient(settings.redisUrl);
      const revision = Number((await ctx.update(UPDATE_FLAG, 50)).body.revision);
      const dbsizeBefore = await client.dbSize();
      const t = Date.now();
      await seedAnswers(client, UPDATE_FLAG, revision, seededAnswers);
      const seedSeconds = (Date.now() - t) / 1000;
      const dbsizeSeeded = await client.dbSize();
      const withAnswers = await sequential();
      const dbsizeAfter = await client.dbSize();
      await unlinkAnswers(client, UPDATE_FLAG, revision, seededAnswers);
      const dbsizeCleaned = await client.dbSize();
      await closeRedis(client);
      results.update_latency.with_cached_answers = {
        ...withAnswers,
        seeded_answers: seededAnswers,
        seeded_revision: revision,
        seed_seconds: seedSeconds,
        dbsize: {
          before_seed: dbsizeBefore,
          after_seed: dbsizeSeeded,
          after_updates: dbsizeAfter,
          after_cleanup: dbsizeCleaned,
        },
      };
    } else {
      results.notes.push(
        'update latency with cached answers needs a real Redis (BENCH_REDIS_URL): skipped',
      );
    }
    for (const [k, v] of Object.entries(results.update_latency)) {
      if (!v) continue;
      const dbsize = 'dbsize' in v ? v.dbsize : undefined;
      console.log(
        `  update-latency ${k.padEnd(20)} n=${v.count} p50 ${fmt(v.p50, 2)} ms  p95 ${fmt(v.p95, 2)} ms  p99 ${fmt(v.p99, 2)} ms  max ${fmt(v.max, 2)} ms` +
          (dbsize
            ? `  DBSIZE ${dbsize.before_seed} -> ${dbsize.after_seed} (seeded) -> ${dbsize.after_updates} (after updates)`
            : ''),
      );
      if (v.error_rate > ERROR_BUDGET)
        ctx.problems.push(`update-latency ${k}: ${v.errors} of ${updates} updates failed`);
    }
  },
};
