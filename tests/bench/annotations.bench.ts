/**
 * annotateMap timings: `npm run bench:annotations`. Prints median and p95 per
 * size and how the time grows with the map, beside the floors under it: the
 * work on the records annotateMap cannot skip, and that work on Maps.
 * Informational: nothing here fails on a slow machine, and no test asserts a
 * timing.
 */
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { annotateMap } from '../../lib/annotations/annotate-map';
import { readDiscussion, readMap, writeDiscussion, writeMap } from '../../lib/journey/schema';
import type { EditOrigin } from '../../lib/journey/origin';
import type { Comment, Connection, Discussion, JourneyMap, Touchpoint } from '../../lib/journey/types';
import { generateMap } from './generate-map';
import { median, quantile } from './stats';

const TARGETS_MS: Record<number, number> = { 5_000: 10, 50_000: 150 };
const SIZES = [
  { touchpoints: 500, warmup: 20, runs: 50 },
  { touchpoints: 5_000, warmup: 10, runs: 30 },
  { touchpoints: 50_000, warmup: 3, runs: 10 },
  { touchpoints: 100_000, warmup: 2, runs: 7 },
];
const ORIGIN: EditOrigin = { userId: 'bench', kind: 'system' };

interface Row {
  label: string;
  touchpoints: number;
  runs: number;
  median: number;
  p95: number;
  /** Median CPU time of this process per run (user + system, ms). */
  cpu: number;
}

/** Keeps every result alive, so no run can be optimised away. */
let sink = 0;

function measure(label: string, touchpoints: number, warmup: number, runs: number, run: () => number): Row {
  for (let i = 0; i < warmup; i++) sink += run();
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    sink += run();
    times.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpuTimes.push((used.user + used.system) / 1000);
  }
  return { label, touchpoints, runs, median: median(times), p95: quantile(times, 0.95), cpu: median(cpuTimes) };
}


function annotateOnce({ map, discussion }: { map: JourneyMap; discussion: Discussion }): number {
  return annotateMap(map, discussion).failureDemand;
}

/**
 * The floor under annotateMap: V8 enumerates a large record (a dictionary-mode
 * object) by sorting its keys into insertion order, and annotateMap has to
 * enumerate the touchpoints, the connections and the comments once each.
 */
function enumerateRecords({ map, discussion }: { map: JourneyMap; discussion: Discussion }): number {
  return (
    Object.keys(map.touchpoints).length + Object.keys(map.connections).length + Object.keys(discussion.comments).length
  );
}

/**
 * What annotateMap cannot skip on records: list the three records, look up
 * each entry, and resolve every id it names (a connection's two ends, a
 * comment's touchpoint) through an index of the touchpoints.
 */
function resolveRecords({ map, discussion }: { map: JourneyMap; discussion: Discussion }): number {
  const index = new Map<string, number>();
  let sum = 0;
  const ids = Object.keys(map.touchpoints);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] ?? '';
    index.set(id, i);
    sum += map.touchpoints[id]?.contactVolume ?? 0;
  }
  for (const key of Object.keys(map.connections)) {
    const connection = map.connections[key];
    if (connection !== undefined) sum += (index.get(connection.source) ?? 0) + (index.get(connection.target) ?? 0);
  }
  for (const key of Object.keys(discussion.comments)) {
    const comment = discussion.comments[key];
    if (comment !== undefined) sum += index.get(comment.touchpointId) ?? 0;
  }
  return sum;
}

interface MapModel {
  touchpoints: ReadonlyMap<string, Touchpoint>;
  connections: ReadonlyMap<string, Connection>;
  comments: ReadonlyMap<string, Comment>;
}

/**
 * The same work on a plain model that held Maps instead of records (not what
 * the app has: DESIGN.md's annotateMap takes `doc.toJSON()`), to show what
 * the records cost.
 */
function resolveMaps(model: MapModel): number {
  const index = new Map<string, number>();
  let sum = 0;
  let i = 0;
  for (const [id, touchpoint] of model.touchpoints) {
    index.set(id, i++);
    sum += touchpoint.contactVolume;
  }
  for (const connection of model.connections.values()) {
    sum += (index.get(connection.source) ?? 0) + (index.get(connection.target) ?? 0);
  }
  for (const comment of model.comments.values()) sum += index.get(comment.touchpointId) ?? 0;
  return sum;
}

