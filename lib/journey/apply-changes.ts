import type * as Y from 'yjs';
import type { MapChange, Resolutions } from './map-change';
import { applyChangesToMap } from './merge-maps';
import type { EditOrigin } from './origin';
import {
  addConnections,
  addPainPoint,
  addStage,
  addTouchpoint,
  deleteAction,
  deleteConnection,
  deleteStage,
  deleteTouchpoints,
  moveStage,
  putAction,
  readMap,
  removePainPoint,
  renameStage,
  setStageAccountable,
  updateConnectionLabel,
  updatePainPoint,
  updateTouchpoint,
} from './schema';
import { keptInPlace } from './stage-order';
import type { Connection, JourneyMap, PainPoint, Stage, Touchpoint } from './types';
import type { PainPointPatch, TouchpointPatch } from './validation';

/**
 * Applies chosen changes of one side (and settled conflicts) to the live map
 * document of the other: the copy's changes to the master for a merge, the
 * master's to the copy for a refresh. Returns the map the document now holds.
 *
 * Everything is checked first, on the plain map (applyChangesToMap): an id
 * that does not exist or already does, a conflict without a resolution, a
 * resolution for something that is not a chosen conflict, a value the schema
 * refuses. Any of them throws a JourneyError and nothing is written. Then the
 * difference is written through the schema module in one transaction with
 * `origin` (the schema's own transactions join it), so the merge is one
 * update for peers, one entry in the store and one step of undo.
 */
export function applyChanges(
  doc: Y.Doc,
  changes: readonly MapChange[],
  resolutions: Resolutions,
  origin: EditOrigin,
): JourneyMap {
  const current = readMap(doc);
  const target = applyChangesToMap(current, changes, resolutions);
  doc.transact(() => writeDifference(doc, current, target, origin), origin);
  return target;
}

function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Writes what differs between `current` (what the document holds) and `target`; untouched entries are the same objects. */
function writeDifference(doc: Y.Doc, current: JourneyMap, target: JourneyMap, origin: EditOrigin): void {
  const targetStages = new Map(target.stages.map((stage) => [stage.id, stage] as const));
  const currentStages = new Map(current.stages.map((stage) => [stage.id, stage] as const));

  // Removals first: deleteStage unstages, deleteTouchpoints takes their connections along.
  for (const stage of current.stages) if (!targetStages.has(stage.id)) deleteStage(doc, stage.id, origin);
  const removedTouchpoints = new Set(Object.keys(current.touchpoints).filter((id) => own(target.touchpoints, id) === undefined));
  if (removedTouchpoints.size > 0) deleteTouchpoints(doc, [...removedTouchpoints], origin);
  for (const [id, before] of Object.entries(current.connections)) {
    const after = own(target.connections, id);
    if (after !== undefined && sameEnds(before, after)) continue;
    if (removedTouchpoints.has(before.source) || removedTouchpoints.has(before.target)) continue;
    deleteConnection(doc, id, origin);
  }

  placeStages(doc, current.stages.filter((stage) => targetStages.has(stage.id)), target.stages, origin);
  for (const after of target.stages) {
    const before = currentStages.get(after.id);
    if (before === undefined) continue;
    if (before.name !== after.name) renameStage(doc, after.id, after.name, origin);
    if (before.accountable !== after.accountable) setStageAccountable(doc, after.id, after.accountable, origin);
  }

  for (const [id, after] of Object.entries(target.touchpoints)) {
    const before = own(current.touchpoints, id);
    if (before === after) continue;
    if (before === undefined) addTouchpoint(doc, touchpointInput(after), origin);
    else updateTouchpointTo(doc, before, after, origin);
  }

  const links: Connection[] = [];
  for (const [id, after] of Object.entries(target.connections)) {
    const before = own(current.connections, id);
    if (before === after) continue;
    if (before === undefined || !sameEnds(before, after)) links.push(after);
    else if (before.label !== after.label) updateConnectionLabel(doc, id, after.label, origin);
  }
  if (links.length > 0) {
    const inputs = links.map(({ id, source, target: end, label }) => ({ id, source, target: end, label }));
    addConnections(doc, inputs, origin);
  }

  for (const id of Object.keys(current.actions)) if (own(target.actions, id) === undefined) deleteAction(doc, id, origin);
  for (const [id, after] of Object.entries(target.actions)) {
    if (own(current.actions, id) !== after) putAction(doc, after, origin);
  }
}

