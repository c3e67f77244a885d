/**
 * `npm run bench:sync -- --processes 1,2,4` (or BENCH_PROCESSES=1,2,4): our
 * server alone (no peers), as 1, 2, 4 … processes serving one room, issue 14
 * §5. The same workload as the comparison with the peers, at 1,000
 * connections by default, spread round robin over the processes' ports; the
 * writer on the first process and the measurers on every process, so that
 * fan-out through Redis is measured beside fan-out within a process.
 *
 * Configurations: one process on SQLite with the in-process fan-out (the
 * default deployment) and on PostgreSQL + Redis; two and more processes on
 * PostgreSQL + Redis (a fresh schema and a fresh REDIS_PREFIX per run).
 *
 * Environment, besides the workload's BENCH_* variables (run.ts):
 *   BENCH_SIZES=1000            connection counts in this mode
 *   BENCH_ENGINES=sqlite,postgres  leave one out (one process only has a choice)
 *   BENCH_DATABASE_URL          else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test
 *   BENCH_REDIS_URL             else TEST_REDIS_URL, else redis://127.0.0.1:6379
 *   BENCH_TARGETS=random        which touchpoints the writer renames: 'random' (the comparison's draw)
 *                               or 'distinct' (a seeded shuffle: none renamed twice within 2,000
 *                               edits, so that no edit builds on one still being appended)
 */
import fs from 'node:fs';
import os from 'node:os';
import { installedVersion, intList, nonNegative, positive, workloadBase } from './env';
import { buildFixture, removeFixture } from './fixture';
import { measuredRun, printRunLine } from './measured-run';
import { benchDatabaseUrl, benchRedisUrl, checkServices, describeUrl } from './pg-redis';
import { printProcessesReport } from './report-processes';
import { clusterName, configurations, ENGINES, type ClusterConfig, type ClusterEngine } from './cluster-config';
import { oursCluster } from './servers/ours-cluster';
import type { EditTargets, RunResult } from './workload';

function wantedEngines(): Set<ClusterEngine> {
  const raw = process.env.BENCH_ENGINES;
  if (!raw) return new Set(ENGINES);
  const names = raw.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !ENGINES.includes(name as ClusterEngine));
  if (unknown.length > 0) throw new Error(`BENCH_ENGINES takes ${ENGINES.join(', ')} (got ${unknown.join(', ')})`);
  return new Set(names as ClusterEngine[]);
}

function editTargetsSetting(): EditTargets {
  const raw = process.env.BENCH_TARGETS || 'random';
  if (raw !== 'distinct' && raw !== 'random') throw new Error(`BENCH_TARGETS must be distinct or random (got ${raw})`);
  return raw;
}

const loadAverage = (): string =>
  os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

/** Per-run detail under the usual line: what each process did. */
function printProcessLines(result: RunResult): void {
  const detail = result.processes;
  if (!detail) return;
  const ms = (value: number): string => (Number.isNaN(value) ? '–' : value.toFixed(1));
  if (detail.count > 1) {
    console.log(
      `      same process (${detail.sameProcess.receivers} receivers) p50 ${ms(detail.sameProcess.p50)} p95 ${ms(detail.sameProcess.p95)} p99 ${ms(detail.sameProcess.p99)} ms · ` +
        `cross process (${detail.crossProcess.receivers}) p50 ${ms(detail.crossProcess.p50)} p95 ${ms(detail.crossProcess.p95)} p99 ${ms(detail.crossProcess.p99)} ms`,
    );
  }
  const { join, edits } = detail.cores;
  console.log(
    `      cores during the join: servers ${join.servers.toFixed(2)} (busiest ${join.busiestProcess.toFixed(2)}), bench ${join.bench.toFixed(2)}, others ${join.elsewhere.toFixed(2)}; ` +
      `during the edits: servers ${edits.servers.toFixed(2)} (busiest ${edits.busiestProcess.toFixed(2)}), bench ${edits.bench.toFixed(2)}, others ${edits.elsewhere.toFixed(2)} — of ${detail.cpus}; load ${loadAverage()}`,
  );
  detail.perProcess.forEach((proc, p) => {
    const rss = proc.peakRssBytes === null ? '–' : `${Math.round(proc.peakRssBytes / 1e6)} MB`;
    console.log(
      `      process ${p + 1}: ${proc.connections} conns, join p99 ${ms(proc.joinP99)} ms, RSS ${rss}, CPU ${proc.cpuSeconds.join.toFixed(2)} s join + ${proc.cpuSeconds.edits.toFixed(2)} s edits (${proc.cpuSeconds.total.toFixed(2)} s in all), ` +
        `event loop p99/max ${ms(proc.edits?.eventLoopP99Ms ?? NaN)}/${ms(proc.edits?.eventLoopMaxMs ?? NaN)} ms during the edits, ` +
        `${proc.edits?.appendBatches ?? '–'} appends of ${ms(proc.edits?.appendMeanMs ?? NaN)} ms mean` +
        (detail.count > 1 ? `, ${proc.edits?.fanoutReceived ?? '–'} updates from Redis ${ms(proc.edits?.fanoutLagMeanMs ?? NaN)} ms after publishing, ${proc.edits?.catchUps ?? '–'} catch-ups` : ''),
    );
  });
}

