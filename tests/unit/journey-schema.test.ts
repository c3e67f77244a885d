import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as prng from 'lib0/prng';
import {
  JourneyError,
  addComment,
  addConnection,
  addConnections,
  addPainPoint,
  addStage,
  addTouchpoint,
  clearVotes,
  createMapReader,
  deleteComment,
  deleteConnection,
  deleteStage,
  deleteStageMovingTouchpoints,
  deleteStageWithTouchpoints,
  deleteTouchpoint,
  deleteTouchpoints,
  editComment,
  getHubId,
  getStageIds,
  mapUndoScope,
  moveStage,
  moveTouchpointToStage,
  readDiscussion,
  readMap,
  removePainPoint,
  renameStage,
  setCommentResolved,
  setHubLink,
  setMapTitle,
  setPersona,
  setStageAccountable,
  setVotes,
  tallyCreatorId,
  updateConnectionLabel,
  updatePainPoint,
  updateTouchpoint,
  writeDiscussion,
  writeMap,
} from '../../lib/journey/schema';
import type { JourneyErrorCode } from '../../lib/journey/errors';
import { CARD_HEIGHT } from '../../lib/journey/layout';
import type { EditOrigin } from '../../lib/journey/origin';
import { blankMap, demoMap } from '../../lib/journey/templates';
import type { Channel, Touchpoint } from '../../lib/journey/types';
import { originsOf } from './transactions';

const alice: EditOrigin = { userId: 'alice', kind: 'local' };
const bob: EditOrigin = { userId: 'bob', kind: 'local' };
const system: EditOrigin = { userId: 'system', kind: 'system' };
const remote: EditOrigin = { userId: 'sync', kind: 'remote' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function demoDoc(): Y.Doc {
  const doc = new Y.Doc();
  writeMap(doc, demoMap().map, system);
  return doc;
}

function demoDiscussionDoc(): Y.Doc {
  const doc = new Y.Doc();
  writeDiscussion(doc, demoMap().discussion, system);
  return doc;
}

function touchpoint(doc: Y.Doc, id: string): Touchpoint {
  const found = readMap(doc).touchpoints[id];
  if (found === undefined) throw new Error(`no touchpoint ${id}`);
  return found;
}


/** `write` is exactly one transaction, with `origin` (so a per-user UndoManager can track it). */
function inOneTransaction<T>(doc: Y.Doc, origin: EditOrigin, write: () => T): T {
  let result: T | undefined;
  let ran = false;
  const origins = originsOf(doc, () => {
    result = write();
    ran = true;
  });
  expect(origins).toHaveLength(1);
  expect(origins[0]).toBe(origin);
  if (!ran) throw new Error('write did not run');
  return result as T;
}

/** The whole document state, as a string so that comparing it is cheap. */
function encodedState(doc: Y.Doc): string {
  return Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64');
}

/** `write` throws a JourneyError with `code` before any transaction: nothing is half-applied. */
function expectRefused(doc: Y.Doc, code: JourneyErrorCode, write: () => unknown, message?: string): void {
  const before = { map: readMap(doc), discussion: readDiscussion(doc), update: encodedState(doc) };
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
  if (message !== undefined) expect(error).toMatchObject({ message });
  expect(origins).toEqual([]);
  expect(readMap(doc)).toEqual(before.map);
  expect(readDiscussion(doc)).toEqual(before.discussion);
  expect(encodedState(doc)).toBe(before.update);
}

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), remote);
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), remote);
}

function replicaOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc), remote);
  return copy;
}

describe('reading and writing whole documents', () => {
  it('readMap gives exactly doc.toJSON() for the demo (DESIGN: the plain model is the JSON of the document)', () => {
    const doc = demoDoc();
    expect(readMap(doc)).toEqual(doc.toJSON());
  });

  it('readDiscussion gives exactly doc.toJSON() for the demo', () => {
    const doc = demoDiscussionDoc();
    expect(readDiscussion(doc)).toEqual(doc.toJSON());
  });

  it('writeMap then readMap gives back the template', () => {
    for (const template of [demoMap(), blankMap({ title: 'Onboarding', persona: 'New business customer' })]) {
      const doc = new Y.Doc();
      writeMap(doc, template.map, system);
      expect(readMap(doc)).toEqual(template.map);
      const discussionDoc = new Y.Doc();
      writeDiscussion(discussionDoc, template.discussion, system);
      expect(readDiscussion(discussionDoc)).toEqual(template.discussion);
    }
  });

  it('a replica that received the state over the wire reads the same', () => {
    const doc = demoDoc();
    expect(readMap(replicaOf(doc))).toEqual(demoMap().map);
  });

  it('writeMap and writeDiscussion are one transaction with the caller origin', () => {
    // The first getArray of a fresh doc is an empty transaction of Yjs' own; a client has read the doc before writing.
    const doc = new Y.Doc();
    readMap(doc);
    inOneTransaction(doc, system, () => writeMap(doc, demoMap().map, system));
    const discussionDoc = new Y.Doc();
    readDiscussion(discussionDoc);
    inOneTransaction(discussionDoc, system, () => writeDiscussion(discussionDoc, demoMap().discussion, system));
  });

  it('writeMap refuses a document that already holds a map', () => {
    const doc = demoDoc();
    expectRefused(doc, 'conflict', () => writeMap(doc, blankMap().map, system));
    const discussionDoc = demoDiscussionDoc();
    expectRefused(discussionDoc, 'conflict', () => writeDiscussion(discussionDoc, demoMap().discussion, system));
  });

  it('writeMap refuses an invalid map and leaves the document empty', () => {
    const { map } = demoMap();
    delete map.touchpoints.hub;
    const doc = new Y.Doc();
    expectRefused(
      doc,
      'invalid',
      () => writeMap(doc, map, system),
      'the map must have exactly one touchpoint of kind "hub", the contact center (found none); ' +
        'connection "cx-sales-hotline-hub" has target "hub", which is not a touchpoint; ' +
        'connection "cx-booking-hub" has target "hub", which is not a touchpoint; ' +
        'connection "cx-technician-hub" has target "hub", which is not a touchpoint; ' +
        'connection "cx-first-bill-hub" has target "hub", which is not a touchpoint; ' +
        'connection "cx-chat-hub" has target "hub", which is not a touchpoint; ' +
        'connection "cx-ivr-hub" has target "hub", which is not a touchpoint; ' +
        'connection "cx-phone-support-hub" has target "hub", which is not a touchpoint; ' +
        'connection "cx-social-care-hub" has target "hub", which is not a touchpoint; ' +
        'connection "cx-retention-hub" has target "hub", which is not a touchpoint; ' +
        'connection "cx-cancellation-hub" has target "hub", which is not a touchpoint',
    );
    expect(doc.store.clients.size).toBe(0);
  });

  it('an empty document reads as an empty map and discussion instead of crashing', () => {
    const doc = new Y.Doc();
    expect(readMap(doc)).toEqual({
      meta: { schemaVersion: 2, title: '', persona: '', hubId: '', reviewedAt: null, reviewedBy: null },
      stages: [],
      touchpoints: {},
      connections: {},
      actions: {},
    });
    expect(readDiscussion(doc)).toEqual({ comments: {}, votes: {} });
    expect(getHubId(doc)).toBeNull();
    expect(getStageIds(doc)).toEqual([]);
  });

  it('a document with missing or malformed fields reads with defaults', () => {
    const doc = new Y.Doc();
    doc.transact(() => {
      doc.getArray<unknown>('stages').push([
        new Y.Map<unknown>([['id', 's1']]),
        'not a stage',
        new Y.Map<unknown>([['name', 'no id']]),
      ]);
      doc.getMap<unknown>('touchpoints').set('t1', new Y.Map<unknown>([['label', 'Half written'], ['emotion', 'sad'], ['channel', 'fax']]));
      doc.getMap<unknown>('touchpoints').set('junk', 42);
      doc.getMap<unknown>('comments').set('c1', new Y.Map<unknown>([['body', 'hello']]));
      doc.getMap<unknown>('votes').set('t1', new Y.Map<unknown>([['u1', 2], ['u2', -4], ['u3', 'many']]));
    });
    const map = readMap(doc);
    expect(map.stages).toEqual([{ id: 's1', name: '', accountable: null }]);
    expect(map.touchpoints).toEqual({
      t1: {
        id: 't1', kind: 'touchpoint', stageId: null, label: 'Half written', channel: 'other', owner: null,
        emotion: null, contactVolume: 0, x: 0, y: 0, painPoints: [], externalKey: null,
      },
    });
    const discussion = readDiscussion(doc);
    expect(discussion.comments.c1).toMatchObject({ id: 'c1', body: 'hello', parentId: null, resolved: false, createdAt: 0 });
    expect(discussion.votes).toEqual({ t1: { u1: 2 } });
  });

  it('readMap returns copies: changing the result does not change the document', () => {
    const doc = demoDoc();
    const map = readMap(doc);
    const painPoint = map.touchpoints['tp-first-bill']?.painPoints[0];
    if (painPoint === undefined) throw new Error('demo has pain points on tp-first-bill');
    painPoint.severity = 1;
    expect(readMap(doc).touchpoints['tp-first-bill']?.painPoints[0]?.severity).toBe(4);
  });
});

