import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  JourneyError,
  addConnection,
  addPainPoint,
  addStage,
  addTouchpoint,
  applyChanges,
  applyChangesToMap,
  deleteConnection,
  deleteStage,
  deleteTouchpoint,
  demoMap,
  diffMaps,
  mapUndoScope,
  mergeMaps,
  moveStage,
  moveTouchpointToStage,
  readMap,
  removePainPoint,
  renameStage,
  setStageAccountable,
  updateConnectionLabel,
  updatePainPoint,
  updateTouchpoint,
  writeMap,
  type EditOrigin,
  type JourneyErrorCode,
  type JourneyMap,
  type MapChange,
  type MapConflict,
  type OneSidedChange,
  type Resolutions,
} from '../../lib/journey/index';
import { originsOf } from './transactions';

/**
 * diffMaps / applyChanges / mergeMaps (issue 7 §2), case by case. A fork is a
 * master document and a copy document that start from the same map; `base`
 * is that map. The master is "ours", the copy "theirs".
 */

const system: EditOrigin = { userId: 'system', kind: 'system' };
const lead: EditOrigin = { userId: 'lead', kind: 'local' };
const workshop: EditOrigin = { userId: 'workshop', kind: 'local' };
const merger: EditOrigin = { userId: 'lead', kind: 'local' };

function smallMap(): JourneyMap {
  const touchpoint = (id: string, stageId: string | null, label: string, owner: string | null, x: number) => ({
    id, kind: 'touchpoint' as const, stageId, label, channel: 'web' as const, owner, emotion: 0, contactVolume: 100, x, y: 200,
    painPoints: [], externalKey: null,
  });
  return {
    meta: { schemaVersion: 2, title: 'Moving house', persona: 'Sam', hubId: 'hub', reviewedAt: null, reviewedBy: null },
    stages: [
      { id: 's-discover', name: 'Discover', accountable: null },
      { id: 's-buy', name: 'Buy', accountable: 'Sales' },
      { id: 's-use', name: 'Use', accountable: null },
    ],
    touchpoints: {
      hub: { ...touchpoint('hub', null, 'Contact center', 'Contact Center', 400), kind: 'hub', channel: 'phone' },
      'tp-ad': {
        ...touchpoint('tp-ad', 's-discover', 'Social ad', 'Marketing', 30),
        painPoints: [{ id: 'pp-ad', text: 'Promo price hides the real price', severity: 3, frequency: 4 }],
      },
      'tp-checkout': {
        ...touchpoint('tp-checkout', 's-buy', 'Online checkout', 'E-commerce', 310),
        painPoints: [
          { id: 'pp-flat', text: 'Rejects flat numbers', severity: 4, frequency: 3 },
          { id: 'pp-slow', text: 'Slow payment page', severity: 2, frequency: 2 },
        ],
      },
      'tp-bill': touchpoint('tp-bill', 's-use', 'First bill', 'Billing', 590),
      'tp-app': touchpoint('tp-app', 's-use', 'Account app', null, 600),
    },
    connections: {
      'cx-ad-checkout': { id: 'cx-ad-checkout', source: 'tp-ad', target: 'tp-checkout', label: '' },
      'cx-checkout-hub': { id: 'cx-checkout-hub', source: 'tp-checkout', target: 'hub', label: 'calls' },
      'cx-bill-hub': { id: 'cx-bill-hub', source: 'tp-bill', target: 'hub', label: '' },
    },
    actions: {},
  };
}

class Fork {
  readonly base: JourneyMap;
  readonly master = new Y.Doc();
  readonly copy = new Y.Doc();

  constructor(map: JourneyMap = smallMap()) {
    writeMap(this.master, map, system);
    Y.applyUpdate(this.copy, Y.encodeStateAsUpdate(this.master));
    this.base = readMap(this.master);
  }

  diff(): MapChange[] {
    return diffMaps(this.base, readMap(this.master), readMap(this.copy));
  }

  /** Merges the copy's changes (and the conflicts) into the master. */
  merge(resolutions: Resolutions = {}, changes = this.diff()): JourneyMap {
    return applyChanges(this.master, changes.filter((change) => change.side !== 'master'), resolutions, merger);
  }

  /** Pulls the master's changes (and the conflicts) into the copy; pass the diff from before a merge to do both. */
  refresh(resolutions: Resolutions = {}, changes = this.diff()): JourneyMap {
    return applyChanges(this.copy, changes.filter((change) => change.side !== 'copy'), resolutions, merger);
  }
}

function only(changes: MapChange[]): MapChange {
  expect(changes).toHaveLength(1);
  const [change] = changes;
  if (change === undefined) throw new Error('no change');
  return change;
}

function conflictIn(changes: MapChange[], id: string): MapConflict {
  const change = changes.find((entry) => entry.id === id);
  if (change === undefined || !change.conflict) throw new Error(`no conflict ${id} in ${changes.map((entry) => entry.id).join(', ')}`);
  return change;
}

function ids(changes: MapChange[]): string[] {
  return changes.map((change) => change.id);
}

