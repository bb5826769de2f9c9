// @ts-check
// Scenarios that check a figure against a target (BENCH_ENFORCE=1 makes a miss fail the run):
// comparing a request with the plain check in the same run, interleaved, and telling an
// endpoint that does not exist yet (404) from one that fails.
import { median } from './stats.mjs';

/**
 * @typedef {import('./context.mjs').BenchContext} BenchContext
 * @typedef {import('./types').LoadOptions} LoadOptions
 * @typedef {import('./types').LoadResult} LoadResult
 * @typedef {import('./types').HttpAnswer} HttpAnswer
 * @typedef {import('./types').TargetResult} TargetResult
 * @typedef {Omit<LoadOptions, 'base' | 'seconds' | 'pid'>} Requests
 */

/** The flag the plain check asks about. */
export const PLAIN_FLAG = 'new_checkout_flow';

/**
 * The plain check of PLAIN_FLAG, users cycling (`user-0`..).
 * @param {number} users
 * @returns {Requests}
 */
export const plainCheck = (users) => ({
  pathFor: (k) => `/flags/${PLAIN_FLAG}/check?user_id=user-${k % users}`,
});

/**
 * The failure to report when a run had errors, or null.
 * @param {LoadResult[]} runs
 */
export function errorsOf(runs) {
  const bad = runs.filter((r) => r.error_rate > 0.01);
  if (!bad.length) return null;
  const codes = JSON.stringify(bad[0].status_codes);
  return `error rate ${(bad[0].error_rate * 100).toFixed(2)}% (status codes ${codes})`;
}

/**
 * Records the candidate's throughput over the plain check's against spec.target: the median of
 * the ratios of settings.referenceRounds rounds of plain then candidate (adjacent runs: this
 * machine's throughput drifts over a minute), the first round after a warm-up each.
 * @param {BenchContext} ctx
 * @param {string} name
 * @param {TargetSpec} spec
 * @param {Requests} candidate
 */
export async function ratioToPlainCheck(ctx, name, spec, candidate) {
  const plain = plainCheck(ctx.settings.users);
  const pid = ctx.app.pid;
  /** @type {LoadResult[]} */
  const plainRuns = [];
  /** @type {LoadResult[]} */
  const candidateRuns = [];
  for (let round = 0; round < ctx.settings.referenceRounds; round++) {
    const warmUp = round === 0;
    plainRuns.push(
      await ctx.runLoad(`${name} (plain check)`, ctx.appBase, { ...plain, pid }, warmUp),
    );
    candidateRuns.push(await ctx.runLoad(name, ctx.appBase, { ...candidate, pid }, warmUp));
  }
  const rounds = candidateRuns.map((c, i) => c.rps / plainRuns[i].rps);
  const ratio = median(rounds);
  const errors = errorsOf([...plainRuns, ...candidateRuns]);
  ctx.target(name, {
    ...spec,
    value: ratio,
    pass: errors === null && ratio !== null && ratio >= spec.target,
    rounds,
    detail: {
      plain_rps: plainRuns.map((r) => r.rps),
      candidate_rps: candidateRuns.map((r) => r.rps),
      errors,
    },
  });
}

/**
 * `HTTP 400 {...}`: a short description of an unexpected answer.
 * @param {HttpAnswer} answer
 */
export const describeAnswer = (answer) =>
  `HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`;

/**
 * What a target scenario checks: the `what`, `unit` and `target` of its TargetResult.
 * @typedef {Required<Pick<TargetResult, 'what' | 'unit' | 'target'>>} TargetSpec
 */

/**
 * Records a scenario that could not measure: a failure of its target, with why.
 * @param {BenchContext} ctx
 * @param {string} name
 * @param {TargetSpec} spec
 * @param {Record<string, unknown>} detail
 */
export function unmeasured(ctx, name, spec, detail) {
  ctx.target(name, { ...spec, value: null, pass: false, detail });
}

/**
 * Sends one request to a scenario's endpoint without credentials, as the load will. Returns
 * its answer when it is 200; otherwise records the scenario, skipped when the answer is 404
 * (or `isMissing` says the feature is missing) and failed on any other, and returns null.
 * @param {BenchContext} ctx
 * @param {string} name
 * @param {TargetSpec} spec
 * @param {{ method: string, path: string, body?: unknown, admin?: boolean, isMissing?: (a: HttpAnswer) => boolean }} request
 */
export async function probe(ctx, name, spec, request) {
  const { method, path, body, admin = false, isMissing = () => false } = request;
  const answer = await ctx.request(method, `${ctx.appBase}${path}`, { anonymous: !admin, body });
  if (answer.status === 404 || isMissing(answer)) {
    ctx.target(name, {
      what: spec.what,
      skipped: `endpoint not available: ${method} ${path} answered ${describeAnswer(answer)}`,
    });
    return null;
  }
  if (answer.status !== 200) {
    unmeasured(ctx, name, spec, { probe: `${method} ${path}: ${describeAnswer(answer)}` });
    return null;
  }
  return answer;
}