describe('map meta', () => {
  it('sets the title and the persona, each in one transaction', () => {
    const doc = demoDoc();
    inOneTransaction(doc, alice, () => setMapTitle(doc, '  Moving house with FiberNet ', alice));
    inOneTransaction(doc, alice, () => setPersona(doc, 'Sam, 52, moving house', alice));
    expect(readMap(doc).meta).toMatchObject({ title: 'Moving house with FiberNet', persona: 'Sam, 52, moving house' });
  });

  it('refuses an empty title', () => {
    const doc = demoDoc();
    expectRefused(doc, 'invalid', () => setMapTitle(doc, ' ', alice), 'title must not be empty');
  });

  it('getHubId and getStageIds read the hub and the stage order', () => {
    const doc = demoDoc();
    expect(getHubId(doc)).toBe('hub');
    expect(getStageIds(doc)).toEqual(demoMap().map.stages.map((stage) => stage.id));
  });
});

describe('stages', () => {
  it('addStage appends a stage with a fresh id and no accountable team', () => {
    const doc = demoDoc();
    const id = inOneTransaction(doc, alice, () => addStage(doc, { name: 'Move house' }, alice));
    expect(id).toMatch(UUID);
    expect(readMap(doc).stages.at(-1)).toEqual({ id, name: 'Move house', accountable: null });
  });

  it('addStage inserts at an index, with the caller id and team', () => {
    const doc = demoDoc();
    addStage(doc, { name: 'Onboard', accountable: 'Sales', index: 3, id: 'stage-onboard' }, alice);
    expect(getStageIds(doc)).toEqual([
      'stage-discover', 'stage-choose', 'stage-buy', 'stage-onboard', 'stage-use', 'stage-get-help', 'stage-renew',
    ]);
    expect(readMap(doc).stages[3]).toEqual({ id: 'stage-onboard', name: 'Onboard', accountable: 'Sales' });
  });

  it('addStage refuses a used id, an index past the end and an empty name', () => {
    const doc = demoDoc();
    expectRefused(doc, 'duplicate', () => addStage(doc, { name: 'Buy', id: 'stage-buy' }, alice));
    expectRefused(doc, 'invalid', () => addStage(doc, { name: 'Later', index: 7 }, alice), 'index must be between 0 and 6 (got 7)');
    expectRefused(doc, 'invalid', () => addStage(doc, { name: '' }, alice), 'name must not be empty');
  });

  it('renameStage renames in one transaction; an unknown stage is not found', () => {
    const doc = demoDoc();
    inOneTransaction(doc, alice, () => renameStage(doc, 'stage-renew', 'Renew, switch or leave', alice));
    expect(readMap(doc).stages[5]?.name).toBe('Renew, switch or leave');
    expectRefused(doc, 'not_found', () => renameStage(doc, 'stage-gone', 'X', alice), 'stage "stage-gone" does not exist');
  });

  it('moveStage reorders and keeps the stage, its team and its touchpoints', () => {
    const doc = demoDoc();
    inOneTransaction(doc, alice, () => moveStage(doc, 'stage-use', 0, alice));
    expect(getStageIds(doc)).toEqual([
      'stage-use', 'stage-discover', 'stage-choose', 'stage-buy', 'stage-get-help', 'stage-renew',
    ]);
    expect(readMap(doc).stages[0]).toEqual({ id: 'stage-use', name: 'Use', accountable: 'Field Operations' });
    expect(touchpoint(doc, 'tp-first-bill').stageId).toBe('stage-use');
    moveStage(doc, 'stage-use', 5, alice);
    expect(getStageIds(doc).at(-1)).toBe('stage-use');
    expect(doc.getArray('stages').length).toBe(6);
  });

  it('moveStage refuses an index past the last stage and an unknown stage', () => {
    const doc = demoDoc();
    expectRefused(doc, 'invalid', () => moveStage(doc, 'stage-use', 6, alice), 'index must be between 0 and 5 (got 6)');
    expectRefused(doc, 'invalid', () => moveStage(doc, 'stage-use', -1, alice), 'index must be at least 0 (got -1)');
    expectRefused(doc, 'not_found', () => moveStage(doc, 'stage-gone', 0, alice));
  });

  it('setStageAccountable sets a team; an empty one clears it', () => {
    const doc = demoDoc();
    inOneTransaction(doc, alice, () => setStageAccountable(doc, 'stage-choose', 'Sales', alice));
    expect(readMap(doc).stages[1]?.accountable).toBe('Sales');
    setStageAccountable(doc, 'stage-choose', '', alice);
    expect(readMap(doc).stages[1]?.accountable).toBeNull();
    setStageAccountable(doc, 'stage-discover', null, alice);
    expect(readMap(doc).stages[0]?.accountable).toBeNull();
    expectRefused(doc, 'not_found', () => setStageAccountable(doc, 'stage-gone', 'Sales', alice));
  });

  it('deleteStage leaves its touchpoints on the map, unstaged, where they were', () => {
    const doc = demoDoc();
    const before = readMap(doc);
    inOneTransaction(doc, alice, () => deleteStage(doc, 'stage-use', alice));
    const after = readMap(doc);
    expect(getStageIds(doc)).not.toContain('stage-use');
    const formerlyInUse = Object.values(before.touchpoints).filter((t) => t.stageId === 'stage-use');
    expect(formerlyInUse).toHaveLength(6);
    for (const old of formerlyInUse) {
      expect(after.touchpoints[old.id]).toEqual({ ...old, stageId: null });
    }
    expect(Object.keys(after.touchpoints)).toHaveLength(Object.keys(before.touchpoints).length);
    expectRefused(doc, 'not_found', () => deleteStage(doc, 'stage-use', alice));
  });

  it('deleteStageMovingTouchpoints moves its touchpoints below the cards of the chosen stage, in one transaction', () => {
    const doc = demoDoc();
    const before = readMap(doc);
    const moved = Object.values(before.touchpoints).filter((t) => t.stageId === 'stage-use').sort((a, b) => a.y - b.y);
    const stayed = Object.values(before.touchpoints).filter((t) => t.stageId === 'stage-buy');
    const lowest = Math.max(...stayed.map((t) => t.y));
    inOneTransaction(doc, alice, () => deleteStageMovingTouchpoints(doc, 'stage-use', 'stage-buy', alice));
    const after = readMap(doc);
    expect(getStageIds(doc)).not.toContain('stage-use');
    const ys = moved.map((old) => {
      const now = after.touchpoints[old.id];
      expect(now).toEqual({ ...old, stageId: 'stage-buy', y: now?.y });
      return now?.y ?? 0;
    });
    // Stacked in their order, each a card's height and a gap below the one before, under the lowest card there.
    expect(ys[0]).toBeGreaterThanOrEqual(lowest + CARD_HEIGHT);
    for (let i = 1; i < ys.length; i++) expect((ys[i] ?? 0) - (ys[i - 1] ?? 0)).toBeGreaterThanOrEqual(CARD_HEIGHT);
    for (const old of stayed) expect(after.touchpoints[old.id]).toEqual(old);
    expect(Object.keys(after.touchpoints)).toHaveLength(Object.keys(before.touchpoints).length);
  });

  it('deleteStageMovingTouchpoints refuses an unknown stage, an unknown target and the stage itself', () => {
    const doc = demoDoc();
    expectRefused(doc, 'not_found', () => deleteStageMovingTouchpoints(doc, 'stage-gone', 'stage-buy', alice));
    expectRefused(doc, 'not_found', () => deleteStageMovingTouchpoints(doc, 'stage-use', 'stage-gone', alice));
    expectRefused(doc, 'invalid', () => deleteStageMovingTouchpoints(doc, 'stage-use', 'stage-use', alice));
  });

  it('deleteStageWithTouchpoints deletes the stage, its touchpoints and their connections; the hub stays', () => {
    const doc = demoDoc();
    const before = readMap(doc);
    const gone = new Set(Object.values(before.touchpoints).filter((t) => t.stageId === 'stage-get-help').map((t) => t.id));
    expect(gone.size).toBeGreaterThan(0);
    const touching = Object.values(before.connections).filter((c) => gone.has(c.source) || gone.has(c.target));
    expect(touching.length).toBeGreaterThan(0);
    inOneTransaction(doc, alice, () => deleteStageWithTouchpoints(doc, 'stage-get-help', alice));
    const after = readMap(doc);
    expect(getStageIds(doc)).not.toContain('stage-get-help');
    for (const id of gone) expect(after.touchpoints[id]).toBeUndefined();
    for (const c of touching) expect(after.connections[c.id]).toBeUndefined();
    expect(after.touchpoints[before.meta.hubId]).toEqual(before.touchpoints[before.meta.hubId]);
    expect(Object.keys(after.touchpoints)).toHaveLength(Object.keys(before.touchpoints).length - gone.size);
    expectRefused(doc, 'not_found', () => deleteStageWithTouchpoints(doc, 'stage-get-help', alice));
  });

  it('one undo brings back a stage deleted with its touchpoints, or with them moved', () => {
    for (const remove of [
      (doc: Y.Doc) => deleteStageWithTouchpoints(doc, 'stage-use', alice),
      (doc: Y.Doc) => deleteStageMovingTouchpoints(doc, 'stage-use', 'stage-choose', alice),
    ]) {
      const doc = demoDoc();
      const before = readMap(doc);
      const undo = new Y.UndoManager(mapUndoScope(doc), { trackedOrigins: new Set([alice]) });
      remove(doc);
      undo.undo();
      expect(readMap(doc)).toEqual(before);
    }
  });

  it('two people moving the same stage at once leave it on the map once', () => {
    const a = demoDoc();
    const b = replicaOf(a);
    moveStage(a, 'stage-renew', 0, alice);
    moveStage(b, 'stage-renew', 2, bob);
    sync(a, b);
    expect(readMap(a)).toEqual(readMap(b));
    expect(getStageIds(a).filter((id) => id === 'stage-renew')).toHaveLength(1);
    expect(readMap(a).stages).toHaveLength(6);
    renameStage(a, 'stage-renew', 'Leave', alice);
    sync(a, b);
    expect(readMap(b).stages.find((stage) => stage.id === 'stage-renew')?.name).toBe('Leave');
    moveStage(b, 'stage-renew', 5, bob);
    sync(a, b);
    expect(a.getArray('stages').length).toBe(6);
  });
});

