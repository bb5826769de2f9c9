import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  defaultBackoff,
  openChangeStream,
  parseChange,
  type FlagChange,
  type StreamState,
} from '../src/live/change-stream';

// The client against a real HTTP server of the test's own that speaks the stream's contract
// (text/event-stream, id = revision, keep-alive comments, Last-Event-ID on reconnection), read
// with Node's fetch, which streams bodies as browsers do.

interface Connection {
  headers: IncomingHttpHeaders;
  res: ServerResponse;
}

class StreamServer {
  readonly connections: Connection[] = [];
  status = 200;
  private waiting: Array<() => void> = [];
  private readonly server: Server = createServer((req, res) => {
    if (this.status !== 200) {
      res.writeHead(this.status, { 'content-type': 'application/json' }).end('{}');
    } else {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write(': hello\n\n');
    }
    this.connections.push({ headers: req.headers, res });
    this.waiting.splice(0).forEach((wake) => wake());
  });
  url = '';

  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/events`;
  }

  /** The n-th connection (1-based), once the client has made it. */
  async connection(n: number): Promise<Connection> {
    while (this.connections.length < n) await new Promise<void>((r) => this.waiting.push(r));
    return this.connections[n - 1];
  }

  async stop() {
    for (const c of this.connections) c.res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const change = (revision: number, flag = 'checkout'): FlagChange => ({
  flag,
  action: 'update',
  revision,
  actor: 'ops',
});
const message = (c: FlagChange) => `id: ${c.revision}\ndata: ${JSON.stringify(c)}\n\n`;

/** Collects what the client reports, with a way to wait for the next report of a kind. */
function recorder() {
  const changes: FlagChange[] = [];
  const states: StreamState[] = [];
  let resyncs = 0;
  let wake: (() => void) | undefined;
  const note = () => wake?.();
  return {
    changes,
    states,
    get resyncs() {
      return resyncs;
    },
    onChange: (c: FlagChange) => (changes.push(c), note()),
    onState: (s: StreamState) => (states.push(s), note()),
    onResync: () => (resyncs++, note()),
    async until(condition: () => boolean) {
      while (!condition()) await new Promise<void>((r) => (wake = r));
    },
  };
}

describe('openChangeStream', () => {
  let server: StreamServer;
  let close: (() => void) | undefined;

  beforeEach(async () => {
    server = new StreamServer();
    await server.start();
  });
  afterEach(async () => {
    close?.();
    close = undefined;
    await server.stop();
  });

  const open = (r: ReturnType<typeof recorder>, token: string | null = 'secret') =>
    (close = openChangeStream({
      url: server.url,
      token: () => token,
      onChange: r.onChange,
      onState: r.onState,
      onResync: r.onResync,
      backoffMs: () => 5,
      unsupportedRetryMs: 5,
    }));

  it('sends the bearer token and reports each change; ignores keep-alives and messages without a flag', async () => {
    const r = recorder();
    open(r);
    const first = await server.connection(1);
    expect(first.headers.authorization).toBe('Bearer secret');
    expect(first.headers.accept).toBe('text/event-stream');
    expect(first.headers['last-event-id']).toBeUndefined();
    await r.until(() => r.states.includes('open'));
    first.res.write(': keepalive\n\n');
    first.res.write(`id: 5\ndata: ${JSON.stringify({ type: 'refetchEvaluation', etag: 'x' })}\n\n`);
    first.res.write(message(change(6)));
    await r.until(() => r.changes.length === 1);
    expect(r.changes).toEqual([change(6)]);
    expect(r.states).toEqual(['connecting', 'open']);
  });

  it('reconnects after the stream drops, resuming from the last event id', async () => {
    const r = recorder();
    open(r);
    const first = await server.connection(1);
    first.res.write(message(change(10)) + message(change(11, 'search')));
    await r.until(() => r.changes.length === 2);
    first.res.end();
    const second = await server.connection(2);
    expect(second.headers['last-event-id']).toBe('11');
    second.res.write(message(change(12)));
    await r.until(() => r.changes.length === 3);
    expect(r.changes.map((c) => c.revision)).toEqual([10, 11, 12]);
    expect(r.states).toEqual(['connecting', 'open', 'down', 'open']);
    expect(r.resyncs).toBe(0); // the server replays from the id: nothing to refetch wholesale
  });

  it('asks for a full refresh when it reopens with no id to resume from', async () => {
    const r = recorder();
    open(r);
    (await server.connection(1)).res.end();
    await server.connection(2);
    await r.until(() => r.resyncs === 1);
    expect(r.states).toEqual(['connecting', 'open', 'down', 'open']);
  });

  it('reports a server without a stream as unsupported, and a refused token as down, and keeps trying', async () => {
    server.status = 404;
    const r = recorder();
    open(r, null);
    const first = await server.connection(1);
    expect(first.headers.authorization).toBeUndefined();
    await r.until(() => r.states.includes('unsupported'));
    server.status = 401;
    await server.connection(3);
    await r.until(() => r.states.includes('down'));
    server.status = 200;
    await r.until(() => r.states.includes('open'));
    expect(r.states).toEqual(['connecting', 'unsupported', 'down', 'open']);
  });

  it('stops for good when closed: no state reported, no reconnection', async () => {
    const r = recorder();
    open(r);
    const first = await server.connection(1);
    await r.until(() => r.states.includes('open'));
    close?.();
    first.res.write(message(change(1)));
    first.res.end();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.connections).toHaveLength(1);
    expect(r.changes).toEqual([]);
    expect(r.states).toEqual(['connecting', 'open']);
  });
});

describe(parseChange.name, () => {
  it('reads the contract fields', () => {
    expect(parseChange('{"flag":"a","action":"archive","revision":3,"actor":"ops"}')).toEqual({
      flag: 'a',
      action: 'archive',
      revision: 3,
      actor: 'ops',
    });
  });

  it.each(['not json', '42', 'null', '{}', '{"flag":""}', '{"type":"refetchEvaluation"}'])(
    'ignores %s',
    (data) => expect(parseChange(data)).toBeNull(),
  );
});

describe('defaultBackoff', () => {
  it('doubles from one second up to thirty', () => {
    expect([0, 1, 2, 3, 4, 5, 9].map(defaultBackoff)).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
  });
});
