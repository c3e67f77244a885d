import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  CHANNELS,
  JourneyError,
  addConnection,
  addPainPoint,
  addStage,
  addTouchpoint,
  applyChanges,
  applyChangesToMap,
  blankMap,
  deleteConnection,
  deleteStage,
  deleteTouchpoint,
  diffMaps,
  mergeMaps,
  moveStage,
  moveTouchpointToStage,
  pairKey,
  readMap,
  removePainPoint,
  renameStage,
  setStageAccountable,
  updateConnectionLabel,
  updatePainPoint,
  updateTouchpoint,
  writeMap,
  type Channel,
  type EditOrigin,
  type JourneyMap,
  type MapChange,
  type Resolution,
} from '../../lib/journey/index';

/**
 * The four properties of issue 7 §2, on random edits made through the schema
 * module to Y documents: a base map, then a master and a copy forked from it
 * and edited independently. fast-check prints the seed and the shrunk edits
 * of a failure, to replay.
 */

const system: EditOrigin = { userId: 'system', kind: 'system' };
const lead: EditOrigin = { userId: 'lead', kind: 'local' };
const workshop: EditOrigin = { userId: 'workshop', kind: 'local' };
const merger: EditOrigin = { userId: 'lead', kind: 'local' };

// Small pools of values, so that both sides often pick the same one.
const NAMES = ['Discover', 'Buy', 'Use', 'Pay', 'Get help'] as const;
const TEAMS = ['Sales', 'IT', 'Billing', null] as const;
const LABELS = ['Web shop', 'App', 'Hotline', 'Store', 'Letter'] as const;
const TEXTS = ['Slow', 'Confusing', 'Broken', 'Too expensive'] as const;
const COORDINATES = [0, 40, 300, 620] as const;

type Edit =
  | { op: 'addStage'; name: string; at: number }
  | { op: 'renameStage'; stage: number; name: string }
  | { op: 'moveStage'; stage: number; to: number }
  | { op: 'setAccountable'; stage: number; team: string | null }
  | { op: 'deleteStage'; stage: number }
  | { op: 'addTouchpoint'; stage: number | null; label: string; x: number; y: number }
  | { op: 'editTouchpoint'; touchpoint: number; field: 'label' | 'channel' | 'owner' | 'emotion' | 'contactVolume'; value: number }
  | { op: 'moveToStage'; touchpoint: number; stage: number | null; withPosition: boolean; x: number; y: number }
  | { op: 'reposition'; touchpoint: number; x: number; y: number }
  | { op: 'deleteTouchpoint'; touchpoint: number }
  | { op: 'addPainPoint'; touchpoint: number; text: string; severity: number; frequency: number }
  | { op: 'editPainPoint'; touchpoint: number; painPoint: number; field: 'text' | 'severity' | 'frequency'; value: number }
  | { op: 'removePainPoint'; touchpoint: number; painPoint: number }
  | { op: 'connect'; from: number; to: number }
  | { op: 'relabel'; connection: number; label: string }
  | { op: 'disconnect'; connection: number };

const index = fc.nat({ max: 40 });
const coordinate = fc.constantFrom(...COORDINATES);

const editArbitrary: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant('addStage' as const), name: fc.constantFrom(...NAMES), at: index }),
  fc.record({ op: fc.constant('renameStage' as const), stage: index, name: fc.constantFrom(...NAMES) }),
  fc.record({ op: fc.constant('moveStage' as const), stage: index, to: index }),
  fc.record({ op: fc.constant('setAccountable' as const), stage: index, team: fc.constantFrom(...TEAMS) }),
  fc.record({ op: fc.constant('deleteStage' as const), stage: index }),
  fc.record({
    op: fc.constant('addTouchpoint' as const), stage: fc.option(index), label: fc.constantFrom(...LABELS), x: coordinate, y: coordinate,
  }),
  fc.record({
    op: fc.constant('editTouchpoint' as const), touchpoint: index,
    field: fc.constantFrom('label' as const, 'channel' as const, 'owner' as const, 'emotion' as const, 'contactVolume' as const),
    value: index,
  }),
  fc.record({
    op: fc.constant('moveToStage' as const), touchpoint: index, stage: fc.option(index), withPosition: fc.boolean(), x: coordinate, y: coordinate,
  }),
  fc.record({ op: fc.constant('reposition' as const), touchpoint: index, x: coordinate, y: coordinate }),
  fc.record({ op: fc.constant('deleteTouchpoint' as const), touchpoint: index }),
  fc.record({
    op: fc.constant('addPainPoint' as const), touchpoint: index, text: fc.constantFrom(...TEXTS),
    severity: fc.integer({ min: 1, max: 5 }), frequency: fc.integer({ min: 1, max: 5 }),
  }),
  fc.record({
    op: fc.constant('editPainPoint' as const), touchpoint: index, painPoint: index,
    field: fc.constantFrom('text' as const, 'severity' as const, 'frequency' as const), value: index,
  }),
  fc.record({ op: fc.constant('removePainPoint' as const), touchpoint: index, painPoint: index }),
  fc.record({ op: fc.constant('connect' as const), from: index, to: index }),
  fc.record({ op: fc.constant('relabel' as const), connection: index, label: fc.constantFrom('', 'calls', 'emails') }),
  fc.record({ op: fc.constant('disconnect' as const), connection: index }),
);