describe('touchpoints', () => {
  it('addTouchpoint fills in the defaults', () => {
    const doc = demoDoc();
    const id = inOneTransaction(doc, alice, () => addTouchpoint(doc, { label: 'Moving-house form' }, alice));
    expect(id).toMatch(UUID);
    expect(touchpoint(doc, id)).toEqual({
      id, kind: 'touchpoint', stageId: null, label: 'Moving-house form', channel: 'other', owner: null,
      emotion: null, contactVolume: 0, x: 0, y: 0, painPoints: [], externalKey: null,
    });
  });

  it('addTouchpoint takes every field, pain points included', () => {
    const doc = demoDoc();
    const id = addTouchpoint(doc, {
      id: 'tp-move', label: 'Moving-house form', stageId: 'stage-use', channel: 'web', owner: 'E-commerce',
      emotion: -1, contactVolume: 75, x: 880, y: 920, painPoints: [{ text: 'Form loses the new address', severity: 3, frequency: 2 }],
    }, alice);
    expect(id).toBe('tp-move');
    const added = touchpoint(doc, 'tp-move');
    expect(added).toMatchObject({ stageId: 'stage-use', channel: 'web', owner: 'E-commerce', emotion: -1, contactVolume: 75, x: 880, y: 920 });
    expect(added.painPoints).toEqual([{ id: expect.stringMatching(UUID), text: 'Form loses the new address', severity: 3, frequency: 2 }]);
  });

  it('addTouchpoint refuses bad input with a message that says what to fix', () => {
    const doc = demoDoc();
    expectRefused(doc, 'invalid', () => addTouchpoint(doc, { label: 'Fax', emotion: 7 }, alice), 'emotion must be between -2 and 2 (got 7)');
    expectRefused(
      doc,
      'invalid',
      () => addTouchpoint(doc, { label: 'Fax', channel: 'fax' as Channel }, alice),
      'channel must be one of web, app, phone, chat, email, store, social, other (got "fax")',
    );
    expectRefused(doc, 'not_found', () => addTouchpoint(doc, { label: 'X', stageId: 'stage-gone' }, alice));
    expectRefused(doc, 'duplicate', () => addTouchpoint(doc, { label: 'X', id: 'tp-ivr' }, alice));
    expectRefused(doc, 'invalid', () => addTouchpoint(doc, { label: 'Hub 2', kind: 'hub' } as never, alice));
    const painPoint = { id: 'pp-twice', text: 'Twice', severity: 2, frequency: 2 };
    expectRefused(doc, 'duplicate', () => addTouchpoint(doc, { label: 'X', painPoints: [painPoint, painPoint] }, alice));
  });

  it('updateTouchpoint changes only the given fields, in one transaction', () => {
    const doc = demoDoc();
    const before = touchpoint(doc, 'tp-first-bill');
    inOneTransaction(doc, alice, () =>
      updateTouchpoint(doc, 'tp-first-bill', { label: 'First bill (email + PDF)', emotion: -1, owner: '' }, alice),
    );
    expect(touchpoint(doc, 'tp-first-bill')).toEqual({ ...before, label: 'First bill (email + PDF)', emotion: -1, owner: null });
  });

  it('updateTouchpoint refuses id, kind, pain points, unknown stages and bad values', () => {
    const doc = demoDoc();
    expectRefused(doc, 'invalid', () => updateTouchpoint(doc, 'tp-ivr', { kind: 'hub' } as never, alice), '"kind" is not a field of a touchpoint update');
    expectRefused(doc, 'invalid', () => updateTouchpoint(doc, 'tp-ivr', { contactVolume: -5 }, alice), 'contactVolume must be at least 0 (got -5)');
    expectRefused(doc, 'not_found', () => updateTouchpoint(doc, 'tp-ivr', { stageId: 'stage-gone' }, alice));
    expectRefused(doc, 'not_found', () => updateTouchpoint(doc, 'tp-gone', { label: 'X' }, alice), 'touchpoint "tp-gone" does not exist');
  });

  it('the hub can be renamed and moved on the canvas but never put in a stage', () => {
    const doc = demoDoc();
    updateTouchpoint(doc, 'hub', { label: 'FiberNet contact center', x: 700 }, alice);
    expect(touchpoint(doc, 'hub')).toMatchObject({ label: 'FiberNet contact center', x: 700, stageId: null, kind: 'hub' });
    expectRefused(doc, 'hub_protected', () => updateTouchpoint(doc, 'hub', { stageId: 'stage-get-help' }, alice));
    expectRefused(doc, 'hub_protected', () => moveTouchpointToStage(doc, 'hub', 'stage-get-help', alice));
    moveTouchpointToStage(doc, 'hub', null, alice, { x: 10, y: 20 });
    expect(touchpoint(doc, 'hub')).toMatchObject({ stageId: null, x: 10, y: 20 });
  });

  it('moveTouchpointToStage moves between stages, with a position, and out of every stage', () => {
    const doc = demoDoc();
    inOneTransaction(doc, alice, () => moveTouchpointToStage(doc, 'tp-first-bill', 'stage-get-help', alice, { x: 1160, y: 780 }));
    expect(touchpoint(doc, 'tp-first-bill')).toMatchObject({ stageId: 'stage-get-help', x: 1160, y: 780 });
    moveTouchpointToStage(doc, 'tp-first-bill', null, alice);
    expect(touchpoint(doc, 'tp-first-bill')).toMatchObject({ stageId: null, x: 1160, y: 780 });
    expectRefused(doc, 'not_found', () => moveTouchpointToStage(doc, 'tp-first-bill', 'stage-gone', alice));
    expectRefused(doc, 'invalid', () => moveTouchpointToStage(doc, 'tp-first-bill', null, alice, { x: Infinity, y: 0 }), 'x must be a finite number (got Infinity)');
  });

  it('deleteTouchpoint also deletes its connections, in the same transaction', () => {
    const doc = demoDoc();
    inOneTransaction(doc, alice, () => deleteTouchpoint(doc, 'tp-help-center', alice));
    const map = readMap(doc);
    expect(map.touchpoints['tp-help-center']).toBeUndefined();
    expect(map.connections['cx-wifi-help-center']).toBeUndefined();
    expect(map.connections['cx-help-center-chat']).toBeUndefined();
    expect(Object.values(map.connections).filter((c) => c.source === 'tp-help-center' || c.target === 'tp-help-center')).toEqual([]);
    expect(Object.keys(map.connections)).toHaveLength(Object.keys(demoMap().map.connections).length - 2);
  });

  it('the hub cannot be deleted (DESIGN: "it cannot be deleted")', () => {
    const doc = demoDoc();
    expectRefused(doc, 'hub_protected', () => deleteTouchpoint(doc, 'hub', alice), 'the contact-center hub cannot be deleted');
    expectRefused(doc, 'not_found', () => deleteTouchpoint(doc, 'tp-gone', alice));
  });
});

