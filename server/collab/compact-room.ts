import * as Y from 'yjs';
import { applyStoredDoc } from '../store/apply-stored';
import type { DocStore } from '../store/doc-store';

/**
 * Folds a room's log into its snapshot. It works from the store, not from a
 * document in memory, so that it is right even when several processes append
 * to the same room: everything up to the seq it read is in the new snapshot,
 * and whatever came after stays in the log. Returns that seq.
 */
export async function compactRoom(store: DocStore, room: string): Promise<number> {
  const stored = await store.load(room);
  if (stored.updates.length === 0) return stored.lastSeq;
  const doc = new Y.Doc();
  try {
    // An unreadable row stays out of the snapshot, as it stays out of every load.
    applyStoredDoc(doc, stored);
    await store.compact(room, Y.encodeStateAsUpdate(doc), stored.lastSeq);
    return stored.lastSeq;
  } finally {
    doc.destroy();
  }
}
