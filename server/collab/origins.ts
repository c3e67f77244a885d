import type { CollabConnection } from './connection';

/**
 * Who a change of a loaded document came from, as Yjs passes it to the
 * document's listeners: a socket here, another process (the fanout), or the
 * server itself. The outbox (update-pipeline.ts) sends a change to everyone
 * but its socket, and publishes only what did not come from the fanout.
 */

/** Changes that another process stored and published. */
export const FROM_FANOUT = Symbol('fanout');
/** Changes made by the server itself (a merge, a restore, presence of a socket that left). */
export const FROM_SERVER = Symbol('server');
/** The server's own edits of a document it loads (the schema v2 upgrade). */
export const SCHEMA_UPGRADE = { userId: 'system', kind: 'system' } as const;

export type Origin = CollabConnection | typeof FROM_FANOUT | typeof FROM_SERVER | typeof SCHEMA_UPGRADE | 'load';