describe('connections', () => {
  it('addConnection links two touchpoints', () => {
    const doc = demoDoc();
    const id = inOneTransaction(doc, alice, () => addConnection(doc, { source: 'tp-router-return', target: 'hub', label: 'no label' }, alice));
    expect(id).toMatch(UUID);
    expect(readMap(doc).connections[id]).toEqual({ id, source: 'tp-router-return', target: 'hub', label: 'no label' });
    const unlabelled = addConnection(doc, { source: 'tp-store-visit', target: 'tp-sales-hotline', id: 'cx-store-hotline' }, alice);
    expect(readMap(doc).connections[unlabelled]?.label).toBe('');
  });

  it('refuses a touchpoint linked to itself', () => {
    const doc = demoDoc();
    expectRefused(doc, 'self_loop', () => addConnection(doc, { source: 'tp-ivr', target: 'tp-ivr' }, alice));
  });

  it('refuses a second link between the same touchpoints, in either direction', () => {
    const doc = demoDoc();
    expectRefused(doc, 'duplicate', () => addConnection(doc, { source: 'tp-ivr', target: 'hub' }, alice));
    expectRefused(
      doc,
      'duplicate',
      () => addConnection(doc, { source: 'hub', target: 'tp-ivr' }, alice),
      'touchpoints "hub" and "tp-ivr" are already connected (connection "cx-ivr-hub")',
    );
    expectRefused(doc, 'duplicate', () => addConnection(doc, { source: 'tp-store-visit', target: 'hub', id: 'cx-ivr-hub' }, alice));
  });

  it('refuses a link to a touchpoint that does not exist', () => {
    const doc = demoDoc();
    expectRefused(doc, 'not_found', () => addConnection(doc, { source: 'tp-ivr', target: 'tp-gone' }, alice));
  });

  it('relabels and deletes a connection', () => {
    const doc = demoDoc();
    inOneTransaction(doc, alice, () => updateConnectionLabel(doc, 'cx-ivr-hub', ' routes to billing ', alice));
    expect(readMap(doc).connections['cx-ivr-hub']?.label).toBe('routes to billing');
    inOneTransaction(doc, alice, () => deleteConnection(doc, 'cx-ivr-hub', alice));
    expect(readMap(doc).connections['cx-ivr-hub']).toBeUndefined();
    expectRefused(doc, 'not_found', () => deleteConnection(doc, 'cx-ivr-hub', alice));
    expectRefused(doc, 'not_found', () => updateConnectionLabel(doc, 'cx-ivr-hub', 'x', alice));
  });
});

