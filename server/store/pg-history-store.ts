import type { PgPool } from '../db/postgres';
import type { HistoryStore, VersionRecord, VersionWithState, WorkshopCopyRecord } from './history-store';
import { bytesOf, toCopy, toVersion, type CopyRow, type VersionRow } from './history-rows';


const COPY_COLUMNS = 'map_id, master_id, base_map_state, base_discussion_state, started_by, started_at, status, merged_at, merged_by';
const buffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** HistoryStore on PostgreSQL; each call is one statement. */
export class PgHistoryStore implements HistoryStore {
  constructor(private readonly pool: PgPool) {}

  async setMaster(mapId: string, master: boolean): Promise<void> {
    await this.pool.query('UPDATE maps SET is_master = $1 WHERE id = $2', [master, mapId]);
  }

  async isMaster(mapId: string): Promise<boolean> {
    const row = (await this.pool.query<{ is_master: boolean }>('SELECT is_master FROM maps WHERE id = $1', [mapId])).rows[0];
    return row?.is_master === true;
  }

  async addWorkshopCopy(copy: Omit<WorkshopCopyRecord, 'status' | 'mergedAt' | 'mergedBy'>): Promise<void> {
    await this.pool.query(
      'INSERT INTO workshop_copies (map_id, master_id, base_map_state, base_discussion_state, started_by, started_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [copy.mapId, copy.masterId, buffer(copy.baseMapState), buffer(copy.baseDiscussionState), copy.startedBy, copy.startedAt],
    );
  }

  async getWorkshopCopy(mapId: string): Promise<WorkshopCopyRecord | null> {
    const row = (await this.pool.query<CopyRow>(`SELECT ${COPY_COLUMNS} FROM workshop_copies WHERE map_id = $1`, [mapId])).rows[0];
    return row ? toCopy(row) : null;
  }

  async listWorkshopCopies(masterId: string): Promise<WorkshopCopyRecord[]> {
    const { rows } = await this.pool.query<CopyRow>(`SELECT ${COPY_COLUMNS} FROM workshop_copies WHERE master_id = $1 ORDER BY started_at DESC`, [masterId]);
    return rows.map(toCopy);
  }

  async rebaseWorkshopCopy(mapId: string, baseMapState: Uint8Array, baseDiscussionState: Uint8Array): Promise<void> {
    await this.pool.query('UPDATE workshop_copies SET base_map_state = $1, base_discussion_state = $2 WHERE map_id = $3', [
      buffer(baseMapState),
      buffer(baseDiscussionState),
      mapId,
    ]);
  }

  async markMerged(mapId: string, by: string): Promise<void> {
    await this.pool.query("UPDATE workshop_copies SET status = 'merged', merged_at = $1, merged_by = $2 WHERE map_id = $3", [Date.now(), by, mapId]);
  }

  async mergedInto(mapId: string): Promise<{ masterId: string; mergedAt: number } | null> {
    const row = (
      await this.pool.query<{ master_id: string; merged_at: number | null }>("SELECT master_id, merged_at FROM workshop_copies WHERE map_id = $1 AND status = 'merged'", [
        mapId,
      ])
    ).rows[0];
    return row ? { masterId: row.master_id, mergedAt: row.merged_at ?? 0 } : null;
  }

  async addVersion(v: VersionWithState): Promise<void> {
    await this.pool.query(
      'INSERT INTO map_versions (id, map_id, name, kind, map_state, discussion_state, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [v.id, v.mapId, v.name, v.kind, buffer(v.mapState), buffer(v.discussionState), v.createdBy, v.createdAt],
    );
  }

  async listVersions(mapId: string): Promise<VersionRecord[]> {
    const { rows } = await this.pool.query<VersionRow>(
      'SELECT id, map_id, name, kind, created_by, created_at FROM map_versions WHERE map_id = $1 ORDER BY created_at DESC, position DESC',
      [mapId],
    );
    return rows.map(toVersion);
  }

  async getVersion(mapId: string, versionId: string): Promise<VersionWithState | null> {
    const row = (
      await this.pool.query<VersionRow>(
        'SELECT id, map_id, name, kind, created_by, created_at, map_state, discussion_state FROM map_versions WHERE map_id = $1 AND id = $2',
        [mapId, versionId],
      )
    ).rows[0];
    if (!row || !row.map_state || !row.discussion_state) return null;
    return { ...toVersion(row), mapState: bytesOf(row.map_state), discussionState: bytesOf(row.discussion_state) };
  }
}
