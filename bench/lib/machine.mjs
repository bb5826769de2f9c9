// @ts-check
// The machine and its processes, from /proc: CPU time of the server under test, of this load
// generator and of everything else (PostgreSQL, Redis, and whatever else happens to run), in
// percent of one CPU over a run; resident memory; what the machine is.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { sleep } from '../processes.mjs';

/**
 * @typedef {import('./types').CpuSnapshot} CpuSnapshot
 * @typedef {import('./types').CpuPct} CpuPct
 * @typedef {import('./types').MachineInfo} MachineInfo
 */

const TICK_MS = 10; // USER_HZ is 100 on Linux

export const cpuCount = () =>
  os.availableParallelism ? os.availableParallelism() : os.cpus().length;

/** `nproc`: call it before this process is pinned to one CPU. */
export function nproc() {
  const r = spawnSync('nproc', [], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.trim()) : null;
}

/**
 * utime + stime of a process, in ticks; NaN when it is gone.
 * @param {number} pid
 */
export function procTicks(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return NaN;
  }
}

function machineTicks() {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = v[3] + (v[4] || 0);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle };
  } catch {
    return { busy: NaN };
  }
}

/**
 * @param {number} [pid] the server under test
 * @returns {CpuSnapshot}
 */
export function cpuSnapshot(pid) {
  const self = process.cpuUsage();
  return {
    at: process.hrtime.bigint(),
    server: pid ? procTicks(pid) : NaN,
    self: (self.user + self.system) / 1000,
    machine: machineTicks().busy,
  };
}

/**
 * @param {CpuSnapshot} a
 * @param {CpuSnapshot} b
 * @returns {CpuPct}
 */
export function cpuDelta(a, b) {
  const ms = Number(b.at - a.at) / 1e6;
  const server = ((b.server - a.server) * TICK_MS * 100) / ms;
  const loadgen = ((b.self - a.self) * 100) / ms;
  const machine = ((b.machine - a.machine) * TICK_MS * 100) / ms;
  /** @param {number} x */
  const round = (x) => (Number.isFinite(x) ? Math.round(x) : null);
  return {
    server: round(server),
    loadgen: round(loadgen),
    other: round(Math.max(0, machine - (Number.isFinite(server) ? server : 0) - loadgen)),
  };
}

/**
 * Waits (up to waitQuietS) until processes other than ours use under 15% of a CPU.
 * @param {number[]} pids ours
 * @param {number} waitQuietS
 */
export async function waitQuiet(pids, waitQuietS) {
  const deadline = Date.now() + waitQuietS * 1000;
  let other;
  do {
    const a = { ...cpuSnapshot(), servers: pids.map(procTicks) };
    await sleep(500);
    const b = { ...cpuSnapshot(), servers: pids.map(procTicks) };
    const ms = Number(b.at - a.at) / 1e6;
    const ours = pids.reduce((sum, _, i) => sum + (b.servers[i] - a.servers[i]), 0) * TICK_MS;
    other = (((b.machine - a.machine) * TICK_MS - ours - (b.self - a.self)) * 100) / ms;
    if (other < 15) return { other: Math.round(other), waited: true };
  } while (Date.now() < deadline);
  return { other: Math.round(other), waited: false };
}

/**
 * Resident memory and its high-water mark, in kB.
 * @param {number | undefined} pid
 */
export function rssKb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    /** @param {string} key */
    const pick = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: pick('VmRSS'), hwm: pick('VmHWM') };
  } catch {
    return { rss: NaN, hwm: NaN };
  }
}

/**
 * @param {number | null} nprocBeforePinning
 * @returns {MachineInfo}
 */
export function describeMachine(nprocBeforePinning) {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return {
    nproc: nprocBeforePinning ?? cpuCount(),
    cpu_model: model.trim(),
    node: process.version,
    total_memory_gib: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    kernel: `${os.type()} ${os.release()}`,
  };
}

/**
 * The checkout measured (`git describe --always --dirty`), so that a figure names the code it
 * is of; null outside a git checkout or without git.
 * @param {string} root
 * @returns {string | null}
 */
export function commitOf(root) {
  const r = spawnSync('git', ['-C', root, 'describe', '--always', '--dirty'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() || null : null;
}