function pick<T>(items: readonly T[], at: number): T | undefined {
  return items.length === 0 ? undefined : items[at % items.length];
}

function at<T>(items: readonly T[], position: number): T {
  const item = pick(items, position);
  if (item === undefined) throw new Error('pick from an empty pool');
  return item;
}

/**
 * Replays `edits` on `doc` through the schema module. New ids start with
 * `prefix`, so two sides never invent the same id. Only connections in
 * `relabelable` (those of the base) are relabeled: two sides that link the
 * same two touchpoints keep one link each, and equal labels keep them equal.
 * An edit the schema refuses (a duplicate link, a self link) is skipped, as
 * the canvas would refuse it.
 */
function replay(doc: Y.Doc, edits: readonly Edit[], prefix: string, origin: EditOrigin, relabelable: ReadonlySet<string>): void {
  let counter = 0;
  const nextId = (kind: string): string => `${prefix}-${kind}${counter++}`;
  for (const edit of edits) {
    const map = readMap(doc);
    const stages = map.stages.map((stage) => stage.id);
    const all = Object.keys(map.touchpoints);
    const touchpoints = all.filter((id) => id !== map.meta.hubId);
    const connections = Object.keys(map.connections);
    try {
      switch (edit.op) {
        case 'addStage':
          addStage(doc, { id: nextId('s'), name: edit.name, index: edit.at % (stages.length + 1) }, origin);
          break;
        case 'renameStage': {
          const stage = pick(stages, edit.stage);
          if (stage !== undefined) renameStage(doc, stage, edit.name, origin);
          break;
        }
        case 'moveStage': {
          const stage = pick(stages, edit.stage);
          if (stage !== undefined) moveStage(doc, stage, edit.to % stages.length, origin);
          break;
        }
        case 'setAccountable': {
          const stage = pick(stages, edit.stage);
          if (stage !== undefined) setStageAccountable(doc, stage, edit.team, origin);
          break;
        }
        case 'deleteStage': {
          const stage = pick(stages, edit.stage);
          if (stage !== undefined) deleteStage(doc, stage, origin);
          break;
        }
        case 'addTouchpoint': {
          const stageId = edit.stage === null ? null : (pick(stages, edit.stage) ?? null);
          addTouchpoint(doc, { id: nextId('t'), label: edit.label, stageId, x: edit.x, y: edit.y }, origin);
          break;
        }
        case 'editTouchpoint': {
          const touchpoint = pick(all, edit.touchpoint);
          if (touchpoint === undefined) break;
          const value = edit.value;
          const patch =
            edit.field === 'label'
              ? { label: at(LABELS, value) }
              : edit.field === 'channel'
                ? { channel: at<Channel>(CHANNELS, value) }
                : edit.field === 'owner'
                  ? { owner: at(TEAMS, value) }
                  : edit.field === 'emotion'
                    ? { emotion: at([-2, -1, 0, 1, 2, null], value) }
                    : { contactVolume: at([0, 100, 250], value) };
          updateTouchpoint(doc, touchpoint, patch, origin);
          break;
        }
        case 'moveToStage': {
          const touchpoint = pick(touchpoints, edit.touchpoint);
          if (touchpoint === undefined) break;
          const stageId = edit.stage === null ? null : (pick(stages, edit.stage) ?? null);
          moveTouchpointToStage(doc, touchpoint, stageId, origin, edit.withPosition ? { x: edit.x, y: edit.y } : undefined);
          break;
        }
        case 'reposition': {
          const touchpoint = pick(all, edit.touchpoint);
          if (touchpoint !== undefined) updateTouchpoint(doc, touchpoint, { x: edit.x, y: edit.y }, origin);
          break;
        }
        case 'deleteTouchpoint': {
          const touchpoint = pick(touchpoints, edit.touchpoint);
          if (touchpoint !== undefined) deleteTouchpoint(doc, touchpoint, origin);
          break;
        }
        case 'addPainPoint': {
          const touchpoint = pick(touchpoints, edit.touchpoint);
          if (touchpoint === undefined) break;
          const input = { id: nextId('p'), text: edit.text, severity: edit.severity, frequency: edit.frequency };
          addPainPoint(doc, touchpoint, input, origin);
          break;
        }
        case 'editPainPoint':
        case 'removePainPoint': {
          const withPain = touchpoints.filter((id) => (map.touchpoints[id]?.painPoints.length ?? 0) > 0);
          const touchpoint = pick(withPain, edit.touchpoint);
          const painPoint = touchpoint === undefined ? undefined : pick(map.touchpoints[touchpoint]?.painPoints ?? [], edit.painPoint);
          if (touchpoint === undefined || painPoint === undefined) break;
          if (edit.op === 'removePainPoint') {
            removePainPoint(doc, touchpoint, painPoint.id, origin);
            break;
          }
          const patch =
            edit.field === 'text'
              ? { text: at(TEXTS, edit.value) }
              : edit.field === 'severity'
                ? { severity: 1 + (edit.value % 5) }
                : { frequency: 1 + (edit.value % 5) };
          updatePainPoint(doc, touchpoint, painPoint.id, patch, origin);
          break;
        }
        case 'connect': {
          const from = pick(all, edit.from);
          const to = pick(all, edit.to);
          if (from !== undefined && to !== undefined) addConnection(doc, { id: nextId('c'), source: from, target: to }, origin);
          break;
        }
        case 'relabel': {
          const connection = pick(connections.filter((id) => relabelable.has(id)), edit.connection);
          if (connection !== undefined) updateConnectionLabel(doc, connection, edit.label, origin);
          break;
        }
        case 'disconnect': {
          const connection = pick(connections, edit.connection);
          if (connection !== undefined) deleteConnection(doc, connection, origin);
          break;
        }
      }
    } catch (error) {
      if (!(error instanceof JourneyError)) throw error;
    }
  }
}

