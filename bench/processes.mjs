// Child processes of the benchmark scripts (bench/run.mjs, bench/restart.mjs): started pinned to
// CPU 0 when taskset is available, their output kept for error messages, and every one killed
// when the script ends, however it ends.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';

/**
 * `name` prefixes the message printed on a signal; `pinTo()` returns the taskset path when the
 * children are to be pinned to CPU 0, else null (a function: the scripts decide it at start-up).
 */
export function childProcesses(name, { root, pinTo }) {
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

  function startChild(label, args, env) {
    const taskset = pinTo();
    const [cmd, argv] = taskset
      ? [taskset, ['-c', '0', process.execPath, ...args]]
      : [process.execPath, args];
    const child = spawn(cmd, argv, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.label = label;
    child.output = '';
    const keep = (chunk) => {
      child.output = (child.output + chunk.toString()).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.exited = new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        children.delete(child);
        child.exitCode_ = code ?? signal;
        child.exitedAt = process.hrtime.bigint();
        resolve();
      }),
    );
    children.add(child);
    return child;
  }

  async function stopChild(child) {
    if (!children.has(child)) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await child.exited;
    clearTimeout(timer);
  }

  return { children, startChild, stopChild };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** A URL without its password. */
export const redact = (url) => url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Pins this process (the load generator) to CPU 1 when taskset exists and there are two CPUs, so
 * that children started by childProcesses() (pinned to CPU 0) never share a core with it.
 * Returns the taskset path to pin children with (null: no pinning) and why not, if not.
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
