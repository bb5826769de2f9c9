// @ts-check
// ofrep-bulk: OpenFeature (OFREP) bulk evaluation of 100 flags, `POST /ofrep/v1/evaluate/flags`
// with `{"context":{"targetingKey":"user-N"}}`, saturated, the service on one core. Target: at
// least 5,000 bulk evaluations (requests, each evaluating every flag) per second.
// 10,000 users in turn, so each request is a context the service's bulk memo does not hold: the
// figure is the cold evaluation's. Recorded beside it, for scale on a machine whose speed varies:
// the plain check right before (same run), and the bulk for one context polled over and over
// (the memo's case: an OFREP web provider polling).
// Cross-checked with wrk when it is installed: the plain check and the cold bulk again, in
// interleaved rounds, from a load generator that does not share autocannon's limit (recorded in
// detail.wrk; the target is judged on autocannon's figure, as every other scenario's).
// Creates flags until 100 exist. Skipped while the service has no OFREP endpoint (404).
import { fmt } from '../lib/format.mjs';
import { median } from '../lib/stats.mjs';
import { errorsOf, PLAIN_FLAG, plainCheck, probe, unmeasured } from '../lib/targets.mjs';
import { wrkInstalled, wrkLoad } from '../lib/wrk.mjs';

const NAME = 'ofrep-bulk';
const FLAGS = 100;
const PATH = '/ofrep/v1/evaluate/flags';
/** @type {import('../lib/targets.mjs').TargetSpec} */
const SPEC = {
  what: `POST ${PATH}, ${FLAGS} flags: bulk evaluations per second`,
  unit: 'per_s',
  target: 5000,
};
/** @param {number} n */
const extraFlag = (n) => `bench_ofrep_${String(n).padStart(3, '0')}`;

/** @type {import('../lib/context.mjs').Scenario} */
export default {
  name: NAME,
  async run(ctx) {
    const body = { context: { targetingKey: 'u1' } };
    if (!(await probe(ctx, NAME, SPEC, { method: 'POST', path: PATH, body }))) return;

    const listed = await ctx.request('GET', `${ctx.appBase}/flags`);
    const existing = listed.body.flags?.length ?? 0;
    for (let n = 1; n <= FLAGS - existing; n++) await ctx.update(extraFlag(n), 50);
    const sample = await probe(ctx, NAME, SPEC, { method: 'POST', path: PATH, body });
    if (!sample) return;
    const evaluated = Array.isArray(sample.body.flags) ? sample.body.flags.length : 0;
    if (evaluated < FLAGS)
      return unmeasured(ctx, NAME, SPEC, {
        setup: `${FLAGS} flags exist, but the bulk evaluation answered ${evaluated}`,
      });

    const { users } = ctx.settings;
    const pid = ctx.app.pid;
    const plain = await ctx.runLoad(`${NAME} (plain check)`, ctx.appBase, {
      ...plainCheck(users),
      pid,
    });
    const r = await ctx.runLoad(NAME, ctx.appBase, {
      method: 'POST',
      pathFor: () => PATH,
      bodyFor: (k) => `{"context":{"targetingKey":"user-${k % users}"}}`,
      pid,
    });
    const repeated = await ctx.runLoad(`${NAME} (one context)`, ctx.appBase, {
      method: 'POST',
      pathFor: () => PATH,
      bodyFor: () => '{"context":{"targetingKey":"user-1"}}',
      pid,
    });
    const wrk = await crossCheck(ctx, pid);
    const errors = errorsOf([plain, r, repeated]);
    ctx.target(NAME, {
      ...SPEC,
      value: r.rps,
      pass: errors === null && r.rps >= SPEC.target,
      detail: {
        flags_evaluated: evaluated,
        flag_evaluations_per_s: r.rps * evaluated,
        plain_check_rps: plain.rps,
        per_plain_check: r.rps / plain.rps,
        one_context_rps: repeated.rps,
        latency_ms: r.latency_ms,
        cpu_pct: r.cpu_pct,
        errors,
        wrk,
      },
    });
  },
};

/**
 * The plain check and the cold bulk measured by wrk, in interleaved rounds (the median of each,
 * and of the round-by-round ratios); a string saying why not when wrk is missing or fails.
 * @param {import('../lib/context.mjs').BenchContext} ctx
 * @param {number | undefined} pid
 */
async function crossCheck(ctx, pid) {
  if (!wrkInstalled()) return 'not run: wrk is not installed';
  const { users, durationS, referenceRounds, connections } = ctx.settings;
  const user = `"user-" .. (k % ${users})`;
  const load = (/** @type {import('../lib/wrk.mjs').WrkRequests} */ requests) =>
    wrkLoad({ base: ctx.appBase, seconds: durationS, connections, pid, requests });
  try {
    const rounds = [];
    for (let round = 0; round < referenceRounds; round++) {
      const plain = await load({
        method: 'GET',
        path: `"/flags/${PLAIN_FLAG}/check?user_id=" .. ${user}`,
      });
      const bulk = await load({
        method: 'POST',
        path: `"${PATH}"`,
        body: `'{"context":{"targetingKey":' .. '"' .. ${user} .. '"}}'`,
      });
      if (plain.errors + plain.non2xx + bulk.errors + bulk.non2xx > 0)
        return `failed: errors ${plain.errors + bulk.errors}, non-2xx ${plain.non2xx + bulk.non2xx}`;
      rounds.push({ plain, bulk });
    }
    const line = {
      bulk_rps: median(rounds.map((x) => x.bulk.rps)),
      plain_check_rps: median(rounds.map((x) => x.plain.rps)),
      per_plain_check: median(rounds.map((x) => x.bulk.rps / x.plain.rps)),
      rounds: rounds.map((x) => ({
        bulk_rps: Math.round(x.bulk.rps),
        plain_check_rps: Math.round(x.plain.rps),
        bulk_server_cpu_pct: x.bulk.cpu_pct.server,
      })),
    };
    console.log(
      `  ${NAME} (wrk)`.padEnd(32) +
        `cold bulk ${fmt(line.bulk_rps, 0)}/s, plain check ${fmt(line.plain_check_rps, 0)}/s, ${fmt(line.per_plain_check, 2)}x (medians of ${rounds.length} rounds)`,
    );
    return line;
  } catch (error) {
    return `failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}
