/**
 * One run: one server in a fresh process, N connections.
 * 1. Join storm: all N sockets are created at once; each one's time-to-synced
 *    runs from the creation of its socket to the arrival of its SyncStep2.
 * 2. Fan-out: one writer (a full Yjs client) renames random touchpoints at a
 *    fixed rate, one transaction (one update message) per edit, the label
 *    carrying the edit's sequence number. The measuring clients (full Yjs
 *    clients) note when each edit becomes visible in their document; the
 *    latency is per (edit, client). Edits are counted, not frames: a server
 *    may merge the updates of a tick. With one writer, seeing edit n means
 *    edits 1..n are integrated too (Yjs applies a client's changes in order).
 * 3. The server's peak RSS (VmHWM), then everything is closed.
 *
 * A server of several processes (RunningServer.processes: bench:sync
 * --processes) is measured the same way, with connection i on process
 * i % P: the writer on process 1 and the measurers spread over every
 * process, so that fan-out within a process and across processes (through
 * Redis) are both measured; the result then also holds each process's RSS,
 * CPU time, event-loop delay and store appends (RunResult.processes).
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { updateTouchpoint } from '../../../lib/journey/schema';
import type { EditOrigin } from '../../../lib/journey/origin';
import { FullClient, RawReader } from './clients';
import { cpuBetween, cpuMark, cpuSpan, type CpuSpan } from './cpu';
import type { Fixture } from './fixture';
import { scrapeAll, type MetricsSnapshot } from './server-metrics';
import type { ServerUnderTest } from './servers/types';
import { quantile } from '../stats';
import { WaitTimeout, waitFor } from '../../support/wait';

export interface WorkloadOptions {
  connections: number;
  /** Full Yjs clients that measure fan-out (besides the writer). */
  measurers: number;
  editRate: number;
  editSeconds: number;
  joinDeadlineMs: number;
  drainDeadlineMs: number;
  settleMs: number;
  /** Which touchpoints the writer renames (editTargets); 'random' unless set. */
  targets?: EditTargets;
}

export type EditTargets = 'random' | 'distinct';

export interface RunResult {
  server: string;
  connections: number;
  run: number;
  join: { p50: number; p99: number; synced: number; failed: number; stormMs: number };
  fanout: {
    p50: number;
    p95: number;
    p99: number;
    edits: number;
    samples: number;
    lost: number;
    rate: number;
    readerFramesPerEdit: number;
    /** The worst latency of each run of 100 edits, in order: shows stalls. */
    timeline: number[];
  };
  peakRssBytes: number | null;
  /** Cores the server used on average during the run, and cores used by other processes on the machine (noise). */
  cpu: { serverCores: number; elsewhereCores: number };
  /** Everything that went wrong: refused or dropped sockets, lost edits, a failed start. */
  problems: string[];
  seconds: number;
  /** Only for a server of several processes of ours (bench:sync --processes). */
  processes?: ProcessesResult;
  /** Only for ours as one process: its event-loop delay during the edits (from /api/metrics), ms. */
  eventLoop?: { p50: number; p99: number };
}

export interface Quantiles {
  p50: number;
  p95: number;
  p99: number;
  samples: number;
}

/** Event-loop delay and store appends of one process over one phase. */
export interface PhaseMetrics {
  eventLoopP50Ms: number;
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  appendBatches: number;
  appendMeanMs: number;
  /** Updates this process received from others through Redis, and their mean lag from publish to receipt (NaN without any). */
  fanoutReceived: number;
  fanoutLagMeanMs: number;
  catchUps: number;
}

export interface ProcessResult {
  pid: number;
  /** Connections opened to this process. */
  connections: number;
  joinP99: number;
  peakRssBytes: number | null;
  /** CPU seconds this process used in the join storm, during the edits (until the last one was seen), and over the whole run. */
  cpuSeconds: { join: number; edits: number; total: number };
  join: PhaseMetrics | null;
  edits: PhaseMetrics | null;
}