/** Pain points in a stable order: a pain point brought back is appended, so order is not part of the comparison. */
function comparable(map: JourneyMap): JourneyMap {
  const touchpoints = Object.fromEntries(
    Object.entries(map.touchpoints).map(([id, touchpoint]) => [
      id,
      { ...touchpoint, painPoints: [...touchpoint.painPoints].sort((a, b) => (a.id < b.id ? -1 : 1)) },
    ]),
  );
  return { ...map, touchpoints };
}

function encodedState(doc: Y.Doc): string {
  return Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64');
}


/** `write` throws a JourneyError with `code` (and a message matching `message`) and the document is untouched. */
function expectRefused(doc: Y.Doc, code: JourneyErrorCode, message: RegExp, write: () => unknown): void {
  const before = encodedState(doc);
  let error: unknown = null;
  const origins = originsOf(doc, () => {
    try {
      write();
    } catch (caught) {
      error = caught;
    }
  });
  expect(error).toBeInstanceOf(JourneyError);
  expect(error).toMatchObject({ code });
  expect((error as Error).message).toMatch(message);
  expect(origins).toEqual([]);
  expect(encodedState(doc)).toBe(before);
}

describe('diffMaps: nothing changed (issue 7 §2, property 1 by hand)', () => {
  it('finds no change between a map and itself', () => {
    const { map } = demoMap();
    expect(diffMaps(map, map, map)).toEqual([]);
    const fork = new Fork();
    expect(fork.diff()).toEqual([]);
  });

  it('finds no change when both sides made the same edits', () => {
    const fork = new Fork();
    for (const [doc, origin] of [[fork.master, lead], [fork.copy, workshop]] as const) {
      renameStage(doc, 's-buy', 'Purchase', origin);
      updateTouchpoint(doc, 'tp-bill', { owner: 'Finance', x: 700, y: 10 }, origin);
      deleteTouchpoint(doc, 'tp-app', origin);
      removePainPoint(doc, 'tp-checkout', 'pp-slow', origin);
      addStage(doc, { id: 's-renew', name: 'Renew', accountable: 'Retention' }, origin);
    }
    expect(fork.diff()).toEqual([]);
  });
});

