/**
 * Master maps, workshop copies and versions. One implementation per engine,
 * like DocStore.
 */
export interface WorkshopCopyRecord {
  mapId: string;
  masterId: string;
  baseMapState: Uint8Array;
  baseDiscussionState: Uint8Array;
  startedBy: string;
  startedAt: number;
  status: 'open' | 'merged';
  mergedAt: number | null;
  mergedBy: string | null;
}

export interface VersionRecord {
  id: string;
  mapId: string;
  name: string;
  kind: 'named' | 'auto';
  createdBy: string;
  createdAt: number;
}

export interface VersionWithState extends VersionRecord {
  mapState: Uint8Array;
  discussionState: Uint8Array;
}

export interface HistoryStore {
  setMaster(mapId: string, master: boolean): Promise<void>;
  isMaster(mapId: string): Promise<boolean>;
  addWorkshopCopy(copy: Omit<WorkshopCopyRecord, 'status' | 'mergedAt' | 'mergedBy'>): Promise<void>;
  getWorkshopCopy(mapId: string): Promise<WorkshopCopyRecord | null>;
  listWorkshopCopies(masterId: string): Promise<WorkshopCopyRecord[]>;
  /** A refresh: the copy's base moves on by what it pulled from the master. */
  rebaseWorkshopCopy(mapId: string, baseMapState: Uint8Array, baseDiscussionState: Uint8Array): Promise<void>;
  markMerged(mapId: string, by: string): Promise<void>;
  /** The master a workshop copy was merged into, and when; null for an open copy or any other map. Cheap: checked on every connect. */
  mergedInto(mapId: string): Promise<{ masterId: string; mergedAt: number } | null>;
  addVersion(version: VersionWithState): Promise<void>;
  listVersions(mapId: string): Promise<VersionRecord[]>;
  getVersion(mapId: string, versionId: string): Promise<VersionWithState | null>;
}
