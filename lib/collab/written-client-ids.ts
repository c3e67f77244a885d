import * as Y from 'yjs';

/**
 * The Yjs client ids an update writes with: those of its structs that reach
 * past what the document holds of that client. A struct the document holds
 * already is an echo (Yjs skips it) and writes nothing; a Skip is a gap, not
 * content. A GC struct counts: it takes up its client's clocks as an item does.
 */
export function writtenClientIds(structs: ReadonlyArray<Y.Item | Y.GC | Y.Skip>, stateOf: (clientId: number) => number): Set<number> {
  const written = new Set<number>();
  for (const struct of structs) {
    if (struct instanceof Y.Skip) continue;
    const { client, clock } = struct.id;
    if (!written.has(client) && clock + struct.length > stateOf(client)) written.add(client);
  }
  return written;
}
