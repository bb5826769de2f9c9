import { AddressInfo } from 'node:net';
import { OpenFeature as ServerFeatures, ErrorCode } from '@openfeature/server-sdk';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { OpenFeature as WebFeatures, ProviderEvents } from '@openfeature/web-sdk';
import { OFREPWebProvider } from '@openfeature/ofrep-web-provider';
import { NodeEventSource } from './support/node-event-source';
import { SseClient } from './support/sse-client';
import { ADMIN_SECRET, startApp, TestApp, uniqueFlag, waitFor } from './support/test-app';

// OpenFeature's own clients against edgeflags' OFREP endpoints (issue 7): the server SDK with
// the OFREP provider (one evaluation per call) and the web SDK with the OFREP web provider (bulk
// evaluation, cached in the provider; it runs in Node with cacheMode 'disabled').

const CLIENT_TOKEN = 'ofrep-client-token-0123456789';

async function listening(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

describe('OpenFeature OFREP (e2e)', () => {
  let t: TestApp;
  let baseUrl: string;
  const flags = {
    color: uniqueFlag('of_color'),
    limit: uniqueFlag('of_limit'),
    config: uniqueFlag('of_config'),
  };

  beforeAll(async () => {
    t = await startApp({ CLIENT_TOKENS: `sdk:${CLIENT_TOKEN}` });
    baseUrl = await listening(t);
    await t.admin
      .post(`/flags/${flags.color}/update`)
      .send({
        enabled: true,
        type: 'string',
        variants: [
          { name: 'blue', value: '#00f', weight: 0 },
          { name: 'green', value: '#0f0', weight: 0 },
        ],
        default_variant: 'blue',
        rules: [
          {
            conditions: [{ attribute: 'country', operator: 'IN', values: ['DE'] }],
            variant: 'green',
          },
        ],
        metadata: { owner: 'design', nested: { dropped: true } },
      })
      .expect(200);
    await t.admin
      .post(`/flags/${flags.limit}/update`)
      .send({
        enabled: true,
        type: 'number',
        variants: [
          { name: 'low', value: 10, weight: 500 },
          { name: 'high', value: 100, weight: 500 },
        ],
        default_variant: 'low',
      })
      .expect(200);
    await t.admin
      .post(`/flags/${flags.config}/update`)
      .send({
        enabled: true,
        type: 'object',
        variants: [{ name: 'v1', value: { retries: 3, endpoints: ['a', 'b'] }, weight: 0 }],
        default_variant: 'v1',
      })
      .expect(200);
  });
  afterAll(async () => {
    await ServerFeatures.close();
    await WebFeatures.close();
    await t.close();
  });

  /** A POST with no token at all. */
  const tokenless = (path: string) =>
    fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"context":{}}',
    });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': CLIENT_TOKEN, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  describe('with @openfeature/server-sdk and @openfeature/ofrep-provider', () => {
    beforeAll(async () => {
      await ServerFeatures.setProviderAndWait(
        new OFREPProvider({ baseUrl, headers: [['Authorization', `Bearer ${CLIENT_TOKEN}`]] }),
      );
    });
    const client = () => ServerFeatures.getClient();

    it('evaluates boolean, string, number and object flags with variants and reasons', async () => {
      // new_checkout_flow is the seed's 50% flag; user123 is in bucket 49 (on).
      expect(
        await client().getBooleanDetails('new_checkout_flow', false, { targetingKey: 'user123' }),
      ).toMatchObject({
        value: true,
        variant: 'on',
        reason: 'SPLIT',
      });
      expect(
        await client().getBooleanDetails('dark_mode', true, { targetingKey: 'user123' }),
      ).toMatchObject({
        value: false,
        reason: 'DISABLED',
      });
      const green = await client().getStringDetails(flags.color, 'x', {
        targetingKey: 'u1',
        country: 'DE',
      });
      expect(green).toMatchObject({ value: '#0f0', variant: 'green', reason: 'TARGETING_MATCH' });
      expect(green.flagMetadata).toMatchObject({ owner: 'design' });
      expect(green.flagMetadata).not.toHaveProperty('nested');
      expect(
        await client().getStringDetails(flags.color, 'x', { targetingKey: 'u1', country: 'FR' }),
      ).toMatchObject({
        value: '#00f',
        variant: 'blue',
        reason: 'DEFAULT',
      });
      const limit = await client().getNumberDetails(flags.limit, 0, { targetingKey: 'u1' });
      expect(limit.reason).toBe('SPLIT');
      expect([10, 100]).toContain(limit.value);
      expect(
        await client().getObjectDetails(flags.config, {}, { targetingKey: 'u1' }),
      ).toMatchObject({
        value: { retries: 3, endpoints: ['a', 'b'] },
        variant: 'v1',
        reason: 'STATIC',
      });
    });

    it('treats a missing targetingKey as a user outside every split', async () => {
      expect(await client().getBooleanDetails('new_checkout_flow', true)).toMatchObject({
        value: false,
      });
    });

    it('reports an unknown flag as FLAG_NOT_FOUND and serves the code default', async () => {
      const details = await client().getBooleanDetails('no_such_flag', true, {
        targetingKey: 'u1',
      });
      expect(details).toMatchObject({ value: true, errorCode: ErrorCode.FLAG_NOT_FOUND });
    });

    it('sees an update on the next evaluation', async () => {
      const flag = uniqueFlag('of_upd');
      await t.admin.post(`/flags/${flag}/update?enabled=true&rollout_percentage=100`).expect(200);
      expect(await client().getBooleanValue(flag, false, { targetingKey: 'u1' })).toBe(true);
      await t.admin.post(`/flags/${flag}/update?enabled=false`).expect(200);
      expect(await client().getBooleanValue(flag, true, { targetingKey: 'u1' })).toBe(false);
    });
  });

  describe('with @openfeature/web-sdk and @openfeature/ofrep-web-provider', () => {
    // The provider opens OFREP's event stream with the global EventSource, which browsers have
    // and Node 20 has not: the `eventsource` package (the WHATWG EventSource for Node) stands in
    // (see NodeEventSource for why over node:http).
    // Installed even where Node has a global EventSource (undici's, behind a flag on 22 and 24).
    const global = globalThis as { EventSource?: unknown };
    const original = global.EventSource;
    beforeAll(() => {
      global.EventSource = NodeEventSource;
    });
    afterAll(() => {
      if (original === undefined) delete global.EventSource;
      else global.EventSource = original;
    });

    it('is told of a change through the event stream (ADR 0008), with polling off', async () => {
      const flag = uniqueFlag('of_sse');
      await t.admin.post(`/flags/${flag}/update?enabled=true&rollout_percentage=100`).expect(200);
      await WebFeatures.setProviderAndWait(
        new OFREPWebProvider({
          baseUrl,
          headers: [['X-API-Key', CLIENT_TOKEN]],
          cacheMode: 'disabled',
          pollInterval: 0,
        }),
        { targetingKey: 'u1' },
      );
      const client = WebFeatures.getClient();
      expect(client.getBooleanValue(flag, false)).toBe(true);
      const changed = new Promise<string[]>((resolve) =>
        client.addHandler(ProviderEvents.ConfigurationChanged, (details) =>
          resolve(details?.flagsChanged ?? []),
        ),
      );
      await t.admin.post(`/flags/${flag}/update?enabled=false`).expect(200);
      expect(await changed).toContain(flag);
      expect(client.getBooleanValue(flag, true)).toBe(false);
      await WebFeatures.clearProviders();
    });

    it('evaluates every flag in bulk for a context, and sees an update after a re-fetch', async () => {
      const flag = uniqueFlag('of_web');
      await t.admin.post(`/flags/${flag}/update?enabled=true&rollout_percentage=100`).expect(200);
      await WebFeatures.setProviderAndWait(
        new OFREPWebProvider({
          baseUrl,
          headers: [['X-API-Key', CLIENT_TOKEN]],
          cacheMode: 'disabled',
          changeDetection: 'none',
        }),
        { targetingKey: 'u1', country: 'DE' },
      );
      const client = WebFeatures.getClient();
      expect(client.getStringDetails(flags.color, 'x')).toMatchObject({
        value: '#0f0',
        variant: 'green',
        reason: 'TARGETING_MATCH',
      });
      expect(client.getObjectValue(flags.config, {})).toEqual({
        retries: 3,
        endpoints: ['a', 'b'],
      });
      expect(client.getBooleanValue(flag, false)).toBe(true);

      await t.admin.post(`/flags/${flag}/update?enabled=false`).expect(200);
      await WebFeatures.setContext({ targetingKey: 'u1', country: 'FR' }); // a context change re-fetches
      expect(client.getBooleanValue(flag, true)).toBe(false);
      expect(client.getStringValue(flags.color, 'x')).toBe('#00f');
    });
  });

  describe('the protocol over plain HTTP', () => {
    it('advertises its event stream in the bulk response, opened by a stream token, never the client token', async () => {
      const res = await post('/ofrep/v1/evaluate/flags', { context: { targetingKey: 'u1' } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        eventStreams: Array<{ type: string; endpoint: { requestUri: string } }>;
      };
      expect(body.eventStreams).toHaveLength(1);
      const [stream] = body.eventStreams;
      expect(stream.type).toBe('sse');
      expect(stream.endpoint.requestUri).toMatch(/^\/events\/ofrep\?token=\d+\.[\w-]+$/);
      expect(JSON.stringify(body.eventStreams)).not.toContain(CLIENT_TOKEN);

      for (const refused of [
        '/events/ofrep',
        '/events/ofrep?token=1.x',
        `/events/ofrep?token=${CLIENT_TOKEN}`,
      ]) {
        const r = await fetch(`${baseUrl}${refused}`);
        expect(r.status).toBe(401);
        expect(await r.json()).toMatchObject({ statusCode: 401 });
      }

      const sse = await SseClient.open(`${baseUrl}${stream.endpoint.requestUri}`);
      try {
        expect(sse.status).toBe(200);
        await waitFor(() => sse.comments.includes('stream open'));
        const flag = uniqueFlag('of_stream');
        const revision = (await t.admin.post(`/flags/${flag}/update?enabled=true`).expect(200)).body
          .revision as number;
        await waitFor(() => sse.messages.some((m) => m.id === String(revision)));
        const message = sse.messages.find((m) => m.id === String(revision));
        expect(JSON.parse(message!.data)).toEqual({
          type: 'refetchEvaluation',
          etag: `"${revision}"`,
          lastModified: expect.any(Number) as number,
        });
      } finally {
        sse.close();
      }
    });

    it('answers If-None-Match with 304 until an answer for that context changes', async () => {
      const context = { context: { targetingKey: 'u1', country: 'DE' } };
      const first = await post('/ofrep/v1/evaluate/flags', context);
      expect(first.status).toBe(200);
      const etag = first.headers.get('etag') as string;
      expect(etag).toMatch(/^".+"$/);
      const body = (await first.json()) as { flags: Array<{ key: string; value: unknown }> };
      expect(body.flags.find((f) => f.key === flags.color)).toMatchObject({ value: '#0f0' });

      const again = await post('/ofrep/v1/evaluate/flags', context, { 'if-none-match': etag });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      // Another context gets other answers, so another ETag.
      const other = await post('/ofrep/v1/evaluate/flags', {
        context: { targetingKey: 'u1', country: 'FR' },
      });
      expect(other.headers.get('etag')).not.toBe(etag);

      await t.admin
        .post(`/flags/${flags.color}/update`)
        .send({ default_variant: 'green' })
        .expect(200);
      const changed = await post(
        '/ofrep/v1/evaluate/flags',
        { context: { targetingKey: 'u1', country: 'FR' } },
        {
          'if-none-match': other.headers.get('etag') as string,
        },
      );
      expect(changed.status).toBe(200);
      await t.admin
        .post(`/flags/${flags.color}/update`)
        .send({ default_variant: 'blue' })
        .expect(200);
    });

    it('answers a repeated context the same until a flag changes, then the new answer at once', async () => {
      const flag = uniqueFlag('of_memo');
      await t.admin.post(`/flags/${flag}/update?enabled=true&rollout_percentage=100`).expect(200);
      const bulk = async (context: object, headers: Record<string, string> = {}) => {
        const res = await post('/ofrep/v1/evaluate/flags', { context }, headers);
        const body =
          res.status === 200 ? ((await res.json()) as { flags: Array<{ key: string }> }) : null;
        return { status: res.status, etag: res.headers.get('etag') as string, body };
      };
      const valueOf = (body: { flags: Array<{ key: string }> } | null) =>
        body?.flags.find((f) => f.key === flag);
      const first = await bulk({ targetingKey: 'memo-user' });
      expect(valueOf(first.body)).toMatchObject({ value: true });
      // An attribute no rule reads, and a repeat: the same answers, so the same ETag.
      const repeat = await bulk({ targetingKey: 'memo-user', unread: 'x' });
      expect(repeat.etag).toBe(first.etag);
      expect(repeat.body).toEqual(first.body);
      // Other users: other ETags.
      const etags = new Set([first.etag]);
      for (let i = 0; i < 5; i++) etags.add((await bulk({ targetingKey: `memo-user-${i}` })).etag);
      expect(etags.size).toBe(6);

      await t.admin.post(`/flags/${flag}/update?enabled=false`).expect(200);
      const changed = await bulk({ targetingKey: 'memo-user' }, { 'if-none-match': first.etag });
      expect(changed.status).toBe(200);
      expect(changed.etag).not.toBe(first.etag);
      expect(valueOf(changed.body)).toMatchObject({ value: false, reason: 'DISABLED' });
      expect(
        (await bulk({ targetingKey: 'memo-user' }, { 'if-none-match': changed.etag })).status,
      ).toBe(304);
    });

    it('counts the bulk memo in /cache/stats and /metrics', async () => {
      const memo = async () =>
        (await t.admin.get('/cache/stats').expect(200)).body.ofrep_bulk_memo as {
          hits: number;
          misses: number;
          entries: number;
          bytes: number;
          max_bytes: number;
        };
      const before = await memo();
      const context = { targetingKey: uniqueFlag('memo-stats-user') };
      for (let i = 0; i < 3; i++)
        expect((await post('/ofrep/v1/evaluate/flags', { context })).status).toBe(200);
      const after = await memo();
      // Kept from its second request (from its first if it shares a doorkeeper bit with an
      // earlier context), so the third is a hit either way.
      expect(after.hits + after.misses - before.hits - before.misses).toBe(3);
      expect(after.hits - before.hits).toBeGreaterThanOrEqual(1);
      expect(after.entries).toBeGreaterThanOrEqual(1);
      expect(after.bytes).toBeGreaterThan(0);
      expect(after.max_bytes).toBe(4 * 1024 * 1024);
      const metrics = (await t.admin.get('/metrics').expect(200)).text;
      expect(metrics).toContain(`edgeflags_ofrep_bulk_memo_hits_total ${after.hits}\n`);
      expect(metrics).toContain(`edgeflags_ofrep_bulk_memo_misses_total ${after.misses}\n`);
      expect(metrics).toContain(`edgeflags_ofrep_bulk_memo_bytes ${after.bytes}\n`);
    });

    it('needs a client token, and answers 401 with no body', async () => {
      const res = await tokenless('/ofrep/v1/evaluate/flags/dark_mode');
      expect(res.status).toBe(401);
      expect(await res.text()).toBe('');
      const admin = await post(
        '/ofrep/v1/evaluate/flags/dark_mode',
        { context: {} },
        { 'x-api-key': ADMIN_SECRET },
      );
      expect(admin.status).toBe(200);
    });

    it('bulk (a route Fastify serves without Nest): the same token check, hooks and metrics as any route', async () => {
      const anonymous = await tokenless('/ofrep/v1/evaluate/flags');
      expect(anonymous.status).toBe(401);
      expect(await anonymous.text()).toBe('');
      const wrong = await post(
        '/ofrep/v1/evaluate/flags',
        { context: {} },
        {
          authorization: 'Bearer not-a-token-0123456789',
        },
      );
      expect(wrong.status).toBe(401);
      expect(await wrong.text()).toBe('');

      const res = await fetch(`${baseUrl}/ofrep/v1/evaluate/flags`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${CLIENT_TOKEN}`,
          'x-request-id': 'bulk-trace-1',
        },
        body: '{"context":{"targetingKey":"u1"}}',
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-request-id')).toBe('bulk-trace-1');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(((await res.json()) as { flags: unknown[] }).flags.length).toBeGreaterThan(0);

      const tooLarge = await post('/ofrep/v1/evaluate/flags', {
        context: { targetingKey: 'u1', note: 'x'.repeat(70 * 1024) },
      });
      expect(tooLarge.status).toBe(413);
      expect(await tooLarge.json()).toMatchObject({ statusCode: 413 });
      const get = await fetch(`${baseUrl}/ofrep/v1/evaluate/flags`, {
        headers: { authorization: `Bearer ${CLIENT_TOKEN}` },
      });
      expect(get.status).toBe(404);

      const metrics = await (
        await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${CLIENT_TOKEN}` } })
      ).text();
      for (const status of ['200', '401', '413'])
        expect(metrics).toMatch(
          new RegExp(
            `edgeflags_http_requests_total\\{route="/ofrep/v1/evaluate/flags",method="POST",status="${status}"\\} [1-9]`,
          ),
        );
    });

    it('answers PARSE_ERROR, INVALID_CONTEXT and FLAG_NOT_FOUND in the protocol’s shapes', async () => {
      const parse = await post('/ofrep/v1/evaluate/flags/dark_mode', '{not json');
      expect(parse.status).toBe(400);
      expect(await parse.json()).toMatchObject({ key: 'dark_mode', errorCode: 'PARSE_ERROR' });
      const bulkParse = await post('/ofrep/v1/evaluate/flags', 'nope');
      expect(bulkParse.status).toBe(400);
      expect(await bulkParse.json()).toMatchObject({ errorCode: 'PARSE_ERROR' });

      for (const body of [{ context: 5 }, { context: [] }, { context: { targetingKey: 7 } }, []]) {
        const res = await post('/ofrep/v1/evaluate/flags/dark_mode', body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
        expect(await res.json()).toMatchObject({ key: 'dark_mode', errorCode: 'INVALID_CONTEXT' });
      }
      const bulk = await post('/ofrep/v1/evaluate/flags', { context: { targetingKey: false } });
      expect(bulk.status).toBe(400);
      expect(await bulk.json()).toEqual({
        errorCode: 'INVALID_CONTEXT',
        errorDetails: expect.any(String),
      });

      const missing = await post('/ofrep/v1/evaluate/flags/no_such_flag', { context: {} });
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({
        key: 'no_such_flag',
        errorCode: 'FLAG_NOT_FOUND',
        errorDetails: expect.any(String),
      });
    });

    it('always includes the value, and only primitive metadata', async () => {
      const res = await post(`/ofrep/v1/evaluate/flags/${flags.color}`, {
        context: { targetingKey: 'u2' },
      });
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toEqual({
        key: flags.color,
        value: '#00f',
        variant: 'blue',
        reason: 'DEFAULT',
        metadata: { owner: 'design', revision: expect.any(Number) },
      });
    });
  });
});
