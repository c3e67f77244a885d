import * as Y from 'yjs';
import { reasonOf } from '../maps/damaged-map';
import type { DocStore, SetAside } from '../store/doc-store';

/**
 * Compaction's fold (compaction.ts decides when).
 *
 * Folds a room's log into its snapshot, from the document in memory: encoding
 * it is cheap, while rebuilding it from the store would hold the event loop
 * for hundreds of milliseconds on a large map. Before it trusts the document,
 * it checks that the document holds everything stored up to the seq it
 * compacts to; what another writer (the CLI, another process) stored and the
 * document lacks is handed to `catchUp` first, so nothing stored is dropped.
 * Whatever is appended after that seq stays in the log. Returns the seq.
 */
export async function compactRoom(store: DocStore, room: string, doc: Y.Doc, catchUp: (updates: Uint8Array[]) => void): Promise<number> {
  const stored = await store.load(room);
  if (stored.updates.length === 0) return stored.lastSeq;
  const held = Y.snapshot(doc);
  const missing: Uint8Array[] = [];
  const unreadable: SetAside[] = [];
  if (stored.snapshot && stored.snapshotSeq !== null && !Y.snapshotContainsUpdate(held, stored.snapshot)) missing.push(stored.snapshot);
  stored.updates.forEach((update, index) => {
    try {
      if (!Y.snapshotContainsUpdate(held, update)) missing.push(update);
    } catch (error) {
      // An unreadable row stays out of the snapshot, as it stays out of every load; kept aside, not dropped with the log.
      const seq = stored.seqs[index];
      if (seq !== undefined) unreadable.push({ seq, reason: reasonOf(error) });
    }
  });
  if (missing.length > 0) catchUp(missing);
  await store.setAside(room, unreadable);
  await store.compact(room, Y.encodeStateAsUpdate(doc), stored.lastSeq);
  return stored.lastSeq;
}
