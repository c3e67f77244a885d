/**
 * How much CPU the rest of the machine used during a run: all busy time
 * (/proc/stat) minus the bench process's and the server's own. Other work on
 * a 2-core machine (a build, another test suite) skews every number here, so
 * a run that shared the machine says so.
 */
import fs from 'node:fs';

/** Linux's USER_HZ: /proc times are in 1/100 s. */
const TICKS_PER_SECOND = 100;

function machineBusyTicks(): number {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  // cpu  user nice system idle iowait irq softirq steal …
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return fields.slice(0, 8).reduce((sum, value) => sum + value, 0) - idle;
}

function processTicks(pid: number | 'self'): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after "pid (comm) ".
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

export interface CpuMark {
  at: number;
  machine: number;
  self: number;
  /** CPU ticks of each server process, in the order given. */
  servers: number[];
}

export function cpuMark(serverPids: number | readonly number[]): CpuMark {
  const pids = typeof serverPids === 'number' ? [serverPids] : serverPids;
  return { at: performance.now(), machine: machineBusyTicks(), self: processTicks('self'), servers: pids.map((pid) => processTicks(pid)) };
}

export interface CpuSpan {
  seconds: number;
  /** CPU seconds (user + system) each server process used. */
  serverSeconds: number[];
  /** Cores busy on average: the servers together, the bench process, and everything else on the machine (noise). */
  serverCores: number;
  benchCores: number;
  elsewhereCores: number;
}

/** What the servers, the bench and the rest of the machine used between two marks. */
export function cpuSpan(start: CpuMark, end: CpuMark): CpuSpan {
  const seconds = Math.max(0.001, (end.at - start.at) / 1000);
  const serverTicks = end.servers.map((ticks, i) => ticks - (start.servers[i] ?? 0));
  const server = serverTicks.reduce((sum, ticks) => sum + ticks, 0);
  const self = end.self - start.self;
  const elsewhere = Math.max(0, end.machine - start.machine - server - self);
  return {
    seconds,
    serverSeconds: serverTicks.map((ticks) => ticks / TICKS_PER_SECOND),
    serverCores: server / TICKS_PER_SECOND / seconds,
    benchCores: self / TICKS_PER_SECOND / seconds,
    elsewhereCores: elsewhere / TICKS_PER_SECOND / seconds,
  };
}

/** Cores busy on average between two marks: the server's, and everything that was neither the server nor the bench. */
export function cpuBetween(start: CpuMark, end: CpuMark): { serverCores: number; elsewhereCores: number } {
  const { serverCores, elsewhereCores } = cpuSpan(start, end);
  return { serverCores, elsewhereCores };
}

/** Cores the rest of the machine (everything but this process) is using, sampled over `ms`. */
export async function busyElsewhere(ms = 1000): Promise<number> {
  const start = { at: performance.now(), machine: machineBusyTicks(), self: processTicks('self') };
  await new Promise((resolve) => setTimeout(resolve, ms));
  const seconds = (performance.now() - start.at) / 1000;
  return Math.max(0, machineBusyTicks() - start.machine - (processTicks('self') - start.self)) / TICKS_PER_SECOND / seconds;
}

/**
 * Waits (up to `maxMs`) until other processes use less than `cores` of the
 * machine, so that a run does not start in the middle of someone's build.
 * Returns the last sample.
 */
export async function waitForQuiet(cores: number, maxMs: number): Promise<{ busy: number; waitedMs: number }> {
  const started = performance.now();
  let busy = await busyElsewhere();
  while (busy >= cores && performance.now() - started < maxMs) busy = await busyElsewhere();
  return { busy, waitedMs: performance.now() - started };
}