describe('setHubLink: "drives contacts to the contact center"', () => {
  const hubLinks = (doc: Y.Doc, id: string) =>
    Object.values(readMap(doc).connections).filter((c) => (c.source === id && c.target === 'hub') || (c.source === 'hub' && c.target === id));

  it('links a touchpoint to the hub in one transaction, once however often it is asked', () => {
    const doc = demoDoc();
    inOneTransaction(doc, alice, () => setHubLink(doc, 'tp-store-visit', true, alice));
    expect(hubLinks(doc, 'tp-store-visit')).toEqual([expect.objectContaining({ source: 'tp-store-visit', target: 'hub', label: '' })]);
    expect(originsOf(doc, () => setHubLink(doc, 'tp-store-visit', true, alice))).toEqual([]);
    expect(originsOf(doc, () => setHubLink(doc, 'tp-ivr', true, alice))).toEqual([]);
    expect(hubLinks(doc, 'tp-ivr')).toHaveLength(1);
  });

  it('counts a connection from the hub as a link, and removes every direct one in one transaction', () => {
    const doc = demoDoc();
    addConnection(doc, { source: 'hub', target: 'tp-store-visit', id: 'cx-from-hub' }, alice);
    expect(originsOf(doc, () => setHubLink(doc, 'tp-store-visit', true, alice))).toEqual([]);
    // Two people linked it at the same moment: two connections for one pair.
    const other = replicaOf(doc);
    setHubLink(doc, 'tp-router-return', true, alice);
    setHubLink(other, 'tp-router-return', true, bob);
    sync(doc, other);
    expect(hubLinks(doc, 'tp-router-return')).toHaveLength(2);

    inOneTransaction(doc, alice, () => setHubLink(doc, 'tp-router-return', false, alice));
    inOneTransaction(doc, alice, () => setHubLink(doc, 'tp-store-visit', false, alice));
    expect(hubLinks(doc, 'tp-router-return')).toEqual([]);
    expect(hubLinks(doc, 'tp-store-visit')).toEqual([]);
    expect(readMap(doc).connections['cx-coverage-sales-chat']).toBeDefined();
    expect(originsOf(doc, () => setHubLink(doc, 'tp-store-visit', false, alice))).toEqual([]);
  });

  it('refuses the hub itself and a touchpoint that does not exist', () => {
    const doc = demoDoc();
    expectRefused(doc, 'self_loop', () => setHubLink(doc, 'hub', true, alice));
    expectRefused(doc, 'not_found', () => setHubLink(doc, 'tp-gone', true, alice));
  });
});

describe('pain points', () => {
  it('adds a pain point at the end of the list', () => {
    const doc = demoDoc();
    const id = inOneTransaction(doc, alice, () =>
      addPainPoint(doc, 'tp-first-bill', { text: 'Direct debit taken twice', severity: 5, frequency: 1 }, alice),
    );
    expect(touchpoint(doc, 'tp-first-bill').painPoints.at(-1)).toEqual({ id, text: 'Direct debit taken twice', severity: 5, frequency: 1 });
    expect(touchpoint(doc, 'tp-first-bill').painPoints).toHaveLength(3);
  });

  it('updates a pain point in place, keeping the other fields', () => {
    const doc = demoDoc();
    inOneTransaction(doc, alice, () => updatePainPoint(doc, 'tp-first-bill', 'pp-bill-higher', { severity: 5 }, alice));
    expect(touchpoint(doc, 'tp-first-bill').painPoints).toEqual([
      { id: 'pp-bill-higher', text: 'First bill higher than quoted', severity: 5, frequency: 4 },
      { id: 'pp-prorating', text: 'Pro-rated charges not explained', severity: 3, frequency: 4 },
    ]);
  });

  it('removes a pain point', () => {
    const doc = demoDoc();
    inOneTransaction(doc, alice, () => removePainPoint(doc, 'tp-first-bill', 'pp-bill-higher', alice));
    expect(touchpoint(doc, 'tp-first-bill').painPoints.map((p) => p.id)).toEqual(['pp-prorating']);
  });

  it('refuses unknown pain points, bad ranges and used ids', () => {
    const doc = demoDoc();
    expectRefused(doc, 'not_found', () => updatePainPoint(doc, 'tp-first-bill', 'pp-gone', { severity: 2 }, alice));
    expectRefused(doc, 'not_found', () => removePainPoint(doc, 'tp-first-bill', 'pp-gone', alice));
    expectRefused(doc, 'not_found', () => addPainPoint(doc, 'tp-gone', { text: 'X', severity: 1, frequency: 1 }, alice));
    expectRefused(doc, 'invalid', () => updatePainPoint(doc, 'tp-first-bill', 'pp-bill-higher', { frequency: 0 }, alice), 'frequency must be between 1 and 5 (got 0)');
    expectRefused(doc, 'duplicate', () => addPainPoint(doc, 'tp-first-bill', { id: 'pp-prorating', text: 'X', severity: 1, frequency: 1 }, alice));
  });

  it('two people editing the same pain point at once leave it on the touchpoint once', () => {
    const a = demoDoc();
    const b = replicaOf(a);
    updatePainPoint(a, 'tp-first-bill', 'pp-bill-higher', { severity: 5 }, alice);
    updatePainPoint(b, 'tp-first-bill', 'pp-bill-higher', { frequency: 2 }, bob);
    sync(a, b);
    expect(readMap(a)).toEqual(readMap(b));
    expect(touchpoint(a, 'tp-first-bill').painPoints.filter((p) => p.id === 'pp-bill-higher')).toHaveLength(1);
    removePainPoint(a, 'tp-first-bill', 'pp-bill-higher', alice);
    sync(a, b);
    expect(touchpoint(b, 'tp-first-bill').painPoints.map((p) => p.id)).toEqual(['pp-prorating']);
  });
});

