/**
 * The table of bench:sync --processes: per size and configuration (medians of
 * the repeated runs) join p50/p99, fan-out p50/p95/p99 overall and, for
 * several processes, to receivers on the writer's process and on the others;
 * peak RSS per process and summed; the servers' CPU time; the ratio to one
 * process of the same engine. Then one line per configuration saying what
 * limits it, worked out from what was measured.
 */
import { median } from '../stats';
import { clusterName, ENGINE_TITLE, type ClusterConfig } from './cluster-config';
import type { PhaseMetrics, RunResult } from './workload';

/** A configuration's medians at one size. */
export interface Summary {
  config: ClusterConfig;
  connections: number;
  runs: number;
  failedRuns: number;
  /** Runs in which some edit never reached some measurer before the drain deadline: left out of the fan-out medians (their tail is unknown). */
  incompleteRuns: number;
  joinP50: number;
  joinP99: number;
  fan: { p50: number; p95: number; p99: number };
  same: { p50: number; p95: number; p99: number };
  cross: { p50: number; p95: number; p99: number };
  /** MB, the median of each process's peak. */
  rssPerProcess: number[];
  /** MB, the median over runs of the sum of the processes' peaks (peaks need not coincide: an upper bound of the whole). */
  rssSum: number;
  /** CPU seconds of all server processes together. */
  cpuSeconds: { join: number; edits: number };
  /** Cores busy on average during the edits (servers, the busiest process, the bench's clients, the rest of the machine). */
  editCores: { servers: number; busiest: number; bench: number; elsewhere: number };
  joinCores: { servers: number; busiest: number; bench: number; elsewhere: number };
  /** During the edits: the worst process's event-loop delay, and the store's mean append time over all processes. */
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  appendMeanMs: number;
  /** During the edits, over the processes that received through Redis: mean lag from publish to receipt, and catch-ups from the store. */
  redisLagMeanMs: number;
  catchUps: number;
  /** The writer's process's share of the servers' CPU time during the edits (it alone appends to the store). */
  writerProcessShare: number;
  cpus: number;
}

const nan = Number.NaN;

function weightedRedisLagMs(phases: Array<PhaseMetrics | null>): number {
  let received = 0;
  let ms = 0;
  for (const phase of phases) {
    if (!phase || !(phase.fanoutReceived > 0)) continue;
    received += phase.fanoutReceived;
    ms += phase.fanoutLagMeanMs * phase.fanoutReceived;
  }
  return received > 0 ? ms / received : nan;
}

function weightedAppendMs(phases: Array<PhaseMetrics | null>): number {
  let batches = 0;
  let ms = 0;
  for (const phase of phases) {
    if (!phase || !(phase.appendBatches > 0)) continue;
    batches += phase.appendBatches;
    ms += phase.appendMeanMs * phase.appendBatches;
  }
  return batches > 0 ? ms / batches : nan;
}

