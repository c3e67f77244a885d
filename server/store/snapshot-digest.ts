import crypto from 'node:crypto';

/**
 * A stored snapshot's fingerprint: the MD5 of its bytes, in hex, as
 * PostgreSQL's md5() gives it. Not a security measure: how a process holding
 * a room tells that the snapshot stored is still the very one it loaded or
 * wrote, without reading it back into a document (DocStore.snapshotDigest).
 */
export const snapshotDigest = (state: Uint8Array): string => crypto.createHash('md5').update(state).digest('hex');