interface Scenario {
  base: JourneyMap;
  master: Y.Doc;
  copy: Y.Doc;
}

function scenario(baseEdits: readonly Edit[], masterEdits: readonly Edit[], copyEdits: readonly Edit[]): Scenario {
  const origin = new Y.Doc();
  writeMap(origin, blankMap({ title: 'Fuzz' }).map, system);
  replay(origin, baseEdits, 'b', system, new Set());
  const base = readMap(origin);
  const relabelable = new Set(Object.keys(base.connections));
  const fork = (): Y.Doc => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(origin));
    return doc;
  };
  const master = fork();
  const copy = fork();
  replay(master, masterEdits, 'm', lead, relabelable);
  replay(copy, copyEdits, 'c', workshop, relabelable);
  return { base, master, copy };
}

/** A base with touchpoints, pain points and links enough for the sides to edit. */
const baseEdits = fc.array(
  fc.oneof(
    { arbitrary: editArbitrary.filter((edit) => edit.op === 'addTouchpoint'), weight: 3 },
    { arbitrary: editArbitrary.filter((edit) => edit.op === 'addPainPoint'), weight: 2 },
    { arbitrary: editArbitrary.filter((edit) => edit.op === 'connect'), weight: 3 },
    { arbitrary: editArbitrary, weight: 2 },
  ),
  { minLength: 4, maxLength: 30 },
);
const sideEdits = fc.array(editArbitrary, { maxLength: 16 });

/**
 * What two results must agree on. A pain point brought back is appended, and
 * two pain points added to one touchpoint on two sides are appended in the
 * order they are applied (Y.Array has no move), so pain points compare as a
 * set. Two sides that linked the same two touchpoints each keep their own
 * link, so connections compare by the touchpoints they link. Meta is each
 * map's own.
 */
