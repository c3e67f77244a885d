import type * as Y from 'yjs';
import { roomName } from '../../lib/journey/rooms';
import type { HeldRoom } from '../maps/doc-state';
import { withStoredDoc } from '../maps/load-doc';
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
  return withStoredDoc(ctx.store, mapId, 'map', read);
}

/**
 * The rooms the server process holds exactly as stored, for reading a map as
 * stored without loading it back from the store (which holds the event loop,
 * and every socket of the process with it, 100–200 ms per document of a
 * 2,000-touchpoint map); undefined in the CLI, which reads the store.
 */
export function heldRooms(ctx: ServiceContext): HeldRoom | undefined {
  const { collab } = ctx;
  return collab ? (room, read) => collab.readHeld(room, read) : undefined;
}
