/**
 * `npm run bench:sync`: our collaboration server against the two servers a
 * user would pick instead (the reference @y/websocket-server and Hocuspocus),
 * one at a time, each in a fresh process per run, on a room holding a
 * 2,000-touchpoint map, at 10, 50, 200 and 500 connections. Prints, per size,
 * join-storm time-to-synced p50/p99, edit fan-out latency p50/p95/p99 at 200
 * edits/s and each server's peak RSS (medians of the repeated runs), the ratio
 * of ours to the best peer, and the targets. Informational: no timing is
 * asserted anywhere.
 *
 * Environment (all optional):
 *   BENCH_SIZES=10,50,200,500   connection counts
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
 *
 * The bench process holds every client; the server runs in its own process.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { buildFixture, removeFixture, type Fixture } from './fixture';
import { bareRelay, hocuspocus, reference } from './servers/peers';
import { ours } from './servers/ours';
import type { ServerUnderTest } from './servers/types';
import { printReport } from './report';
import { waitForQuiet } from './cpu';
import { ELSEWHERE_WARN_CORES, runOnce, type RunResult, type WorkloadOptions } from './workload';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function intList(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (!raw) return fallback;
  const values = raw.split(',').map((part) => Number(part.trim()));
  if (values.some((value) => !Number.isInteger(value) || value < 2)) throw new Error(`${name} must be whole numbers of at least 2, comma-separated (got ${raw})`);
  return values;
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number (got ${raw})`);
  return value;
}

function nonNegative(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be 0 or more (got ${raw})`);
  return value;
}

function installedVersion(pkg: string): string {
  try {
    const json = JSON.parse(fs.readFileSync(path.join(projectRoot, 'node_modules', pkg, 'package.json'), 'utf8')) as { version?: string };
    return json.version ?? '?';
  } catch {
    return 'not installed';
  }
}

/** A full GC between runs, so that one run's garbage (hundreds of MB of received frames) is not collected during the next. */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as (() => void) | undefined;
  gc?.();
}

const fmtMs = (ms: number): string => (Number.isNaN(ms) ? '–' : ms >= 100 ? `${Math.round(ms)}` : ms.toFixed(1));

async function main(): Promise<void> {
  const sizes = intList('BENCH_SIZES', [10, 50, 200, 500]);
  const repeat = Math.round(positive('BENCH_REPEAT', 3));
  const touchpoints = Math.round(positive('BENCH_TOUCHPOINTS', 2000));
  const all = [ours, reference, hocuspocus, bareRelay];
  const wanted = process.env.BENCH_SERVERS?.split(',').map((s) => s.trim()).filter(Boolean);
  const servers: ServerUnderTest[] = wanted ? all.filter((s) => wanted.includes(s.name)) : all.filter((s) => s !== bareRelay);
  if (servers.length === 0) throw new Error(`BENCH_SERVERS names none of ${all.map((s) => s.name).join(', ')}`);
  const base = {
    measurers: Math.round(positive('BENCH_MEASURERS', 5)),
    editRate: positive('BENCH_EDIT_RATE', 200),
    editSeconds: positive('BENCH_EDIT_SECONDS', 5),
    joinDeadlineMs: 60_000,
    drainDeadlineMs: 15_000,
    settleMs: 1_000,
  };

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
          let result: RunResult;
          collectGarbage();
          const quiet = await waitForQuiet(ELSEWHERE_WARN_CORES, quietWaitMs);
          if (quiet.busy >= ELSEWHERE_WARN_CORES) {
            console.log(`      (other processes use ${quiet.busy.toFixed(2)} cores; waited ${(quiet.waitedMs / 1000).toFixed(0)} s, running anyway)`);
          }
          try {
            result = await runOnce(server, fixture, options, run);
          } catch (error) {
            result = {
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
          results.push(result);
          const rss = result.peakRssBytes === null ? '–' : `${Math.round(result.peakRssBytes / 1e6)} MB`;
          console.log(
            `[${results.length}/${totalRuns}] ${server.name.padEnd(18)} ${String(connections).padStart(3)} conns #${run}: ` +
              `join p50 ${fmtMs(result.join.p50)} p99 ${fmtMs(result.join.p99)} ms (storm ${fmtMs(result.join.stormMs)} ms) · ` +
              `fan-out p50 ${fmtMs(result.fanout.p50)} p95 ${fmtMs(result.fanout.p95)} p99 ${fmtMs(result.fanout.p99)} ms ` +
              `(${result.fanout.edits} edits at ${result.fanout.rate.toFixed(0)}/s, ${result.fanout.readerFramesPerEdit.toFixed(2)} frames/edit) · ` +
              `RSS ${rss} · server ${result.cpu.serverCores.toFixed(2)} cores, elsewhere ${result.cpu.elsewhereCores.toFixed(2)} · ${result.seconds.toFixed(1)} s`,
          );
          for (const problem of result.problems) console.log(`      ! ${problem}`);
          if (process.env.BENCH_TIMELINE) console.log(`      worst latency per 100 edits (ms): ${result.fanout.timeline.map((ms) => Math.round(ms)).join(' ')}`);
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
