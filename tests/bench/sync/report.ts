/**
 * The tables: per size, one row per server (medians of the repeated runs),
 * then ours ÷ the best peer for each metric; a markdown version of the same;
 * then the targets, met or not.
 */
import type { RunResult } from './workload';
import { median } from '../stats';

interface Metric {
  key: string;
  title: string;
  unit: 'ms' | 'MB';
  pick: (r: RunResult) => number;
  /** Only our server reports it (from its /api/metrics): no ratio to the peers. */
  oursOnly?: boolean;
}

const METRICS: readonly Metric[] = [
  { key: 'joinP50', title: 'join p50', unit: 'ms', pick: (r) => r.join.p50 },
  { key: 'joinP99', title: 'join p99', unit: 'ms', pick: (r) => r.join.p99 },
  { key: 'fanP50', title: 'fan-out p50', unit: 'ms', pick: (r) => r.fanout.p50 },
  { key: 'fanP95', title: 'fan-out p95', unit: 'ms', pick: (r) => r.fanout.p95 },
  { key: 'fanP99', title: 'fan-out p99', unit: 'ms', pick: (r) => r.fanout.p99 },
  { key: 'rss', title: 'peak RSS', unit: 'MB', pick: (r) => (r.peakRssBytes === null ? NaN : r.peakRssBytes / 1e6) },
  { key: 'loopP50', title: 'event loop p50', unit: 'ms', pick: (r) => r.eventLoop?.p50 ?? NaN, oursOnly: true },
  { key: 'loopP99', title: 'event loop p99', unit: 'ms', pick: (r) => r.eventLoop?.p99 ?? NaN, oursOnly: true },
];

const HOCUSPOCUS = 'hocuspocus';

/** At 500 connections (issue 15's targets: the process under 150 MB with WEB=off, the whole app under 200 MB). */
const TARGETS = { connections: 500, joinP99Ms: 2000, fanP99Ms: 40, rssMb: process.env.BENCH_WEB === 'on' ? 200 : 150 };

function format(value: number, unit: Metric['unit']): string {
  if (Number.isNaN(value)) return '–';
  if (unit === 'MB') return `${Math.round(value)} MB`;
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (value >= 100) return `${Math.round(value)} ms`;
  return `${value.toFixed(1)} ms`;
}

const formatRatio = (ratio: number): string => (Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '–');

function pad(cells: string[], widths: number[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
}

export function printReport(
  results: RunResult[],
  context: { sizes: number[]; servers: string[]; ours: string; peers: string[]; repeat: number },
): void {
  const { sizes, servers, ours, repeat } = context;
  const peers = context.peers.filter((s) => servers.includes(s));
  const value = (server: string, connections: number, metric: Metric): number =>
    median(results.filter((r) => r.server === server && r.connections === connections).map(metric.pick));

  const markdown: string[] = [
    `| conns | server | ${METRICS.map((m) => m.title).join(' | ')} |`,
    `| ---: | --- | ${METRICS.map(() => '---:').join(' | ')} |`,
  ];
  const behind: string[] = [];

  console.log(`\n=== results: medians of ${repeat} run(s) per server and size ===`);
  for (const connections of sizes) {
    const header = ['server', ...METRICS.map((m) => m.title)];
    const rows: string[][] = servers.map((server) => [server, ...METRICS.map((m) => format(value(server, connections, m), m.unit))]);
    let ratioRow: string[] | null = null;
    if (servers.includes(ours) && peers.length > 0) {
      ratioRow = [`${ours} ÷ best peer`];
      for (const metric of METRICS) {
        if (metric.oursOnly) {
          ratioRow.push('');
          continue;
        }
        let best = NaN;
        let bestName = '';
        for (const peer of peers) {
          const v = value(peer, connections, metric);
          if (!Number.isNaN(v) && (Number.isNaN(best) || v < best)) {
            best = v;
            bestName = peer;
          }
        }
        const ratio = value(ours, connections, metric) / best;
        ratioRow.push(Number.isFinite(ratio) ? `${formatRatio(ratio)} (${shortName(bestName)})` : '–');
        if (Number.isFinite(ratio) && ratio > 1) behind.push(`${connections} conns ${metric.title}: ${formatRatio(ratio)} of ${bestName}`);
        if (!Number.isFinite(ratio)) behind.push(`${connections} conns ${metric.title}: no comparison (a run failed)`);
      }
    }
    const table = ratioRow ? [header, ...rows, ratioRow] : [header, ...rows];
    const widths = header.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length)));
    console.log(`\n${connections} connections`);
    console.log(pad(header, widths));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const row of rows) console.log(pad(row, widths));
    if (ratioRow) console.log(pad(ratioRow, widths));
    for (const row of rows) markdown.push(`| ${connections} | ${row.join(' | ')} |`);
    if (ratioRow) markdown.push(`| ${connections} | *${ratioRow[0]}* | ${ratioRow.slice(1).join(' | ')} |`);

    const problems = results.filter((r) => r.connections === connections && r.problems.length > 0);
    for (const r of problems) console.log(`  ! ${r.server} run ${r.run}: ${r.problems.join('; ')}`);
  }

  console.log('\nmarkdown:\n');
  console.log(markdown.join('\n'));

  console.log('\n=== targets ===');
  if (servers.includes(ours) && peers.length > 0) {
    const line = behind.length === 0 ? 'met' : `NOT met — behind on ${behind.length}: ${behind.join('; ')}`;
    console.log(`never behind the best peer at any size (medians): ${line}`);
  }
  if (servers.includes(ours) && peers.includes(HOCUSPOCUS)) {
    // Issue 15: the fan-out tail no worse than Hocuspocus' at every size.
    const tail = METRICS.filter((m) => m.key === 'fanP95' || m.key === 'fanP99');
    const worse: string[] = [];
    for (const connections of sizes) {
      for (const metric of tail) {
        const ratio = value(ours, connections, metric) / value(HOCUSPOCUS, connections, metric);
        if (!(ratio <= 1)) worse.push(`${connections} conns ${metric.title} ${formatRatio(ratio)}`);
      }
    }
    console.log(`fan-out p95 and p99 no worse than ${HOCUSPOCUS}'s at every size: ${worse.length === 0 ? 'met' : `NOT met — ${worse.join('; ')}`}`);
  }
  if (servers.includes(ours) && sizes.includes(TARGETS.connections)) {
    const at = (key: string) => value(ours, TARGETS.connections, METRICS.find((m) => m.key === key) as Metric);
    const check = (label: string, v: number, limit: number, unit: Metric['unit']) =>
      console.log(`${TARGETS.connections} conns ${label} < ${format(limit, unit)}: ${format(v, unit)} — ${v < limit ? 'met' : 'NOT met'}`);
    check('join p99', at('joinP99'), TARGETS.joinP99Ms, 'ms');
    check('fan-out p99', at('fanP99'), TARGETS.fanP99Ms, 'ms');
    check('peak RSS', at('rss'), TARGETS.rssMb, 'MB');
  } else {
    console.log(`(the absolute targets are at ${TARGETS.connections} connections with ${ours}: not in this run)`);
  }
}

function shortName(server: string): string {
  return server === 'y-websocket-server' ? 'y-ws' : server;
}
