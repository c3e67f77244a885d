import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { PendingUpdates, checkMapUpdate, type ShapeVerdict } from '../../lib/journey/map-shape';
import type { EditOrigin } from '../../lib/journey/origin';
import {
  addConnection,
  addPainPoint,
  addStage,
  addTouchpoint,
  deleteTouchpoint,
  getHubId,
  markReviewed,
  readMap,
  setVoteSession,
  updatePainPoint,
  updateTouchpoint,
  writeMap,
} from '../../lib/journey/schema';
import { demoMap } from '../../lib/journey/templates';

const editor: EditOrigin = { userId: 'editor', kind: 'local' };
const LIMITS = { docBytes: 0, maxDocBytes: 16 * 1024 * 1024 };

function serverDoc(): Y.Doc {
  const doc = new Y.Doc();
  writeMap(doc, demoMap().map, { userId: 'system', kind: 'system' });
  return doc;
}

function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

/** The update `edit` makes on `client`. */
function craft(client: Y.Doc, edit: (doc: Y.Doc) => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const record = (update: Uint8Array): void => {
    updates.push(update);
  };
  client.on('update', record);
  edit(client);
  client.off('update', record);
  return Y.mergeUpdates(updates);
}

function check(edit: (doc: Y.Doc) => void, server = serverDoc()): ShapeVerdict {
  return checkMapUpdate(server, craft(copyOf(server), edit), LIMITS);
}

function touchpoint(doc: Y.Doc, id: string): Y.Map<unknown> {
  const value = doc.getMap<unknown>('touchpoints').get(id);
  if (!(value instanceof Y.Map)) throw new Error(`no touchpoint ${id}`);
  return value;
}

function hubOf(doc: Y.Doc): string {
  const hubId = getHubId(doc);
  if (hubId === null) throw new Error('the demo map has a hub');
  return hubId;
}