function sameEnds(a: Connection, b: Connection): boolean {
  return a.source === b.source && a.target === b.target;
}

/**
 * Adds and moves stages into the target order, moving as few as possible:
 * the stages that are already in the right relative order stay, and each
 * other one goes right after its predecessor in the target.
 */
function placeStages(doc: Y.Doc, current: readonly Stage[], target: readonly Stage[], origin: EditOrigin): void {
  const order = current.map((stage) => stage.id);
  const existing = new Set(order);
  const targetIds = target.map((stage) => stage.id);
  const stay = keptInPlace(order, targetIds);
  target.forEach((stage, index) => {
    if (stay.has(stage.id)) return;
    const at = order.indexOf(stage.id);
    if (at >= 0) order.splice(at, 1);
    const previous = index === 0 ? undefined : targetIds[index - 1];
    const to = previous === undefined ? 0 : order.indexOf(previous) + 1;
    if (existing.has(stage.id)) moveStage(doc, stage.id, to, origin);
    else addStage(doc, { id: stage.id, name: stage.name, accountable: stage.accountable, index: to }, origin);
    order.splice(to, 0, stage.id);
  });
}

function touchpointInput(touchpoint: Touchpoint) {
  return {
    id: touchpoint.id,
    label: touchpoint.label,
    stageId: touchpoint.stageId,
    channel: touchpoint.channel,
    owner: touchpoint.owner,
    emotion: touchpoint.emotion,
    contactVolume: touchpoint.contactVolume,
    externalKey: touchpoint.externalKey,
    x: touchpoint.x,
    y: touchpoint.y,
    painPoints: touchpoint.painPoints.map(painPointInput),
  };
}

function painPointInput(painPoint: PainPoint) {
  return { id: painPoint.id, text: painPoint.text, severity: painPoint.severity, frequency: painPoint.frequency };
}

function updateTouchpointTo(doc: Y.Doc, before: Touchpoint, after: Touchpoint, origin: EditOrigin): void {
  const patch: TouchpointPatch = {};
  if (before.stageId !== after.stageId) patch.stageId = after.stageId;
  if (before.label !== after.label) patch.label = after.label;
  if (before.channel !== after.channel) patch.channel = after.channel;
  if (before.owner !== after.owner) patch.owner = after.owner;
  if (before.emotion !== after.emotion) patch.emotion = after.emotion;
  if (before.contactVolume !== after.contactVolume) patch.contactVolume = after.contactVolume;
  if (before.externalKey !== after.externalKey) patch.externalKey = after.externalKey;
  if (before.x !== after.x) patch.x = after.x;
  if (before.y !== after.y) patch.y = after.y;
  if (Object.keys(patch).length > 0) updateTouchpoint(doc, after.id, patch, origin);

  if (before.painPoints === after.painPoints) return;
  const wanted = new Map(after.painPoints.map((painPoint) => [painPoint.id, painPoint] as const));
  const had = new Map(before.painPoints.map((painPoint) => [painPoint.id, painPoint] as const));
  for (const painPoint of before.painPoints) {
    const next = wanted.get(painPoint.id);
    if (next === undefined) {
      removePainPoint(doc, after.id, painPoint.id, origin);
      continue;
    }
    const change: PainPointPatch = {};
    if (next.text !== painPoint.text) change.text = next.text;
    if (next.severity !== painPoint.severity) change.severity = next.severity;
    if (next.frequency !== painPoint.frequency) change.frequency = next.frequency;
    if (Object.keys(change).length > 0) updatePainPoint(doc, after.id, painPoint.id, change, origin);
  }
  for (const painPoint of after.painPoints) {
    if (!had.has(painPoint.id)) addPainPoint(doc, after.id, painPointInput(painPoint), origin);
  }
}