export interface ProcessesResult {
  count: number;
  /** os.cpus().length of the machine. */
  cpus: number;
  /** Fan-out latency to measurers on the writer's process, and on the others (through Redis). */
  sameProcess: Quantiles & { receivers: number };
  crossProcess: Quantiles & { receivers: number };
  perProcess: ProcessResult[];
  /** Cores busy on average in each phase: every server process together, the bench process (all the clients), the rest of the machine. */
  cores: { join: CoreUse; edits: CoreUse };
}

export interface CoreUse {
  servers: number;
  bench: number;
  elsewhere: number;
  /** The busiest server process. */
  busiestProcess: number;
}

/** Above this, other work on the machine is reported with the run. */
export const ELSEWHERE_WARN_CORES = 0.25;
const WRITER_ORIGIN: EditOrigin = { userId: 'bench-writer', kind: 'local' };
const EDIT_LABEL = /^Edit (\d+)$/;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits for `condition` up to the deadline; a run past it is not an error here: the report counts what missed it. */
async function settleWithin(condition: () => boolean, timeout: number, what: string, interval = 10): Promise<void> {
  await waitFor(condition, { timeout, interval, message: what }).catch((error: unknown) => {
    if (!(error instanceof WaitTimeout)) throw error;
  });
}

/**
 * Which of the N connections are full clients: spread over the opening order,
 * the writer first of them. With several processes (connection i on process
 * i % P) each is moved to the nearest slot of its process: the writer on the
 * first process, the measurers round robin from the first process on, so that
 * there are receivers on the writer's process and on every other one.
 */
export function fullClientSlots(connections: number, fullClients: number, processes = 1): number[] {
  const slots: number[] = [];
  for (let k = 0; k < fullClients; k++) {
    const even = Math.floor(((k + 0.5) * connections) / fullClients);
    if (processes === 1) {
      slots.push(even);
      continue;
    }
    const want = k === 0 ? 0 : (k - 1) % processes;
    let slot = even - (even % processes) + want;
    if (slot >= connections) slot -= processes;
    slots.push(slot);
  }
  if (slots.some((slot, k) => slot < 0 || (k > 0 && slot <= (slots[k - 1] ?? -1)))) {
    throw new Error(`${connections} connections are too few for ${fullClients} full clients over ${processes} processes`);
  }
  return slots;
}

const NO_QUANTILES: Quantiles = { p50: NaN, p95: NaN, p99: NaN, samples: 0 };

function quantiles(values: readonly number[]): Quantiles {
  return { p50: quantile(values, 0.5), p95: quantile(values, 0.95), p99: quantile(values, 0.99), samples: values.length };
}

/** One phase of one process, from the scrapes before and after it. */
function phaseMetrics(before: MetricsSnapshot | null | undefined, after: MetricsSnapshot | null | undefined): PhaseMetrics | null {
  if (!before || !after) return null;
  const batches = after.appendBatches - before.appendBatches;
  const received = after.fanoutReceived - before.fanoutReceived;
  return {
    eventLoopP50Ms: after.eventLoopP50Ms,
    eventLoopP99Ms: after.eventLoopP99Ms,
    eventLoopMaxMs: after.eventLoopMaxMs,
    appendBatches: batches,
    appendMeanMs: batches > 0 ? ((after.appendSeconds - before.appendSeconds) / batches) * 1000 : NaN,
    fanoutReceived: received,
    fanoutLagMeanMs: received > 0 ? ((after.fanoutLagSeconds - before.fanoutLagSeconds) / received) * 1000 : NaN,
    catchUps: after.catchUps - before.catchUps,
  };
}

function coreUse(span: CpuSpan): CoreUse {
  return {
    servers: span.serverCores,
    bench: span.benchCores,
    elsewhere: span.elsewhereCores,
    busiestProcess: Math.max(0, ...span.serverSeconds.map((s) => s / span.seconds)),
  };
}

