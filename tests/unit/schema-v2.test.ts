/**
 * DESIGN.md, "Schema v2: keys, actions, review": external keys unique per map,
 * the actions root with doneAt following the status, meta.reviewedAt/By, and
 * a v1 document that reads as v2 and is upgraded by one server update.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkMapUpdate, type ShapeVerdict } from '../../lib/journey/map-shape';
import type { EditOrigin } from '../../lib/journey/origin';
import {
  JourneyError,
  addAction,
  addTouchpoint,
  deleteAction,
  deleteTouchpoint,
  markReviewed,
  readMap,
  updateAction,
  updateTouchpoint,
  upgradeMapDoc,
  writeMap,
} from '../../lib/journey/schema';
import { blankMap, demoMap } from '../../lib/journey/templates';
import { JourneyMapSchema } from '../../lib/journey/validation';

const editor: EditOrigin = { userId: 'editor', kind: 'local' };
const system: EditOrigin = { userId: 'system', kind: 'system' };
const NOV_1 = Date.UTC(2026, 10, 1);
const DEC_1 = Date.UTC(2026, 11, 1);

function demoDoc(): Y.Doc {
  const doc = new Y.Doc();
  writeMap(doc, demoMap().map, system);
  return doc;
}

function journeyError(run: () => unknown): JourneyError {
  try {
    run();
  } catch (error) {
    if (error instanceof JourneyError) return error;
    throw error;
  }
  throw new Error('expected a JourneyError');
}

/** A v1 map document as an older server stored it: no external keys, no actions, no review fields. */
function v1Doc(): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    const meta = doc.getMap<unknown>('meta');
    meta.set('schemaVersion', 1);
    meta.set('title', 'Old map');
    meta.set('persona', 'Sam');
    meta.set('hubId', 'hub');
    doc.getArray<unknown>('stages').push([new Y.Map<unknown>([['id', 's1'], ['name', 'Buy'], ['accountable', null]])]);
    const touchpoints = doc.getMap<unknown>('touchpoints');
    for (const [id, kind, stageId] of [['hub', 'hub', null], ['t1', 'touchpoint', 's1']] as const) {
      touchpoints.set(
        id,
        new Y.Map<unknown>([
          ['id', id], ['kind', kind], ['stageId', stageId], ['label', id], ['channel', 'web'], ['owner', null],
          ['emotion', null], ['contactVolume', 10], ['x', 0], ['y', 0], ['painPoints', new Y.Array<unknown>()],
        ]),
      );
    }
  });
  return doc;
}

describe('a v1 document', () => {
  it('reads as v2: external keys null, no actions, never reviewed', () => {
    const map = readMap(v1Doc());
    expect(map.meta).toEqual({ schemaVersion: 2, title: 'Old map', persona: 'Sam', hubId: 'hub', reviewedAt: null, reviewedBy: null });
    expect(map.touchpoints.t1?.externalKey).toBeNull();
    expect(map.actions).toEqual({});
  });

  it('is upgraded by one update that writes schemaVersion 2 and nothing else; a second upgrade writes nothing', () => {
    const doc = v1Doc();
    const before = readMap(doc);
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    expect(upgradeMapDoc(doc, system)).toBe(true);
    expect(doc.getMap('meta').get('schemaVersion')).toBe(2);
    expect(readMap(doc)).toEqual(before);
    expect(upgradeMapDoc(doc, system)).toBe(false);
    expect(updates).toHaveLength(1);
  });

  it('a v2 document (a template) is not touched by the upgrade', () => {
    const doc = demoDoc();
    expect(doc.getMap('meta').get('schemaVersion')).toBe(2);
    expect(upgradeMapDoc(doc, system)).toBe(false);
  });
});