export function summarize(results: readonly RunResult[], config: ClusterConfig, connections: number, cpus: number): Summary {
  const runs = results.filter((r) => r.server === clusterName(config) && r.connections === connections);
  const ok = runs.filter((r) => r.processes !== undefined);
  const complete = ok.filter((r) => r.fanout.lost === 0 && r.fanout.samples > 0);
  const med = (pick: (r: RunResult) => number): number => median(runs.map(pick));
  const medOk = (pick: (r: Required<RunResult>['processes']) => number): number => median(ok.map((r) => (r.processes ? pick(r.processes) : nan)));
  const medComplete = (pick: (r: RunResult) => number): number => median(complete.map(pick));
  const sumOf = (values: Array<number | null>): number => (values.some((v) => v === null) ? nan : values.reduce<number>((s, v) => s + (v ?? 0), 0));
  return {
    config,
    connections,
    runs: runs.length,
    failedRuns: runs.length - ok.length,
    incompleteRuns: ok.length - complete.length,
    joinP50: med((r) => r.join.p50),
    joinP99: med((r) => r.join.p99),
    fan: { p50: medComplete((r) => r.fanout.p50), p95: medComplete((r) => r.fanout.p95), p99: medComplete((r) => r.fanout.p99) },
    same: {
      p50: medComplete((r) => r.processes?.sameProcess.p50 ?? nan),
      p95: medComplete((r) => r.processes?.sameProcess.p95 ?? nan),
      p99: medComplete((r) => r.processes?.sameProcess.p99 ?? nan),
    },
    cross: {
      p50: medComplete((r) => r.processes?.crossProcess.p50 ?? nan),
      p95: medComplete((r) => r.processes?.crossProcess.p95 ?? nan),
      p99: medComplete((r) => r.processes?.crossProcess.p99 ?? nan),
    },
    rssPerProcess: Array.from({ length: config.processes }, (_, i) => medOk((p) => (p.perProcess[i]?.peakRssBytes ?? nan) / 1e6)),
    rssSum: medOk((p) => sumOf(p.perProcess.map((proc) => proc.peakRssBytes)) / 1e6),
    cpuSeconds: {
      join: medOk((p) => p.perProcess.reduce((s, proc) => s + proc.cpuSeconds.join, 0)),
      edits: medOk((p) => p.perProcess.reduce((s, proc) => s + proc.cpuSeconds.edits, 0)),
    },
    editCores: {
      servers: medOk((p) => p.cores.edits.servers),
      busiest: medOk((p) => p.cores.edits.busiestProcess),
      bench: medOk((p) => p.cores.edits.bench),
      elsewhere: medOk((p) => p.cores.edits.elsewhere),
    },
    joinCores: {
      servers: medOk((p) => p.cores.join.servers),
      busiest: medOk((p) => p.cores.join.busiestProcess),
      bench: medOk((p) => p.cores.join.bench),
      elsewhere: medOk((p) => p.cores.join.elsewhere),
    },
    eventLoopP99Ms: medOk((p) => Math.max(...p.perProcess.map((proc) => proc.edits?.eventLoopP99Ms ?? nan))),
    eventLoopMaxMs: medOk((p) => Math.max(...p.perProcess.map((proc) => proc.edits?.eventLoopMaxMs ?? nan))),
    appendMeanMs: medOk((p) => weightedAppendMs(p.perProcess.map((proc) => proc.edits))),
    redisLagMeanMs: medOk((p) => weightedRedisLagMs(p.perProcess.map((proc) => proc.edits))),
    catchUps: medOk((p) => p.perProcess.reduce((s, proc) => s + (proc.edits?.catchUps ?? 0), 0)),
    writerProcessShare: medOk((p) => (p.perProcess[0]?.cpuSeconds.edits ?? nan) / p.perProcess.reduce((s, proc) => s + proc.cpuSeconds.edits, 0)),
    cpus,
  };
}

const ms = (value: number): string => (Number.isNaN(value) ? '–' : value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1));
const mb = (value: number): string => (Number.isNaN(value) ? '–' : `${Math.round(value)}`);
const ratio = (value: number, base: number): string => {
  const r = value / base;
  return Number.isFinite(r) ? `${r.toFixed(2)}×` : '–';
};
const cores = (value: number): string => (Number.isNaN(value) ? '–' : value.toFixed(2));
const triple = (q: { p50: number; p95: number; p99: number }): string => `${ms(q.p50)} / ${ms(q.p95)} / ${ms(q.p99)}`;
/** Marks fan-out medians taken over fewer runs than the row's: the others lost edits (footnote). */
const partial = (s: Summary): string => (s.incompleteRuns > 0 ? ` (${s.runs - s.failedRuns - s.incompleteRuns} of ${s.runs} runs)*` : '');

/**
 * What limits a configuration, from its own figures: a machine out of cores
 * first (the servers, the bench's clients and everything else share them),
 * then one event loop out of its one core, then the hop between processes;
 * with the event-loop delay and the append time as evidence.
 */
export function limitLine(s: Summary): string {
  const c = s.editCores;
  if (Number.isNaN(c.servers)) return 'not measured (every run failed)';
  const busy = c.servers + c.bench + c.elsewhere;
  const writerShare =
    s.config.processes > 1
      ? `, the writer's process ${Math.round(s.writerProcessShare * 100)} % of the servers' CPU time, Redis lag ${ms(s.redisLagMeanMs)} ms mean, ${Math.round(s.catchUps)} catch-ups`
      : '';
  const evidence =
    `event-loop delay p99 ${ms(s.eventLoopP99Ms)} ms (max ${ms(s.eventLoopMaxMs)} ms) on the worst process, ` +
    `store append ${ms(s.appendMeanMs)} ms mean${writerShare}; join storm: servers ${cores(s.joinCores.servers)} cores, bench ${cores(s.joinCores.bench)}, others ${cores(s.joinCores.elsewhere)}`;
  const shared = s.config.processes > s.cpus ? `; ${s.config.processes} processes share ${s.cpus} cores` : '';
  const split = `servers ${cores(c.servers)} cores (busiest process ${cores(c.busiest)}), the bench's clients ${cores(c.bench)}, others ${cores(c.elsewhere)}`;
  let head: string;
  if (busy >= 0.85 * s.cpus) {
    head = `CPU: the machine's ${s.cpus} cores were ${Math.min(100, Math.round((busy / s.cpus) * 100))} % busy during the edits (${split})${shared}`;
    if (c.elsewhere > c.servers + c.bench) head += ' — most of it other work on the machine: these figures are the shared machine\'s more than the server\'s';
  } else if (c.busiest >= 0.85) {
    head = `one event loop: the busiest process used ${cores(c.busiest)} of its one core during the edits (${split})`;
  } else if (s.config.processes > 1 && s.cross.p99 > 1.5 * s.same.p99 && s.cross.p99 - s.same.p99 > 5) {
    head = `the hop between processes (append, Redis, the other process's send): cross-process p99 ${ms(s.cross.p99)} ms against ${ms(s.same.p99)} ms on the writer's process (${split})`;
  } else {
    head = `no core saturated (${split}, ${Math.round((busy / s.cpus) * 100)} % of ${s.cpus} cores)${shared}: the latency is the pipeline's own`;
  }
  if (c.bench >= 0.85) head += `; the bench process itself was near one full core, so its clients' queue is in the latencies too`;
  return `${head}; ${evidence}`;
}