describe('checkMapUpdate', () => {
  it('accepts every edit the schema module makes', () => {
    expect(check((doc) => addStage(doc, { name: 'New stage' }, editor))).toEqual({ ok: true });
    expect(check((doc) => addTouchpoint(doc, { label: 'New', painPoints: [{ text: 'Slow', severity: 2, frequency: 3 }] }, editor))).toEqual({ ok: true });
    expect(check((doc) => updateTouchpoint(doc, 'tp-ivr', { label: 'x'.repeat(200), emotion: -2, owner: null }, editor))).toEqual({ ok: true });
    expect(check((doc) => addPainPoint(doc, 'tp-ivr', { text: 'Long wait', severity: 5, frequency: 1 }, editor))).toEqual({ ok: true });
    expect(check((doc) => deleteTouchpoint(doc, 'tp-ivr', editor))).toEqual({ ok: true });
    expect(check((doc) => setVoteSession(doc, { dotsPerPerson: 5, startedBy: 'Bob', startedAt: 1 }, editor))).toEqual({ ok: true });
    expect(
      check((doc) => {
        const id = addTouchpoint(doc, { label: 'Ends' }, editor);
        addConnection(doc, { source: id, target: hubOf(doc), label: 'calls' }, editor);
      }),
    ).toEqual({ ok: true });
  });

  it('refuses shared types where the schema has none, however deep', () => {
    const nested = check((doc) => {
      let parent = new Y.Map<unknown>();
      touchpoint(doc, 'tp-ivr').set('nest', parent);
      for (let depth = 0; depth < 100; depth++) {
        const child = new Y.Map<unknown>();
        parent.set('n', child);
        parent = child;
      }
    });
    expect(nested).toMatchObject({ ok: false, reason: expect.stringMatching(/shared type/) });
    expect(check((doc) => touchpoint(doc, 'tp-ivr').set('label', new Y.Text('x')))).toMatchObject({ ok: false });
    expect(check((doc) => doc.getArray<unknown>('stages').push([new Y.Array<unknown>()]))).toMatchObject({ ok: false });
    expect(check((doc) => doc.getMap<unknown>('elsewhere').set('x', 1))).toMatchObject({ ok: false });
  });

  it('refuses fields of the wrong type or past their limits', () => {
    expect(check((doc) => touchpoint(doc, 'tp-ivr').set('label', 'x'.repeat(201)))).toMatchObject({ ok: false, reason: expect.stringMatching(/label/) });
    expect(check((doc) => touchpoint(doc, 'tp-ivr').set('contactVolume', -1))).toMatchObject({ ok: false });
    expect(check((doc) => touchpoint(doc, 'tp-ivr').set('unknownField', 1))).toMatchObject({ ok: false });
    expect(check((doc) => doc.getMap<unknown>('meta').set('voteSession', { dotsPerPerson: 1e9, startedBy: 'x', startedAt: 0 }))).toMatchObject({ ok: false });
    expect(check((doc) => doc.getMap<unknown>('touchpoints').set('plain', { label: 'x' }))).toMatchObject({ ok: false });
    expect(check((doc) => addTouchpoint(doc, { label: 'Long key', id: 'k'.repeat(200) }, editor))).toEqual({ ok: true });
    expect(check((doc) => doc.getMap<unknown>('touchpoints').set('k'.repeat(201), new Y.Map<unknown>()))).toMatchObject({ ok: false, reason: expect.stringMatching(/key/) });
  });

  it('refuses deleting, replacing or doubling the hub', () => {
    expect(check((doc) => doc.getMap<unknown>('touchpoints').delete(hubOf(doc)))).toMatchObject({ ok: false, reason: expect.stringMatching(/hub/) });
    expect(check((doc) => doc.getMap<unknown>('touchpoints').set(hubOf(doc), new Y.Map<unknown>()))).toMatchObject({ ok: false, reason: expect.stringMatching(/hub/) });
    expect(check((doc) => doc.getMap<unknown>('meta').set('hubId', 'tp-ivr'))).toMatchObject({ ok: false, reason: expect.stringMatching(/hub/) });
    expect(check((doc) => touchpoint(doc, 'tp-ivr').set('kind', 'hub'))).toMatchObject({ ok: false, reason: expect.stringMatching(/hub/) });
    expect(check((doc) => touchpoint(doc, hubOf(doc)).delete('kind'))).toMatchObject({ ok: false, reason: expect.stringMatching(/hub/) });
    expect(check((doc) => updateTouchpoint(doc, hubOf(doc), { label: 'Contact center' }, editor))).toEqual({ ok: true });
  });

  it("refuses a client's write of figuresAt: only a push may tell every open canvas to fetch figures again", () => {
    expect(check((doc) => doc.getMap<unknown>('meta').set('figuresAt', Date.now()))).toMatchObject({ ok: false, reason: expect.stringMatching(/figures/) });
    expect(check((doc) => markReviewed(doc, 'Lena', 1, editor))).toEqual({ ok: true });
  });

  it('refuses an update that would take the document past its size limit', () => {
    const server = serverDoc();
    const update = craft(copyOf(server), (doc) => updateTouchpoint(doc, 'tp-ivr', { label: 'Renamed' }, editor));
    expect(checkMapUpdate(server, update, { docBytes: 1000, maxDocBytes: 1000 + update.byteLength })).toEqual({ ok: true });
    expect(checkMapUpdate(server, update, { docBytes: 1001, maxDocBytes: 1000 + update.byteLength })).toMatchObject({ ok: false, reason: expect.stringMatching(/size limit/) });
  });

  it('resolves items against updates queued before this one', () => {
    const server = serverDoc();
    const client = copyOf(server);
    const first = craft(client, (doc) => addTouchpoint(doc, { id: 'tp-new', label: 'New', painPoints: [{ id: 'pp', text: 'a', severity: 1, frequency: 1 }] }, editor));
    const second = craft(client, (doc) => updatePainPoint(doc, 'tp-new', 'pp', { text: 'b' }, editor));
    expect(checkMapUpdate(server, second, LIMITS)).toMatchObject({ ok: false });
    expect(checkMapUpdate(server, second, LIMITS, [first])).toEqual({ ok: true });
  });

  it('a queue kept as PendingUpdates (indexed once per update, as the server keeps it): a long run of keystrokes, each on the one before, all pass; a forged one does not', () => {
    const server = serverDoc();
    const client = copyOf(server);
    const pending = new PendingUpdates();
    for (let i = 0; i < 300; i++) {
      const keystroke = craft(client, (doc) => updateTouchpoint(doc, 'tp-ivr', { label: `typing ${i}` }, editor));
      expect(checkMapUpdate(server, keystroke, LIMITS, pending)).toEqual({ ok: true });
      pending.add(keystroke);
    }
    expect(pending.bytes).toBeGreaterThan(0);
    const forged = craft(copyOf(client), (doc) => doc.getMap('touchpoints').set('tp-forged', 'not a touchpoint'));
    expect(checkMapUpdate(server, forged, LIMITS, pending)).toMatchObject({ ok: false });
    // Applied, the queue is empty again; what the document holds is found there.
    Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
    pending.applied(pending.bytes);
    pending.clear();
    expect(pending.bytes).toBe(0);
    const next = craft(client, (doc) => updateTouchpoint(doc, 'tp-ivr', { label: 'after' }, editor));
    expect(checkMapUpdate(server, next, LIMITS, pending)).toEqual({ ok: true });
  });

  it('lets through an edit inside a touchpoint the document has already deleted (Yjs drops it)', () => {
    const server = serverDoc();
    const client = copyOf(server);
    const late = craft(client, (doc) => updateTouchpoint(doc, 'tp-ivr', { label: 'Edited offline' }, editor));
    deleteTouchpoint(server, 'tp-ivr', editor);
    expect(checkMapUpdate(server, late, LIMITS)).toEqual({ ok: true });
    Y.applyUpdate(server, late);
    expect(readMap(server).touchpoints['tp-ivr']).toBeUndefined();
  });
});
