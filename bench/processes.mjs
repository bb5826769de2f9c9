// @ts-check
// Child processes of the benchmark scripts (bench/run.mjs, bench/restart.mjs): started pinned to
// CPU 0 when taskset is available, their output kept for error messages, and every one killed
// when the script ends, however it ends.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';

/** @typedef {import('./lib/types').Child} Child */

/**
 * `name` prefixes the message printed on a signal; `pinTo()` returns the taskset path when the
 * children are to be pinned to CPU 0, else null (a function: the scripts decide it at start-up).
 * @param {string} name
 * @param {{ root: string, pinTo: () => string | null }} options
 */
export function childProcesses(name, { root, pinTo }) {
  /** @type {Set<Child>} */
  const children = new Set();
  const killAll = () => {
    for (const child of children) {
      try {
        child.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
    children.clear();
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      console.error(`\n${name}: ${signal}, stopping children`);
      killAll();
      process.exit(130);
    });
  }

  /**
   * @param {string} label
   * @param {string[]} args node's arguments
   * @param {NodeJS.ProcessEnv} env
   * @returns {Child}
   */
  function startChild(label, args, env) {
    const taskset = pinTo();
    const [cmd, argv] = taskset
      ? [taskset, ['-c', '0', process.execPath, ...args]]
      : [process.execPath, args];
    const spawned = spawn(cmd, argv, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    /** @type {Child} */
    const child = Object.assign(spawned, {
      label,
      output: '',
      exited: new Promise((resolve) =>
        spawned.on('exit', (code, signal) => {
          children.delete(child);
          child.exitCode_ = code ?? signal;
          child.exitedAt = process.hrtime.bigint();
          resolve(undefined);
        }),
      ),
    });
    /** @param {Buffer} chunk */
    const keep = (chunk) => {
      child.output = (child.output + chunk.toString()).slice(-8000);
    };
    spawned.stdout.on('data', keep);
    spawned.stderr.on('data', keep);
    children.add(child);
    return child;
  }

  /** @param {Child} child */
  async function stopChild(child) {
    if (!children.has(child)) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await child.exited;
    clearTimeout(timer);
  }

  return { children, startChild, stopChild };
}

/** @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A URL without its password.
 * @param {string} url
 */
export const redact = (url) => url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');

/** @param {number} ms */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Pins this process (the load generator) to CPU 1 when taskset exists and there are two CPUs, so
 * that children started by childProcesses() (pinned to CPU 0) never share a core with it.
 * Returns the taskset path to pin children with (null: no pinning) and why not, if not.
 * @returns {{ taskset: string | null, why: string | null }}
 */
export function pinLoadGenerator({ skip = false } = {}) {
  const taskset = ['/usr/bin/taskset', '/bin/taskset'].find((p) => fs.existsSync(p)) ?? null;
  const cpus = os.availableParallelism ? os.availableParallelism() : os.cpus().length;
  if (taskset === null) return { taskset: null, why: 'taskset not found' };
  if (cpus < 2) return { taskset: null, why: `only ${cpus} CPU available` };
  if (skip) return { taskset: null, why: 'not measuring' };
  const r = spawnSync(taskset, ['-a', '-cp', '1', String(process.pid)], { encoding: 'utf8' });
  return r.status === 0
    ? { taskset, why: null }
    : { taskset: null, why: `taskset failed: ${(r.stderr || '').trim()}` };
}