export async function runProcesses(counts: readonly number[]): Promise<void> {
  const sizes = intList('BENCH_SIZES', [1000]);
  const repeat = Math.round(positive('BENCH_REPEAT', 3));
  const touchpoints = Math.round(positive('BENCH_TOUCHPOINTS', 2000));
  const quietWaitMs = nonNegative('BENCH_QUIET_WAIT', 20) * 1000;
  const base = { ...workloadBase(), targets: editTargetsSetting() };
  const configs = configurations(counts, wantedEngines());
  if (configs.length === 0) throw new Error(`no configuration to run: BENCH_ENGINES=${process.env.BENCH_ENGINES} leaves out every one for processes ${counts.join(', ')}`);
  const usesPostgres = configs.some((config) => config.engine === 'postgres');
  if (usesPostgres) await checkServices(benchDatabaseUrl(), benchRedisUrl());

  console.log(
    `bench:sync --processes ${counts.join(',')} — ${os.cpus().length} CPUs, Node ${process.version}, yjs ${installedVersion('yjs')}, ws ${installedVersion('ws')}, load average ${loadAverage()}`,
  );
  for (const config of configs) console.log(`  ${clusterName(config)}: ${oursCluster(config).description}`);
  if (usesPostgres) console.log(`  PostgreSQL ${describeUrl(benchDatabaseUrl())} (a fresh schema per run), Redis ${describeUrl(benchRedisUrl())} (a fresh prefix per run)`);
  console.log(
    `  sizes ${sizes.join(', ')}; ${repeat} run(s) each; ${touchpoints} touchpoints; 1 writer on process 1, ${base.measurers} measuring clients spread over the processes, the rest raw readers, round robin; ${base.editRate} edits/s for ${base.editSeconds} s, ${base.targets} touchpoints`,
  );

  const started = Date.now();
  const fixture = await buildFixture(touchpoints, Math.max(...sizes));
  process.on('exit', () => removeFixture(fixture));
  console.log(`  room ${fixture.mapId} (SQLite; each PostgreSQL run fills its own schema alike): ${(fixture.stateBytes / 1024).toFixed(0)} KiB of Yjs state\n`);
  const results: RunResult[] = [];
  const totalRuns = sizes.length * repeat * configs.length;
  try {
    for (const connections of sizes) {
      for (let run = 1; run <= repeat; run++) {
        // A different configuration goes first in each round, as in the comparison with the peers.
        const order = configs.map((_, i) => configs[(i + run - 1) % configs.length]).filter((c): c is ClusterConfig => c !== undefined);
        for (const config of order) {
          const result = await measuredRun(oursCluster(config), fixture, { ...base, connections }, run, quietWaitMs);
          results.push(result);
          printRunLine(result, `[${results.length}/${totalRuns}]`);
          printProcessLines(result);
        }
      }
    }
  } finally {
    removeFixture(fixture);
  }

  if (process.env.BENCH_JSON) {
    fs.writeFileSync(process.env.BENCH_JSON, JSON.stringify({ mode: 'processes', counts, configs, sizes, repeat, touchpoints, cpus: os.cpus().length, options: base, results }, null, 2));
    console.log(`\nevery run written to ${process.env.BENCH_JSON}`);
  }
  printProcessesReport(results, { sizes, configs, repeat, cpus: os.cpus().length });
  console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s, load average at the end ${loadAverage()}`);
}
