// @ts-check
// rules-check: a check of a flag with 5 targeting rules, given 2 attributes that no rule
// matches (so all 5 are evaluated), against the plain check of a flag without rules, in the same
// run, interleaved. Target: at least 0.9 of the plain check's throughput.
// Skipped while the service has no targeting rules (its update refuses `rules`, or 404).
import { probe, ratioToPlainCheck } from '../lib/targets.mjs';

const NAME = 'rules-check';
const FLAG = 'bench_rules';
// Five rules on `country`, none of them US: a check from the US falls through all five.
const COUNTRIES = [
  ['DE', 'FR'],
  ['GB', 'IE'],
  ['ES', 'PT'],
  ['IT', 'NL'],
  ['PL', 'SE'],
];
/** @type {import('../lib/targets.mjs').TargetSpec} */
const SPEC = {
  what: 'check of a flag with 5 rules, 2 attributes, no rule matching / plain check',
  unit: 'ratio',
  target: 0.9,
};

/** @type {import('../lib/context.mjs').Scenario} */
export default {
  name: NAME,
  async run(ctx) {
    const created = await probe(ctx, NAME, SPEC, {
      method: 'POST',
      path: `/flags/${FLAG}/update`,
      admin: true,
      body: {
        enabled: true,
        rollout_percentage: 50,
        rules: COUNTRIES.map((values) => ({
          conditions: [{ attribute: 'country', operator: 'IN', values }],
          rollout_percentage: 100,
        })),
      },
      // Before targeting rules, the update refuses the unknown field.
      isMissing: (a) => a.status === 400 && a.body.field === 'rules',
    });
    if (!created) return;
    const { users } = ctx.settings;
    await ratioToPlainCheck(ctx, NAME, SPEC, {
      pathFor: (k) => `/flags/${FLAG}/check?user_id=user-${k % users}&country=US&plan=pro`,
    });
  },
};
