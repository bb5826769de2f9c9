// @ts-check
// e. list: GET /flags, saturated (the list cache layer).

/** @type {import('../lib/context.mjs').Scenario} */
export default {
  name: 'list',
  async run(ctx) {
    ctx.record('list', await ctx.appLoad('list', ['list'], { pathFor: () => '/flags' }));
  },
};
