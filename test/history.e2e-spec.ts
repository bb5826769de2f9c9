import { startApp, TestApp, uniqueFlag } from './support/test-app';

describe('change history and archiving (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('records every change with before, after, actor and time, newest first, paginated', async () => {
    const flag = uniqueFlag();
    await t.admin.post(`/flags/${flag}/update?enabled=true&rollout_percentage=10`).expect(200);
    for (const p of [20, 30, 40])
      await t.admin.post(`/flags/${flag}/update?rollout_percentage=${p}`).expect(200);

    const first = await t.admin.get(`/flags/${flag}/history?limit=3`).expect(200);
    expect(
      first.body.entries.map(
        (e: { after: { rollout_percentage: number } }) => e.after.rollout_percentage,
      ),
    ).toEqual([40, 30, 20]);
    expect(first.body.entries[0]).toMatchObject({
      action: 'update',
      actor: 'e2e',
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      before: { enabled: true, rollout_percentage: 30, metadata: {} },
      after: { enabled: true, rollout_percentage: 40, metadata: {} },
    });
    const second = await t.admin
      .get(`/flags/${flag}/history?limit=3&cursor=${first.body.next_cursor}`)
      .expect(200);
    expect(second.body.entries).toHaveLength(1);
    expect(second.body.entries[0]).toMatchObject({
      action: 'create',
      before: null,
      after: { rollout_percentage: 10 },
    });
  });

  it('a rejected update records nothing', async () => {
    const flag = uniqueFlag();
    await t.admin.post(`/flags/${flag}/update?enabled=true`).expect(200);
    await t.admin.post(`/flags/${flag}/update?rollout_percentage=500`).expect(400);
    expect((await t.admin.get(`/flags/${flag}/history`).expect(200)).body.entries).toHaveLength(1);
  });

  it('archives a flag: checks then 404, history is kept, an update restores it', async () => {
    const flag = uniqueFlag();
    await t.admin.post(`/flags/${flag}/update?enabled=true&rollout_percentage=100`).expect(200);
    expect((await t.http.get(`/flags/${flag}/check?user_id=u`).expect(200)).body.enabled).toBe(
      true,
    );

    const archived = await t.admin.delete(`/flags/${flag}`).expect(200);
    expect(archived.body).toMatchObject({ flag_name: flag, archived: true });
    await t.http.get(`/flags/${flag}/check?user_id=u`).expect(404);
    await t.http.get(`/flags/${flag}?user_id=u`).expect(404);
    expect(
      (await t.http.get('/flags')).body.flags.map((f: { flag_name: string }) => f.flag_name),
    ).not.toContain(flag);
    await t.admin.delete(`/flags/${flag}`).expect(404);
    await t.admin.delete(`/flags/${flag}/cache`).expect(404);

    const history = (await t.admin.get(`/flags/${flag}/history`).expect(200)).body.entries;
    expect(history[0]).toMatchObject({ action: 'archive', before: { enabled: true }, after: null });

    const restored = await t.admin.post(`/flags/${flag}/update?enabled=false`).expect(200);
    expect(restored.body).toMatchObject({
      action: 'restore',
      created: false,
      flag_data: { enabled: false, rollout_percentage: 100 },
    });
    expect((await t.http.get(`/flags/${flag}/check?user_id=u`).expect(200)).body.enabled).toBe(
      false,
    );
  });

  it('is 404 for a flag that never existed, and 400 for a bad page size', async () => {
    await t.admin.get('/flags/never_existed_flag/history').expect(404);
    const bad = await t.admin.get('/flags/dark_mode/history?limit=1000').expect(400);
    expect(bad.body.field).toBe('limit');
  });
});
