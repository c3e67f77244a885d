/**
 * Issue 12 §1, "kept": a log row that cannot be read and was stored after the
 * room loaded (by another writer: the CLI, another process) must not be
 * dropped when compaction folds the log into the snapshot; it goes to the
 * set-aside table like one found by a load. Real stores of every engine, real compaction.
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
  });
});
