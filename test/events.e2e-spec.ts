import { AddressInfo } from 'node:net';
import { createClient } from '@keyv/redis';
import { EventStreams } from '@app/events';
import { fullHistory } from './support/history';
import { SseClient } from './support/sse-client';
import { describeWithServers } from './support/suites';
import {
  ADMIN_SECRET,
  closeAll,
  sleep,
  startApp,
  TestApp,
  uniqueFlag,
  waitFor,
} from './support/test-app';

// GET /events, the change stream (issue 8): on whatever backends the run has (embedded by
// default, real PostgreSQL and Redis in CI), then across instances sharing real servers.

const CLIENT_TOKEN = 'events-client-token-0123456789';

async function listening(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/**
 * Opens GET /events and waits for its first line, written once the stream listens to live
 * changes (its replay, if any, is under way).
 */
async function openStream(base: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const client = await SseClient.open(`${base}/events`, headers);
  expect(client.status).toBe(200);
  await waitFor(() => client.comments.includes('stream open'));
  return client;
}

describe('GET /events (e2e)', () => {
  let t: TestApp;
  let base: string;
  const clients: SseClient[] = [];
  const open = async (headers: Record<string, string> = {}) => {
    const client = await openStream(base, headers);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    t = await startApp({ EVENTS_KEEPALIVE_MS: '50' });
    base = await listening(t);
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });
  afterAll(() => closeAll(t));

  it('sends every change of a flag in order: id the revision, data flag, action, revision, actor', async () => {
    const flag = uniqueFlag('ev');
    const stream = await open();
    expect(stream.header('content-type')).toBe('text/event-stream; charset=utf-8');
    // The API's security headers and request id are kept on the hijacked reply.
    expect(stream.header('x-content-type-options')).toBe('nosniff');
    expect(stream.header('x-request-id')).toBeTruthy();

    const created = await t.admin.post(`/flags/${flag}/update?enabled=true`).expect(200);
    const updated = await t.admin.post(`/flags/${flag}/update?rollout_percentage=5`).expect(200);
    const invalidated = await t.admin.delete(`/flags/${flag}/cache`).expect(200);
    const archived = await t.admin.delete(`/flags/${flag}`).expect(200);
    const restored = await t.admin.post(`/flags/${flag}/update?enabled=false`).expect(200);
    await stream.change(flag, 'restore');

    const revisions = [created, updated, invalidated, archived, restored].map(
      (r) => r.body.revision as number,
    );
    const mine = stream.changes.filter((c) => c.flag === flag);
    expect(mine.map((c) => [c.action, c.revision, c.actor])).toEqual([
      ['create', revisions[0], 'e2e'],
      ['update', revisions[1], 'e2e'],
      ['invalidate', revisions[2], 'e2e'],
      ['archive', revisions[3], 'e2e'],
      ['restore', revisions[4], 'e2e'],
    ]);
    for (const c of mine) expect(Number.isNaN(Date.parse(c.at))).toBe(false);
    const messages = stream.messages.filter((m) => m.data.includes(`"${flag}"`));
    expect(messages.map((m) => m.id)).toEqual(revisions.map(String));
    expect(messages.every((m) => m.event === undefined)).toBe(true); // the default event type

    // The invalidation is in the ledger for the stream, not in the flag's history.
    const history = await fullHistory(t, flag);
    expect(history.map((e) => e.action)).toEqual(['create', 'update', 'archive', 'restore']);
  });

  it('Last-Event-ID: first what was missed (from PostgreSQL), then live changes, no gap, no duplicate', async () => {
    const flag = uniqueFlag('ev_resume');
    const seen = (await t.admin.post(`/flags/${flag}/update?enabled=true`).expect(200)).body
      .revision as number;
    const missed: number[] = [];
    for (let i = 0; i < 3; i++)
      missed.push(
        (await t.admin.post(`/flags/${flag}/update?rollout_percentage=${i}`).expect(200)).body
          .revision as number,
      );
    // A write racing the replay: it lands either in the replay or live, never both, never neither.
    const stream = await open({ 'Last-Event-ID': String(seen) });
    const racing = (await t.admin.post(`/flags/${flag}/update?rollout_percentage=50`).expect(200))
      .body.revision as number;
    const live = (await t.admin.delete(`/flags/${flag}/cache`).expect(200)).body.revision as number;
    await stream.change(flag, 'invalidate');

    const got = stream.changes.filter((c) => c.flag === flag).map((c) => c.revision);
    expect(got).toEqual([...missed, racing, live]);
    // The replay has every flag's changes after the id, in revision order, each once.
    const all = stream.changes.map((c) => c.revision);
    expect(new Set(all).size).toBe(all.length);
    expect(all.every((r) => r > seen)).toBe(true);
  });

  it('the same through the last_event_id query parameter', async () => {
    const flag = uniqueFlag('ev_query');
    const seen = (await t.admin.post(`/flags/${flag}/update?enabled=true`).expect(200)).body
      .revision as number;
    const missed = (await t.admin.delete(`/flags/${flag}`).expect(200)).body.revision as number;
    const client = await SseClient.open(`${base}/events?last_event_id=${seen}`);
    clients.push(client);
    expect((await client.change(flag, 'archive')).revision).toBe(missed);
  });

  it('a Last-Event-ID that is not a revision: 400 naming it, and no stream', async () => {
    const res = await fetch(`${base}/events`, { headers: { 'Last-Event-ID': 'yesterday' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toMatchObject({ statusCode: 400, field: 'Last-Event-ID' });
    const query = await fetch(`${base}/events?last_event_id=-1`);
    expect(query.status).toBe(400);
    expect(await query.json()).toMatchObject({ field: 'last_event_id' });
  });

  it('sends a keepalive comment every EVENTS_KEEPALIVE_MS while idle', async () => {
    const stream = await open();
    await waitFor(() => stream.comments.filter((c) => c === 'keepalive').length >= 2);
    expect(stream.messages.filter((m) => m.data.includes('keepalive'))).toEqual([]);
  });

  it('is in the OpenAPI document as text/event-stream, with Last-Event-ID', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body as {
      paths: Record<
        string,
        {
          get?: {
            responses: Record<string, { content?: object }>;
            parameters: Array<{ name: string }>;
          };
        }
      >;
    };
    const get = doc.paths['/events'].get!;
    expect(Object.keys(get.responses['200'].content ?? {})).toEqual(['text/event-stream']);
    expect(get.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['Last-Event-ID', 'last_event_id']),
    );
    expect(doc.paths['/events/ofrep'].get).toBeDefined();
  });

  it("the request-latency metrics do not count a stream's lifetime; the open streams are a gauge", async () => {
    const stream = await open();
    await waitFor(() => stream.comments.includes('keepalive'));
    const during = (await t.http.get('/metrics').expect(200)).text;
    expect(during).toMatch(/^edgeflags_event_streams_open \d+$/m);
    stream.close();
    await waitFor(async () => {
      const text = (await t.http.get('/metrics').expect(200)).text;
      return /^edgeflags_event_streams_open 0$/m.test(text);
    });
    const after = (await t.http.get('/metrics').expect(200)).text;
    expect(after).toContain('route="/metrics"'); // requests are counted...
    expect(after).not.toContain('route="/events"'); // ...streams are not
  });
});

describe('GET /events with CLIENT_TOKENS (e2e)', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await startApp({ CLIENT_TOKENS: `console:${CLIENT_TOKEN}` });
    base = await listening(t);
  });
  afterAll(() => closeAll(t));

  it('refuses a missing or wrong token with a 401 and no stream', async () => {
    const refused: Array<Record<string, string>> = [
      {},
      { Authorization: 'Bearer not-the-token-0123456789' },
    ];
    for (const headers of refused) {
      const res = await fetch(`${base}/events`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(await res.json()).toMatchObject({ statusCode: 401 });
    }
    expect(t.app.get(EventStreams).size).toBe(0);
  });

  it('opens for a client token (Bearer or X-API-Key) and for an admin token', async () => {
    const accepted: Array<Record<string, string>> = [
      { Authorization: `Bearer ${CLIENT_TOKEN}` },
      { 'X-API-Key': CLIENT_TOKEN },
      { Authorization: `Bearer ${ADMIN_SECRET}` },
    ];
    for (const headers of accepted) {
      const stream = await openStream(base, headers);
      try {
        const flag = uniqueFlag('ev_auth');
        await t.admin.post(`/flags/${flag}/update?enabled=false`).expect(200);
        expect((await stream.change(flag, 'create')).actor).toBe('e2e');
      } finally {
        stream.close();
      }
    }
  });
});