describe('diffMaps: the kinds of change on one side (issue 7 §2)', () => {
  it('stage added, removed, renamed, moved, accountable changed', () => {
    const fork = new Fork();
    addStage(fork.copy, { id: 's-onboard', name: 'Onboard', index: 2 }, workshop);
    renameStage(fork.copy, 's-discover', 'Explore', workshop);
    setStageAccountable(fork.copy, 's-buy', 'E-commerce', workshop);
    moveStage(fork.copy, 's-use', 0, workshop);
    const changes = fork.diff();
    expect(changes).toEqual([
      expect.objectContaining({
        id: 'stage:s-discover:name', kind: 'stage.renamed', side: 'copy', conflict: false, field: 'name',
        before: 'Discover', after: 'Explore', stageId: 's-discover', summary: 'Renamed stage "Discover" to "Explore"',
        target: { type: 'stage', stageId: 's-discover' },
      }),
      expect.objectContaining({
        id: 'stage:s-buy:accountable', kind: 'stage.accountableChanged', before: 'Sales', after: 'E-commerce',
        summary: 'Made "E-commerce" accountable for stage "Buy" instead of "Sales"',
      }),
      expect.objectContaining({
        id: 'stage:s-use:position', kind: 'stage.moved', field: 'position', before: 's-buy', after: null,
        summary: 'Moved stage "Use" to the start',
      }),
      expect.objectContaining({
        id: 'stage:s-onboard:added', kind: 'stage.added', before: null,
        after: { id: 's-onboard', name: 'Onboard', accountable: null },
        summary: 'Added stage "Onboard" after "Buy"',
        placement: { follows: 's-buy', anchor: 's-buy', slot: 0, baseOrder: ['s-discover', 's-buy', 's-use'] },
      }),
    ]);

    const removal = new Fork();
    deleteStage(removal.copy, 's-use', workshop);
    expect(only(removal.diff())).toMatchObject({
      id: 'stage:s-use:removed', kind: 'stage.removed', side: 'copy', before: { id: 's-use', name: 'Use' }, after: null,
      unstages: ['tp-bill', 'tp-app'], summary: 'Removed stage "Use"; 2 touchpoints in it become unstaged',
    });
  });

  it('touchpoint added, removed, moved to a stage, each field changed, moved on the canvas', () => {
    const fork = new Fork();
    addTouchpoint(fork.copy, { id: 'tp-chat', label: 'Sales chat', stageId: 's-buy', channel: 'chat' }, workshop);
    deleteTouchpoint(fork.copy, 'tp-app', workshop);
    moveTouchpointToStage(fork.copy, 'tp-bill', 's-buy', workshop);
    updateTouchpoint(
      fork.copy,
      'tp-checkout',
      { label: 'Checkout', channel: 'app', owner: null, emotion: -2, contactVolume: 380, x: 320, y: 260 },
      workshop,
    );
    const changes = fork.diff();
    expect(ids(changes)).toEqual([
      'tp:tp-checkout:label',
      'tp:tp-checkout:channel',
      'tp:tp-checkout:owner',
      'tp:tp-checkout:emotion',
      'tp:tp-checkout:contactVolume',
      'tp:tp-checkout:position',
      'tp:tp-bill:stageId',
      'tp:tp-chat:added',
      'tp:tp-app:removed',
    ]);
    expect(changes.map((change) => change.summary)).toEqual([
      'Renamed touchpoint "Online checkout" to "Checkout"',
      'Changed the channel of touchpoint "Checkout" from web to app',
      'Removed the owner of touchpoint "Checkout" (was "E-commerce")',
      'Changed the emotion at touchpoint "Checkout" from 0 to -2',
      'Changed the contact volume of touchpoint "Checkout" from 100 to 380 a month',
      'Moved touchpoint "Checkout" on the canvas',
      'Moved touchpoint "First bill" from stage "Use" to stage "Buy"',
      'Added touchpoint "Sales chat" to stage "Buy"',
      'Removed touchpoint "Account app"',
    ]);
    expect(changes.every((change) => change.side === 'copy' && !change.conflict)).toBe(true);
    expect(changes.find((change) => change.id === 'tp:tp-checkout:position')).toMatchObject({
      kind: 'touchpoint.repositioned', before: { x: 310, y: 200 }, after: { x: 320, y: 260 }, stageId: 's-buy',
    });
    expect(changes.find((change) => change.id === 'tp:tp-bill:stageId')).toMatchObject({
      kind: 'touchpoint.movedToStage', before: 's-use', after: 's-buy', stageId: 's-buy',
    });
  });

  it("a touchpoint's external key set or removed in the copy (schema v2) is a change, and merges into the master", () => {
    const fork = new Fork();
    updateTouchpoint(fork.copy, 'tp-checkout', { externalKey: 'CR-CHECKOUT' }, workshop);
    const change = only(fork.diff());
    expect(change).toMatchObject({ id: 'tp:tp-checkout:externalKey', before: null, after: 'CR-CHECKOUT', summary: 'Set the external key of touchpoint "Online checkout" to "CR-CHECKOUT"' });
    fork.merge();
    expect(readMap(fork.master).touchpoints['tp-checkout']?.externalKey).toBe('CR-CHECKOUT');
    const later = new Fork(readMap(fork.master));
    updateTouchpoint(later.copy, 'tp-checkout', { externalKey: null }, workshop);
    expect(only(later.diff()).summary).toBe('Removed the external key of touchpoint "Online checkout" (was "CR-CHECKOUT")');
  });

  it('pain point added, removed, edited', () => {
    const fork = new Fork();
    addPainPoint(fork.copy, 'tp-bill', { id: 'pp-higher', text: 'Higher than quoted', severity: 4, frequency: 4 }, workshop);
    removePainPoint(fork.copy, 'tp-checkout', 'pp-slow', workshop);
    updatePainPoint(fork.copy, 'tp-checkout', 'pp-flat', { severity: 5, text: 'Rejects flat and house numbers' }, workshop);
    expect(fork.diff()).toEqual([
      expect.objectContaining({
        id: 'pp:tp-checkout:pp-flat:text', kind: 'painPoint.edited', field: 'text',
        target: { type: 'painPoint', touchpointId: 'tp-checkout', painPointId: 'pp-flat' },
        summary: 'Reworded pain point "Rejects flat numbers" on touchpoint "Online checkout" to "Rejects flat and house numbers"',
      }),
      expect.objectContaining({ id: 'pp:tp-checkout:pp-flat:severity', before: 4, after: 5, stageId: 's-buy' }),
      expect.objectContaining({
        id: 'pp:tp-checkout:pp-slow:removed', kind: 'painPoint.removed',
        summary: 'Removed pain point "Slow payment page" from touchpoint "Online checkout"',
      }),
      expect.objectContaining({
        id: 'pp:tp-bill:pp-higher:added', kind: 'painPoint.added', stageId: 's-use',
        summary: 'Added pain point "Higher than quoted" to touchpoint "First bill"',
      }),
    ]);
  });

  it('connection added, removed, relabeled', () => {
    const fork = new Fork();
    addConnection(fork.copy, { id: 'cx-app-hub', source: 'tp-app', target: 'hub', label: 'chat' }, workshop);
    deleteConnection(fork.copy, 'cx-ad-checkout', workshop);
    updateConnectionLabel(fork.copy, 'cx-checkout-hub', 'payment questions', workshop);
    expect(fork.diff()).toEqual([
      expect.objectContaining({
        id: 'cx:cx-ad-checkout:removed', kind: 'connection.removed', stageId: 's-discover',
        summary: 'Disconnected "Social ad" to "Online checkout"',
      }),
      expect.objectContaining({
        id: 'cx:cx-checkout-hub:label', kind: 'connection.relabeled', before: 'calls', after: 'payment questions',
        summary: 'Labeled the connection from "Online checkout" to "Contact center" "payment questions"',
      }),
      expect.objectContaining({
        id: 'cx:cx-app-hub:added', kind: 'connection.added', stageId: 's-use',
        after: { id: 'cx-app-hub', source: 'tp-app', target: 'hub', label: 'chat' },
      }),
    ]);
  });

  it("names the master's changes 'master' and the copy's 'copy'", () => {
    const fork = new Fork();
    renameStage(fork.master, 's-buy', 'Purchase', lead);
    renameStage(fork.copy, 's-use', 'Live with it', workshop);
    expect(fork.diff().map((change) => [change.id, change.side])).toEqual([
      ['stage:s-buy:name', 'master'],
      ['stage:s-use:name', 'copy'],
    ]);
  });

  it('gives the same ids when computed twice, one per change, URI-encoded', () => {
    const fork = new Fork();
    addStage(fork.copy, { id: 'odd:id', name: 'Odd' }, workshop);
    updateTouchpoint(fork.copy, 'tp-bill', { label: 'Bill' }, workshop);
    updateTouchpoint(fork.master, 'tp-bill', { label: 'Invoice', owner: 'Finance' }, lead);
    deleteTouchpoint(fork.master, 'tp-app', lead);
    const first = fork.diff();
    const second = diffMaps(structuredClone(fork.base), readMap(fork.master), readMap(fork.copy));
    expect(ids(second)).toEqual(ids(first));
    expect(new Set(ids(first)).size).toBe(first.length);
    expect(ids(first)).toContain('stage:odd%3Aid:added');
  });
});

