/**
 * One run as both modes of bench:sync make it: a full GC, the disk's dirty
 * pages written out, a wait for the machine to quieten, then the workload; a run that throws becomes a result
 * that says why (the table shows dashes), never the end of the bench.
 */
import { execFileSync } from 'node:child_process';
import { waitForQuiet } from './cpu';
import { collectGarbage, fmtMs } from './env';
import type { Fixture } from './fixture';
import type { ServerUnderTest } from './servers/types';
import { ELSEWHERE_WARN_CORES, runOnce, type RunResult, type WorkloadOptions } from './workload';

export async function measuredRun(server: ServerUnderTest, fixture: Fixture, options: WorkloadOptions, run: number, quietWaitMs: number): Promise<RunResult> {
  collectGarbage();
  // The last run's files (a server that stores, the fixture) would otherwise be written back by the
  // kernel during this one, and a server that fsyncs every edit would wait behind them.
  execFileSync('sync');
  const quiet = await waitForQuiet(ELSEWHERE_WARN_CORES, quietWaitMs);
  if (quiet.busy >= ELSEWHERE_WARN_CORES) {
    console.log(`      (other processes use ${quiet.busy.toFixed(2)} cores; waited ${(quiet.waitedMs / 1000).toFixed(0)} s, running anyway)`);
  }
  try {
    return await runOnce(server, fixture, options, run);
  } catch (error) {
    const { connections } = options;
    return {
      server: server.name,
      connections,
      run,
      join: { p50: NaN, p99: NaN, synced: 0, failed: connections, stormMs: NaN },
      fanout: { p50: NaN, p95: NaN, p99: NaN, edits: 0, samples: 0, lost: 0, rate: 0, readerFramesPerEdit: NaN, timeline: [] },
      peakRssBytes: null,
      cpu: { serverCores: NaN, elsewhereCores: NaN },
      problems: [`run failed: ${error instanceof Error ? error.message : String(error)}`],
      seconds: 0,
    };
  }
}

/** The line printed as each run ends, then its problems. */
export function printRunLine(result: RunResult, progress: string): void {
  const rss = result.peakRssBytes === null ? '–' : `${Math.round(result.peakRssBytes / 1e6)} MB`;
  console.log(
    `${progress} ${result.server.padEnd(18)} ${String(result.connections).padStart(3)} conns #${result.run}: ` +
      `join p50 ${fmtMs(result.join.p50)} p99 ${fmtMs(result.join.p99)} ms (storm ${fmtMs(result.join.stormMs)} ms) · ` +
      `fan-out p50 ${fmtMs(result.fanout.p50)} p95 ${fmtMs(result.fanout.p95)} p99 ${fmtMs(result.fanout.p99)} ms ` +
      `(${result.fanout.edits} edits at ${result.fanout.rate.toFixed(0)}/s, ${result.fanout.readerFramesPerEdit.toFixed(2)} frames/edit) · ` +
      `RSS ${rss} · server ${result.cpu.serverCores.toFixed(2)} cores, elsewhere ${result.cpu.elsewhereCores.toFixed(2)} · ${result.seconds.toFixed(1)} s`,
  );
  for (const problem of result.problems) console.log(`      ! ${problem}`);
  if (process.env.BENCH_TIMELINE) console.log(`      worst latency per 100 edits (ms): ${result.fanout.timeline.map((ms) => Math.round(ms)).join(' ')}`);
}