function comparable(map: JourneyMap) {
  return {
    stages: map.stages,
    touchpoints: Object.fromEntries(
      Object.entries(map.touchpoints).map(([id, touchpoint]) => [
        id,
        { ...touchpoint, painPoints: [...touchpoint.painPoints].sort((a, b) => (a.id < b.id ? -1 : 1)) },
      ]),
    ),
    connections: Object.values(map.connections)
      .map((connection) => [pairKey(connection.source, connection.target), connection.label] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  };
}

/** A deterministic shuffle from a seed (mulberry32). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const a = copy[i];
    const b = copy[j];
    if (a === undefined || b === undefined) continue;
    copy[i] = b;
    copy[j] = a;
  }
  return copy;
}

function resolveAll(changes: readonly MapChange[], choose: (index: number) => Resolution): Record<string, Resolution> {
  const resolutions: Record<string, Resolution> = {};
  changes.filter((change) => change.conflict).forEach((change, index) => {
    resolutions[change.id] = choose(index);
  });
  return resolutions;
}

const RUNS = { numRuns: 150 };
/** Each property replays a few hundred random edit sequences on Y documents. */
const TIMEOUT = 60_000;

describe('diffMaps and applyChanges: properties (issue 7 §2)', () => {
  it('property 1: no change when nothing changed', () => {
    fc.assert(
      fc.property(baseEdits, sideEdits, (base, edits) => {
        const { base: map, master } = scenario(base, edits, []);
        const ours = readMap(master);
        expect(diffMaps(map, map, map)).toEqual([]);
        // The same edits on both sides: nothing to merge either way.
        expect(diffMaps(map, ours, structuredClone(ours))).toEqual([]);
        // One side unchanged: every change is the other side's, and none conflicts.
        const masterOnly = diffMaps(map, ours, map);
        expect(masterOnly.every((change) => change.side === 'master')).toBe(true);
        const copyOnly = diffMaps(map, map, ours);
        expect(copyOnly.every((change) => change.side === 'copy')).toBe(true);
        expect(copyOnly.map((change) => change.id)).toEqual(masterOnly.map((change) => change.id));
      }),
      RUNS,
    );
  }, TIMEOUT);

  it('property 2: merging a copy whose master did not move reproduces the copy', () => {
    fc.assert(
      fc.property(baseEdits, sideEdits, (base, edits) => {
        const { base: map, master, copy } = scenario(base, [], edits);
        const theirs = readMap(copy);
        const changes = diffMaps(map, readMap(master), theirs);
        expect(changes.every((change) => change.side === 'copy' && !change.conflict)).toBe(true);
        expect(mergeMaps(map, readMap(master), theirs, changes.map((change) => change.id))).toEqual(theirs);
        const merged = applyChanges(master, changes, {}, merger);
        expect(readMap(master)).toEqual(theirs);
        expect(merged).toEqual(theirs);
      }),
      RUNS,
    );
  }, TIMEOUT);

  it('property 3: applying all non-conflicting changes of both sides is order-independent', () => {
    fc.assert(
      fc.property(baseEdits, sideEdits, sideEdits, fc.integer(), (base, masterEdits, copyEdits, seed) => {
        const { base: map, master, copy } = scenario(base, masterEdits, copyEdits);
        const ours = readMap(master);
        const theirs = readMap(copy);
        const changes = diffMaps(map, ours, theirs);
        const clean = changes.filter((change) => !change.conflict);
        const masterFirst = applyChangesToMap(map, [
          ...clean.filter((change) => change.side === 'master'),
          ...clean.filter((change) => change.side === 'copy'),
        ]);
        const copyFirst = applyChangesToMap(map, [
          ...clean.filter((change) => change.side === 'copy'),
          ...clean.filter((change) => change.side === 'master'),
        ]);
        expect(comparable(copyFirst)).toEqual(comparable(masterFirst));
        expect(comparable(applyChangesToMap(map, shuffled(clean, seed)))).toEqual(comparable(masterFirst));

        // Merging the copy into the master and refreshing the copy from the
        // master end at the same map, with the same resolutions.
        const resolutions = resolveAll(changes, (index) => ((seed >>> (index % 31)) & 1 ? 'copy' : 'master'));
        const merged = applyChanges(master, changes.filter((change) => change.side !== 'master'), resolutions, merger);
        const refreshed = applyChanges(copy, changes.filter((change) => change.side !== 'copy'), resolutions, merger);
        expect(comparable(refreshed)).toEqual(comparable(merged));
        expect(readMap(master)).toEqual(merged);
        expect(readMap(copy)).toEqual(refreshed);
      }),
      RUNS,
    );
  }, TIMEOUT);

  it('property 4: positions (x, y) never conflict, and the copy (theirs) wins', () => {
    fc.assert(
      fc.property(baseEdits, sideEdits, sideEdits, (base, masterEdits, copyEdits) => {
        const { base: map, master, copy } = scenario(base, masterEdits, copyEdits);
        const ours = readMap(master);
        const theirs = readMap(copy);
        const changes = diffMaps(map, ours, theirs);
        expect(changes.filter((change) => change.conflict && change.field === 'position' && change.target.type === 'touchpoint')).toEqual(
          [],
        );
        const merged = applyChanges(master, changes.filter((change) => change.side !== 'master'), resolveAll(changes, () => 'copy'), merger);
        for (const [id, before] of Object.entries(map.touchpoints)) {
          const mine = ours.touchpoints[id];
          const yours = theirs.touchpoints[id];
          const result = merged.touchpoints[id];
          if (mine === undefined || yours === undefined || result === undefined) continue;
          const copyMoved = yours.x !== before.x || yours.y !== before.y;
          const expected = copyMoved ? yours : mine;
          expect({ id, x: result.x, y: result.y }).toEqual({ id, x: expected.x, y: expected.y });
        }
      }),
      RUNS,
    );
  }, TIMEOUT);
});