describe('diffMaps and applyChanges: conflicts (issue 7 §2)', () => {
  it('the same field changed on both sides to different values is a conflict; the resolution picks the value', () => {
    const fork = new Fork();
    renameStage(fork.master, 's-buy', 'Purchase', lead);
    renameStage(fork.copy, 's-buy', 'Order', workshop);
    updateTouchpoint(fork.master, 'tp-bill', { owner: 'Finance' }, lead);
    updateTouchpoint(fork.copy, 'tp-bill', { owner: 'Billing ops' }, workshop);
    const changes = fork.diff();
    const rename = conflictIn(changes, 'stage:s-buy:name');
    expect(rename).toMatchObject({
      kind: 'conflict', side: 'both', conflict: true, field: 'name', stageId: 's-buy',
      target: { type: 'stage', stageId: 's-buy' },
      master: { kind: 'stage.renamed', before: 'Buy', after: 'Purchase' },
      copy: { kind: 'stage.renamed', before: 'Buy', after: 'Order' },
      summary: 'Conflict: the master renamed stage "Buy" to "Purchase"; the copy renamed stage "Buy" to "Order"',
    });
    expect(conflictIn(changes, 'tp:tp-bill:owner')).toMatchObject({ master: { after: 'Finance' }, copy: { after: 'Billing ops' } });
    expect(changes).toHaveLength(2);

    const merged = fork.merge({ 'stage:s-buy:name': 'copy', 'tp:tp-bill:owner': 'master' });
    expect(merged.stages[1]?.name).toBe('Order');
    expect(merged.touchpoints['tp-bill']?.owner).toBe('Finance');
    expect(readMap(fork.master)).toEqual(merged);
  });

  it('the same change on both sides is not a conflict, and leaves nothing to apply', () => {
    const fork = new Fork();
    for (const [doc, origin] of [[fork.master, lead], [fork.copy, workshop]] as const) {
      setStageAccountable(doc, 's-use', 'Field Operations', origin);
      updatePainPoint(doc, 'tp-ad', 'pp-ad', { severity: 5 }, origin);
    }
    updatePainPoint(fork.copy, 'tp-ad', 'pp-ad', { frequency: 1 }, workshop);
    const changes = fork.diff();
    expect(changes.some((change) => change.conflict)).toBe(false);
    expect(ids(changes)).toEqual(['pp:tp-ad:pp-ad:frequency']);
    const merged = fork.merge();
    expect(merged.stages[2]?.accountable).toBe('Field Operations');
    expect(merged.touchpoints['tp-ad']?.painPoints[0]).toMatchObject({ severity: 5, frequency: 1 });
  });

  it('x/y moved on both sides: never a conflict, the copy (theirs) wins, merged or refreshed', () => {
    const fork = new Fork();
    updateTouchpoint(fork.master, 'tp-bill', { x: 900, y: 900 }, lead);
    updateTouchpoint(fork.copy, 'tp-bill', { x: 620 }, workshop);
    updateTouchpoint(fork.master, 'tp-app', { y: 450 }, lead);
    const changes = fork.diff();
    expect(changes.map((change) => [change.id, change.side, change.conflict])).toEqual([
      ['tp:tp-bill:position', 'copy', false],
      ['tp:tp-app:position', 'master', false],
    ]);
    const merged = fork.merge({}, changes);
    const refreshed = fork.refresh({}, changes);
    for (const map of [merged, refreshed]) {
      expect(map.touchpoints['tp-bill']).toMatchObject({ x: 620, y: 200 });
      expect(map.touchpoints['tp-app']).toMatchObject({ x: 600, y: 450 });
    }
  });

  it('an edit on one side of a touchpoint the other removed is a conflict; the resolution keeps or removes it', () => {
    const setUp = (): Fork => {
      const fork = new Fork();
      deleteTouchpoint(fork.master, 'tp-checkout', lead);
      updateTouchpoint(fork.copy, 'tp-checkout', { label: 'Checkout v2' }, workshop);
      addPainPoint(fork.copy, 'tp-checkout', { id: 'pp-3ds', text: '3-D Secure loops', severity: 4, frequency: 2 }, workshop);
      addConnection(fork.copy, { id: 'cx-checkout-bill', source: 'tp-checkout', target: 'tp-bill' }, workshop);
      return fork;
    };
    const fork = setUp();
    const changes = fork.diff();
    // Everything the copy did to the touchpoint is in the one conflict.
    expect(ids(changes)).toEqual(['tp:tp-checkout:removed']);
    const conflict = conflictIn(changes, 'tp:tp-checkout:removed');
    expect(conflict.master).toMatchObject({
      kind: 'touchpoint.removed', connections: ['cx-ad-checkout', 'cx-checkout-hub', 'cx-checkout-bill'],
    });
    expect(conflict.copy).toMatchObject({ kind: 'touchpoint.kept', after: { label: 'Checkout v2' } });
    if (conflict.copy.kind !== 'touchpoint.kept') throw new Error('expected the kept touchpoint');
    expect(conflict.copy.edits.map((edit) => edit.kind)).toEqual(['touchpoint.changed', 'painPoint.added', 'connection.added']);

    const kept = fork.merge({ 'tp:tp-checkout:removed': 'copy' });
    expect(kept.touchpoints['tp-checkout']).toEqual(readMap(fork.copy).touchpoints['tp-checkout']);
    expect(Object.keys(kept.connections).sort()).toEqual(
      ['cx-ad-checkout', 'cx-bill-hub', 'cx-checkout-bill', 'cx-checkout-hub'],
    );
    expect(readMap(fork.master)).toEqual(kept);

    const removed = setUp();
    const removedChanges = removed.diff();
    const map = removed.merge({ 'tp:tp-checkout:removed': 'master' }, removedChanges);
    expect(map.touchpoints['tp-checkout']).toBeUndefined();
    expect(Object.keys(map.connections)).toEqual(['cx-bill-hub']);
    const refreshed = removed.refresh({ 'tp:tp-checkout:removed': 'master' }, removedChanges);
    expect(refreshed).toEqual(map);
  });

  it('a touchpoint only dragged on the canvas by one side and removed by the other is removed, no conflict', () => {
    const fork = new Fork();
    deleteTouchpoint(fork.master, 'tp-app', lead);
    updateTouchpoint(fork.copy, 'tp-app', { x: 10, y: 10 }, workshop);
    expect(fork.diff().map((change) => [change.id, change.side, change.conflict])).toEqual([['tp:tp-app:removed', 'master', false]]);
    expect(fork.refresh().touchpoints['tp-app']).toBeUndefined();
  });

  it('a stage renamed on one side and removed on the other is a conflict; keeping it brings back its place and touchpoints', () => {
    const fork = new Fork();
    deleteStage(fork.master, 's-buy', lead);
    renameStage(fork.copy, 's-buy', 'Purchase', workshop);
    const changes = fork.diff();
    expect(ids(changes)).toEqual(['stage:s-buy:removed']);
    const conflict = conflictIn(changes, 'stage:s-buy:removed');
    expect(conflict.master).toMatchObject({ kind: 'stage.removed', unstages: ['tp-checkout'] });
    expect(conflict.copy).toMatchObject({ kind: 'stage.kept', after: { name: 'Purchase' }, members: ['tp-checkout'] });
    expect(readMap(fork.master).touchpoints['tp-checkout']?.stageId).toBeNull();

    const merged = fork.merge({ 'stage:s-buy:removed': 'copy' }, changes);
    expect(merged.stages.map((stage) => stage.name)).toEqual(['Discover', 'Purchase', 'Use']);
    expect(merged.touchpoints['tp-checkout']?.stageId).toBe('s-buy');
    expect(fork.refresh({ 'stage:s-buy:removed': 'copy' }, changes)).toEqual(merged);
  });

  it('a stage removed on one side while the other moved a touchpoint into it: the touchpoint becomes unstaged', () => {
    const fork = new Fork();
    deleteStage(fork.master, 's-discover', lead);
    moveTouchpointToStage(fork.copy, 'tp-bill', 's-discover', workshop, { x: 40, y: 300 });
    addTouchpoint(fork.copy, { id: 'tp-flyer', label: 'Flyer', stageId: 's-discover' }, workshop);
    const changes = fork.diff();
    expect(changes.some((change) => change.conflict)).toBe(false);
    expect(changes.map((change) => [change.id, change.side])).toEqual([
      ['stage:s-discover:removed', 'master'],
      ['tp:tp-bill:stageId', 'copy'],
      ['tp:tp-bill:position', 'copy'],
      ['tp:tp-flyer:added', 'copy'],
    ]);
    const merged = fork.merge({}, changes);
    const refreshed = fork.refresh({}, changes);
    for (const map of [merged, refreshed]) {
      expect(map.stages.map((stage) => stage.id)).toEqual(['s-buy', 's-use']);
      expect(map.touchpoints['tp-bill']).toMatchObject({ stageId: null, x: 40, y: 300 });
      expect(map.touchpoints['tp-flyer']?.stageId).toBeNull();
      expect(map.touchpoints['tp-ad']?.stageId).toBeNull();
    }
    expect(refreshed).toEqual(merged);
  });

  it('a pain point edited on one side and removed on the other is a conflict', () => {
    const fork = new Fork();
    removePainPoint(fork.master, 'tp-checkout', 'pp-flat', lead);
    updatePainPoint(fork.copy, 'tp-checkout', 'pp-flat', { severity: 5 }, workshop);
    const conflict = only(fork.diff());
    expect(conflict).toMatchObject({
      id: 'pp:tp-checkout:pp-flat:removed', conflict: true,
      master: { kind: 'painPoint.removed' }, copy: { kind: 'painPoint.kept', after: { id: 'pp-flat', severity: 5 } },
    });
    const merged = fork.merge({ 'pp:tp-checkout:pp-flat:removed': 'copy' });
    expect(merged.touchpoints['tp-checkout']?.painPoints.map((painPoint) => [painPoint.id, painPoint.severity])).toEqual([
      ['pp-slow', 2],
      ['pp-flat', 5],
    ]);
  });

  it('a connection relabeled on one side and removed on the other is a conflict', () => {
    const fork = new Fork();
    deleteConnection(fork.master, 'cx-checkout-hub', lead);
    updateConnectionLabel(fork.copy, 'cx-checkout-hub', 'payment questions', workshop);
    expect(only(fork.diff())).toMatchObject({
      id: 'cx:cx-checkout-hub:removed', conflict: true,
      master: { kind: 'connection.removed' }, copy: { kind: 'connection.kept', after: { label: 'payment questions' } },
    });
    expect(fork.merge({ 'cx:cx-checkout-hub:removed': 'copy' }).connections['cx-checkout-hub']?.label).toBe('payment questions');
  });

  it('a stage moved on both sides: after the same stage is no conflict, elsewhere is', () => {
    const same = new Fork();
    moveStage(same.master, 's-use', 0, lead);
    moveStage(same.copy, 's-use', 0, workshop);
    expect(same.diff()).toEqual([]);

    const fork = new Fork();
    moveStage(fork.master, 's-discover', 2, lead);
    moveStage(fork.copy, 's-discover', 1, workshop);
    const conflict = only(fork.diff());
    expect(conflict).toMatchObject({
      id: 'stage:s-discover:position', conflict: true,
      master: { kind: 'stage.moved', after: 's-use' }, copy: { kind: 'stage.moved', after: 's-buy' },
    });
    expect(fork.merge({ 'stage:s-discover:position': 'copy' }).stages.map((stage) => stage.id)).toEqual(['s-buy', 's-discover', 's-use']);
  });

  it('stages added and moved on both sides land in the same order, merged or refreshed', () => {
    const fork = new Fork();
    addStage(fork.master, { id: 's-m', name: 'Master stage', index: 1 }, lead);
    moveStage(fork.master, 's-use', 0, lead);
    addStage(fork.copy, { id: 's-c', name: 'Copy stage', index: 1 }, workshop);
    moveStage(fork.copy, 's-buy', 3, workshop);
    const changes = fork.diff();
    expect(changes.some((change) => change.conflict)).toBe(false);
    const merged = fork.merge({}, changes);
    expect(merged.stages.map((stage) => stage.id)).toEqual(['s-use', 's-discover', 's-c', 's-m', 's-buy']);
    expect(fork.refresh({}, changes)).toEqual(merged);
  });

  it('the same id added on both sides: nothing when equal, one conflict over the whole thing when not', () => {
    const fork = new Fork();
    for (const [doc, origin] of [[fork.master, lead], [fork.copy, workshop]] as const) {
      addTouchpoint(doc, { id: 'tp-same', label: 'Same', stageId: 's-buy' }, origin);
    }
    addTouchpoint(fork.master, { id: 'tp-twice', label: 'Chat bot', stageId: 's-buy' }, lead);
    addTouchpoint(fork.copy, { id: 'tp-twice', label: 'Chatbot', stageId: 's-use', owner: 'IT' }, workshop);
    const conflict = only(fork.diff());
    expect(conflict).toMatchObject({
      id: 'tp:tp-twice:added', conflict: true,
      master: { kind: 'touchpoint.added', after: { label: 'Chat bot' } },
      copy: { kind: 'touchpoint.added', after: { label: 'Chatbot', stageId: 's-use', owner: 'IT' } },
    });
    const merged = fork.merge({ 'tp:tp-twice:added': 'copy' });
    expect(merged.touchpoints['tp-twice']).toEqual(readMap(fork.copy).touchpoints['tp-twice']);
  });

  it('ids that name properties of Object.prototype are ids like any other', () => {
    const fork = new Fork();
    addStage(fork.copy, { id: 'constructor', name: 'Odd stage' }, workshop);
    addTouchpoint(fork.copy, { id: '__proto__', label: 'Odd touchpoint', stageId: 'constructor' }, workshop);
    addTouchpoint(fork.copy, { id: 'toString', label: 'Another' }, workshop);
    addConnection(fork.copy, { id: 'hasOwnProperty', source: '__proto__', target: 'toString' }, workshop);
    const changes = fork.diff();
    expect(ids(changes)).toEqual([
      'stage:constructor:added',
      'tp:__proto__:added',
      'tp:toString:added',
      'cx:hasOwnProperty:added',
    ]);
    const merged = fork.merge({}, changes);
    expect(Object.hasOwn(merged.touchpoints, '__proto__')).toBe(true);
    expect(merged.touchpoints['__proto__']?.stageId).toBe('constructor');
    expect(readMap(fork.master)).toEqual(readMap(fork.copy));
    expect(fork.diff()).toEqual([]);
  });

  it('the same link added on both sides is not a change, and never a duplicate', () => {
    const fork = new Fork();
    addConnection(fork.master, { id: 'cx-m', source: 'tp-app', target: 'hub' }, lead);
    addConnection(fork.copy, { id: 'cx-c', source: 'hub', target: 'tp-app' }, workshop);
    expect(fork.diff()).toEqual([]);

    const stale = new Fork();
    addConnection(stale.copy, { id: 'cx-c', source: 'hub', target: 'tp-app' }, workshop);
    const changes = stale.diff();
    // The master linked the two touchpoints after the diff: the copy's link is already there.
    addConnection(stale.master, { id: 'cx-m', source: 'tp-app', target: 'hub' }, lead);
    const merged = applyChanges(stale.master, changes, {}, merger);
    expect(Object.keys(merged.connections).sort()).toEqual(['cx-ad-checkout', 'cx-bill-hub', 'cx-checkout-hub', 'cx-m']);
  });
});

