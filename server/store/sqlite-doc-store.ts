import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../db/sqlite';
import type { AppendedSeq, AppendedUpdate, DocStore, MapRecord, SetAside, StoredDoc } from './doc-store';
import { snapshotDigest } from './snapshot-digest';
import { SqliteWriter } from './sqlite-writer';
import { DOC_SQL, sqliteWrites, type SqliteWrites } from './sqlite-writes';

interface MapRow {
  id: string;
  title: string;
  template: string;
  created_at: number;
  updated_at: number;
}

const toMapRecord = (row: MapRow): MapRecord => ({
  id: row.id,
  title: row.title,
  template: row.template,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export interface SqliteDocStoreOptions {
  /** Told of each update moved to the set-aside table by a load, once it is stored there (to log and count it). */
  onSetAside?: (room: string, setAside: SetAside) => void;
  /**
   * Appends and compactions on a thread of their own (sqlite-writer.ts), off
   * the event loop: what the server does. A CLI command or a test may write in
   * the process.
   */
  writerThread?: boolean;
  /** An appendNow this slow (ms) means the disk is slow now: the thread takes the appends for a while. */
  slowLoopCommitMs?: number;
}

/** See slowLoopCommitMs: a commit on the event loop normally takes half a millisecond. */
const SLOW_LOOP_COMMIT_MS = 10;
/** How long the writer thread takes every append after a slow commit on the loop. */
const LOOP_COMMIT_PAUSE_MS = 10_000;

/** Another connection holds the file's write lock (SQLITE_BUSY and its extended codes). */
const isBusy = (error: unknown): boolean => String((error as { code?: unknown } | null)?.code ?? '').startsWith('SQLITE_BUSY');

/** DocStore on better-sqlite3: every call is one transaction; appends and compactions on the writer thread when asked for, the rest in the process. */
export class SqliteDocStore implements DocStore {
  readonly engine = 'sqlite' as const;
  /** On the writer thread, one message at a time; in the process an append has committed before it returns. */
  readonly appendsInOrder: boolean;
  private readonly db: SqliteDatabase;
  private readonly onSetAside: SqliteDocStoreOptions['onSetAside'];
  private readonly writes: SqliteWrites | SqliteWriter;
  private readonly stmt;
  /** appendNow's writes on the process's own connection, and its busy timeout off and back on: prepared at its first call. */
  private loopWrites: { writes: SqliteWrites; busyTimeoutOff: Statement; busyTimeoutOn: Statement } | null = null;
  private readonly slowLoopCommitMs: number;
  /** performance.now() before which appendNow declines (a slow commit on the loop was seen). */
  private loopCommitsFrom = 0;

  constructor(db: SqliteDatabase, options: SqliteDocStoreOptions = {}) {
    this.db = db;
    this.onSetAside = options.onSetAside;
    if (options.writerThread && db.memory) throw new Error('an in-memory SQLite database has no file for a writer thread to open');
    this.writes = options.writerThread ? new SqliteWriter(db.name) : sqliteWrites(db);
    this.appendsInOrder = options.writerThread === true;
    this.slowLoopCommitMs = options.slowLoopCommitMs ?? SLOW_LOOP_COMMIT_MS;
    this.stmt = {
      snapshot: db.prepare<[string], { state: Buffer; seq: number }>('SELECT state, seq FROM doc_snapshots WHERE room = ?'),
      updates: db.prepare<[string, number], { seq: number; data: Buffer }>(
        'SELECT seq, data FROM doc_updates WHERE room = ? AND seq > ? ORDER BY seq',
      ),
      lastSeq: db.prepare<[string, string], { seq: number | null }>(DOC_SQL.lastSeq),
      append: db.prepare<[string, Uint8Array, number]>(DOC_SQL.append),
      clientIdOwners: db.prepare<[string], { client_id: number; user_id: string }>('SELECT client_id, user_id FROM doc_client_id_owners WHERE room = ?'),
      upsertSnapshot: db.prepare<[string, Uint8Array, number, number]>(DOC_SQL.upsertSnapshot),
      update: db.prepare<[string, number], { data: Buffer }>('SELECT data FROM doc_updates WHERE room = ? AND seq = ?'),
      allUpdates: db.prepare<[string], { seq: number; data: Buffer }>('SELECT seq, data FROM doc_updates WHERE room = ? ORDER BY seq'),
      keepAside: db.prepare<[string, number, Uint8Array, string, number]>(
        'INSERT INTO doc_updates_set_aside (room, seq, data, reason, set_aside_at) VALUES (?, ?, ?, ?, ?)',
      ),
      dropUpdate: db.prepare<[string, number]>('DELETE FROM doc_updates WHERE room = ? AND seq = ?'),
      countSetAside: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM doc_updates_set_aside'),
      dropUpdates: db.prepare<[string, number]>(DOC_SQL.dropUpdates),
      insertMap: db.prepare<[string, string, string, number, number]>(
        'INSERT INTO maps (id, title, template, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
      ),
      getMap: db.prepare<[string], MapRow>('SELECT id, title, template, created_at, updated_at FROM maps WHERE id = ?'),
      renameMap: db.prepare<[string, number, string]>('UPDATE maps SET title = ?, updated_at = ? WHERE id = ?'),
      listMaps: db.prepare<[], MapRow>('SELECT id, title, template, created_at, updated_at FROM maps ORDER BY updated_at DESC'),
    };
  }

  async load(room: string): Promise<StoredDoc> {
    return this.loadSince(room, 0);
  }

  async loadSince(room: string, afterSeq: number): Promise<StoredDoc> {
    return this.db.transaction(() => {
      const stored = this.stmt.snapshot.get(room);
      // A snapshot that holds nothing after afterSeq is not needed, only the log after afterSeq.
      const snap = stored && (afterSeq === 0 || stored.seq > afterSeq) ? stored : undefined;
      const since = snap ? snap.seq : afterSeq;
      const rows = this.stmt.updates.all(room, since);
      let logBytes = 0;
      const updates = rows.map((row) => {
        logBytes += row.data.byteLength;
        return new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength);
      });
      const last = rows.at(-1);
      return {
        snapshot: snap ? new Uint8Array(snap.state.buffer, snap.state.byteOffset, snap.state.byteLength) : null,
        snapshotSeq: snap ? snap.seq : null,
        updates,
        seqs: rows.map((row) => row.seq),
        lastSeq: last ? last.seq : since,
        logBytes,
      };
    })();
  }

  async lastSeqs(rooms: readonly string[]): Promise<Map<string, number>> {
    return this.db.transaction(() => new Map(rooms.map((room) => [room, this.stmt.lastSeq.get(room, room)?.seq ?? 0])))();
  }

  async snapshotDigest(room: string): Promise<string | null> {
    const row = this.stmt.snapshot.get(room);
    return row ? snapshotDigest(row.state) : null;
  }

  async loadClientIdOwners(room: string): Promise<Map<number, string>> {
    return new Map(this.stmt.clientIdOwners.all(room).map((row) => [row.client_id, row.user_id]));
  }

  async append(batch: readonly AppendedUpdate[]): Promise<AppendedSeq[]> {
    return this.writes.append(batch);
  }

  /**
   * With the writer thread idle, a commit in the process costs the event loop
   * about half a millisecond, less than the hop to the thread and back (and a
   * wait for a core when both are busy). It keeps the order: every append
   * asked of the thread before has committed. It never waits: for another
   * writer's lock it declines at once (its busy timeout is 0 during the call)
   * and the thread waits instead; after a slow one it declines for a while, so that a slow
   * disk holds only the edits, not every socket of the process.
   */
  appendNow(batch: readonly AppendedUpdate[]): AppendedSeq[] | null {
    if (!(this.writes instanceof SqliteWriter) || !this.writes.idle || batch.length === 0) return null;
    if (performance.now() < this.loopCommitsFrom) return null;
    // Prepared once: db.pragma() prepares its statement on every call (30 µs each in a profile of the server).
    this.loopWrites ??= {
      writes: sqliteWrites(this.db),
      busyTimeoutOff: this.db.prepare('PRAGMA busy_timeout = 0'),
      busyTimeoutOn: this.db.prepare(`PRAGMA busy_timeout = ${Number(this.db.pragma('busy_timeout', { simple: true }))}`),
    };
    // Timed from here: preparing the statements once is not a slow disk.
    const started = performance.now();
    const { writes, busyTimeoutOff, busyTimeoutOn } = this.loopWrites;
    busyTimeoutOff.get();
    try {
      return writes.append(batch);
    } catch (error) {
      if (isBusy(error)) return null;
      throw error;
    } finally {
      busyTimeoutOn.get();
      const finished = performance.now();
      if (finished - started >= this.slowLoopCommitMs) this.loopCommitsFrom = finished + LOOP_COMMIT_PAUSE_MS;
    }
  }

  async compact(room: string, state: Uint8Array, seq: number): Promise<void> {
    await this.writes.compact(room, state, seq);
  }

  async setAside(room: string, updates: readonly SetAside[]): Promise<number> {
    if (updates.length === 0) return 0;
    const now = Date.now();
    const moved = this.db
      .transaction(() =>
        updates.filter(({ seq, reason }) => {
          const row = this.stmt.update.get(room, seq);
          if (!row) return false;
          this.stmt.keepAside.run(room, seq, row.data, reason, now);
          this.stmt.dropUpdate.run(room, seq);
          return true;
        }),
      )
      .immediate();
    for (const entry of moved) this.onSetAside?.(room, entry);
    return moved.length;
  }

  async replaceState(room: string, state: Uint8Array, reason: string): Promise<void> {
    const now = Date.now();
    this.db
      .transaction(() => {
        const snap = this.stmt.snapshot.get(room);
        let lastSeq = snap?.seq ?? 0;
        if (snap) this.stmt.keepAside.run(room, snap.seq, snap.state, `snapshot: ${reason}`, now);
        for (const row of this.stmt.allUpdates.all(room)) {
          this.stmt.keepAside.run(room, row.seq, row.data, reason, now);
          lastSeq = Math.max(lastSeq, row.seq);
        }
        this.stmt.dropUpdates.run(room, lastSeq);
        // A seq of its own (drawn and given back at once; AUTOINCREMENT never reuses it): a compaction another
        // process read before the replace carries an older one, and the snapshot's WHERE turns it away.
        const fresh = Number(this.stmt.append.run(room, new Uint8Array(), now).lastInsertRowid);
        this.stmt.dropUpdates.run(room, fresh);
        this.stmt.upsertSnapshot.run(room, state, fresh, now);
      })
      .immediate();
  }

  async countSetAside(): Promise<number> {
    return this.stmt.countSetAside.get()?.n ?? 0;
  }

  async createMap(map: { id: string; title: string; template: string }, initialStates: Record<string, Uint8Array>): Promise<MapRecord> {
    const now = Date.now();
    this.db
      .transaction(() => {
        this.stmt.insertMap.run(map.id, map.title, map.template, now, now);
        for (const [room, state] of Object.entries(initialStates)) this.stmt.upsertSnapshot.run(room, state, 0, now);
      })
      .immediate();
    return { ...map, createdAt: now, updatedAt: now };
  }

  async getMap(mapId: string): Promise<MapRecord | null> {
    const row = this.stmt.getMap.get(mapId);
    return row ? toMapRecord(row) : null;
  }

  async renameMap(mapId: string, title: string): Promise<MapRecord> {
    const result = this.stmt.renameMap.run(title, Date.now(), mapId);
    const row = this.stmt.getMap.get(mapId);
    if (result.changes === 0 || !row) throw new Error(`no map ${mapId}`);
    return toMapRecord(row);
  }

  async listMaps(): Promise<MapRecord[]> {
    return this.stmt.listMaps.all().map(toMapRecord);
  }

  async close(): Promise<void> {
    if (this.writes instanceof SqliteWriter) await this.writes.close();
    if (this.db.open) this.db.close();
  }
}