export function printProcessesReport(
  results: readonly RunResult[],
  context: { sizes: readonly number[]; configs: readonly ClusterConfig[]; repeat: number; cpus: number },
): void {
  const { sizes, configs, repeat, cpus } = context;
  const lines: string[] = [
    `| processes | store · fan-out | conns | join p50 / p99 | fan-out p50 / p95 / p99 | same process p50 / p95 / p99 | cross process p50 / p95 / p99 | peak RSS per process (MB) | RSS Σ (MB) | server CPU s (join · edits) | ÷ 1 process: join p99 · fan-out p99 · RSS Σ |`,
    `| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`,
  ];
  const limits: string[] = [];
  const engineNotes: string[] = [];
  for (const connections of sizes) {
    const summaries = configs.map((config) => summarize(results, config, connections, cpus));
    const baseOf = (s: Summary): Summary | undefined => summaries.find((b) => b.config.processes === 1 && b.config.engine === s.config.engine);
    for (const s of summaries) {
      const base = baseOf(s);
      const vsOne = base && base !== s ? `${ratio(s.joinP99, base.joinP99)} · ${ratio(s.fan.p99, base.fan.p99)} · ${ratio(s.rssSum, base.rssSum)}` : s.config.processes === 1 ? '1 process' : '–';
      const several = s.config.processes > 1;
      lines.push(
        `| ${s.config.processes} | ${ENGINE_TITLE[s.config.engine]} | ${connections} | ${ms(s.joinP50)} / ${ms(s.joinP99)} | ${triple(s.fan)}${partial(s)} | ` +
          `${several ? triple(s.same) : '(all)'} | ${several ? triple(s.cross) : '–'} | ${s.rssPerProcess.map(mb).join(' · ')} | ${mb(s.rssSum)} | ` +
          `${cores(s.cpuSeconds.join)} · ${cores(s.cpuSeconds.edits)} | ${vsOne} |`,
      );
      const failed = s.failedRuns > 0 ? ` (${s.failedRuns} of ${s.runs} runs failed)` : '';
      limits.push(`- ${s.config.processes} × ${ENGINE_TITLE[s.config.engine]}, ${connections} conns${failed}: ${limitLine(s)}`);
    }
    const sqlite = summaries.find((s) => s.config.processes === 1 && s.config.engine === 'sqlite');
    const postgres = summaries.find((s) => s.config.processes === 1 && s.config.engine === 'postgres');
    if (sqlite && postgres) {
      engineNotes.push(
        `- ${connections} conns, one process, PostgreSQL + Redis ÷ SQLite: join p99 ${ratio(postgres.joinP99, sqlite.joinP99)}, fan-out p99 ${ratio(postgres.fan.p99, sqlite.fan.p99)}, RSS ${ratio(postgres.rssSum, sqlite.rssSum)}`,
      );
    }
  }

  console.log(`\n=== several processes: medians of ${repeat} run(s); ms; ${cpus} CPUs ===\n`);
  console.log(lines.join('\n'));
  if (results.some((r) => r.processes && (r.fanout.lost > 0 || r.fanout.samples === 0))) {
    console.log('\n\\* fan-out medians over the runs in which every measurer saw every edit; in the others some edit had not arrived by the drain deadline, so their tail is unknown (see problems)');
  }
  if (engineNotes.length > 0) console.log(`\n${engineNotes.join('\n')}`);
  console.log(`\nwhat limits it (during the edits):\n${limits.join('\n')}`);
  const problems = results.filter((r) => r.problems.length > 0);
  if (problems.length > 0) {
    console.log('\nproblems:');
    for (const r of problems) console.log(`  ! ${r.server} ${r.connections} conns run ${r.run}: ${r.problems.join('; ')}`);
  }
}
