// @ts-check
// events-fanout: 2,000 GET /events streams open on one instance. What they cost in memory
// (RSS before and after opening them) and how long one change takes to reach all of them.
import { sleep } from '../processes.mjs';
import { fmt } from '../lib/format.mjs';
import { rssKb } from '../lib/machine.mjs';
import { openStream } from '../lib/sse.mjs';
import { quantiles } from '../lib/stats.mjs';

const STREAMS = 2000;
const ROUNDS = 10;
const TIMEOUT_MS = 30_000;
const FLAG = 'bench_fanout';

/** @type {import('../lib/context.mjs').Scenario} */
export default {
  name: 'events-fanout',
  async run(ctx) {
    const { results } = ctx;
    await ctx.gate('events-fanout', ctx.app.pid);
    await ctx.update(FLAG, 100);
    await sleep(500);
    const before = rssKb(ctx.app.pid);
    /** @type {Map<number, bigint[]>} */
    const arrivals = new Map();
    /** @param {number} id @param {bigint} at */
    const note = (id, at) => {
      const list = arrivals.get(id);
      if (list === undefined) arrivals.set(id, [at]);
      else list.push(at);
    };
    /** @type {import('../lib/sse.mjs').SseStream[]} */
    const streams = [];
    // Opened 100 at a time: the service's accept queue is not what is measured.
    for (let i = 0; i < STREAMS; i += 100)
      streams.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(100, STREAMS - i) }, () =>
            openStream(`${ctx.appBase}/events`, note),
          ),
        )),
      );
    await sleep(1000);
    const after = rssKb(ctx.app.pid);
    /** @type {number[]} */
    const allMs = [];
    /** @type {number[]} */
    const firstMs = [];
    let incomplete = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const written = await ctx.update(FLAG, i % 2 === 0 ? 0 : 100);
      const revision = Number(written.body.revision);
      const start = performance.now();
      while ((arrivals.get(revision)?.length ?? 0) < STREAMS) {
        if (performance.now() - start > TIMEOUT_MS) break;
        await sleep(2);
      }
      const got = arrivals.get(revision) ?? [];
      if (got.length < STREAMS) {
        incomplete++;
        continue;
      }
      let first = got[0];
      let last = got[0];
      for (const at of got) {
        if (at < first) first = at;
        if (at > last) last = at;
      }
      allMs.push(Math.max(0, Number(last - written.at) / 1e6));
      firstMs.push(Math.max(0, Number(first - written.at) / 1e6));
      arrivals.delete(revision);
    }
    for (const s of streams) s.close();
    const perStreamKb = (after.rss - before.rss) / STREAMS;
    const all = quantiles(allMs);
    const first = quantiles(firstMs);
    results.events_fanout = {
      streams: STREAMS,
      rounds: ROUNDS,
      rss_before_kb: before.rss,
      rss_after_kb: after.rss,
      per_stream_kb: perStreamKb,
      first_stream_ms: first,
      all_streams_ms: all,
      incomplete_rounds: incomplete,
    };
    console.log(
      `  events-fanout      ${STREAMS} streams: RSS ${fmt(before.rss / 1024, 1)} -> ${fmt(after.rss / 1024, 1)} MiB (${fmt(perStreamKb, 1)} KiB each);` +
        ` one change, update response -> first stream p50 ${fmt(first.p50, 1)} ms, -> all ${STREAMS} p50 ${fmt(all.p50, 1)} ms max ${fmt(all.max, 1)} ms (${ROUNDS} rounds, ${incomplete} incomplete)`,
    );
    if (incomplete)
      ctx.problems.push(
        `events-fanout: ${incomplete} changes did not reach all ${STREAMS} streams`,
      );
  },
};