describe('GET /events on the embedded default (no DATABASE_URL, no REDIS_URL: one instance)', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await startApp({ DATABASE_URL: undefined, REDIS_URL: undefined });
    base = await listening(t);
  });
  afterAll(() => closeAll(t));

  it('sends live changes, and replays from Last-Event-ID out of PGlite', async () => {
    const flag = uniqueFlag('ev_embedded');
    const live = await openStream(base);
    try {
      const created = (await t.admin.post(`/flags/${flag}/update?enabled=true`).expect(200)).body
        .revision as number;
      const archived = (await t.admin.delete(`/flags/${flag}`).expect(200)).body.revision as number;
      await live.change(flag, 'archive');
      expect((await live.change(flag, 'create')).revision).toBe(created);
      const resumed = await openStream(base, { 'Last-Event-ID': String(created) });
      try {
        expect((await resumed.change(flag, 'archive')).revision).toBe(archived);
        expect(resumed.changes.some((c) => c.revision <= created)).toBe(false);
      } finally {
        resumed.close();
      }
    } finally {
      live.close();
    }
  });
});

// Instances sharing PostgreSQL and Redis: CI always sets both (see .ci/run).
const describeShared = describeWithServers('DATABASE_URL', 'REDIS_URL');

describeShared('GET /events across instances (e2e, real PostgreSQL and Redis)', () => {
  let a: TestApp;
  let b: TestApp;
  let baseA: string;
  let baseB: string;
  const clients: SseClient[] = [];

  beforeAll(async () => {
    // A long poll: what reaches B here comes by pub/sub unless a test says otherwise.
    a = await startApp({ SYNC_INTERVAL_MS: '60000' });
    b = await startApp({ SYNC_INTERVAL_MS: '60000' });
    baseA = await listening(a);
    baseB = await listening(b);
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });
  afterAll(() => closeAll(a, b));

  const streamOn = async (base: string, headers: Record<string, string> = {}) => {
    const client = await openStream(base, headers);
    clients.push(client);
    return client;
  };

  it('a change made on one instance reaches the streams of both, with its actor', async () => {
    const onA = await streamOn(baseA);
    const onB = await streamOn(baseB);
    const flag = uniqueFlag('ev_multi');
    const res = await a.admin.post(`/flags/${flag}/update?enabled=true`).expect(200);
    for (const stream of [onA, onB])
      expect(await stream.change(flag, 'create')).toMatchObject({
        revision: res.body.revision,
        actor: 'e2e',
      });
    await b.admin.delete(`/flags/${flag}/cache`).expect(200);
    expect((await onA.change(flag, 'invalidate')).actor).toBe('e2e');
  });

  it("a message in the previous version's format ({f, r}) still becomes the whole event, read from PostgreSQL", async () => {
    const onB = await streamOn(baseB);
    const flag = uniqueFlag('ev_old');
    // Written without pub/sub (an instance with no Redis), then announced as an old instance would.
    const quiet = await startApp({ REDIS_URL: undefined, SYNC_INTERVAL_MS: '60000' });
    let revision: number;
    try {
      revision = (await quiet.admin.post(`/flags/${flag}/update?enabled=true`).expect(200)).body
        .revision as number;
    } finally {
      await quiet.close();
    }
    const url = new URL(process.env.REDIS_URL as string);
    const publisher = createClient({ url: process.env.REDIS_URL });
    await publisher.connect();
    try {
      await publisher.publish(
        `ef:invalidate:${Number(url.pathname.slice(1) || 0)}`,
        JSON.stringify({ f: flag, r: revision }),
      );
    } finally {
      await publisher.close();
    }
    expect(await onB.change(flag, 'create')).toMatchObject({ revision, actor: 'e2e' });
  });

  it('changes of two flags whose messages cross on the way reach a stream in revision order, once each', async () => {
    const onB = await streamOn(baseB);
    const [x, y] = [uniqueFlag('ev_cross_x'), uniqueFlag('ev_cross_y')];
    // Written without pub/sub (an instance with no Redis); their messages are sent below, the
    // second first, as two instances' messages can arrive.
    const quiet = await startApp({ REDIS_URL: undefined, SYNC_INTERVAL_MS: '60000' });
    let written: Array<{ flag: string; revision: number }>;
    try {
      written = [];
      for (const flag of [x, y]) {
        const res = await quiet.admin.post(`/flags/${flag}/update?enabled=true`).expect(200);
        written.push({ flag, revision: res.body.revision as number });
      }
    } finally {
      await quiet.close();
    }
    const message = ({ flag, revision }: { flag: string; revision: number }, follows: number) =>
      JSON.stringify({ f: flag, r: revision, p: 0, g: follows, c: 'create', u: 'e2e', t: 'now' });
    const url = new URL(process.env.REDIS_URL as string);
    const channel = `ef:invalidate:${Number(url.pathname.slice(1) || 0)}`;
    const publisher = createClient({ url: process.env.REDIS_URL });
    await publisher.connect();
    try {
      await publisher.publish(channel, message(written[1], written[0].revision));
      await publisher.publish(channel, message(written[0], written[0].revision - 1));
    } finally {
      await publisher.close();
    }
    await onB.change(y, 'create');
    await sleep(200); // room for a wrong second copy of either
    const seen = onB.changes.filter((c) => c.flag === x || c.flag === y);
    expect(seen.map((c) => [c.flag, c.revision])).toEqual(
      written.map(({ flag, revision }) => [flag, revision]),
    );
  });

  it('an instance that learns a change only from the revision poll still sends it', async () => {
    const polling = await startApp({ SYNC_INTERVAL_MS: '100' });
    try {
      const stream = await openStream(await listening(polling));
      clients.push(stream);
      const flag = uniqueFlag('ev_poll');
      const quiet = await startApp({ REDIS_URL: undefined, SYNC_INTERVAL_MS: '60000' });
      try {
        await quiet.admin.post(`/flags/${flag}/update?enabled=true`).expect(200);
        await quiet.admin.post(`/flags/${flag}/update?enabled=false`).expect(200);
      } finally {
        await quiet.close();
      }
      // Both changes, though the poll only sees the flag's latest revision.
      await stream.change(flag, 'update');
      expect(stream.changes.filter((c) => c.flag === flag).map((c) => [c.action, c.actor])).toEqual(
        [
          ['create', 'e2e'],
          ['update', 'e2e'],
        ],
      );
    } finally {
      await polling.close();
    }
  });

  it('nothing is lost across a restart: Last-Event-ID on the restarted instance replays what it missed', async () => {
    const flag = uniqueFlag('ev_restart');
    const first = await startApp();
    let last: number;
    try {
      const stream = await openStream(await listening(first));
      clients.push(stream);
      await a.admin.post(`/flags/${flag}/update?enabled=true`).expect(200);
      last = Number((await stream.change(flag, 'create')).revision);
    } finally {
      await first.close();
    }
    // While it is down, changes happen elsewhere.
    const missed = [
      (await a.admin.post(`/flags/${flag}/update?rollout_percentage=10`).expect(200)).body.revision,
      (await b.admin.delete(`/flags/${flag}`).expect(200)).body.revision,
    ] as number[];
    const second = await startApp();
    try {
      const stream = await openStream(await listening(second), {
        'Last-Event-ID': String(last),
      });
      clients.push(stream);
      await stream.change(flag, 'archive');
      const restored = (await a.admin.post(`/flags/${flag}/update?enabled=false`).expect(200)).body
        .revision as number;
      await stream.change(flag, 'restore');
      expect(stream.changes.filter((c) => c.flag === flag).map((c) => c.revision)).toEqual([
        ...missed,
        restored,
      ]);
    } finally {
      await second.close();
    }
  });
});
