// @ts-check
// i. miss-burst: settings.burst concurrent checks, each from a different user, of a flag that no
// cache layer holds (a new revision of bench_burst_<n>, just written): the service must read it
// from PostgreSQL once, not once per request. Repeated settings.bursts times.
import { isEnabledFor } from '../rollout.mjs';
import { fmt } from '../lib/format.mjs';
import { exchange, openSocket, rawRequest } from '../lib/http.mjs';
import { cpuDelta, cpuSnapshot } from '../lib/machine.mjs';
import { SEED_FLAGS } from '../lib/settings.mjs';
import { quantiles } from '../lib/stats.mjs';

/**
 * @typedef {import('../lib/types').MissBurstRun} MissBurstRun
 * @typedef {import('../lib/types').RawAnswer} RawAnswer
 */

const BURST_PCT = 50;
/** @param {number} n */
const burstFlag = (n) => `bench_burst_${n}`;

/** @type {import('../lib/context.mjs').Scenario} */
export default {
  name: 'miss-burst',
  async run(ctx) {
    const { app, results, problems } = ctx;
    const { burst, bursts } = ctx.settings;
    const host = new URL(ctx.appBase).host;
    /** @param {string} p */
    const raw = (p) => rawRequest(host, p);
    // `burst` keep-alive connections, each first used for a check answered from cache: the burst
    // then measures the miss, not `burst` TCP handshakes queued on one core. Raw sockets and
    // pre-built requests, so that the burst leaves this (single-threaded) client as fast as it
    // can write: an http.Agent takes tens of ms to issue 500 requests.
    const sockets = await Promise.all(
      Array.from({ length: burst }, () => openSocket(ctx.appPort).catch(() => null)),
    );
    /** @type {MissBurstRun[]} */
    const runs = [];
    for (let n = 1; n <= bursts; n++) {
      const flag = burstFlag(n);
      await ctx.gate(`miss-burst ${n}`, app.pid);
      const warm = await Promise.all(
        sockets.map((sock, i) =>
          sock
            ? exchange(sock, raw(`/flags/${SEED_FLAGS[0]}/check?user_id=warm-${i}`))
            : Promise.resolve(null),
        ),
      );
      const ready = warm.filter((a) => a?.status === 200).length;
      const requests = sockets.map((_, i) => raw(`/flags/${flag}/check?user_id=burst-${i}`));
      const written = await ctx.update(flag, BURST_PCT); // a revision no cache layer holds
      const before = await ctx.stats();
      const cpu0 = cpuSnapshot(app.pid);
      const start = process.hrtime.bigint();
      const pending = sockets.map((sock, i) =>
        sock ? exchange(sock, requests[i]) : Promise.resolve(null),
      );
      const lastSent = process.hrtime.bigint();
      const answers = (await Promise.all(pending)).map(
        (a) =>
          a ??
          /** @type {RawAnswer} */ ({
            status: 0,
            error: 'no connection',
            at: process.hrtime.bigint(),
          }),
      );
      const cpu = cpuDelta(cpu0, cpuSnapshot(app.pid));
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      const after = await ctx.stats();
      const rule = { enabled: true, rollout_percentage: BURST_PCT };
      let errors = 0;
      let non2xx = 0;
      let wrong = 0;
      /** @type {number[]} */
      const ms = [];
      /** @type {Record<string, number>} */
      const outcomes = {};
      answers.forEach((a, i) => {
        if (a.status === 0) return void errors++;
        ms.push(Number(a.at - start) / 1e6);
        if (a.status !== 200) return void non2xx++;
        const cache = String(a.body?._cache);
        outcomes[cache] = (outcomes[cache] ?? 0) + 1;
        if (a.body?.enabled !== isEnabledFor(rule, flag, `burst-${i}`)) wrong++;
      });
      /** @param {string} layer @param {'hits' | 'misses'} k */
      const delta = (layer, k) => after.layers[layer][k] - before.layers[layer][k];
      runs.push({
        flag,
        created: written.body.created,
        revision: written.body.revision,
        warm_connections: ready,
        all_sent_after_ms: Number(lastSent - start) / 1e6,
        wall_ms: wallMs,
        cpu_pct: cpu,
        // Server CPU time per check of the burst (10 ms tick resolution over a few hundred ms).
        server_cpu_ms_per_check: (Number(cpu.server) / 100) * (wallMs / burst),
        db_reads: after.db_reads - before.db_reads,
        check_layer: { hits: delta('check', 'hits'), misses: delta('check', 'misses') },
        service_layer: { hits: delta('service', 'hits'), misses: delta('service', 'misses') },
        // Checks that reached the service while the flag's one load was in flight and waited for
        // it (single-flight): they missed the check layer, but counted neither a service-layer
        // hit (flag already loaded) nor a miss (the load itself).
        joined_load:
          delta('check', 'misses') - delta('service', 'hits') - delta('service', 'misses'),
        answers: outcomes,
        latency_ms: quantiles(ms),
        errors,
        non2xx,
        wrong,
      });
    }
    for (const sock of sockets) sock?.destroy();
    const reads = runs.map((b) => b.db_reads);
    results.miss_burst = {
      burst,
      bursts,
      rollout_percentage: BURST_PCT,
      runs,
      db_reads: reads,
      db_reads_max: Math.max(...reads),
      target_db_reads: 1,
    };
    for (const b of runs) {
      const l = b.latency_ms;
      console.log(
        `  miss-burst ${b.flag.padEnd(14)} ${burst} concurrent: db_reads ${b.db_reads}  p50 ${fmt(l.p50, 2)} ms  p99 ${fmt(l.p99, 2)} ms  max ${fmt(l.max, 2)} ms` +
          `  errors ${b.errors}  non-2xx ${b.non2xx}  wrong ${b.wrong}  answers ${JSON.stringify(b.answers)}`,
      );
      if (b.errors || b.non2xx)
        problems.push(`miss-burst ${b.flag}: ${b.errors} errors, ${b.non2xx} non-2xx of ${burst}`);
      if (b.wrong) problems.push(`miss-burst ${b.flag}: ${b.wrong}/${burst} wrong answers`);
      if (b.db_reads > 1)
        results.notes.push(
          `miss-burst ${b.flag}: ${b.db_reads} database reads for one burst (target: 1)`,
        );
      if (b.warm_connections < burst)
        results.notes.push(
          `miss-burst ${b.flag}: only ${b.warm_connections} of ${burst} connections were open before the burst`,
        );
    }
  },
};
