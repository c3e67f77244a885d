/**
 * diffMaps / applyChanges timings: `npm run bench:diff`. A generated master
 * map, a workshop copy forked from it, and 10 % of the touchpoints changed on
 * each side through the schema module, a fifth of them in a "hot" 5 % both
 * sides work on (field edits, drags, moves between
 * stages, pain points, removals, additions, links). Prints medians and p95
 * per size. Informational: nothing here fails on a slow machine, and no test
 * asserts a timing.
 */
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { applyChanges } from '../../lib/journey/apply-changes';
import { diffMaps } from '../../lib/journey/diff';
import type { MapChange, Resolution } from '../../lib/journey/map-change';
import { applyChangesToMap } from '../../lib/journey/merge-maps';
import type { EditOrigin } from '../../lib/journey/origin';
import {
  addConnection,
  addPainPoint,
  addTouchpoint,
  deleteConnection,
  deleteTouchpoint,
  moveTouchpointToStage,
  readMap,
  removePainPoint,
  renameStage,
  updatePainPoint,
  updateTouchpoint,
  writeMap,
} from '../../lib/journey/schema';
import type { JourneyMap } from '../../lib/journey/types';
import { STAGE_COUNT, TEAMS, generateMap } from './generate-map';
import { seededRandom } from '../support/seeded-random';
import { median, quantile } from './stats';

const DIFF_TARGET_MS: Record<number, number> = { 5_000: 50 };
const SIZES = [
  { touchpoints: 500, warmup: 20, runs: 60, applyRuns: 30 },
  { touchpoints: 5_000, warmup: 10, runs: 40, applyRuns: 15 },
];
const CHANGED_SHARE = 0.1;
const system: EditOrigin = { userId: 'bench', kind: 'system' };
const lead: EditOrigin = { userId: 'lead', kind: 'local' };
const workshop: EditOrigin = { userId: 'workshop', kind: 'local' };

const random = seededRandom;

/** Changes 10 % of the touchpoints of `doc` (ids drawn from `seed`), in a realistic mix of edits. */
function editSide(doc: Y.Doc, seed: number, prefix: string, origin: EditOrigin): void {
  const next = random(seed);
  const int = (below: number): number => Math.floor(next() * below);
  const map = readMap(doc);
  const ids = Object.keys(map.touchpoints).filter((id) => id !== map.meta.hubId);
  const connections = Object.keys(map.connections);
  const count = Math.round(ids.length * CHANGED_SHARE);
  // A fifth of the edits go to the "hot" 5 % that everyone works on, so the sides overlap and conflict.
  const hot = Math.ceil(ids.length * 0.05);
  const picked = new Set<string>();
  while (picked.size < count) picked.add(ids[next() < 0.2 ? int(hot) : int(ids.length)] ?? '');
  let n = 0;
  for (const id of picked) {
    const touchpoint = map.touchpoints[id];
    if (touchpoint === undefined) continue;
    const roll = next();
    if (roll < 0.35) {
      const field = int(4);
      const patch =
        field === 0
          ? { label: `${touchpoint.label} (${prefix})` }
          : field === 1
            ? { owner: TEAMS[int(TEAMS.length)] ?? null }
            : field === 2
              ? { emotion: int(5) - 2 }
              : { contactVolume: int(1_000) };
      updateTouchpoint(doc, id, patch, origin);
    } else if (roll < 0.55) {
      updateTouchpoint(doc, id, { x: int(10_000), y: int(2_000) }, origin);
    } else if (roll < 0.65) {
      moveTouchpointToStage(doc, id, `stage-${int(STAGE_COUNT)}`, origin, { x: int(10_000), y: int(2_000) });
    } else if (roll < 0.8) {
      const painPoint = touchpoint.painPoints[0];
      if (painPoint === undefined || next() < 0.4) {
        addPainPoint(doc, id, { id: `${prefix}-pp-${n++}`, text: 'Found in the workshop', severity: 1 + int(5), frequency: 1 + int(5) }, origin);
      } else if (next() < 0.7) {
        updatePainPoint(doc, id, painPoint.id, { severity: 1 + int(5) }, origin);
      } else {
        removePainPoint(doc, id, painPoint.id, origin);
      }
    } else if (roll < 0.85) {
      deleteTouchpoint(doc, id, origin);
    } else if (roll < 0.92) {
      const added = addTouchpoint(
        doc,
        { id: `${prefix}-tp-${n++}`, label: 'New touchpoint', stageId: touchpoint.stageId, x: int(10_000), y: int(2_000) },
        origin,
      );
      addConnection(doc, { id: `${prefix}-cx-${n++}`, source: added, target: id }, origin);
    } else {
      const connection = connections[int(connections.length)];
      if (connection !== undefined && readMap(doc).connections[connection] !== undefined) deleteConnection(doc, connection, origin);
    }
  }
  renameStage(doc, `stage-${int(STAGE_COUNT)}`, `Renamed by ${prefix}`, origin);
}

