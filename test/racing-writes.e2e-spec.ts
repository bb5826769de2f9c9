import { Client } from 'pg';
import {
  ADMIN_SECRET,
  REAL_BACKENDS,
  sleep,
  startApp,
  TestApp,
  uniqueFlag,
  waitFor,
} from './support/test-app';
import { expectUnbrokenHistory, fullHistory } from './support/history';
import { describeWithServers } from './support/suites';

const WRITERS = 20;
const authorization = `Bearer ${ADMIN_SECRET}`;

/** Fires WRITERS concurrent updates of a flag that does not exist yet, spread over `apps`. */
async function raceCreates(apps: TestApp[], flag: string) {
  const responses = await Promise.all(
    Array.from({ length: WRITERS }, (_, i) =>
      apps[i % apps.length].app.inject({
        method: 'POST',
        url: `/flags/${flag}/update`,
        headers: { authorization },
        payload: { enabled: i % 2 === 0, rollout_percentage: i, metadata: { writer: i } },
      }),
    ),
  );
  expect(responses.map((r) => r.statusCode)).toEqual(Array(WRITERS).fill(200));
  const bodies = responses.map((r) => r.json<{ created: boolean; action: string }>());
  expect(bodies.filter((b) => b.created)).toHaveLength(1);
  expect(bodies.filter((b) => b.action === 'create')).toHaveLength(1);
  expect(bodies.filter((b) => b.action === 'update')).toHaveLength(WRITERS - 1);

  const history = await fullHistory(apps[0], flag);
  expect(history).toHaveLength(WRITERS);
  expect(history.filter((e) => e.action === 'create')).toHaveLength(1);
  expectUnbrokenHistory(history);
  // The last entry is what is stored now.
  const stored = await apps[0].http.get(`/flags/${flag}`).expect(200);
  expect(stored.body.flag_data).toEqual(history[history.length - 1].after);
}

describe('racing writes on one instance (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it(`${WRITERS} concurrent updates of a new flag: one create, the rest updates, an unbroken history`, async () => {
    await raceCreates([t], uniqueFlag('race'));
  });

  it('concurrent writes and an archive keep the chain unbroken', async () => {
    const flag = uniqueFlag('race');
    await t.admin.post(`/flags/${flag}/update?enabled=true`).expect(200);
    const calls = Array.from({ length: 12 }, (_, i) =>
      t.app.inject(
        i === 5
          ? { method: 'DELETE', url: `/flags/${flag}`, headers: { authorization } }
          : {
              method: 'POST',
              url: `/flags/${flag}/update?rollout_percentage=${i}`,
              headers: { authorization },
            },
      ),
    );
    expect((await Promise.all(calls)).every((r) => r.statusCode === 200)).toBe(true);
    expectUnbrokenHistory(await fullHistory(t, flag));
  });
});

// Two instances need a shared PostgreSQL and Redis: CI always sets both (see .ci/run).
const describeShared = REAL_BACKENDS ? describe : describe.skip;

describeShared('racing writes over two instances sharing PostgreSQL (e2e)', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await startApp();
    b = await startApp();
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it(`${WRITERS} concurrent updates of a new flag over two instances: exactly one create`, async () => {
    await raceCreates([a, b], uniqueFlag('race2'));
  });
});

describeWithServers('DATABASE_URL')(
  'revisions commit in the order they are taken, across flags (e2e, real PostgreSQL)',
  () => {
    let t: TestApp;
    let db: Client;

    beforeAll(async () => {
      t = await startApp();
      db = new Client({ connectionString: process.env.DATABASE_URL });
      await db.connect();
    });
    afterAll(async () => {
      await db.end();
      await t.close();
    });

    // Sent at once: inject() without a callback only dispatches when its result is awaited.
    const update = (flag: string, percentage: number) =>
      Promise.resolve(
        t.app.inject({
          method: 'POST',
          url: `/flags/${flag}/update?rollout_percentage=${percentage}`,
          headers: { authorization },
        }),
      );
    const revisionOf = async (flag: string) =>
      (await t.http.get(`/flags/${flag}`).expect(200)).body.revision as number;

    it('a write of another flag waits for one that took a lower revision to commit', async () => {
      const first = uniqueFlag('order_a');
      const second = uniqueFlag('order_b');
      await t.admin.post(`/flags/${first}/update?enabled=true`).expect(200);
      await t.admin.post(`/flags/${second}/update?enabled=true`).expect(200);
      // Holds the first write after it has taken its revision: uncommitted history rows with
      // the revisions it may take make its own history insert wait (flag_history's unique index
      // on revision) until this transaction ends. An update of an existing flag draws two
      // values (INSERT ... ON CONFLICT evaluates the column's default too) and keeps the second.
      await db.query('BEGIN');
      try {
        const { rows } = await db.query<{ next: string }>(
          'SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END AS next FROM flag_revision_seq',
        );
        await db.query(
          `INSERT INTO flag_history (flag_name, action, before, after, actor, revision)
           SELECT $1, 'invalidate', NULL, NULL, 'e2e', r FROM generate_series($2::bigint, $2::bigint + 1) AS r`,
          [first, rows[0].next],
        );
        const held = update(first, 10);
        // Until the write waits on this transaction (not on anything else on the server).
        const { rows: me } = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await waitFor(
          async () =>
            (
              await db.query(
                'SELECT 1 FROM pg_stat_activity WHERE $1::int = ANY(pg_blocking_pids(pid))',
                [me[0].pid],
              )
            ).rowCount! > 0,
        );
        let secondDone = false;
        const waiting = update(second, 20).then((r) => ((secondDone = true), r));
        // Committed now, the second write's higher revision would let a reader (a replay from
        // a Last-Event-ID, the revision poll) move past the first one's before it exists.
        await sleep(500);
        expect(secondDone).toBe(false);
        await db.query('ROLLBACK');
        const [a, b] = await Promise.all([held, waiting]);
        expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
      } finally {
        await db.query('ROLLBACK');
      }
      const [revisionA, revisionB] = [await revisionOf(first), await revisionOf(second)];
      expect(revisionA).toBeLessThan(revisionB);
    });
  },
);
