import type { VersionRecord, WorkshopCopyRecord } from './history-store';

/** The history tables' rows as both engines return them (snake_case columns), and the records they are read into. */
export interface CopyRow {
  map_id: string;
  master_id: string;
  base_map_state: Buffer;
  base_discussion_state: Buffer;
  started_by: string;
  started_at: number;
  status: 'open' | 'merged';
  merged_at: number | null;
  merged_by: string | null;
}
export interface VersionRow {
  id: string;
  map_id: string;
  name: string;
  kind: 'named' | 'auto';
  created_by: string;
  created_at: number;
  map_state?: Buffer;
  discussion_state?: Buffer;
}

/** The bytes of a Buffer without a copy. */
export const bytesOf = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

export const toCopy = (r: CopyRow): WorkshopCopyRecord => ({
  mapId: r.map_id,
  masterId: r.master_id,
  baseMapState: bytesOf(r.base_map_state),
  baseDiscussionState: bytesOf(r.base_discussion_state),
  startedBy: r.started_by,
  startedAt: r.started_at,
  status: r.status,
  mergedAt: r.merged_at,
  mergedBy: r.merged_by,
});

export const toVersion = (r: VersionRow): VersionRecord => ({ id: r.id, mapId: r.map_id, name: r.name, kind: r.kind, createdBy: r.created_by, createdAt: r.created_at });
