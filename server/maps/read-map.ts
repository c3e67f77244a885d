import type * as Y from 'yjs';
import { roomName } from '../../lib/journey/rooms';
import { readDiscussion, readMap } from '../../lib/journey/schema';
import type { Discussion, JourneyMap } from '../../lib/journey/types';
import type { DocKind } from '../../lib/permissions/roles';
import type { DocStore } from '../store/doc-store';
import type { HeldRoom } from './doc-state';
import { readOrDamaged, withStoredDoc } from './load-doc';

/**
 * `read` run on one of a map's documents as stored: on the room in memory when
 * `held` has it exactly as stored (nothing loaded or decoded), else on a copy
 * loaded from the store. A DamagedMapError when it cannot be loaded or read.
 */
export async function readStoredDoc<T>(store: DocStore, mapId: string, kind: DocKind, read: (doc: Y.Doc) => T, held?: HeldRoom): Promise<T> {
  const inMemory = await held?.(roomName(mapId, kind), (doc) => readOrDamaged(mapId, kind, doc, read));
  if (inMemory) return inMemory.value;
  return withStoredDoc(store, mapId, kind, (doc) => readOrDamaged(mapId, kind, doc, read));
}

/** The plain model of a map's two documents as stored: everything acknowledged to any client. A DamagedMapError when either cannot be read. */
export async function readStoredMap(store: DocStore, mapId: string, held?: HeldRoom): Promise<{ map: JourneyMap; discussion: Discussion }> {
  const [map, discussion] = await Promise.allSettled([readStoredDoc(store, mapId, 'map', readMap, held), readStoredDoc(store, mapId, 'discussion', readDiscussion, held)]);
  if (map.status === 'rejected') throw map.reason;
  if (discussion.status === 'rejected') throw discussion.reason;
  return { map: map.value, discussion: discussion.value };
}
