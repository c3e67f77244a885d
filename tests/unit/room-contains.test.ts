/**
 * Room.contains answers "does the document hold all of this update already?"
 * for every SyncStep2 a client sends on connect. It needs the document's
 * snapshot (its delete set walks every struct: milliseconds on a big map), so
 * the room keeps one until the document changes; a stale one would let a
 * change through as "nothing new" or refuse a read-only client's echo.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { Room } from '../../server/collab/room';

function roomWith(doc: Y.Doc): Room {
  const stored = { snapshot: Y.encodeStateAsUpdate(doc), snapshotSeq: 1, updates: [], seqs: [], lastSeq: 1, logBytes: 0 };
  return new Room('m1', 'm1', 'map', stored, () => undefined);
}

describe('Room.contains', () => {
  it('is true for what the room holds and false for a change it lacks, before and after that change is applied', () => {
    const source = new Y.Doc();
    source.getMap('touchpoints').set('a', 'first');
    const room = roomWith(source);
    const echo = Y.encodeStateAsUpdate(source);
    expect(room.contains(echo)).toBe(true);

    const before = Y.encodeStateVector(source);
    source.getMap('touchpoints').set('b', 'second');
    const change = Y.encodeStateAsUpdate(source, before);
    expect(room.contains(change)).toBe(false);
    Y.applyUpdate(room.doc, change);
    expect(room.contains(change)).toBe(true);

    // A deletion is a change too: the snapshot's delete set must follow it.
    const beforeDelete = Y.encodeStateVector(source);
    source.getMap('touchpoints').delete('a');
    const deletion = Y.encodeStateAsUpdate(source, beforeDelete);
    expect(room.contains(deletion)).toBe(false);
    Y.applyUpdate(room.doc, deletion);
    expect(room.contains(deletion)).toBe(true);
  });

  it('takes the snapshot once for a burst of joiners while the document does not change, and anew after a change', () => {
    const source = new Y.Doc();
    for (let i = 0; i < 100; i++) source.getMap('touchpoints').set(`tp-${i}`, i);
    const room = roomWith(source);
    const echo = Y.encodeStateAsUpdate(source);
    const first = room.snapshot();
    for (let i = 0; i < 50; i++) expect(room.contains(echo)).toBe(true);
    expect(room.snapshot()).toBe(first);

    room.doc.getMap('touchpoints').set('tp-new', 1);
    expect(room.snapshot()).not.toBe(first);
    expect(Y.equalSnapshots(room.snapshot(), Y.snapshot(room.doc))).toBe(true);
  });
});
