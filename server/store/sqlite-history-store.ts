import type { SqliteDatabase } from '../db/sqlite';
import type { HistoryStore, VersionRecord, VersionWithState, WorkshopCopyRecord } from './history-store';
import { bytesOf, toCopy, toVersion, type CopyRow, type VersionRow } from './history-rows';


export class SqliteHistoryStore implements HistoryStore {
  constructor(private readonly db: SqliteDatabase) {}

  async setMaster(mapId: string, master: boolean): Promise<void> {
    this.db.prepare('UPDATE maps SET is_master = ? WHERE id = ?').run(master ? 1 : 0, mapId);
  }

  async isMaster(mapId: string): Promise<boolean> {
    const row = this.db.prepare<[string], { is_master: number }>('SELECT is_master FROM maps WHERE id = ?').get(mapId);
    return row?.is_master === 1;
  }

  async addWorkshopCopy(copy: Omit<WorkshopCopyRecord, 'status' | 'mergedAt' | 'mergedBy'>): Promise<void> {
    this.db
      .prepare('INSERT INTO workshop_copies (map_id, master_id, base_map_state, base_discussion_state, started_by, started_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(copy.mapId, copy.masterId, copy.baseMapState, copy.baseDiscussionState, copy.startedBy, copy.startedAt);
  }

  async getWorkshopCopy(mapId: string): Promise<WorkshopCopyRecord | null> {
    const row = this.db.prepare<[string], CopyRow>('SELECT * FROM workshop_copies WHERE map_id = ?').get(mapId);
    return row ? toCopy(row) : null;
  }

  async listWorkshopCopies(masterId: string): Promise<WorkshopCopyRecord[]> {
    return this.db.prepare<[string], CopyRow>('SELECT * FROM workshop_copies WHERE master_id = ? ORDER BY started_at DESC').all(masterId).map(toCopy);
  }

  async rebaseWorkshopCopy(mapId: string, baseMapState: Uint8Array, baseDiscussionState: Uint8Array): Promise<void> {
    this.db.prepare('UPDATE workshop_copies SET base_map_state = ?, base_discussion_state = ? WHERE map_id = ?').run(baseMapState, baseDiscussionState, mapId);
  }

  async markMerged(mapId: string, by: string): Promise<void> {
    this.db.prepare("UPDATE workshop_copies SET status = 'merged', merged_at = ?, merged_by = ? WHERE map_id = ?").run(Date.now(), by, mapId);
  }

  async mergedInto(mapId: string): Promise<{ masterId: string; mergedAt: number } | null> {
    const row = this.db
      .prepare<[string], { master_id: string; merged_at: number | null }>("SELECT master_id, merged_at FROM workshop_copies WHERE map_id = ? AND status = 'merged'")
      .get(mapId);
    return row ? { masterId: row.master_id, mergedAt: row.merged_at ?? 0 } : null;
  }

  async addVersion(v: VersionWithState): Promise<void> {
    this.db
      .prepare('INSERT INTO map_versions (id, map_id, name, kind, map_state, discussion_state, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(v.id, v.mapId, v.name, v.kind, v.mapState, v.discussionState, v.createdBy, v.createdAt);
  }

  async listVersions(mapId: string): Promise<VersionRecord[]> {
    return this.db
      .prepare<[string], VersionRow>('SELECT id, map_id, name, kind, created_by, created_at FROM map_versions WHERE map_id = ? ORDER BY created_at DESC, rowid DESC')
      .all(mapId)
      .map(toVersion);
  }

  async getVersion(mapId: string, versionId: string): Promise<VersionWithState | null> {
    const row = this.db.prepare<[string, string], VersionRow>('SELECT * FROM map_versions WHERE map_id = ? AND id = ?').get(mapId, versionId);
    if (!row || !row.map_state || !row.discussion_state) return null;
    return { ...toVersion(row), mapState: bytesOf(row.map_state), discussionState: bytesOf(row.discussion_state) };
  }
}