describe('applyChanges', () => {
  function busyFork(): Fork {
    const fork = new Fork();
    renameStage(fork.master, 's-buy', 'Purchase', lead);
    renameStage(fork.copy, 's-buy', 'Order', workshop);
    addStage(fork.copy, { id: 's-renew', name: 'Renew' }, workshop);
    addTouchpoint(fork.copy, { id: 'tp-renewal', label: 'Renewal letter', stageId: 's-renew' }, workshop);
    addConnection(fork.copy, { id: 'cx-renewal-hub', source: 'tp-renewal', target: 'hub' }, workshop);
    deleteTouchpoint(fork.copy, 'tp-app', workshop);
    updatePainPoint(fork.copy, 'tp-ad', 'pp-ad', { frequency: 5 }, workshop);
    return fork;
  }
  const resolutions = { 'stage:s-buy:name': 'copy' } as const;

  it('writes in ONE transaction with the caller origin: the schema writes nested in it join it', () => {
    const fork = busyFork();
    const changes = fork.diff().filter((change) => change.side !== 'master');
    expect(changes.length).toBeGreaterThan(4);
    const origins = originsOf(fork.master, () => applyChanges(fork.master, changes, resolutions, merger));
    expect(origins).toHaveLength(1);
    expect(origins[0]).toBe(merger);
  });

  it('is one step of undo for the user who merged', () => {
    const fork = busyFork();
    const before = readMap(fork.master);
    const undo = new Y.UndoManager(mapUndoScope(fork.master), { trackedOrigins: new Set([merger]) });
    fork.merge(resolutions);
    expect(undo.undoStack).toHaveLength(1);
    undo.undo();
    expect(readMap(fork.master)).toEqual(before);
  });

  it('returns the map the document now holds, which mergeMaps previews', () => {
    const fork = busyFork();
    const changes = fork.diff();
    const chosen = ids(changes).filter((id) => id !== 'pp:tp-ad:pp-ad:frequency');
    const preview = mergeMaps(fork.base, readMap(fork.master), readMap(fork.copy), chosen, resolutions);
    const merged = applyChanges(
      fork.master,
      changes.filter((change) => change.side !== 'master' && chosen.includes(change.id)),
      resolutions,
      merger,
    );
    expect(merged).toEqual(preview);
    expect(readMap(fork.master)).toEqual(merged);
    expect(merged.touchpoints['tp-ad']?.painPoints[0]?.frequency).toBe(4);
    expect(merged.touchpoints['tp-renewal']?.stageId).toBe('s-renew');
  });

  it('a merge and a refresh with the same resolutions end at the same map', () => {
    const fork = busyFork();
    updateTouchpoint(fork.master, 'tp-bill', { contactVolume: 1350 }, lead);
    addPainPoint(fork.master, 'tp-bill', { id: 'pp-pro-rata', text: 'Pro-rata unexplained', severity: 3, frequency: 4 }, lead);
    const changes = fork.diff();
    const merged = fork.merge(resolutions);
    const refreshed = applyChanges(fork.copy, changes.filter((change) => change.side !== 'copy'), resolutions, merger);
    expect(comparable(refreshed)).toEqual(comparable(merged));
  });

  it('a touchpoint added into a stage whose addition was not chosen is added unstaged', () => {
    const fork = busyFork();
    const changes = fork.diff().filter((change) => change.id === 'tp:tp-renewal:added');
    expect(applyChanges(fork.master, changes, {}, merger).touchpoints['tp-renewal']?.stageId).toBeNull();
  });

  describe('refuses bad input before writing anything', () => {
    const copySide = (fork: Fork): MapChange[] => fork.diff().filter((change) => change.side !== 'master');
    const edit = (fork: Fork, id: string): OneSidedChange => {
      const change = fork.diff().find((entry) => entry.id === id);
      if (change === undefined || change.conflict) throw new Error(`no one-sided change ${id}`);
      return change;
    };

    it('a conflict without a resolution', () => {
      const fork = busyFork();
      expectRefused(fork.master, 'invalid', /conflict "stage:s-buy:name" needs a resolution: "master" or "copy"/, () =>
        applyChanges(fork.master, copySide(fork), {}, merger),
      );
    });

    it('a resolution that is neither side', () => {
      const fork = busyFork();
      const bad = JSON.parse('{"stage:s-buy:name":"theirs"}') as Resolutions;
      expectRefused(fork.master, 'invalid', /must be "master" or "copy" \(got "theirs"\)/, () =>
        applyChanges(fork.master, copySide(fork), bad, merger),
      );
    });

    it('a resolution for an unknown change id, or for a change that is not a conflict', () => {
      const fork = busyFork();
      expectRefused(fork.master, 'invalid', /resolution for "stage:nope:name", which is not one of the changes/, () =>
        applyChanges(fork.master, copySide(fork), { ...resolutions, 'stage:nope:name': 'copy' }, merger),
      );
      expectRefused(fork.master, 'invalid', /"tp:tp-app:removed" is not a conflict/, () =>
        applyChanges(fork.master, copySide(fork), { ...resolutions, 'tp:tp-app:removed': 'copy' }, merger),
      );
    });

    it('a change listed twice', () => {
      const fork = busyFork();
      const change = edit(fork, 'tp:tp-app:removed');
      expectRefused(fork.master, 'invalid', /listed more than once/, () => applyChanges(fork.master, [change, change], {}, merger));
    });

    it('a change to something removed since the diff, after valid changes in the same call', () => {
      const fork = busyFork();
      const changes = copySide(fork);
      deleteTouchpoint(fork.master, 'tp-ad', lead);
      expectRefused(fork.master, 'not_found', /change "pp:tp-ad:pp-ad:frequency": touchpoint "tp-ad" does not exist/, () =>
        applyChanges(fork.master, changes, resolutions, merger),
      );
    });

    it('an addition of something that exists already', () => {
      const fork = busyFork();
      const change = edit(fork, 'stage:s-renew:added');
      addStage(fork.master, { id: 's-renew', name: 'Renew' }, lead);
      expectRefused(fork.master, 'duplicate', /a stage with id "s-renew" already exists/, () =>
        applyChanges(fork.master, [change], {}, merger),
      );
    });

    it('a value the schema refuses', () => {
      const fork = busyFork();
      const change = edit(fork, 'tp:tp-renewal:added');
      if (change.kind !== 'touchpoint.added') throw new Error('expected an addition');
      const bad: MapChange = { ...change, after: { ...change.after, emotion: 7 } };
      expectRefused(fork.master, 'invalid', /emotion must be between -2 and 2 \(got 7\)/, () =>
        applyChanges(fork.master, [bad], {}, merger),
      );
    });

    it('a link to a touchpoint that is not on the map (its addition was not chosen)', () => {
      const fork = busyFork();
      const change = edit(fork, 'cx:cx-renewal-hub:added');
      expectRefused(fork.master, 'not_found', /links touchpoint "tp-renewal", which is not on the map/, () =>
        applyChanges(fork.master, [change], {}, merger),
      );
    });

    it('the hub', () => {
      const fork = new Fork();
      moveTouchpointToStage(fork.copy, 'tp-bill', 's-buy', workshop);
      const change = edit(fork, 'tp:tp-bill:stageId');
      if (change.kind !== 'touchpoint.movedToStage') throw new Error('expected a move to a stage');
      const toHub: MapChange = { ...change, target: { type: 'touchpoint', touchpointId: 'hub' } };
      expectRefused(fork.master, 'hub_protected', /the contact-center hub belongs to no stage/, () =>
        applyChanges(fork.master, [toHub], {}, merger),
      );
    });

    it('placements from two different diffs', () => {
      const fork = new Fork();
      moveStage(fork.copy, 's-use', 0, workshop);
      const reordered = smallMap();
      reordered.stages.reverse();
      const other = new Fork(reordered);
      addStage(other.copy, { id: 's-x', name: 'X' }, workshop);
      const changes = [edit(fork, 'stage:s-use:position'), edit(other, 'stage:s-x:added')];
      expectRefused(fork.master, 'invalid', /relative to another fork than the other changes/, () =>
        applyChanges(fork.master, changes, {}, merger),
      );
    });
  });
});

describe('mergeMaps', () => {
  it('refuses an id that is not a change between the master and the copy', () => {
    const fork = new Fork();
    renameStage(fork.copy, 's-buy', 'Purchase', workshop);
    expect(() => mergeMaps(fork.base, readMap(fork.master), readMap(fork.copy), ['stage:s-buy:nam'])).toThrow(
      /there is no change "stage:s-buy:nam" between the master and the copy/,
    );
  });

  it("ignores the master's own changes: the master has them already", () => {
    const fork = new Fork();
    renameStage(fork.master, 's-buy', 'Purchase', lead);
    const master = readMap(fork.master);
    expect(mergeMaps(fork.base, master, readMap(fork.copy), ['stage:s-buy:name'])).toEqual(master);
  });

  it('is applyChangesToMap of the chosen changes on the master', () => {
    const fork = new Fork();
    deleteStage(fork.copy, 's-use', workshop);
    const master = readMap(fork.master);
    const changes = fork.diff();
    expect(mergeMaps(fork.base, master, readMap(fork.copy), ids(changes))).toEqual(applyChangesToMap(master, changes));
  });
});
