import type * as Y from 'yjs';
import { readDiscussion, readMap } from '../../lib/journey/schema';
import type { Discussion, JourneyMap } from '../../lib/journey/types';
import type { DocKind } from '../../lib/permissions/roles';
import type { DocStore } from '../store/doc-store';
import { loadMapDoc, readOrDamaged } from './load-doc';

/** `read` run on one of a map's documents as stored, loaded once and dropped after. A DamagedMapError when it cannot be loaded or read. */
export async function readStoredDoc<T>(store: DocStore, mapId: string, kind: DocKind, read: (doc: Y.Doc) => T): Promise<T> {
  const doc = await loadMapDoc(store, mapId, kind);
  try {
    return readOrDamaged(mapId, kind, doc, read);
  } finally {
    doc.destroy();
  }
}

/** The plain model of a map's two documents as stored: everything acknowledged to any client. A DamagedMapError when either cannot be read. */
export async function readStoredMap(store: DocStore, mapId: string): Promise<{ map: JourneyMap; discussion: Discussion }> {
  const [map, discussion] = await Promise.allSettled([readStoredDoc(store, mapId, 'map', readMap), readStoredDoc(store, mapId, 'discussion', readDiscussion)]);
  if (map.status === 'rejected') throw map.reason;
  if (discussion.status === 'rejected') throw discussion.reason;
  return { map: map.value, discussion: discussion.value };
}