interface Fixture {
  base: JourneyMap;
  masterState: Uint8Array;
  ours: JourneyMap;
  theirs: JourneyMap;
  changes: MapChange[];
  toMerge: MapChange[];
  resolutions: Record<string, Resolution>;
}

function fixture(touchpoints: number): Fixture {
  const origin = new Y.Doc();
  writeMap(origin, generateMap(touchpoints, 42).map, system);
  const state = Y.encodeStateAsUpdate(origin);
  const master = new Y.Doc();
  const copy = new Y.Doc();
  Y.applyUpdate(master, state);
  Y.applyUpdate(copy, state);
  editSide(master, 7, 'm', lead);
  editSide(copy, 11, 'c', workshop);
  const base = readMap(origin);
  const ours = readMap(master);
  const theirs = readMap(copy);
  const changes = diffMaps(base, ours, theirs);
  const resolutions: Record<string, Resolution> = {};
  for (const change of changes) if (change.conflict) resolutions[change.id] = 'copy';
  return {
    base,
    masterState: Y.encodeStateAsUpdate(master),
    ours,
    theirs,
    changes,
    toMerge: changes.filter((change) => change.side !== 'master'),
    resolutions,
  };
}

interface Row {
  label: string;
  touchpoints: number;
  runs: number;
  median: number;
  p95: number;
  /** Median CPU time of this process per run: what the wall clock shows minus the waits for a busy CPU. */
  cpu: number;
}

/** Keeps every result alive, so no run can be optimised away. */
let sink = 0;

/** Times `run` only; `setUp` (a fresh document, say) is outside the clock. */
function measure<T>(label: string, touchpoints: number, warmup: number, runs: number, setUp: () => T, run: (input: T) => number): Row {
  for (let i = 0; i < warmup; i++) sink += run(setUp());
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const input = setUp();
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    sink += run(input);
    times.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { label, touchpoints, runs, median: median(times), p95: quantile(times, 0.95), cpu: median(cpu) };
}


const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
const loadBefore = load();
const rows: Row[] = [];
const shapes: string[] = [];
const none = (): null => null;
for (const size of SIZES) {
  const f = fixture(size.touchpoints);
  const conflicts = f.changes.filter((change) => change.conflict).length;
  const bySide = (side: string): number => f.changes.filter((change) => change.side === side).length;
  shapes.push(
    `${size.touchpoints.toLocaleString('en-US')} touchpoints: ${f.changes.length} changes ` +
      `(${bySide('master')} master, ${bySide('copy')} copy, ${conflicts} conflicts)`,
  );
  rows.push(measure('diffMaps', size.touchpoints, size.warmup, size.runs, none, () => diffMaps(f.base, f.ours, f.theirs).length));
  rows.push(
    measure('applyChangesToMap (plain master)', size.touchpoints, size.warmup, size.runs, none, () =>
      Object.keys(applyChangesToMap(f.ours, f.toMerge, f.resolutions).touchpoints).length,
    ),
  );
  const freshMaster = (): Y.Doc => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, f.masterState);
    return doc;
  };
  rows.push(
    measure('applyChanges (merge into master Y.Doc)', size.touchpoints, 3, size.applyRuns, freshMaster, (doc) =>
      applyChanges(doc, f.toMerge, f.resolutions, lead).stages.length,
    ),
  );
  rows.push(
    measure('  of which: readMap of the master', size.touchpoints, 3, size.applyRuns, freshMaster, (doc) => readMap(doc).stages.length),
  );
}

const pad = (value: string, width: number): string => value.padStart(width);
const fixed = (value: number, digits = 2): string => value.toFixed(digits);
console.log(`diffMaps / applyChanges benchmark: Node ${process.version}, ${STAGE_COUNT} stages, 10 % of touchpoints changed on each side; times in ms`);
for (const shape of shapes) console.log(`  ${shape}`);
// Other work on this machine moves every number here; the load says how much.
console.log(`load average before: ${loadBefore}, after: ${load()} (${availableParallelism()} cores)\n`);
console.log(`${'case'.padEnd(42)}${pad('touchpoints', 12)}${pad('runs', 6)}${pad('median', 10)}${pad('p95', 10)}${pad('cpu', 10)}  target`);
for (const row of rows) {
  const target = row.label === 'diffMaps' ? DIFF_TARGET_MS[row.touchpoints] : undefined;
  const verdict = target === undefined ? '' : `< ${target}${row.median < target ? ' ok' : ' MISS'}`;
  console.log(
    `${row.label.padEnd(42)}${pad(row.touchpoints.toLocaleString('en-US'), 12)}${pad(String(row.runs), 6)}` +
      `${pad(fixed(row.median), 10)}${pad(fixed(row.p95), 10)}${pad(fixed(row.cpu), 10)}  ${verdict}`,
  );
}
console.log(
  '\nTarget (median wall-clock time, diffMaps alone): 5,000 touchpoints < 50 ms. ' +
    'cpu: median CPU time of the process per run (GC threads included); on a busy machine the wall clock also counts the waits.',
);
console.log(`(checksum of every result, so no run is optimised away: ${sink})`);
