import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/**
 * What the shape guard now refuses, as an older server stored it: 8,000
 * nested Y.Maps under the root `rootName`, then a delete of the outermost
 * (Yjs' recursive delete overflows the stack as the load's transaction ends).
 * For tests that write it straight into the store.
 */
export function poisonedUpdates(rootName: string): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const root = doc.getMap<unknown>(rootName);
  doc.transact(() => {
    let parent = new Y.Map<unknown>();
    root.set('nest', parent);
    for (let depth = 0; depth < 8000; depth++) {
      const child = new Y.Map<unknown>();
      parent.set('n', child);
      parent = child;
    }
  });
  // Yjs cannot make this delete locally: an update with no structs and one deleted item (client, clock 0, length 1), encoded by hand.
  const encoder = encoding.createEncoder();
  for (const value of [0, 1, doc.clientID, 1, 0, 1]) encoding.writeVarUint(encoder, value);
  return [...updates, encoding.toUint8Array(encoder)];
}
