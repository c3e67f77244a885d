import type * as Y from 'yjs';
import { roomName } from '../../lib/journey/rooms';
import { loadMapDoc } from '../maps/load-doc';
import type { ServiceContext } from './context';

/**
 * Runs `read` on the map document, read-only: the live room's in the server
 * process (loaded once and kept while in use: on a 2,000-touchpoint map
 * reading it back from the store holds the event loop ~100 ms, and at 5,000
 * touchpoints a load is most of a metrics push's time, npm run
 * bench:metrics), else a copy loaded from the store (the CLI). Not
 * readOrDamaged: `read` throws what its caller means, and reads what it can.
 */
export async function onMapDoc<T>(ctx: ServiceContext, mapId: string, read: (doc: Y.Doc) => T): Promise<T> {
  if (ctx.collab) return ctx.collab.readRoom(roomName(mapId, 'map'), read);
  const doc = await loadMapDoc(ctx.store, mapId, 'map');
  try {
    return read(doc);
  } finally {
    doc.destroy();
  }
}
