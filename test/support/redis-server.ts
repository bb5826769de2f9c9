import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { sleep } from './test-app';

/**
 * A redis-server of the test's own, on a port of its own, that the test can stop, pause and start again.
 *
 * A port cannot be handed to redis-server already bound, so instead of reserving one (the
 * freePort() race: another process may take it before redis-server binds it), `start()` lets the
 * server try a port and checks that the server answering there is this child (its `process_id`);
 * on a collision it tries another port. Restarting after `stop()` reuses the port the app was
 * configured with, and fails loudly if someone else took it meanwhile.
 */
export class OwnRedisServer {
  private process: ChildProcess | undefined;
  private boundPort: number | undefined;

  /** `port`: a fixed port (rarely wanted); by default one is found at the first start. */
  constructor(private readonly fixedPort?: number) {}

  get port(): number {
    const port = this.boundPort ?? this.fixedPort;
    if (port === undefined) throw new Error('OwnRedisServer: start() it before asking its port');
    return port;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  async start(): Promise<void> {
    const pinned = this.boundPort ?? this.fixedPort;
    if (pinned !== undefined) return this.startOn(pinned);
    for (let attempt = 0; attempt < 10; attempt++) {
      const port = 20_000 + Math.floor(Math.random() * 40_000);
      try {
        return await this.startOn(port);
      } catch (error) {
        if (!(error instanceof PortTaken)) throw error;
      }
    }
    throw new Error('redis-server: no free port found in 10 attempts');
  }

  /** A hung Redis: the process stops (SIGSTOP), its sockets stay open and nothing answers. */
  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  resume(): void {
    this.process?.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    const p = this.process;
    if (p === undefined || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((resolve) => p.once('exit', resolve));
    p.kill('SIGKILL');
    await exited;
    this.process = undefined;
  }

  /** Same as stop(): lets closeAll() take it with apps and proxies. */
  close(): Promise<void> {
    return this.stop();
  }

  private async startOn(port: number): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    this.process = child;
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const failed = new Promise<Error>((resolve) => {
      child.once('error', (error: NodeJS.ErrnoException) =>
        resolve(
          error.code === 'ENOENT'
            ? new Error(
                'redis-server is not installed (not on PATH): this suite starts Redis servers of its own; install it (Debian: apt-get install redis-server)',
              )
            : error,
        ),
      );
      child.once('exit', () =>
        resolve(
          /already in use/i.test(output)
            ? new PortTaken(port)
            : new Error(`redis-server exited at start on port ${port}: ${output.slice(-500)}`),
        ),
      );
    });
    let settled: Error | undefined;
    void failed.then((error) => (settled = error));
    for (let i = 0; i < 200; i++) {
      if (settled !== undefined) break;
      const pid = await serverPid(port);
      if (pid === child.pid) {
        this.boundPort = port;
        return;
      }
      if (pid !== undefined) {
        // Someone else's server answers on this port: ours cannot bind it.
        await this.stop();
        throw new PortTaken(port);
      }
      await sleep(25);
    }
    await this.stop();
    throw settled ?? new Error(`redis-server did not start on port ${port}`);
  }
}

class PortTaken extends Error {
  constructor(port: number) {
    super(`port ${port} is taken by another process`);
  }
}

/** The `process_id` of the Redis server answering on the port, or undefined when nothing answers (yet). */
function serverPid(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    socket.setTimeout(1000, () => socket.destroy());
    socket.once('connect', () => socket.write('INFO server\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString();
      const match = /process_id:(\d+)/.exec(reply);
      if (match) {
        socket.destroy();
        resolve(Number(match[1]));
      }
    });
    socket.on('error', () => undefined);
    socket.once('close', () => resolve(undefined));
  });
}

/**
 * A port nobody listens on now, but anyone may take before the caller binds it.
 * @deprecated racy: let OwnRedisServer find its own port (`new OwnRedisServer()`), or bind port 0.
 */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
