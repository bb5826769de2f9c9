// @ts-check
// Every scenario of bench/run.mjs, in the order they run. Adding one is one module in this folder
// (a default export { name, run(ctx) }, see bench/lib/context.mjs) and one line here.
// The order matters: reference-rounds stops the baseline and runs first, while the machine is
// fresh; memory follows check-hit straight away.
import checkFixedRate from './check-fixed-rate.mjs';
import details from './details.mjs';
import eventsFanout from './events-fanout.mjs';
import eventsLatency from './events-latency.mjs';
import list from './list.mjs';
import memory from './memory.mjs';
import missBurst from './miss-burst.mjs';
import mixed from './mixed.mjs';
import ofrepBulk from './ofrep-bulk.mjs';
import ofrepSingle from './ofrep-single.mjs';
import referenceRounds from './reference-rounds.mjs';
import rulesCheck from './rules-check.mjs';
import staleness from './staleness.mjs';
import updateLatency from './update-latency.mjs';

/** @type {import('../lib/context.mjs').Scenario[]} */
export const SCENARIOS = [
  referenceRounds,
  memory,
  checkFixedRate,
  details,
  list,
  missBurst,
  mixed,
  updateLatency,
  staleness,
  eventsLatency,
  eventsFanout,
  // Checked against targets (PASS/FAIL; BENCH_ENFORCE=1 fails the run on a miss); each skips
  // itself while the service lacks its endpoint. ofrep-bulk last: it creates flags until 100 exist.
  rulesCheck,
  ofrepSingle,
  ofrepBulk,
];