describe('comments', () => {
  const comment = {
    touchpointId: 'tp-technician-visit',
    authorId: 'user-chloe',
    authorName: 'Chloe Martin',
    body: 'We now text the customer an hour before the visit.',
    createdAt: Date.UTC(2025, 2, 12, 9, 0),
  };

  it('adds a comment, unresolved and not a reply', () => {
    const doc = demoDiscussionDoc();
    const id = inOneTransaction(doc, alice, () => addComment(doc, comment, alice));
    expect(id).toMatch(UUID);
    expect(readDiscussion(doc).comments[id]).toEqual({ ...comment, id, parentId: null, resolved: false });
  });

  it('adds a reply to a comment on the same touchpoint', () => {
    const doc = demoDiscussionDoc();
    const reply = { ...comment, touchpointId: 'tp-first-bill', parentId: 'comment-first-bill', id: 'comment-new-reply' };
    addComment(doc, reply, alice);
    expect(readDiscussion(doc).comments['comment-new-reply']).toMatchObject({ parentId: 'comment-first-bill' });
  });

  it('refuses a reply to a missing comment or to a comment on another touchpoint', () => {
    const doc = demoDiscussionDoc();
    expectRefused(doc, 'not_found', () => addComment(doc, { ...comment, parentId: 'comment-gone' }, alice));
    expectRefused(doc, 'invalid', () => addComment(doc, { ...comment, parentId: 'comment-first-bill' }, alice));
    expectRefused(doc, 'duplicate', () => addComment(doc, { ...comment, id: 'comment-renewals' }, alice));
    expectRefused(doc, 'invalid', () => addComment(doc, { ...comment, body: '' }, alice), 'body must not be empty');
  });

  it('edits, resolves and reopens a comment', () => {
    const doc = demoDiscussionDoc();
    inOneTransaction(doc, alice, () => editComment(doc, 'comment-renewals', 'Who owns renewals?', alice));
    inOneTransaction(doc, bob, () => setCommentResolved(doc, 'comment-renewals', true, bob));
    expect(readDiscussion(doc).comments['comment-renewals']).toMatchObject({ body: 'Who owns renewals?', resolved: true });
    setCommentResolved(doc, 'comment-renewals', false, alice);
    expect(readDiscussion(doc).comments['comment-renewals']?.resolved).toBe(false);
    expectRefused(doc, 'not_found', () => editComment(doc, 'comment-gone', 'x', alice));
    expectRefused(doc, 'not_found', () => setCommentResolved(doc, 'comment-gone', true, alice));
  });

  it('deletes a comment; the replies of others stay', () => {
    const doc = demoDiscussionDoc();
    inOneTransaction(doc, alice, () => deleteComment(doc, 'comment-first-bill', alice));
    const comments = readDiscussion(doc).comments;
    expect(comments['comment-first-bill']).toBeUndefined();
    expect(comments['comment-first-bill-reply']).toBeDefined();
    expectRefused(doc, 'not_found', () => deleteComment(doc, 'comment-first-bill', alice));
    const copy = new Y.Doc();
    writeDiscussion(copy, readDiscussion(doc), system);
    expect(readDiscussion(copy)).toEqual(readDiscussion(doc));
  });
});