describe('external keys', () => {
  it('the demo map ships with a unique key on every touchpoint but the hub', () => {
    const { map } = demoMap();
    const keys = Object.values(map.touchpoints).filter((t) => t.kind === 'touchpoint').map((t) => t.externalKey);
    expect(keys.every((key) => typeof key === 'string' && key.length > 0)).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
    expect(map.touchpoints[map.meta.hubId]?.externalKey).toBeNull();
  });

  it('are set, trimmed, cleared with an empty string, and refused when another touchpoint has one', () => {
    const doc = demoDoc();
    const a = addTouchpoint(doc, { label: 'IVR menu', externalKey: '  IVR-1 ' }, editor);
    expect(readMap(doc).touchpoints[a]?.externalKey).toBe('IVR-1');
    const b = addTouchpoint(doc, { label: 'Web chat' }, editor);
    const error = journeyError(() => updateTouchpoint(doc, b, { externalKey: 'IVR-1' }, editor));
    expect(error.code).toBe('duplicate');
    expect(error.message).toBe('external key "IVR-1" is already the key of touchpoint "IVR menu"');
    expect(journeyError(() => addTouchpoint(doc, { label: 'Twin', externalKey: 'IVR-1' }, editor)).code).toBe('duplicate');
    // Setting a touchpoint's own key again is no conflict.
    updateTouchpoint(doc, a, { externalKey: 'IVR-1' }, editor);
    updateTouchpoint(doc, a, { externalKey: '' }, editor);
    expect(readMap(doc).touchpoints[a]?.externalKey).toBeNull();
    updateTouchpoint(doc, b, { externalKey: 'IVR-1' }, editor);
    expect(readMap(doc).touchpoints[b]?.externalKey).toBe('IVR-1');
  });

  it('longer than 100 characters is refused with a sentence', () => {
    const doc = demoDoc();
    const id = addTouchpoint(doc, { label: 'x' }, editor);
    expect(journeyError(() => updateTouchpoint(doc, id, { externalKey: 'k'.repeat(101) }, editor)).message).toBe(
      'externalKey must be at most 100 characters (got 101)',
    );
  });

  it('a whole map with two touchpoints on one key is invalid, naming both', () => {
    const { map } = demoMap();
    const [first, second] = Object.values(map.touchpoints).filter((t) => t.kind === 'touchpoint');
    if (!first || !second) throw new Error('the demo has touchpoints');
    second.externalKey = first.externalKey;
    const result = JourneyMapSchema.safeParse(map);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toContain(
      `touchpoints "${first.id}" and "${second.id}" both have external key "${first.externalKey}"`,
    );
  });
});

describe('actions', () => {
  it('are added on a touchpoint (and a pain point) with defaults, and read back', () => {
    const doc = demoDoc();
    const id = addAction(doc, { touchpointId: 'tp-first-bill', painPointId: 'pp-bill-higher', title: 'Explain the first bill', ownerTeam: 'Billing', due: '2027-01-31' }, NOV_1, editor);
    expect(readMap(doc).actions[id]).toEqual({
      id, touchpointId: 'tp-first-bill', painPointId: 'pp-bill-higher', title: 'Explain the first bill', ownerTeam: 'Billing',
      due: '2027-01-31', status: 'proposed', doneAt: null, createdAt: NOV_1,
    });
  });

  it('doneAt is set when the status becomes done, kept while it stays done, cleared when it leaves', () => {
    const doc = demoDoc();
    const id = addAction(doc, { touchpointId: 'tp-first-bill', title: 'Explain the first bill' }, NOV_1, editor);
    updateAction(doc, id, { status: 'doing' }, NOV_1, editor);
    expect(readMap(doc).actions[id]?.doneAt).toBeNull();
    updateAction(doc, id, { status: 'done' }, DEC_1, editor);
    expect(readMap(doc).actions[id]).toMatchObject({ status: 'done', doneAt: DEC_1 });
    updateAction(doc, id, { status: 'done', title: 'Explain it better' }, DEC_1 + 5_000, editor);
    expect(readMap(doc).actions[id]).toMatchObject({ status: 'done', doneAt: DEC_1, title: 'Explain it better' });
    updateAction(doc, id, { status: 'dropped' }, DEC_1, editor);
    expect(readMap(doc).actions[id]).toMatchObject({ status: 'dropped', doneAt: null });
  });

  it('refuse a touchpoint or pain point that does not exist, a bad date and a bad status, writing nothing', () => {
    const doc = demoDoc();
    const before = Y.encodeStateVector(doc);
    expect(journeyError(() => addAction(doc, { touchpointId: 'nope', title: 'x' }, NOV_1, editor)).message).toBe('touchpoint "nope" does not exist');
    expect(journeyError(() => addAction(doc, { touchpointId: 'tp-first-bill', painPointId: 'nope', title: 'x' }, NOV_1, editor)).code).toBe('not_found');
    expect(journeyError(() => addAction(doc, { touchpointId: 'tp-first-bill', title: 'x', due: '2026-02-30' }, NOV_1, editor)).message).toBe(
      'due must be a date YYYY-MM-DD (got "2026-02-30")',
    );
    expect(journeyError(() => addAction(doc, { touchpointId: 'tp-first-bill', title: 'x', status: 'finished' as 'done' }, NOV_1, editor)).message).toBe(
      'status must be one of proposed, doing, done, dropped (got "finished")',
    );
    expect(journeyError(() => addAction(doc, { touchpointId: 'tp-first-bill', title: ' ' }, NOV_1, editor)).message).toBe('title must not be empty');
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });

  it('outlive their touchpoint, so that their outcome can still be shown; delete removes one', () => {
    const doc = demoDoc();
    const id = addAction(doc, { touchpointId: 'tp-first-bill', title: 'Explain the first bill', status: 'done' }, NOV_1, editor);
    deleteTouchpoint(doc, 'tp-first-bill', editor);
    expect(readMap(doc).actions[id]).toMatchObject({ status: 'done', doneAt: NOV_1 });
    deleteAction(doc, id, editor);
    expect(readMap(doc).actions).toEqual({});
    expect(journeyError(() => deleteAction(doc, id, editor)).code).toBe('not_found');
  });
});