/**
 * Seeded choice of touchpoints, so that every server gets the same edits.
 * 'random' draws each edit's touchpoint anew (a touchpoint is often renamed
 * again within a fraction of a second); 'distinct' goes through a seeded
 * shuffle of all of them, so that no edit builds on one made less than
 * ids.length edits before.
 */
export function editTargets(ids: readonly string[], count: number, kind: EditTargets = 'random'): string[] {
  let state = 12345;
  const next = (): number => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
  const targets: string[] = [];
  if (kind === 'random') {
    for (let i = 0; i < count; i++) targets.push(ids[next() % ids.length] ?? ids[0] ?? 'hub');
    return targets;
  }
  const order = [...ids];
  for (let i = order.length - 1; i > 0; i--) {
    const j = next() % (i + 1);
    [order[i], order[j]] = [order[j] as string, order[i] as string];
  }
  for (let i = 0; i < count; i++) targets.push(order[i % order.length] ?? 'hub');
  return targets;
}

export async function runOnce(server: ServerUnderTest, fixture: Fixture, options: WorkloadOptions, run: number): Promise<RunResult> {
  const started = performance.now();
  const problems: string[] = [];
  const { connections } = options;
  const measurers = Math.max(1, Math.min(options.measurers, connections - 1));
  const label = `${server.name}-${connections}-${run}`;
  const running = await server.start(fixture, label);
  const cluster = running.processes ?? null;
  const processCount = cluster?.length ?? 1;
  const processOf = (index: number): number => index % processCount;
  const pids = cluster ? cluster.map((p) => p.pid) : [running.pid];
  // Ours answers /api/metrics (every process of a cluster, or the one process); the peers do not.
  const ports = cluster ? cluster.map((p) => p.port) : running.metricsPort !== undefined ? [running.metricsPort] : [];
  const scrape = (): Promise<Array<MetricsSnapshot | null>> => (ports.length > 0 ? scrapeAll(ports) : Promise.resolve([]));
  const cpuStart = cpuMark(pids);
  const all: RawReader[] = [];
  let peakRssBytes: number | null = null;
  try {
    // --- 1. join storm -------------------------------------------------------
    const slots = new Set(fullClientSlots(connections, measurers + 1, processCount));
    const full: FullClient[] = [];
    /** The process of each full client, in the order of `full`. */
    const fullProcess: number[] = [];
    const beforeJoin = await scrape();
    const stormStart = performance.now();
    for (let i = 0; i < connections; i++) {
      if (slots.has(i)) {
        const role = full.length === 0 ? 'writer' : 'reader';
        const client = new FullClient(running.url(i, role), running.wire);
        full.push(client);
        fullProcess.push(processOf(i));
        all.push(client);
      } else {
        all.push(new RawReader(running.url(i, 'reader'), running.wire));
      }
    }
    const settled = (c: RawReader) => c.syncedAt !== null || c.failure !== null;
    await settleWithin(() => all.every(settled), options.joinDeadlineMs, 'every connection to sync or fail', 5);
    const stormMs = performance.now() - stormStart;
    const joinTimes = all.filter((c) => c.syncedAt !== null).map((c) => (c.syncedAt ?? 0) - c.startedAt);
    const failed = all.filter((c) => c.syncedAt === null);
    if (failed.length > 0) {
      const reasons = new Map<string, number>();
      for (const c of failed) reasons.set(c.failure ?? 'not synced before the deadline', (reasons.get(c.failure ?? 'not synced before the deadline') ?? 0) + 1);
      problems.push(`${failed.length} of ${connections} connections never synced (${[...reasons].map(([r, n]) => `${n}× ${r}`).join('; ')})`);
    }
    const join = { p50: quantile(joinTimes, 0.5), p99: quantile(joinTimes, 0.99), synced: joinTimes.length, failed: failed.length, stormMs };
    const cpuJoined = cpuMark(pids);
    const afterJoin = await scrape();
    let beforeEdits: Array<MetricsSnapshot | null> = [];
    let cpuEditsStart = cpuJoined;
    let cpuEditsEnd = cpuJoined;
    let afterEdits: Array<MetricsSnapshot | null> = [];
    let sameProcess = { ...NO_QUANTILES, receivers: 0 };
    let crossProcess = { ...NO_QUANTILES, receivers: 0 };

    // --- 2. fan-out ------------------------------------------------------------
    const [writer, ...watchers] = full;
    const writerProcess = fullProcess[0] ?? 0;
    const watcherProcess = fullProcess.slice(1);
    let fanout: RunResult['fanout'] = { p50: NaN, p95: NaN, p99: NaN, edits: 0, samples: 0, lost: 0, rate: 0, readerFramesPerEdit: NaN, timeline: [] };
    if (writer && writer.syncedAt !== null) {
      for (const client of full) client.activate();
      const total = Math.max(1, Math.round(options.editRate * options.editSeconds));
      const sentAt = new Float64Array(total + 1);
      const liveIndexes = watchers.map((_, i) => i).filter((i) => watchers[i]?.syncedAt !== null && watchers[i]?.failure === null);
      const live = liveIndexes.map((i) => watchers[i] as FullClient);
      /** Whether each live measurer is on the writer's process. */
      const sameAsWriter = liveIndexes.map((i) => watcherProcess[i] === writerProcess);
      const seen = live.map(() => ({ max: 0, at: new Float64Array(total + 1) }));
      live.forEach((watcher, index) => {
        const record = seen[index];
        if (!record) return;
        watcher.doc.getMap('touchpoints').observeDeep((events) => {
          const now = performance.now();
          for (const event of events) {
            if (!(event.target instanceof Y.Map) || !(event as Y.YMapEvent<unknown>).keysChanged.has('label')) continue;
            const match = EDIT_LABEL.exec(String(event.target.get('label')));
            const seq = match ? Number(match[1]) : 0;
            for (let k = record.max + 1; k <= Math.min(seq, total); k++) record.at[k] = now;
            if (seq > record.max) record.max = Math.min(seq, total);
          }
        });
      });
      let current = 0;
      writer.sendLocalUpdates(() => {
        sentAt[current] = performance.now();
      });
      await sleep(options.settleMs);
      const readers = all.filter((c) => !(c instanceof FullClient) && c.syncedAt !== null);
      const readerFramesBefore = readers.reduce((sum, c) => sum + c.framesIn, 0);

      const targets = editTargets(fixture.touchpointIds, total, options.targets);
      const interval = 1000 / options.editRate;
      beforeEdits = await scrape();
      cpuEditsStart = cpuMark(pids);
      const editStart = performance.now();
      let next = 1;
      while (next <= total && writer.failure === null) {
        const due = Math.min(total, Math.floor((performance.now() - editStart) / interval) + 1);
        for (; next <= due; next++) {
          current = next;
          updateTouchpoint(writer.doc, targets[next - 1] ?? 'hub', { label: `Edit ${next}` }, WRITER_ORIGIN);
        }
        await sleep(1);
      }
      const sent = next - 1;
      const rate = (sent / (performance.now() - editStart)) * 1000;
      await settleWithin(() => seen.every((record) => record.max >= sent), options.drainDeadlineMs, 'every reader to see the last edit');
      cpuEditsEnd = cpuMark(pids);
      afterEdits = await scrape();

      const latencies: number[] = [];
      const same: number[] = [];
      const cross: number[] = [];
      const timeline: number[] = [];
      let lost = 0;
      for (const [index, record] of seen.entries()) {
        for (let k = 1; k <= sent; k++) {
          const at = record.at[k] ?? 0;
          if (at > 0) {
            const latency = at - (sentAt[k] ?? 0);
            latencies.push(latency);
            (sameAsWriter[index] ? same : cross).push(latency);
            const bucket = Math.floor((k - 1) / 100);
            timeline[bucket] = Math.max(timeline[bucket] ?? 0, latency);
          } else lost++;
        }
      }
      if (lost > 0) problems.push(`${lost} of ${sent * seen.length} (edit, client) pairs never seen within ${options.drainDeadlineMs} ms`);
      if (writer.failure) problems.push(`the writer failed: ${writer.failure}`);
      if (sent < total) problems.push(`only ${sent} of ${total} edits sent`);
      const readerFrames = readers.reduce((sum, c) => sum + c.framesIn, 0) - readerFramesBefore;
      fanout = {
        p50: quantile(latencies, 0.5),
        p95: quantile(latencies, 0.95),
        p99: quantile(latencies, 0.99),
        edits: sent,
        samples: latencies.length,
        lost,
        rate,
        readerFramesPerEdit: readers.length > 0 && sent > 0 ? readerFrames / readers.length / sent : NaN,
        timeline,
      };
      sameProcess = { ...quantiles(same), receivers: sameAsWriter.filter(Boolean).length };
      crossProcess = { ...quantiles(cross), receivers: sameAsWriter.filter((s) => !s).length };
    } else {
      problems.push('the writer never synced: no fan-out measured');
    }
    const dropped = all.filter((c) => c.syncedAt !== null && c.failure !== null);
    if (dropped.length > 0) problems.push(`${dropped.length} synced connections dropped during the run (first: ${dropped[0]?.failure})`);

    // --- 3. peak RSS, CPU ----------------------------------------------------------
    peakRssBytes = running.peakRss();
    const cpuEnd = cpuMark(pids);
    const cpu = cpuBetween(cpuStart, cpuEnd);
    let processes: ProcessesResult | null = null;
    if (cluster) {
      const joinSpan = cpuSpan(cpuStart, cpuJoined);
      const editSpan = cpuSpan(cpuEditsStart, cpuEditsEnd);
      const totalSpan = cpuSpan(cpuStart, cpuEnd);
      const onProcess = (p: number): RawReader[] => all.filter((_, i) => processOf(i) === p);
      processes = {
        count: processCount,
        cpus: os.cpus().length,
        sameProcess,
        crossProcess,
        perProcess: cluster.map((proc, p) => ({
          pid: proc.pid,
          connections: onProcess(p).length,
          joinP99: quantile(
            onProcess(p)
              .filter((c) => c.syncedAt !== null)
              .map((c) => (c.syncedAt ?? 0) - c.startedAt),
            0.99,
          ),
          peakRssBytes: proc.peakRss(),
          cpuSeconds: { join: joinSpan.serverSeconds[p] ?? NaN, edits: editSpan.serverSeconds[p] ?? NaN, total: totalSpan.serverSeconds[p] ?? NaN },
          join: phaseMetrics(beforeJoin[p], afterJoin[p]),
          edits: phaseMetrics(beforeEdits[p], afterEdits[p]),
        })),
        cores: { join: coreUse(joinSpan), edits: coreUse(editSpan) },
      };
    }
    const edits = !cluster ? phaseMetrics(beforeEdits[0], afterEdits[0]) : null;
    const loop = edits ? { p50: edits.eventLoopP50Ms, p99: edits.eventLoopP99Ms } : null;
    if (cpu.elsewhereCores > ELSEWHERE_WARN_CORES) {
      problems.push(`other processes used ${cpu.elsewhereCores.toFixed(2)} of the machine's cores during this run: its numbers are skewed`);
    }
    return {
      server: server.name,
      connections,
      run,
      join,
      fanout,
      peakRssBytes,
      cpu,
      problems,
      seconds: (performance.now() - started) / 1000,
      ...(processes ? { processes } : {}),
      ...(loop ? { eventLoop: loop } : {}),
    };
  } finally {
    for (const client of all) client.close();
    await running.stop();
  }
}
