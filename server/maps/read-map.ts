import * as Y from 'yjs';
import { roomName } from '../../lib/journey/rooms';
import { readDiscussion, readMap } from '../../lib/journey/schema';
import type { Discussion, JourneyMap } from '../../lib/journey/types';
import { loadStoredDoc } from '../store/apply-stored';
import type { DocStore } from '../store/doc-store';

async function loadDoc(store: DocStore, room: string): Promise<Y.Doc> {
  return loadStoredDoc(await store.load(room));
}

/** The plain model of a map's two documents as stored: everything acknowledged to any client. */
export async function readStoredMap(store: DocStore, mapId: string): Promise<{ map: JourneyMap; discussion: Discussion }> {
  const [mapDoc, discussionDoc] = await Promise.all([loadDoc(store, roomName(mapId, 'map')), loadDoc(store, roomName(mapId, 'discussion'))]);
  try {
    return { map: readMap(mapDoc), discussion: readDiscussion(discussionDoc) };
  } finally {
    mapDoc.destroy();
    discussionDoc.destroy();
  }
}