describe('review', () => {
  it('markReviewed records who and when; a blank name is refused', () => {
    const doc = new Y.Doc();
    writeMap(doc, blankMap().map, system);
    markReviewed(doc, 'Lena Park', DEC_1, editor);
    expect(readMap(doc).meta).toMatchObject({ reviewedAt: DEC_1, reviewedBy: 'Lena Park' });
    expect(journeyError(() => markReviewed(doc, ' ', DEC_1, editor)).message).toBe('reviewedBy must not be empty');
  });
});

describe('the shape guard knows schema v2', () => {
  const LIMITS = { docBytes: 0, maxDocBytes: 16 * 1024 * 1024 };

  function craft(server: Y.Doc, edit: (doc: Y.Doc) => void): ShapeVerdict {
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    const updates: Uint8Array[] = [];
    client.on('update', (update: Uint8Array) => updates.push(update));
    edit(client);
    return checkMapUpdate(server, Y.mergeUpdates(updates), LIMITS);
  }

  it('lets through what the writers make: actions, keys, a review', () => {
    const server = demoDoc();
    expect(craft(server, (doc) => addAction(doc, { touchpointId: 'tp-first-bill', title: 'Explain it', due: '2027-01-31' }, NOV_1, editor))).toEqual({ ok: true });
    expect(craft(server, (doc) => updateTouchpoint(doc, 'tp-first-bill', { externalKey: 'BILL-1' }, editor))).toEqual({ ok: true });
    expect(craft(server, (doc) => markReviewed(doc, 'Lena Park', DEC_1, editor))).toEqual({ ok: true });
  });

  it('refuses an action out of shape, a shared type inside an action, and a key another touchpoint has', () => {
    const server = demoDoc();
    const taken = readMap(server).touchpoints['tp-ivr']?.externalKey ?? '';
    expect(
      craft(server, (doc) => doc.getMap<unknown>('actions').set('a1', new Y.Map<unknown>([['id', 'a1'], ['status', 'finished']]))),
    ).toEqual({ ok: false, reason: 'an action: status must be one of proposed, doing, done, dropped (got "finished")' });
    expect(
      craft(server, (doc) => doc.getMap<unknown>('actions').set('a1', new Y.Map<unknown>([['id', 'a1'], ['title', 't'.repeat(201)]]))),
    ).toEqual({ ok: false, reason: 'an action: title must be at most 200 characters (got 201)' });
    expect(
      craft(server, (doc) => doc.getMap<unknown>('actions').set('a1', new Y.Map<unknown>([['nested', new Y.Map()]]))),
    ).toEqual({ ok: false, reason: 'a shared type has no place in an action (under "nested")' });
    expect(craft(server, (doc) => (doc.getMap<unknown>('touchpoints').get('tp-first-bill') as Y.Map<unknown>).set('externalKey', taken))).toEqual({
      ok: false,
      reason: `external key "${taken}" is already the key of another touchpoint`,
    });
    expect(craft(server, (doc) => doc.getMap<unknown>('meta').set('schemaVersion', 1))).toEqual({
      ok: false,
      reason: 'the map details: schemaVersion must be 2 (got 1)',
    });
  });
});
