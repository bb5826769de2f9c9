// @ts-check
// d. details: GET /flags/:f?user_id, saturated (the endpoint cache layer).
import { SEED_FLAGS } from '../lib/settings.mjs';

/** @type {import('../lib/context.mjs').Scenario} */
export default {
  name: 'details',
  async run(ctx) {
    const { users } = ctx.settings;
    ctx.record(
      'details',
      await ctx.appLoad('details', ['endpoint'], {
        pathFor: (k) => `/flags/${SEED_FLAGS[k % 4]}?user_id=user-${Math.floor(k / 4) % users}`,
      }),
    );
  },
};
