/**
 * Issue 12 §1, "kept": a log row that cannot be read and was stored after the
 * room loaded (by another writer: the CLI, another process) must not be
 * dropped when compaction folds the log into the snapshot; it goes to the
 * set-aside table like one found by a load. Real SQLite store, real compaction.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { compactRoom } from '../../server/collab/compact-room';
import { openSqlite } from '../../server/db/sqlite';
import { loadStoredDoc } from '../../server/store/apply-stored';
import { SqliteDocStore } from '../../server/store/sqlite-doc-store';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyhub-compact-'));
const db = openSqlite(dataDir);
const store = new SqliteDocStore(db);

afterAll(async () => {
  await store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('compaction keeps what it cannot read', () => {
  it('an unreadable row appended after the load is moved to doc_updates_set_aside, not dropped with the log', async () => {
    const room = 'compaction-room';
    const writer = new Y.Doc();
    const updates: Uint8Array[] = [];
    writer.on('update', (update: Uint8Array) => updates.push(update));
    writer.getMap('meta').set('title', 'Before');
    writer.getMap('meta').set('persona', 'Pat');
    await store.append(updates.map((update) => ({ room, update })));
    const doc = loadStoredDoc(await store.load(room));
    const garbage = Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f]);
    const [badSeq] = await store.append([{ room, update: garbage }]);

    await compactRoom(store, room, doc, (missing) => missing.forEach((update) => Y.applyUpdate(doc, update)));

    const kept = db.prepare<[string], { seq: number; data: Buffer; reason: string }>('SELECT seq, data, reason FROM doc_updates_set_aside WHERE room = ?').all(room);
    expect(kept).toHaveLength(1);
    expect(kept[0]?.seq).toBe(badSeq);
    expect(Array.from(kept[0]?.data ?? [])).toEqual(Array.from(garbage));
    expect(kept[0]?.reason).toMatch(/\w{3,}/);
    const after = await store.load(room);
    expect(after.updates).toEqual([]);
    expect(loadStoredDoc(after).getMap('meta').get('title')).toBe('Before');
  });
});
