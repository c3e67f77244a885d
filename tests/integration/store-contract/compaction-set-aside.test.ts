/**
 * Issue 12 §1, "kept": a log row that cannot be read and was stored after the
 * room loaded (by another writer: the CLI, another process) must not be
 * dropped when compaction folds the log into the snapshot; it goes to the
 * set-aside table like one found by a load. Nor may the fold that skips reading
 * the log back (the room holds every stored update) drop another writer's row.
 * Real stores of every engine, real compaction.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { compactRoom } from '../../../server/collab/compact-room';
import { loadStoredDoc } from '../../../server/store/apply-stored';
import { ENGINES, announceSkips, type OpenedEngine } from './engines';

announceSkips('compaction keeps what it cannot read');

describe.each(ENGINES)('compaction keeps what it cannot read: $name', (engine) => {
  describe.skipIf(engine.skipReason !== null)(engine.name, () => {
    let opened: OpenedEngine;
    beforeEach(async () => {
      opened = await engine.open();
    });
    afterEach(async () => {
      await opened.close();
    });

    it('an unreadable row appended after the load is moved to doc_updates_set_aside, not dropped with the log', async () => {
      const { store } = opened;
      const room = 'compaction-room';
      const writer = new Y.Doc();
      const updates: Uint8Array[] = [];
      writer.on('update', (update: Uint8Array) => updates.push(update));
      writer.getMap('meta').set('title', 'Before');
      writer.getMap('meta').set('persona', 'Pat');
      await store.append(updates.map((update) => ({ room, update })));
      const doc = loadStoredDoc(await store.load(room));
      const garbage = Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f]);
      const [{ seq: badSeq } = { seq: 0 }] = await (await opened.connectAgain()).append([{ room, update: garbage }]);

      await compactRoom(store, room, doc, (missing) => missing.forEach((update) => Y.applyUpdate(doc, update)));

      const kept = await opened.setAsideRows(room);
      expect(kept).toHaveLength(1);
      expect(kept[0]?.seq).toBe(badSeq);
      expect(Array.from(kept[0]?.data ?? [])).toEqual(Array.from(garbage));
      expect(kept[0]?.reason).toMatch(/\w{3,}/);
      const after = await store.load(room);
      expect(after.updates).toEqual([]);
      expect(loadStoredDoc(after).getMap('meta').get('title')).toBe('Before');
    });

    it('folds without reading the log back only when the room holds the store\'s last seq: a row stored after it by another writer is caught up, not folded away', async () => {
      const { store } = opened;
      const room = 'compaction-held';
      const writer = new Y.Doc();
      const updates: Uint8Array[] = [];
      writer.on('update', (update: Uint8Array) => updates.push(update));
      writer.getMap('meta').set('title', 'Before');
      await store.append(updates.map((update) => ({ room, update })));
      const loaded = await store.load(room);
      const doc = loadStoredDoc(loaded);
      const held = { through: loaded.lastSeq, intact: true };

      // The room holds everything: folded at once, and the snapshot gives the same document back.
      expect((await compactRoom(store, room, doc, () => {}, held)).seq).toBe(loaded.lastSeq);
      let after = await store.load(room);
      expect(after.updates).toEqual([]);
      expect(loadStoredDoc(after).getMap('meta').toJSON()).toEqual({ title: 'Before' });

      // Another writer stores an edit the room has not seen: the room's seq is behind, so the log is read and the edit caught up.
      updates.length = 0;
      writer.getMap('meta').set('persona', 'Pat');
      await (await opened.connectAgain()).append(updates.map((update) => ({ room, update })));
      const caughtUp: Uint8Array[] = [];
      await compactRoom(store, room, doc, (missing) => missing.forEach((update) => (caughtUp.push(update), Y.applyUpdate(doc, update))), held);
      expect(caughtUp).toHaveLength(1);
      after = await store.load(room);
      expect(after.updates).toEqual([]);
      expect(loadStoredDoc(after).getMap('meta').toJSON()).toEqual({ title: 'Before', persona: 'Pat' });
    });
  });
});
