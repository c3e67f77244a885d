import * as Y from 'yjs';
import { roomName } from '../../lib/journey/rooms';
import { loadStoredDoc } from '../store/apply-stored';
import type { DocStore } from '../store/doc-store';

/** A map's two documents as stored now, each as one encoded state (what a version or a fork keeps). */
export async function encodedStates(store: DocStore, mapId: string): Promise<{ mapState: Uint8Array; discussionState: Uint8Array }> {
  const [mapState, discussionState] = await Promise.all(
    (['map', 'discussion'] as const).map(async (kind) => {
      const doc = loadStoredDoc(await store.load(roomName(mapId, kind)));
      try {
        return Y.encodeStateAsUpdate(doc);
      } finally {
        doc.destroy();
      }
    }),
  );
  return { mapState: mapState ?? new Uint8Array(), discussionState: discussionState ?? new Uint8Array() };
}

/** A scratch document holding `state`, for reading or for computing an edit on top of it. */
export function docFromState(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}
