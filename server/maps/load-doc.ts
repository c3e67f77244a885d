import type * as Y from 'yjs';
import { roomName } from '../../lib/journey/rooms';
import type { DocKind } from '../../lib/permissions/roles';
import { loadStoredDoc } from '../store/apply-stored';
import type { DocStore, SetAside } from '../store/doc-store';
import { DamagedMapError, reasonOf } from './damaged-map';

/**
 * One of a map's documents as stored. A log update that cannot be applied is
 * set aside in the store (kept, out of the live log), so that this load is the
 * last to replay it; a document that cannot be loaded at all is a DamagedMapError.
 */
export async function loadMapDoc(store: DocStore, mapId: string, kind: DocKind): Promise<Y.Doc> {
  const room = roomName(mapId, kind);
  const stored = await store.load(room);
  const bad: SetAside[] = [];
  let doc: Y.Doc;
  try {
    doc = loadStoredDoc(stored, (error, index) => {
      const seq = stored.seqs[index];
      if (seq !== undefined) bad.push({ seq, reason: reasonOf(error) });
    });
  } catch (error) {
    throw new DamagedMapError(mapId, room, reasonOf(error));
  }
  await store.setAside(room, bad);
  return doc;
}

/** `read` run on one of a map's documents loaded from the store (loadMapDoc), dropped after. */
export async function withStoredDoc<T>(store: DocStore, mapId: string, kind: DocKind, read: (doc: Y.Doc) => T): Promise<T> {
  const doc = await loadMapDoc(store, mapId, kind);
  try {
    return read(doc);
  } finally {
    doc.destroy();
  }
}

/** Runs `read` on a loaded document; a document that the reader cannot make sense of is damaged too. */
export function readOrDamaged<T>(mapId: string, kind: DocKind, doc: Y.Doc, read: (doc: Y.Doc) => T): T {
  try {
    return read(doc);
  } catch (error) {
    throw new DamagedMapError(mapId, roomName(mapId, kind), reasonOf(error));
  }
}
