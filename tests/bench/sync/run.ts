/**
 * `npm run bench:sync`: our collaboration server against the two servers a
 * user would pick instead (the reference @y/websocket-server and Hocuspocus),
 * one at a time, each in a fresh process per run, on a room holding a
 * 2,000-touchpoint map, at 10, 50, 200, 500 and 1,000 connections. Prints, per size,
 * join-storm time-to-synced p50/p99, edit fan-out latency p50/p95/p99 at 200
 * edits/s and each server's peak RSS (medians of the repeated runs), the ratio
 * of ours to the best peer, and the targets. Informational: no timing is
 * asserted anywhere.
 *
 * Environment (all optional):
 *   BENCH_SIZES=10,50,200,500,1000  connection counts
 *   BENCH_REPEAT=3              runs per (server, size); the table shows medians
 *   BENCH_SERVERS=journeyhub,y-websocket-server,hocuspocus
 *                               (add bare-relay for a floor of this machine: not a peer)
 *   BENCH_TIMELINE=1            print each run's worst fan-out latency per 100 edits
 *   BENCH_TOUCHPOINTS=2000      touchpoints in the room
 *   BENCH_MEASURERS=5           full Yjs clients that measure fan-out (plus one writer)
 *   BENCH_EDIT_RATE=200         edits per second
 *   BENCH_EDIT_SECONDS=5        how long the writer edits
 *   BENCH_JSON=path             also write every run's numbers there
 *   BENCH_QUIET_WAIT=20         seconds to wait before a run for other processes to leave the CPUs
 *                               (a run that still shares the machine is flagged in the report)
 *   BENCH_CPU_PROF=dir          write a V8 CPU profile of each run of our server into dir
 *   BENCH_NODE_FLAGS='--trace-gc'  more Node flags for our server
 *   BENCH_SERVER_LOG=path       append every server's whole output there
 *   BENCH_SERVER_ENV='COLLAB_SLOW_SEND_MS=0 LOG_LEVEL=info'  more environment for our server
 *   BENCH_WEB=on                our server with the web app too (WEB=off otherwise; npm run build first)
 *
 * The bench process holds every client; the server runs in its own process.
 *
 * `npm run bench:sync -- --processes 1,2,4` (or BENCH_PROCESSES) is the other
 * mode: ours alone as several processes on PostgreSQL + Redis (processes.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import { buildServer } from '../../support/built-server';
import { installedVersion, intList, nonNegative, positive, processCounts, workloadBase } from './env';
import { buildFixture, removeFixture, type Fixture } from './fixture';
import { bareRelay, hocuspocus, reference } from './servers/peers';
import { ours } from './servers/ours';
import type { ServerUnderTest } from './servers/types';
import { runProcesses } from './processes';
import { printReport } from './report';
import { measuredRun, printRunLine } from './measured-run';
import type { RunResult, WorkloadOptions } from './workload';

async function main(): Promise<void> {
  // Ours runs as `npm start` runs it: the compiled server, built from the sources as they are now.
  buildServer();
  const counts = processCounts();
  if (counts) return runProcesses(counts);
  const sizes = intList('BENCH_SIZES', [10, 50, 200, 500, 1000]);
  const repeat = Math.round(positive('BENCH_REPEAT', 3));
  const touchpoints = Math.round(positive('BENCH_TOUCHPOINTS', 2000));
  const all = [ours, reference, hocuspocus, bareRelay];
  const wanted = process.env.BENCH_SERVERS?.split(',').map((s) => s.trim()).filter(Boolean);
  const servers: ServerUnderTest[] = wanted ? all.filter((s) => wanted.includes(s.name)) : all.filter((s) => s !== bareRelay);
  if (servers.length === 0) throw new Error(`BENCH_SERVERS names none of ${all.map((s) => s.name).join(', ')}`);
  const base = workloadBase();

  const versions = {
    '@y/websocket-server': installedVersion('@y/websocket-server'),
    '@hocuspocus/server': installedVersion('@hocuspocus/server'),
    yjs: installedVersion('yjs'),
    ws: installedVersion('ws'),
  };
  console.log(`bench:sync — ${os.cpus().length} CPUs, Node ${process.version}, ${Object.entries(versions).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  for (const server of servers) console.log(`  ${server.name}: ${server.description}`);
  console.log(
    `  sizes ${sizes.join(', ')}; ${repeat} run(s) each; ${touchpoints} touchpoints; ${base.measurers} measuring clients + 1 writer, the rest raw readers; ${base.editRate} edits/s for ${base.editSeconds} s`,
  );

  const quietWaitMs = nonNegative('BENCH_QUIET_WAIT', 20) * 1000;
  const started = Date.now();
  const fixture: Fixture = await buildFixture(touchpoints, Math.max(...sizes));
  // Also when the bench is interrupted (servers/process.ts exits on SIGINT/SIGTERM).
  process.on('exit', () => removeFixture(fixture));
  console.log(`  room ${fixture.mapId}: ${(fixture.stateBytes / 1024).toFixed(0)} KiB of Yjs state\n`);
  const results: RunResult[] = [];
  try {
    const totalRuns = sizes.length * repeat * servers.length;
    for (const connections of sizes) {
      const options: WorkloadOptions = { ...base, connections };
      for (let run = 1; run <= repeat; run++) {
        // A different server goes first in each round, so that none always runs on a "cold" or "warm" machine.
        const order = servers.map((_, i) => servers[(i + run - 1) % servers.length]).filter((s): s is ServerUnderTest => s !== undefined);
        for (const server of order) {
          const result = await measuredRun(server, fixture, options, run, quietWaitMs);
          results.push(result);
          printRunLine(result, `[${results.length}/${totalRuns}]`);
        }
      }
    }
  } finally {
    removeFixture(fixture);
  }

  if (process.env.BENCH_JSON) {
    fs.writeFileSync(process.env.BENCH_JSON, JSON.stringify({ versions, sizes, repeat, touchpoints, options: base, results }, null, 2));
    console.log(`\nevery run written to ${process.env.BENCH_JSON}`);
  }
  printReport(results, { sizes, servers: servers.map((s) => s.name), ours: ours.name, peers: [reference.name, hocuspocus.name], repeat });
  console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
