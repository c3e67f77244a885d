import * as Y from 'yjs';
import { roomName } from '../../lib/journey/rooms';
import type { DocKind } from '../../lib/permissions/roles';
import type { DocStore } from '../store/doc-store';
import { withStoredDoc } from './load-doc';

/**
 * `read` run on a room's document in the memory of the process, when it holds
 * the room exactly as stored (CollabServer.readHeld); null: read the store.
 */
export type HeldRoom = <T>(room: string, read: (doc: Y.Doc) => T) => Promise<{ value: T } | null>;

/**
 * A map's two documents as stored now, each as one encoded state (what a
 * version or a fork keeps), from `held` where it has them. A DamagedMapError
 * when either cannot be loaded.
 */
export async function encodedStates(store: DocStore, mapId: string, held?: HeldRoom): Promise<{ mapState: Uint8Array; discussionState: Uint8Array }> {
  const encoded = async (kind: DocKind): Promise<Uint8Array> => {
    const inMemory = await held?.(roomName(mapId, kind), (doc) => Y.encodeStateAsUpdate(doc));
    if (inMemory) return inMemory.value;
    return withStoredDoc(store, mapId, kind, (doc) => Y.encodeStateAsUpdate(doc));
  };
  return { mapState: await encoded('map'), discussionState: await encoded('discussion') };
}

/** A scratch document holding `state`, for reading or for computing an edit on top of it. */
export function docFromState(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}

/** `read` run on a scratch document holding `state` (a version's, a fork's), dropped after. */
export function readState<T>(state: Uint8Array, read: (doc: Y.Doc) => T): T {
  const doc = docFromState(state);
  try {
    return read(doc);
  } finally {
    doc.destroy();
  }
}
