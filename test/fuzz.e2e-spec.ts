import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { ENDPOINTS, fuzzedRequest } from './support/fuzz';
import { ADMIN_SECRET, startApp, TestApp, uniqueFlag } from './support/test-app';

// Property-based fuzzing of every endpoint: no input gets a 5xx, a rejected request changes
// nothing, and nothing invalid is ever stored. A fixed seed makes `npm test` repeatable; set
// FUZZ_SEED and FUZZ_RUNS to explore further (a failure prints the seed and the shrunk request).
const SEED = Number(process.env.FUZZ_SEED ?? 9_2026);
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);

describe('fuzzing every endpoint (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  const flags = [uniqueFlag('fuzz'), uniqueFlag('fuzz')];

  beforeAll(async () => {
    // A failure limit no fuzz run reaches: wrong tokens are part of the input.
    t = await startApp({ AUTH_FAILURE_LIMIT: '1000000' });
    db = t.app.get(DataSource);
    await t.admin.post(`/flags/${flags[0]}/update`).send({ enabled: true }).expect(200);
  });
  afterAll(() => t.close());

  /** Everything stored (rows, revisions, history), and what the service answers from it. */
  async function stored() {
    const [{ rows, history }] = await db.query<
      Array<{ rows: Array<Record<string, unknown>> | null; history: unknown }>
    >(
      `SELECT (SELECT json_agg(f ORDER BY f.name) FROM (
                 SELECT name, enabled, rollout_percentage, metadata, archived_at, revision::text
                 FROM flags) f) AS rows,
              (SELECT json_build_object('n', count(*), 'last', max(id)::text) FROM flag_history) AS history`,
    );
    const list = await t.app.inject({ url: '/flags' });
    return { rows: rows ?? [], history, list: list.json<{ flags: unknown }>().flags };
  }

  /** What the API promises about every stored flag. */
  function expectValid(rows: Array<Record<string, unknown>>) {
    for (const row of rows) {
      expect(typeof row.enabled).toBe('boolean');
      expect(Number.isInteger(row.rollout_percentage)).toBe(true);
      expect(row.rollout_percentage).toBeGreaterThanOrEqual(0);
      expect(row.rollout_percentage).toBeLessThanOrEqual(100);
      // (expect.any(Object) would accept null.)
      expect(Object.prototype.toString.call(row.metadata)).toBe('[object Object]');
      expect(Buffer.byteLength(JSON.stringify(row.metadata))).toBeLessThanOrEqual(16 * 1024);
    }
  }

  it.each(ENDPOINTS.map((e) => [e.name, e] as const))('%s', async (_, endpoint) => {
    // One flag that exists whatever ran before (an archive, in any order), so reads can succeed.
    await t.admin.post(`/flags/${flags[0]}/update`).send({ enabled: true }).expect(200);
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fuzzedRequest(endpoint, flags, ADMIN_SECRET), async (request) => {
        const before = await stored();
        const res = await t.app.inject(request);
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        expect(res.statusCode).toBeLessThan(500);
        const after = await stored();
        if (res.statusCode >= 400) expect(after).toEqual(before);
        expectValid(after.rows);
      }),
      // Writes take a few milliseconds each on the embedded database: a bounded number of cases.
      { seed: SEED, numRuns: endpoint.body ? RUNS * 4 : RUNS },
    );
    // The fuzzer must reach past validation, and (where there is input to refuse) be refused.
    expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
    if (endpoint.path.includes('{flag}') || endpoint.query || endpoint.body)
      expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
  });
});
