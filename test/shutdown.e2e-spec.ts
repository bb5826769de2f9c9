import net from 'node:net';
import { ChildApp, startChildApp } from './support/child-app';
import { SseClient } from './support/sse-client';
import { waitFor } from './support/test-app';

/** Whether a new connection to the port is refused (the server no longer listens). */
const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = net.connect(port, '127.0.0.1');
    probe.once('connect', () => {
      probe.destroy();
      resolve(false);
    });
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });

/**
 * SIGTERM to a real process running main.ts: the signal handling and the SHUTDOWN_TIMEOUT_MS
 * bound live there, not in the app that the other suites start in-process.
 */
// Booting a process compiles the sources first: slow on a busy machine.
const BOOT_TIMEOUT_MS = 180_000;

describe('SIGTERM (e2e, the app in a process of its own)', () => {
  let child: ChildApp | undefined;
  let socket: net.Socket | undefined;

  afterEach(async () => {
    socket?.destroy();
    await child?.close();
    child = socket = undefined;
  });

  it(
    'exits 0 when nothing is in flight',
    async () => {
      child = await startChildApp({ SHUTDOWN_TIMEOUT_MS: '30000' });
      const res = await fetch(`http://127.0.0.1:${child.port}/flags/dark_mode/check?user_id=u`);
      expect(res.status).toBe(200);
      child.process.kill('SIGTERM');
      expect(await child.exited).toBe(0);
      expect(child.output()).toContain('SIGTERM: no new connections');
      expect(child.output()).not.toContain('exiting anyway');
    },
    BOOT_TIMEOUT_MS,
  );

  it(
    'exits 0 with event streams open: they are ended at once, not waited for',
    async () => {
      // A bound far beyond this test's own timeout: exiting at all proves the streams did not hold it.
      child = await startChildApp({ SHUTDOWN_TIMEOUT_MS: '600000' });
      const streams = await Promise.all(
        [0, 1, 2].map(() => SseClient.open(`http://127.0.0.1:${child!.port}/events`)),
      );
      try {
        await waitFor(() => streams.every((s) => s.comments.includes('stream open')));
        child.process.kill('SIGTERM');
        expect(await child.exited).toBe(0);
        await Promise.all(streams.map((s) => s.ended)); // the server ended each of them
        expect(child.output()).not.toContain('exiting anyway');
      } finally {
        for (const stream of streams) stream.close();
      }
    },
    BOOT_TIMEOUT_MS,
  );

  it(
    'answers a request that arrives while it drains, with Connection: close, and no 503',
    async () => {
      child = await startChildApp({ SHUTDOWN_TIMEOUT_MS: '30000' });
      // The first request is held in flight (its body is withheld) across the signal; the second
      // is pipelined behind it on the same connection, so it reaches the server while it drains,
      // as a request on a reused keep-alive connection does when a balancer picks the instance
      // just as it is told to stop.
      socket = net.connect(child.port, '127.0.0.1');
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
      const body = '{"context":{"targetingKey":"u"}}';
      socket.write(
        'POST /ofrep/v1/evaluate/flags/dark_mode HTTP/1.1\r\nHost: localhost\r\n' +
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n` +
          'Expect: 100-continue\r\n\r\n',
      );
      await waitFor(() => received.startsWith('HTTP/1.1 100'));
      child.process.kill('SIGTERM');
      // Fastify marks its routes closing before it stops listening: once a new connection is
      // refused, the pipelined request below reaches a draining server.
      await waitFor(() => refused(child!.port), 10_000);
      socket.write(
        body + 'GET /flags/dark_mode/check?user_id=u HTTP/1.1\r\nHost: localhost\r\n\r\n',
      );
      expect(await child.exited).toBe(0);
      const answers = received.split('HTTP/1.1 ').slice(2); // after the 100 Continue
      expect(answers.map((answer) => answer.slice(0, 3))).toEqual(['200', '200']);
      expect(answers[1]).toMatch(/^connection: close\r$/im);
      expect(answers[1]).toContain('{"enabled":false');
    },
    BOOT_TIMEOUT_MS,
  );

  it(
    'exits 1 after SHUTDOWN_TIMEOUT_MS when a request never finishes',
    async () => {
      child = await startChildApp({ SHUTDOWN_TIMEOUT_MS: '500' });
      // A request whose body never arrives. "Expect: 100-continue" makes the server say when it
      // has read the headers, so the request is surely in flight before the signal is sent.
      socket = net.connect(child.port, '127.0.0.1');
      const continued = new Promise<void>((resolve, reject) => {
        socket!.once('data', (chunk: Buffer) =>
          chunk.toString().startsWith('HTTP/1.1 100')
            ? resolve()
            : reject(new Error(`unexpected reply: ${chunk.toString()}`)),
        );
        socket!.once('error', reject);
      });
      socket.write(
        'POST /flags/dark_mode/update HTTP/1.1\r\nHost: localhost\r\n' +
          'Content-Type: application/json\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n',
      );
      await continued;
      socket.write('{"enabled":');
      child.process.kill('SIGTERM');
      expect(await child.exited).toBe(1);
      expect(child.output()).toContain('requests still running after 500 ms: exiting anyway');
    },
    BOOT_TIMEOUT_MS,
  );
});