describe('votes', () => {
  it('sets, changes and removes a user\u2019s dots', () => {
    const doc = demoDiscussionDoc();
    const id = doc.clientID;
    inOneTransaction(doc, alice, () => setVotes(doc, 'tp-router-return', 'user-aisha', 2, alice));
    expect(readDiscussion(doc).votes['tp-router-return']).toEqual({ 'user-aisha': 2 });
    expect(doc.clientID).toBe(id);
    setVotes(doc, 'tp-first-bill', 'user-aisha', 3, alice);
    expect(readDiscussion(doc).votes['tp-first-bill']).toEqual({ 'user-aisha': 3, 'user-ben': 1 });
    inOneTransaction(doc, alice, () => setVotes(doc, 'tp-first-bill', 'user-aisha', 0, alice));
    expect(readDiscussion(doc).votes['tp-first-bill']).toEqual({ 'user-ben': 1 });
  });

  it('refuses negative or fractional dots', () => {
    const doc = demoDiscussionDoc();
    expectRefused(doc, 'invalid', () => setVotes(doc, 'tp-ivr', 'user-ben', -1, alice), 'dots must be at least 0 (got -1)');
    expectRefused(doc, 'invalid', () => setVotes(doc, 'tp-ivr', 'user-ben', 1.5, alice), 'dots must be a whole number (got 1.5)');
  });

  it('clearVotes ends the session: no dots left anywhere', () => {
    const doc = demoDiscussionDoc();
    inOneTransaction(doc, system, () => clearVotes(doc, system));
    const votes = readDiscussion(doc).votes;
    expect(Object.values(votes).flatMap((byUser) => Object.values(byUser))).toEqual([]);
    setVotes(doc, 'tp-ivr', 'user-ben', 1, bob);
    expect(readDiscussion(doc).votes['tp-ivr']).toEqual({ 'user-ben': 1 });
  });

  it('different users voting on one touchpoint at once both count, once the touchpoint has been voted on', () => {
    const a = demoDiscussionDoc();
    const b = replicaOf(a);
    setVotes(a, 'tp-ivr', 'user-aisha', 1, alice);
    setVotes(b, 'tp-ivr', 'user-chloe', 3, bob);
    sync(a, b);
    expect(readDiscussion(a).votes['tp-ivr']).toEqual({ 'user-ben': 2, 'user-aisha': 1, 'user-chloe': 3 });
    expect(readDiscussion(b)).toEqual(readDiscussion(a));
  });

  it('two first dots on a touchpoint nobody voted on, cast at once, both count (the tally is created the same by both)', () => {
    const a = demoDiscussionDoc();
    const b = replicaOf(a);
    const ids = [a.clientID, b.clientID];
    expect(readDiscussion(a).votes['tp-router-return']).toBeUndefined();
    setVotes(a, 'tp-router-return', 'user-aisha', 2, alice);
    setVotes(b, 'tp-router-return', 'user-chloe', 1, bob);
    sync(a, b);
    // Yjs changes a document's client id when it thinks another client used it; awareness would then lose track of this one.
    expect([a.clientID, b.clientID]).toEqual(ids);
    expect(readDiscussion(a).votes['tp-router-return']).toEqual({ 'user-aisha': 2, 'user-chloe': 1 });
    expect(readDiscussion(b)).toEqual(readDiscussion(a));
  });

  it('gives every touchpoint its own tally creator, above every random Yjs client id', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => (i % 2 ? `tp-${i}` : `tp-${i.toString(36)}-${(i * 7919).toString(16)}`));
    const creators = new Set(ids.map(tallyCreatorId));
    expect(creators.size).toBe(ids.length);
    for (const id of creators) {
      expect(id).toBeGreaterThanOrEqual(2 ** 32);
      expect(id).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
    }
  });

  it('first dots on two different touchpoints at once create two tallies, which survive both update encodings', () => {
    const a = demoDiscussionDoc();
    const b = replicaOf(a);
    setVotes(a, 'tp-router-return', 'user-aisha', 1, alice);
    setVotes(b, 'tp-door-leaflet', 'user-chloe', 2, bob);
    sync(a, b);
    const viaV2 = new Y.Doc();
    Y.applyUpdateV2(viaV2, Y.encodeStateAsUpdateV2(b), remote);
    for (const doc of [a, b, viaV2]) {
      expect(readDiscussion(doc).votes['tp-router-return']).toEqual({ 'user-aisha': 1 });
      expect(readDiscussion(doc).votes['tp-door-leaflet']).toEqual({ 'user-chloe': 2 });
    }
  });

  it('the shared tally of a touchpoint is created once, whoever creates it and in whatever order updates arrive', () => {
    const a = demoDiscussionDoc();
    const b = replicaOf(a);
    const c = replicaOf(a);
    setVotes(a, 'tp-new', 'u1', 1, alice);
    setVotes(b, 'tp-new', 'u2', 1, bob);
    setVotes(c, 'tp-new', 'u3', 1, bob);
    sync(c, b);
    sync(b, a);
    sync(c, a);
    for (const doc of [a, b, c]) expect(readDiscussion(doc).votes['tp-new']).toEqual({ u1: 1, u2: 1, u3: 1 });
  });
});

describe('collaboration', () => {
  it('two replicas converge after concurrent edits', () => {
    const a = demoDoc();
    const b = replicaOf(a);
    renameStage(a, 'stage-buy', 'Order', alice);
    addTouchpoint(b, { id: 'tp-move', label: 'Moving-house form', stageId: 'stage-buy', channel: 'web' }, bob);
    deleteTouchpoint(a, 'tp-help-center', alice);
    addConnection(b, { source: 'tp-move', target: 'hub' }, bob);
    updateTouchpoint(a, 'tp-first-bill', { emotion: -1 }, alice);
    updateTouchpoint(b, 'tp-first-bill', { contactVolume: 1500 }, bob);
    sync(a, b);
    const map = readMap(a);
    expect(readMap(b)).toEqual(map);
    expect(map.stages[2]?.name).toBe('Order');
    expect(map.touchpoints['tp-move']?.stageId).toBe('stage-buy');
    expect(map.touchpoints['tp-help-center']).toBeUndefined();
    expect(map.touchpoints['tp-first-bill']).toMatchObject({ emotion: -1, contactVolume: 1500 });
  });

  it("a user's undo reverts that user's edits only", () => {
    const a = demoDoc();
    const b = replicaOf(a);
    const aliceUndo = new Y.UndoManager(
      [a.getMap('meta'), a.getArray('stages'), a.getMap('touchpoints'), a.getMap('connections')],
      { trackedOrigins: new Set([alice]), captureTimeout: 0 },
    );
    renameStage(a, 'stage-buy', 'Order', alice);
    updateTouchpoint(a, 'tp-first-bill', { label: 'Bob’s label' }, bob);
    addTouchpoint(b, { id: 'tp-remote', label: 'Added elsewhere', stageId: 'stage-buy' }, bob);
    sync(a, b);
    deleteTouchpoint(a, 'tp-help-center', alice);

    aliceUndo.undo();
    let map = readMap(a);
    expect(map.touchpoints['tp-help-center']).toEqual(demoMap().map.touchpoints['tp-help-center']);
    expect(map.connections['cx-wifi-help-center']).toBeDefined();
    expect(map.connections['cx-help-center-chat']).toBeDefined();
    expect(map.stages[2]?.name).toBe('Order');

    aliceUndo.undo();
    map = readMap(a);
    expect(map.stages[2]?.name).toBe('Buy');
    expect(map.touchpoints['tp-first-bill']?.label).toBe('Bob’s label');
    expect(map.touchpoints['tp-remote']?.label).toBe('Added elsewhere');
    expect(aliceUndo.undoStack).toHaveLength(0);
  });

  it('undo of a stage move puts the stage back', () => {
    const doc = demoDoc();
    const undo = new Y.UndoManager(doc.getArray('stages'), { trackedOrigins: new Set([alice]), captureTimeout: 0 });
    moveStage(doc, 'stage-renew', 0, alice);
    undo.undo();
    expect(readMap(doc).stages).toEqual(demoMap().map.stages);
  });

  it('seeded random edits on three replicas converge (replay a failure with its seed)', () => {
    for (const seed of [1, 2, 3, 42, 20250310]) {
      const gen = prng.create(seed);
      const first = demoDoc();
      const docs = [first, replicaOf(first), replicaOf(first)];
      const origins: EditOrigin[] = docs.map((_, index) => ({ userId: `user-${index}`, kind: 'local' }));
      for (let step = 0; step < 150; step += 1) {
        const index = prng.uint32(gen, 0, docs.length - 1);
        const doc = docs[index];
        const origin = origins[index];
        if (doc === undefined || origin === undefined) throw new Error('replica index out of range');
        const map = readMap(doc);
        const touchpointIds = Object.keys(map.touchpoints);
        const stageIds = map.stages.map((stage) => stage.id);
        const anyTouchpoint = prng.oneOf(gen, touchpointIds);
        const anyStage = stageIds.length > 0 ? prng.oneOf(gen, stageIds) : null;
        const edits: (() => unknown)[] = [
          () => addTouchpoint(doc, { label: prng.word(gen, 1, 12), stageId: anyStage, emotion: prng.int32(gen, -2, 2) }, origin),
          () => updateTouchpoint(doc, anyTouchpoint, { x: prng.int32(gen, 0, 2000), label: prng.word(gen, 1, 12) }, origin),
          () => deleteTouchpoint(doc, anyTouchpoint, origin),
          () => addConnection(doc, { source: anyTouchpoint, target: prng.oneOf(gen, touchpointIds) }, origin),
          () => addStage(doc, { name: prng.word(gen, 1, 12), index: prng.uint32(gen, 0, stageIds.length) }, origin),
          () => anyStage !== null && moveStage(doc, anyStage, prng.uint32(gen, 0, stageIds.length - 1), origin),
          () => anyStage !== null && deleteStage(doc, anyStage, origin),
          () => anyStage !== null && renameStage(doc, anyStage, prng.word(gen, 1, 12), origin),
          () => addPainPoint(doc, anyTouchpoint, { text: prng.word(gen, 1, 20), severity: 3, frequency: 2 }, origin),
          () => moveTouchpointToStage(doc, anyTouchpoint, anyStage, origin),
        ];
        try {
          prng.oneOf(gen, edits)();
        } catch (error) {
          if (!(error instanceof JourneyError)) throw error;
        }
        if (prng.bool(gen)) {
          const other = docs[prng.uint32(gen, 0, docs.length - 1)];
          if (other !== undefined && other !== doc) sync(doc, other);
        }
      }
      for (const a of docs) for (const b of docs) sync(a, b);
      const final = readMap(first);
      for (const doc of docs) expect(readMap(doc), `seed ${seed}`).toEqual(final);
      const hubs = Object.values(final.touchpoints).filter((t) => t.kind === 'hub');
      expect(hubs.map((hub) => hub.id), `seed ${seed}`).toEqual(['hub']);
      expect(new Set(final.stages.map((stage) => stage.id)).size, `seed ${seed}`).toBe(final.stages.length);
    }
  });
});

