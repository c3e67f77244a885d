import * as Y from 'yjs';
import type { DocStore } from '../store/doc-store';
import { loadMapDoc } from './load-doc';

/** A map's two documents as stored now, each as one encoded state (what a version or a fork keeps). A DamagedMapError when either cannot be loaded. */
export async function encodedStates(store: DocStore, mapId: string): Promise<{ mapState: Uint8Array; discussionState: Uint8Array }> {
  const mapDoc = await loadMapDoc(store, mapId, 'map');
  try {
    const discussionDoc = await loadMapDoc(store, mapId, 'discussion');
    try {
      return { mapState: Y.encodeStateAsUpdate(mapDoc), discussionState: Y.encodeStateAsUpdate(discussionDoc) };
    } finally {
      discussionDoc.destroy();
    }
  } finally {
    mapDoc.destroy();
  }
}

/** A scratch document holding `state`, for reading or for computing an edit on top of it. */
export function docFromState(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}
