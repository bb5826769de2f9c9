// @ts-check
// ofrep-single: one OpenFeature (OFREP) evaluation, `POST /ofrep/v1/evaluate/flags/{key}` with
// `{"context":{"targetingKey":"user-N"}}`, against the plain check of the same flag for the same
// users, in the same run, interleaved. Target: at least 0.8 of the plain check's throughput.
// Skipped while the service has no OFREP endpoint (404).
import { PLAIN_FLAG, probe, ratioToPlainCheck } from '../lib/targets.mjs';

const NAME = 'ofrep-single';
const PATH = `/ofrep/v1/evaluate/flags/${PLAIN_FLAG}`;
/** @type {import('../lib/targets.mjs').TargetSpec} */
const SPEC = { what: `POST ${PATH} / plain check`, unit: 'ratio', target: 0.8 };

/** @type {import('../lib/context.mjs').Scenario} */
export default {
  name: NAME,
  async run(ctx) {
    const body = { context: { targetingKey: 'u1' } };
    if (!(await probe(ctx, NAME, SPEC, { method: 'POST', path: PATH, body }))) return;
    const { users } = ctx.settings;
    await ratioToPlainCheck(ctx, NAME, SPEC, {
      method: 'POST',
      pathFor: () => PATH,
      bodyFor: (k) => `{"context":{"targetingKey":"user-${k % users}"}}`,
    });
  },
};
