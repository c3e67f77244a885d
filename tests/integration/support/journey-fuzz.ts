/**
 * Random edits of a map document through lib/journey/schema.ts, drawn from a
 * seeded generator, as a workshop of several people makes them at once.
 */
import * as prng from 'lib0/prng';
import type * as Y from 'yjs';
import type { EditOrigin } from '../../../lib/journey/origin';
import {
  JourneyError,
  addPainPoint,
  addStage,
  addTouchpoint,
  deleteStage,
  deleteTouchpoint,
  getHubId,
  getStageIds,
  moveStage,
  moveTouchpointToStage,
  readMap,
  removePainPoint,
  renameStage,
  updatePainPoint,
  updateTouchpoint,
} from '../../../lib/journey/schema';

type Edit = (doc: Y.Doc, gen: prng.PRNG, origin: EditOrigin) => void;

const CHANNELS = ['web', 'app', 'phone', 'chat', 'email', 'store', 'social', 'other'] as const;

function pick<T>(gen: prng.PRNG, items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : prng.oneOf(gen, items as T[]);
}

function touchpointIds(doc: Y.Doc, withHub = true): string[] {
  const hubId = getHubId(doc);
  return Object.keys(readMap(doc).touchpoints).filter((id) => withHub || id !== hubId).sort();
}

const EDITS: ReadonlyArray<[weight: number, name: string, edit: Edit]> = [
  [4, 'add touchpoint', (doc, gen, origin) => {
    addTouchpoint(doc, { label: `tp ${prng.word(gen, 3, 8)}`, stageId: pick(gen, getStageIds(doc)) ?? null, channel: prng.oneOf(gen, [...CHANNELS]), x: prng.int32(gen, 0, 2000), y: prng.int32(gen, 0, 1200) }, origin);
  }],
  [6, 'update touchpoint', (doc, gen, origin) => {
    const id = pick(gen, touchpointIds(doc));
    if (!id) return;
    const field = prng.int32(gen, 0, 4);
    if (field === 0) updateTouchpoint(doc, id, { label: `label ${prng.word(gen, 2, 10)}` }, origin);
    else if (field === 1) updateTouchpoint(doc, id, { x: prng.int32(gen, 0, 2000), y: prng.int32(gen, 0, 1200) }, origin);
    else if (field === 2) updateTouchpoint(doc, id, { emotion: prng.int32(gen, -2, 2) }, origin);
    else if (field === 3) updateTouchpoint(doc, id, { owner: pick(gen, ['Sales', 'IT', 'Billing', 'Contact center']) ?? null }, origin);
    else updateTouchpoint(doc, id, { contactVolume: prng.int32(gen, 0, 5000) }, origin);
  }],
  [3, 'move touchpoint to a stage', (doc, gen, origin) => {
    const id = pick(gen, touchpointIds(doc, false));
    if (!id) return;
    moveTouchpointToStage(doc, id, pick(gen, [...getStageIds(doc), null]) ?? null, origin, { x: prng.int32(gen, 0, 2000), y: prng.int32(gen, 0, 1200) });
  }],
  [2, 'delete touchpoint', (doc, gen, origin) => {
    const id = pick(gen, touchpointIds(doc, false));
    if (id) deleteTouchpoint(doc, id, origin);
  }],
  [3, 'add pain point', (doc, gen, origin) => {
    const id = pick(gen, touchpointIds(doc));
    if (id) addPainPoint(doc, id, { text: `pain ${prng.word(gen, 3, 12)}`, severity: prng.int32(gen, 1, 5), frequency: prng.int32(gen, 1, 5) }, origin);
  }],
  [3, 'update pain point', (doc, gen, origin) => {
    const map = readMap(doc);
    const withPain = Object.values(map.touchpoints).filter((t) => t.painPoints.length > 0).sort((a, b) => a.id.localeCompare(b.id));
    const touchpoint = pick(gen, withPain);
    const painPoint = touchpoint && pick(gen, touchpoint.painPoints);
    if (touchpoint && painPoint) updatePainPoint(doc, touchpoint.id, painPoint.id, { severity: prng.int32(gen, 1, 5), text: `pain ${prng.word(gen, 3, 12)}` }, origin);
  }],
  [2, 'remove pain point', (doc, gen, origin) => {
    const map = readMap(doc);
    const withPain = Object.values(map.touchpoints).filter((t) => t.painPoints.length > 0).sort((a, b) => a.id.localeCompare(b.id));
    const touchpoint = pick(gen, withPain);
    const painPoint = touchpoint && pick(gen, touchpoint.painPoints);
    if (touchpoint && painPoint) removePainPoint(doc, touchpoint.id, painPoint.id, origin);
  }],
  [2, 'add stage', (doc, gen, origin) => {
    addStage(doc, { name: `Stage ${prng.word(gen, 3, 8)}`, index: prng.int32(gen, 0, getStageIds(doc).length) }, origin);
  }],
  [2, 'rename stage', (doc, gen, origin) => {
    const id = pick(gen, getStageIds(doc));
    if (id) renameStage(doc, id, `Stage ${prng.word(gen, 3, 8)}`, origin);
  }],
  [2, 'move stage', (doc, gen, origin) => {
    const ids = getStageIds(doc);
    const id = pick(gen, ids);
    if (id) moveStage(doc, id, prng.int32(gen, 0, ids.length - 1), origin);
  }],
  [1, 'delete stage', (doc, gen, origin) => {
    const ids = getStageIds(doc);
    if (ids.length > 2) deleteStage(doc, pick(gen, ids) ?? '', origin);
  }],
];

const TOTAL_WEIGHT = EDITS.reduce((sum, [weight]) => sum + weight, 0);

/** One random edit; returns its name. An edit the schema refuses on this copy (a race with a delete) is no edit. */
export function randomEdit(doc: Y.Doc, gen: prng.PRNG, origin: EditOrigin): string {
  let roll = prng.int32(gen, 0, TOTAL_WEIGHT - 1);
  for (const [weight, name, edit] of EDITS) {
    if (roll < weight) {
      try {
        edit(doc, gen, origin);
      } catch (error) {
        if (!(error instanceof JourneyError)) throw error;
        return `${name} (refused by the schema: ${error.message})`;
      }
      return name;
    }
    roll -= weight;
  }
  throw new Error('unreachable: no edit picked');
}