describe('batch writes for merges (deleteTouchpoints, addConnections)', () => {
  it('deleteTouchpoints deletes several touchpoints and all their connections in one transaction', () => {
    const doc = demoDoc();
    const gone = ['tp-help-center', 'tp-ivr', 'tp-first-bill'];
    inOneTransaction(doc, alice, () => deleteTouchpoints(doc, gone, alice));
    const map = readMap(doc);
    for (const id of gone) expect(map.touchpoints[id]).toBeUndefined();
    expect(Object.values(map.connections).filter((c) => gone.includes(c.source) || gone.includes(c.target))).toEqual([]);
  });

  it('deleteTouchpoints refuses the whole batch when one is the hub or missing', () => {
    const doc = demoDoc();
    expectRefused(doc, 'hub_protected', () => deleteTouchpoints(doc, ['tp-ivr', 'hub'], alice), 'the contact-center hub cannot be deleted');
    expectRefused(doc, 'not_found', () => deleteTouchpoints(doc, ['tp-ivr', 'tp-gone'], alice), 'touchpoint "tp-gone" does not exist');
  });

  it('addConnections adds several links in one transaction, with the checks of addConnection', () => {
    const doc = demoDoc();
    const ids = inOneTransaction(doc, alice, () =>
      addConnections(
        doc,
        [
          { id: 'cx-a', source: 'tp-router-return', target: 'hub' },
          { id: 'cx-b', source: 'tp-store-visit', target: 'tp-sales-hotline', label: 'asks' },
        ],
        alice,
      ),
    );
    expect(ids).toEqual(['cx-a', 'cx-b']);
    expect(readMap(doc).connections['cx-b']).toEqual({ id: 'cx-b', source: 'tp-store-visit', target: 'tp-sales-hotline', label: 'asks' });
  });

  it('addConnections refuses the whole batch on a link the document or the batch already has', () => {
    const doc = demoDoc();
    expectRefused(
      doc,
      'duplicate',
      () => addConnections(doc, [{ source: 'tp-router-return', target: 'hub' }, { source: 'hub', target: 'tp-ivr' }], alice),
      'touchpoints "hub" and "tp-ivr" are already connected (connection "cx-ivr-hub")',
    );
    expectRefused(
      doc,
      'duplicate',
      () => addConnections(doc, [{ id: 'cx-a', source: 'tp-router-return', target: 'hub' }, { id: 'cx-b', source: 'hub', target: 'tp-router-return' }], alice),
      'touchpoints "hub" and "tp-router-return" are already connected (connection "cx-a")',
    );
    expectRefused(
      doc,
      'duplicate',
      () => addConnections(doc, [{ id: 'cx-a', source: 'tp-router-return', target: 'hub' }, { id: 'cx-a', source: 'tp-store-visit', target: 'hub' }], alice),
      'a connection with id "cx-a" already exists',
    );
  });
});

describe('createMapReader', () => {
  it('reads what readMap reads after every kind of edit, local or remote, keeping what did not change', () => {
    const doc = demoDoc();
    const other = replicaOf(doc);
    const reader = createMapReader(doc);
    let before = reader.read();
    expect(before).toEqual(readMap(doc));
    expect(reader.read()).toBe(before);

    const edits: Array<[string, () => void]> = [
      ['label', () => updateTouchpoint(doc, 'tp-first-bill', { label: 'First bill (new)' }, alice)],
      ['pain point', () => addPainPoint(doc, 'tp-ivr', { text: 'Loops', severity: 4, frequency: 3 }, alice)],
      ['new card', () => addTouchpoint(doc, { label: 'Forum', stageId: 'stage-discover', x: 10, y: 300 }, alice)],
      ['card gone', () => deleteTouchpoint(doc, 'tp-door-leaflet', alice)],
      ['connection', () => addConnection(doc, { source: 'tp-sales-chat', target: 'tp-store-visit' }, alice)],
      ['stage', () => renameStage(doc, 'stage-buy', 'Order', alice)],
      ['remote', () => {
        updateTouchpoint(other, 'tp-help-center', { owner: 'Digital' }, bob);
        sync(other, doc);
      }],
    ];
    for (const [what, edit] of edits) {
      edit();
      const after = reader.read();
      expect(after, what).toEqual(readMap(doc));
      const changed = Object.keys(after.touchpoints).filter((id) => after.touchpoints[id] !== before.touchpoints[id]);
      expect(changed.length, `${what}: touchpoints read again`).toBeLessThanOrEqual(1);
      before = after;
    }
    reader.dispose();
  });
});
