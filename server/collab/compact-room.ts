import * as Y from 'yjs';
import { reasonOf } from '../maps/damaged-map';
import type { DocStore, SetAside } from '../store/doc-store';
import { snapshotDigest } from '../store/snapshot-digest';

export interface Compacted {
  seq: number;
  /** The snapshot's size, the document's encoded size now; null when the log was empty and nothing was written. */
  stateBytes: number | null;
  /** The written snapshot's fingerprint (snapshot-digest.ts); null when nothing was written. */
  digest: string | null;
}

export interface HeldThrough {
  /** Everything stored up to this seq is in the document (Room.chain.through). */
  through: number;
  /** The document holds every stored update up to `through` (Room.holdsStoredLog). */
  intact: boolean;
}

/**
 * Compaction's fold (compaction.ts decides when).
 *
 * Folds a room's log into its snapshot, from the document in memory: encoding
 * it is cheap, while rebuilding it from the store would hold the event loop
 * for hundreds of milliseconds on a large map. Whatever is appended after the
 * seq it compacts to stays in the log.
 *
 * When the room's chain says the document holds every stored update up to
 * the store's last seq, and every one it was given applied cleanly, it folds
 * at once. Otherwise it reads the log back and checks each update against the
 * document: what another writer (the CLI, another process) stored and the
 * document lacks is handed to `catchUp` first, so nothing stored is dropped,
 * and an unreadable update is set aside, not folded away.
 */
export async function compactRoom(store: DocStore, room: string, doc: Y.Doc, catchUp: (updates: Uint8Array[]) => void, held?: HeldThrough): Promise<Compacted> {
  if (held?.intact) {
    const last = (await store.lastSeqs([room])).get(room) ?? 0;
    if (last === held.through) {
      const state = Y.encodeStateAsUpdate(doc);
      await store.compact(room, state, last);
      return { seq: last, stateBytes: state.byteLength, digest: snapshotDigest(state) };
    }
  }
  const stored = await store.load(room);
  if (stored.updates.length === 0) return { seq: stored.lastSeq, stateBytes: null, digest: null };
  const snapshot = Y.snapshot(doc);
  const missing: Uint8Array[] = [];
  const unreadable: SetAside[] = [];
  if (stored.snapshot && stored.snapshotSeq !== null && !Y.snapshotContainsUpdate(snapshot, stored.snapshot)) missing.push(stored.snapshot);
  stored.updates.forEach((update, index) => {
    try {
      if (!Y.snapshotContainsUpdate(snapshot, update)) missing.push(update);
    } catch (error) {
      // An unreadable row stays out of the snapshot, as it stays out of every load; kept aside, not dropped with the log.
      const seq = stored.seqs[index];
      if (seq !== undefined) unreadable.push({ seq, reason: reasonOf(error) });
    }
  });
  if (missing.length > 0) catchUp(missing);
  await store.setAside(room, unreadable);
  const state = Y.encodeStateAsUpdate(doc);
  await store.compact(room, state, stored.lastSeq);
  return { seq: stored.lastSeq, stateBytes: state.byteLength, digest: snapshotDigest(state) };
}
