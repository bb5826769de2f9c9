import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { testEnv } from './test-app';

const ROOT = path.resolve(__dirname, '../..');

/**
 * Runs apps/api/src/main.ts as it runs in production (its own process, its own signal
 * handlers) from the TypeScript sources: @swc/core compiles each .ts file as it is required and
 * `@app/<lib>` resolves to libs/<lib>/src, as in tsconfig.json. The server listens on port 0 and
 * the child reports the port it got over IPC, so no port is picked before it is bound.
 */
const BOOT = `
const Module = require('node:module');
const fs = require('node:fs');
const net = require('node:net');
const swc = require('@swc/core');
const root = ${JSON.stringify(ROOT)};
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const lib = /^@app\\/([^/]+)$/.exec(request);
  return resolve.call(this, lib ? root + '/libs/' + lib[1] + '/src' : request, ...rest);
};
require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  this.once('listening', () => {
    process.send({ port: this.address().port });
    process.channel.unref();
  });
  return listen.apply(this, args);
};
require(root + '/apps/api/src/main.ts');
`;

/** Children of this test file: killed when it ends, even if a timed-out test never got its handle. */
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

export interface ChildApp {
  readonly process: ChildProcess;
  readonly port: number;
  /** Everything the child wrote to stdout and stderr so far (its JSON log lines). */
  output(): string;
  /** Resolves with the exit code (or the signal that ended it). */
  readonly exited: Promise<number | NodeJS.Signals>;
  /** Kills it (SIGKILL) if it still runs: for finally blocks. */
  close(): Promise<void>;
}

export async function startChildApp(
  overrides: Record<string, string | undefined> = {},
): Promise<ChildApp> {
  const env = Object.fromEntries(
    Object.entries({
      ...process.env,
      ...testEnv({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'log', ...overrides }),
    }).filter((e): e is [string, string] => e[1] !== undefined),
  );
  const child = spawn(process.execPath, ['-e', BOOT], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | NodeJS.Signals>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? (signal as NodeJS.Signals))),
  );
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  try {
    const port = await Promise.race([
      new Promise<number>((resolve) =>
        child.once('message', (m: { port: number }) => resolve(m.port)),
      ),
      exited.then((code) => {
        throw new Error(`the app exited at boot (${code}):\n${output.slice(-2000)}`);
      }),
    ]);
    return { process: child, port, output: () => output, exited, close };
  } catch (error) {
    await close();
    throw error;
  }
}
