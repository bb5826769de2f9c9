/**
 * Suites that need real servers (several instances sharing one PostgreSQL, a PostgreSQL behind
 * a proxy the test can cut). On the embedded defaults they cannot run, and they say so: one line
 * on stdout per skipped suite, naming the variables that would run it. With
 * EDGEFLAGS_REQUIRE_ALL_SUITES=1 (set by .ci/run) a suite that would be skipped is a failing
 * test instead, so CI cannot turn green by losing DATABASE_URL or REDIS_URL.
 */
export type ServerVariable = 'DATABASE_URL' | 'REDIS_URL';

/** A `describe` for suites that need these servers: `describeWithServers('DATABASE_URL')('title', () => ...)`. */
export function describeWithServers(
  ...needs: ServerVariable[]
): (title: string, body: () => void) => void {
  return (title, body) => {
    const missing = needs.filter((v) => !process.env[v]);
    if (missing.length === 0) {
      describe(title, body);
      return;
    }
    const servers = missing.map((v) => (v === 'DATABASE_URL' ? 'PostgreSQL' : 'Redis'));
    const reason = `needs a real ${servers.join(' and ')}; set ${missing.join(' and ')} to run it`;
    if (process.env.EDGEFLAGS_REQUIRE_ALL_SUITES === '1') {
      describe(title, () => {
        it('runs: EDGEFLAGS_REQUIRE_ALL_SUITES=1 forbids skipping it', () => {
          throw new Error(`${title} ${reason}`);
        });
      });
      return;
    }
    // process.stdout, not console.log: one plain line in the run's output, not a console block.
    process.stdout.write(`SKIPPED ${title}: ${reason}\n`);
    describe.skip(title, body);
  };
}