const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
const loadBefore = load();
const rows: Row[] = [];
for (const size of SIZES) {
  const generated = generateMap(size.touchpoints, 42);
  rows.push(measure('annotateMap', size.touchpoints, size.warmup, size.runs, () => annotateOnce(generated)));
  rows.push(measure('  of which: Object.keys of the records', size.touchpoints, size.warmup, size.runs, () =>
    enumerateRecords(generated),
  ));
  rows.push(measure('  floor: list, look up, resolve ids', size.touchpoints, size.warmup, size.runs, () =>
    resolveRecords(generated),
  ));
  const model: MapModel = {
    touchpoints: new Map(Object.entries(generated.map.touchpoints)),
    connections: new Map(Object.entries(generated.map.connections)),
    comments: new Map(Object.entries(generated.discussion.comments)),
  };
  rows.push(measure('  the same floor over Maps', size.touchpoints, size.warmup, size.runs, () => resolveMaps(model)));
}

const yTouchpoints = 5_000;
const generated = generateMap(yTouchpoints, 42);
const mapDoc = new Y.Doc();
const discussionDoc = new Y.Doc();
writeMap(mapDoc, generated.map, ORIGIN);
writeDiscussion(discussionDoc, generated.discussion, ORIGIN);
// DESIGN.md: annotateMap takes the map exactly as `doc.toJSON()` gives it.
const fromToJson = (): number =>
  annotateMap(mapDoc.toJSON() as JourneyMap, discussionDoc.toJSON() as Discussion).failureDemand;
const fromSchema = (): number => annotateMap(readMap(mapDoc), readDiscussion(discussionDoc)).failureDemand;
rows.push(measure('Y.Doc toJSON + annotateMap', yTouchpoints, 5, 30, fromToJson));
rows.push(measure('readMap/readDiscussion + annotateMap', yTouchpoints, 5, 30, fromSchema));

const pad = (value: string, width: number): string => value.padStart(width);
const fixed = (value: number, digits = 2): string => value.toFixed(digits);
console.log(
  `annotateMap benchmark: Node ${process.version}, ${generated.map.stages.length} stages, ` +
    '2 connections and 1 comment per touchpoint; times in ms',
);
// Other work on this machine moves every number here; the load says how much.
// The cpu column (this process's CPU time per run, median) moves less: time
// spent waiting for a core is not in it, though a busy cache still is.
console.log(
  `load average before: ${loadBefore}, after: ${load()} (${availableParallelism()} cores)\n`,
);
console.log(
  `${'case'.padEnd(38)}${pad('touchpoints', 12)}${pad('runs', 6)}${pad('median', 10)}${pad('p95', 10)}${pad('cpu', 10)}` +
    `${pad('µs/tp', 9)}${pad('×/10× size', 12)}  target`,
);
/**
 * Growth per 10× more touchpoints, from the previous size of the same case:
 * the ratio of the medians raised to 1 / log10(size ratio), so that 50,000 →
 * 100,000 reads on the same scale as 5,000 → 50,000 (linear is ×10).
 */
const growthPer10x = (row: Row, previous: Row): number =>
  (row.median / previous.median) ** (1 / Math.log10(row.touchpoints / previous.touchpoints));
const previousByLabel = new Map<string, Row>();
for (const row of rows) {
  const previous = previousByLabel.get(row.label);
  const growth = previous === undefined ? '' : fixed(growthPer10x(row, previous));
  const target = row.label === 'annotateMap' ? TARGETS_MS[row.touchpoints] : undefined;
  const verdict = target === undefined ? '' : `< ${target}${row.median < target ? ' ok' : ' MISS'}`;
  console.log(
    `${row.label.padEnd(38)}${pad(row.touchpoints.toLocaleString('en-US'), 12)}${pad(String(row.runs), 6)}` +
      `${pad(fixed(row.median), 10)}${pad(fixed(row.p95), 10)}${pad(fixed(row.cpu), 10)}` +
      `${pad(fixed((row.median * 1000) / row.touchpoints, 3), 9)}` +
      `${pad(growth, 12)}  ${verdict}`,
  );
  previousByLabel.set(row.label, row);
}
console.log(
  '\nTargets (median, annotateMap alone): 5,000 touchpoints < 10 ms, 50,000 < 150 ms. ' +
    'Linear growth shows as ×≈10 per 10× size and a flat µs/tp ' +
    '(from 50,000 to 100,000 the ratio is scaled to 10×).',
);
console.log(`(checksum of every result, so no run is optimised away: ${sink})`);
