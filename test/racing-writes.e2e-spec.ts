import { ADMIN_SECRET, REAL_BACKENDS, startApp, TestApp, uniqueFlag } from './support/test-app';
import { expectUnbrokenHistory, fullHistory } from './support/history';

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
