/**
 * Measured data at the size of a large contact center: `npm run bench:metrics`.
 * 5,000 touchpoints × 24 months (120,000 rows): annotateMap with those rows
 * and actionOutcomes for 500 done actions, beside annotateMap without them;
 * then the same 120,000 rows pushed through PUT /api/maps/:id/metrics (metrics-push.ts).
 * Prints medians and p95; informational, nothing here fails on a slow machine.
 */
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { actionOutcomes, annotateMap, type MeasurementRow } from '../../lib/annotations';
import { shiftPeriod } from '../../lib/measurements/period';
import { generateMap } from './generate-map';
import { PUSH_TARGET_MS, benchPush } from './metrics-push';
import { median, quantile } from './stats';

const TOUCHPOINTS = 5_000;
const MONTHS = 24;
const ACTIONS = 500;
const TARGET_ANNOTATE_MS = 20;

/** A small seeded generator, so that every run measures the same rows. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const { map, discussion } = generateMap(TOUCHPOINTS);
const random = seeded(13);
const ids = Object.values(map.touchpoints).filter((t) => t.kind === 'touchpoint').map((t) => t.id);
const rows: MeasurementRow[] = [];
for (let m = 0; m < MONTHS; m++) {
  const period = shiftPeriod('2025-01', m);
  for (const touchpointId of ids) {
    const responses = 1 + Math.floor(random() * 200);
    rows.push({
      touchpointId,
      period,
      contacts: Math.floor(random() * 2_000),
      csat: { responses, satisfied: Math.floor(random() * responses) },
      ces: { responses, mean: 1 + random() * 6 },
      nps: { promoters: Math.floor(random() * 50), passives: Math.floor(random() * 50), detractors: 1 + Math.floor(random() * 50) },
    });
  }
}
for (let a = 0; a < ACTIONS; a++) {
  const id = `action-${a}`;
  map.actions[id] = {
    id,
    touchpointId: ids[a * 7] ?? '',
    painPointId: null,
    title: `Action ${a}`,
    ownerTeam: null,
    due: null,
    status: 'done',
    doneAt: Date.UTC(2025, 3 + (a % 18), 10),
    createdAt: 0,
  };
}

let sink = 0;
function measure(label: string, runs: number, run: () => number): { label: string; median: number; p95: number } {
  for (let i = 0; i < 5; i++) sink += run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    sink += run();
    times.push(performance.now() - start);
  }
  return { label, median: median(times), p95: quantile(times, 0.95) };
}

console.log(`bench:metrics — ${TOUCHPOINTS.toLocaleString('en-US')} touchpoints × ${MONTHS} months = ${rows.length.toLocaleString('en-US')} rows, ${ACTIONS} done actions`);
console.log(`machine: ${availableParallelism()} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const results = [
  measure('annotateMap, no measurements', 30, () => annotateMap(map, discussion).failureDemand),
  measure('annotateMap, 120,000 rows (latest month)', 30, () => annotateMap(map, discussion, { rows }).measuredContacts ?? 0),
  measure('actionOutcomes, 500 done actions', 30, () => actionOutcomes(map, { rows }).length),
];
for (const r of results) console.log(`${r.label.padEnd(44)} median ${r.median.toFixed(2).padStart(8)} ms   p95 ${r.p95.toFixed(2).padStart(8)} ms`);
const [plain, measured] = results;
if (plain && measured) {
  console.log(`measured / plain: ${(measured.median / plain.median).toFixed(2)}×; target for annotateMap with rows: under ${TARGET_ANNOTATE_MS} ms median (${measured.median < TARGET_ANNOTATE_MS ? 'met' : 'not met'} on this run)`);
}
if (sink === -1) console.log('');

// The push through the API (production build; `npm run build` first). METRICS_BENCH_PUSH=0 leaves it out.
if (process.env.METRICS_BENCH_PUSH !== '0') {
  const push = await benchPush(TOUCHPOINTS, MONTHS);
  console.log(
    `PUT /api/maps/:id/metrics, ${MONTHS} pushes of ${TOUCHPOINTS.toLocaleString('en-US')} rows (${push.rows.toLocaleString('en-US')} rows, ${(push.bytes / 1024 / 1024).toFixed(1)} MiB): ${push.ms.toFixed(0)} ms; target under ${PUSH_TARGET_MS} ms (${push.ms < PUSH_TARGET_MS ? 'met' : 'not met'} on this run)`,
  );
  const [first = Number.NaN, ...rest] = push.pushMs;
  console.log(`  one push: the first ${first.toFixed(0)} ms (loads the route's code and the map's room), the others median ${median(rest).toFixed(0)} ms, p95 ${quantile(rest, 0.95).toFixed(0)} ms`);
}
