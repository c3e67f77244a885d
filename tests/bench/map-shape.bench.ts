/**
 * The map shape guard's cost: `npm run bench:shape`. On a 2,000-touchpoint
 * map, the median and p95 time of checkMapUpdate per kind of everyday edit,
 * how long refusing a 4,000-level nesting attack takes, and a typist's
 * keystrokes checked while the ones before wait to be stored (the queue kept
 * as PendingUpdates, indexed once, beside re-decoding it per check as the
 * server did before). Informational:
 * nothing here fails on a slow machine.
 */
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { PendingUpdates, checkMapUpdate } from '../../lib/journey/map-shape';
import type { EditOrigin } from '../../lib/journey/origin';
import { addConnection, addPainPoint, addTouchpoint, readMap, updateTouchpoint, writeMap } from '../../lib/journey/schema';
import { generateMap } from './generate-map';
import { median, quantile } from './stats';

const TOUCHPOINTS = 2_000;
const RUNS = 25;
const ORIGIN: EditOrigin = { userId: 'bench', kind: 'local' };
const LIMITS = { docBytes: 0, maxDocBytes: 16 * 1024 * 1024 };

const doc = new Y.Doc();
writeMap(doc, generateMap(TOUCHPOINTS).map, { userId: 'bench', kind: 'system' });
const ids = Object.keys(readMap(doc).touchpoints).filter((id) => readMap(doc).meta.hubId !== id);

/** The update `edit` makes on a copy of the map, the map itself left as it is. */
function craft(edit: (copy: Y.Doc, run: number) => void, run: number): Uint8Array {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const updates: Uint8Array[] = [];
  copy.on('update', (update: Uint8Array) => updates.push(update));
  edit(copy, run);
  return Y.mergeUpdates(updates);
}

function pick(run: number): string {
  return ids[run % ids.length] ?? '';
}

const EDITS: Record<string, (copy: Y.Doc, run: number) => void> = {
  'rename a touchpoint': (copy, run) => updateTouchpoint(copy, pick(run), { label: `Renamed ${run}` }, ORIGIN),
  'drag a touchpoint': (copy, run) => updateTouchpoint(copy, pick(run), { x: run, y: run * 2 }, ORIGIN),
  'add a touchpoint': (copy, run) => addTouchpoint(copy, { label: `New ${run}`, channel: 'web' }, ORIGIN),
  'add a pain point': (copy, run) => addPainPoint(copy, pick(run), { text: 'Slow', severity: 3, frequency: 2 }, ORIGIN),
  'add a connection': (copy, run) => addConnection(copy, { source: pick(run), target: pick(run + 1_001) }, ORIGIN),
  'add 500 touchpoints at once': (copy, run) => {
    for (let i = 0; i < 500; i++) addTouchpoint(copy, { label: `Bulk ${run}-${i}` }, ORIGIN);
  },
};

let sink = 0;
console.log(`map shape guard on a ${TOUCHPOINTS}-touchpoint map (${Y.encodeStateAsUpdate(doc).byteLength} bytes), ${RUNS} runs each`);
for (const [label, edit] of Object.entries(EDITS)) {
  const runs = label.startsWith('add 500') ? 10 : RUNS;
  const updates = Array.from({ length: runs }, (_, run) => craft(edit, run));
  const times: number[] = [];
  for (const update of updates) {
    const start = performance.now();
    const verdict = checkMapUpdate(doc, update, LIMITS);
    times.push(performance.now() - start);
    if (!verdict.ok) throw new Error(`${label} was refused: ${verdict.reason}`);
    sink += update.byteLength;
  }
  console.log(`${label.padEnd(30)} median ${median(times).toFixed(3)} ms  p95 ${quantile(times, 0.95).toFixed(3)} ms  (${updates[0]?.byteLength ?? 0} bytes)`);
}

const attack = craft((copy) => {
  const touchpoint = copy.getMap<unknown>('touchpoints').get(pick(0));
  if (!(touchpoint instanceof Y.Map)) throw new Error('no touchpoint');
  let parent = new Y.Map<unknown>();
  touchpoint.set('nest', parent);
  for (let depth = 0; depth < 4000; depth++) {
    const child = new Y.Map<unknown>();
    parent.set('n', child);
    parent = child;
  }
}, 0);
const start = performance.now();
const verdict = checkMapUpdate(doc, attack, LIMITS);
console.log(`refuse 4,000 nested Y.Maps (${attack.byteLength} bytes): ${(performance.now() - start).toFixed(3)} ms, ${verdict.ok ? 'ACCEPTED (wrong)' : verdict.reason}`);

// A typist whose keystrokes queue up while the store is slow: each names the label the one before wrote.
for (const queued of [100, 1_000]) {
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(doc));
  const keystrokes: Uint8Array[] = [];
  client.on('update', (update: Uint8Array) => keystrokes.push(update));
  for (let i = 0; i < queued; i++) updateTouchpoint(client, pick(1), { label: `typing ${i}` }, ORIGIN);
  let begin = performance.now();
  keystrokes.forEach((keystroke, i) => (sink += checkMapUpdate(doc, keystroke, LIMITS, keystrokes.slice(0, i)).ok ? 1 : 0));
  const redecoded = performance.now() - begin;
  begin = performance.now();
  const pending = new PendingUpdates();
  for (const keystroke of keystrokes) {
    sink += checkMapUpdate(doc, keystroke, LIMITS, pending).ok ? 1 : 0;
    pending.add(keystroke);
  }
  const indexed = performance.now() - begin;
  console.log(`${queued} keystrokes, each checked against those queued before it: re-decoding the queue ${redecoded.toFixed(1)} ms, indexed once ${indexed.toFixed(1)} ms (${(redecoded / indexed).toFixed(1)}×)`);
}
if (sink < 0) console.log(sink);
