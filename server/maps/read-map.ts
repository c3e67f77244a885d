import { readDiscussion, readMap } from '../../lib/journey/schema';
import type { Discussion, JourneyMap } from '../../lib/journey/types';
import type { DocStore } from '../store/doc-store';
import { loadMapDoc, readOrDamaged } from './load-doc';

/** The plain model of a map's two documents as stored: everything acknowledged to any client. A DamagedMapError when either cannot be read. */
export async function readStoredMap(store: DocStore, mapId: string): Promise<{ map: JourneyMap; discussion: Discussion }> {
  const [mapDoc, discussionDoc] = await Promise.allSettled([loadMapDoc(store, mapId, 'map'), loadMapDoc(store, mapId, 'discussion')]);
  try {
    if (mapDoc.status === 'rejected') throw mapDoc.reason;
    if (discussionDoc.status === 'rejected') throw discussionDoc.reason;
    return { map: readOrDamaged(mapId, 'map', mapDoc.value, readMap), discussion: readOrDamaged(mapId, 'discussion', discussionDoc.value, readDiscussion) };
  } finally {
    if (mapDoc.status === 'fulfilled') mapDoc.value.destroy();
    if (discussionDoc.status === 'fulfilled') discussionDoc.value.destroy();
  }
}
