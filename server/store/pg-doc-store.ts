import { createHash } from 'node:crypto';
import { ADVISORY_LOCK, bytesOf, inTransaction, type PgClient, type PgPool } from '../db/postgres';
import { ClientIdClaimLost, type AppendedSeq, type AppendedUpdate, type DocStore, type MapRecord, type SetAside, type StoredDoc } from './doc-store';

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

const MAP_COLUMNS = 'id, title, template, created_at, updated_at';

const UPSERT_SNAPSHOT = `INSERT INTO doc_snapshots (room, state, seq, updated_at) VALUES ($1, $2, $3, $4)
  ON CONFLICT (room) DO UPDATE SET state = excluded.state, seq = excluded.seq, updated_at = excluded.updated_at
  WHERE excluded.seq >= doc_snapshots.seq`;

/** The room's last seq (of its snapshot when its log is empty; 0 for a new room), seen before the insert: statements of one query share a snapshot. */
const INSERT_UPDATE = `WITH prev AS (
    SELECT GREATEST(
      COALESCE((SELECT max(seq) FROM doc_updates WHERE room = $1), 0),
      COALESCE((SELECT seq FROM doc_snapshots WHERE room = $1), 0)) AS seq)
  INSERT INTO doc_updates (room, data, created_at) VALUES ($1, $2, $3) RETURNING seq, (SELECT seq FROM prev) AS prev_seq`;

const LAST_SEQS = `SELECT r.room, GREATEST(
    COALESCE((SELECT max(seq) FROM doc_updates u WHERE u.room = r.room), 0),
    COALESCE((SELECT seq FROM doc_snapshots s WHERE s.room = r.room), 0)) AS seq
  FROM unnest($1::text[]) AS r(room)`;

const KEEP_ASIDE = 'INSERT INTO doc_updates_set_aside (room, seq, data, reason, set_aside_at) VALUES ($1, $2, $3, $4, $5)';

/** The room's advisory lock key: 32 bits of its SHA-256, the same in every process. */
export function roomLockKey(room: string): number {
  return createHash('sha256').update(room).digest().readInt32BE(0);
}

/**
 * Takes the rooms' advisory locks until the transaction ends. Appends hold
 * them from before their seqs are drawn until they commit, so a room's seqs
 * become visible in increasing order: whoever has read seq N has read every
 * update of the room up to N, and compacting up to N drops nothing it has not
 * seen. Locks are taken in key order (not room order: two rooms may share a
 * key) so that two batches never wait for each other in a cycle.
 */
async function lockRooms(client: PgClient, rooms: Iterable<string>): Promise<void> {
  const keys = [...new Set(Array.from(rooms, roomLockKey))].sort((a, b) => a - b);
  for (const key of keys) await client.query('SELECT pg_advisory_xact_lock($1, $2)', [ADVISORY_LOCK.room, key]);
}

export interface PgDocStoreOptions {
  /** Told of each update moved to the set-aside table by a load, once it is stored there (to log and count it). */
  onSetAside?: (room: string, setAside: SetAside) => void;
  /** Ends the pool on close (the process owns it); false when the pool is shared with other stores that close it. */
  ownsPool?: boolean;
}

/** DocStore on PostgreSQL: several processes may share the database. Every multi-statement call is one transaction. */
export class PgDocStore implements DocStore {
  readonly engine = 'postgres' as const;
  readonly appendsInOrder = false;
  private readonly onSetAside: PgDocStoreOptions['onSetAside'];
  private readonly ownsPool: boolean;
  private closed = false;

  constructor(
    private readonly pool: PgPool,
    options: PgDocStoreOptions = {},
  ) {
    this.onSetAside = options.onSetAside;
    this.ownsPool = options.ownsPool ?? true;
  }

  async load(room: string): Promise<StoredDoc> {
    return this.loadSince(room, 0);
  }

  async loadSince(room: string, afterSeq: number): Promise<StoredDoc> {
    // One snapshot of the database for both reads: a compaction between them would otherwise lose the log it folded.
    return inTransaction(
      this.pool,
      async (client) => {
        const stored = (await client.query<{ state: Buffer; seq: number }>('SELECT state, seq FROM doc_snapshots WHERE room = $1', [room])).rows[0];
        // A snapshot that holds nothing after afterSeq is not needed, only the log after afterSeq.
        const snap = stored && (afterSeq === 0 || stored.seq > afterSeq) ? stored : undefined;
        const since = snap ? snap.seq : afterSeq;
        const { rows } = await client.query<{ seq: number; data: Buffer }>('SELECT seq, data FROM doc_updates WHERE room = $1 AND seq > $2 ORDER BY seq', [room, since]);
        let logBytes = 0;
        const updates = rows.map((row) => {
          logBytes += row.data.byteLength;
          return bytesOf(row.data);
        });
        const last = rows.at(-1);
        return {
          snapshot: snap ? bytesOf(snap.state) : null,
          snapshotSeq: snap ? snap.seq : null,
          updates,
          seqs: rows.map((row) => row.seq),
          lastSeq: last ? last.seq : since,
          logBytes,
        };
      },
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
  }

  async lastSeqs(rooms: readonly string[]): Promise<Map<string, number>> {
    if (rooms.length === 0) return new Map();
    const { rows } = await this.pool.query<{ room: string; seq: number }>(LAST_SEQS, [rooms]);
    return new Map(rows.map((row) => [row.room, Number(row.seq)]));
  }

  async snapshotDigest(room: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ md5: string }>('SELECT md5(state) AS md5 FROM doc_snapshots WHERE room = $1', [room]);
    return rows[0]?.md5 ?? null;
  }

  async loadClientIdOwners(room: string): Promise<Map<number, string>> {
    const { rows } = await this.pool.query<{ client_id: number; user_id: string }>('SELECT client_id, user_id FROM doc_client_id_owners WHERE room = $1', [room]);
    return new Map(rows.map((row) => [row.client_id, row.user_id]));
  }

  async append(batch: readonly AppendedUpdate[]): Promise<AppendedSeq[]> {
    if (batch.length === 0) return [];
    const now = Date.now();
    return inTransaction(this.pool, async (client) => {
      await lockRooms(
        client,
        batch.map((entry) => entry.room),
      );
      const appended: AppendedSeq[] = [];
      const touched = new Set<string>();
      for (const { room, update, claims } of batch) {
        const { rows } = await client.query<{ seq: number; prev_seq: number }>(INSERT_UPDATE, [room, Buffer.from(update.buffer, update.byteOffset, update.byteLength), now]);
        const row = rows[0];
        if (row === undefined) throw new Error(`no seq returned for an update of ${room}`);
        appended.push({ seq: Number(row.seq), prevSeq: Number(row.prev_seq) });
        if (claims) {
          for (const clientId of claims.clientIds) {
            // The first claim stands: another process may have claimed the id a moment before, for someone else; then the batch is refused (rolled back).
            const inserted = await client.query(
              'INSERT INTO doc_client_id_owners (room, client_id, user_id, claimed_at) VALUES ($1, $2, $3, $4) ON CONFLICT (room, client_id) DO NOTHING',
              [room, clientId, claims.userId, now],
            );
            if (inserted.rowCount === 1) continue;
            const owner = (await client.query<{ user_id: string }>('SELECT user_id FROM doc_client_id_owners WHERE room = $1 AND client_id = $2', [room, clientId])).rows[0]?.user_id;
            if (owner !== undefined && owner !== claims.userId) throw new ClientIdClaimLost(room, clientId, owner);
          }
        }
        touched.add(room.endsWith('.discussion') ? room.slice(0, -'.discussion'.length) : room);
      }
      for (const mapId of [...touched].sort()) await client.query('UPDATE maps SET updated_at = $1 WHERE id = $2', [now, mapId]);
      return appended;
    });
  }

  async compact(room: string, state: Uint8Array, seq: number): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await lockRooms(client, [room]);
      await client.query(UPSERT_SNAPSHOT, [room, Buffer.from(state.buffer, state.byteOffset, state.byteLength), seq, Date.now()]);
      await client.query('DELETE FROM doc_updates WHERE room = $1 AND seq <= $2', [room, seq]);
    });
  }

  async setAside(room: string, updates: readonly SetAside[]): Promise<number> {
    if (updates.length === 0) return 0;
    const now = Date.now();
    const moved = await inTransaction(this.pool, async (client) => {
      await lockRooms(client, [room]);
      const done: SetAside[] = [];
      for (const entry of updates) {
        const row = (await client.query<{ data: Buffer }>('DELETE FROM doc_updates WHERE room = $1 AND seq = $2 RETURNING data', [room, entry.seq])).rows[0];
        if (!row) continue;
        await client.query(KEEP_ASIDE, [room, entry.seq, row.data, entry.reason, now]);
        done.push(entry);
      }
      return done;
    });
    for (const entry of moved) this.onSetAside?.(room, entry);
    return moved.length;
  }

  async replaceState(room: string, state: Uint8Array, reason: string): Promise<void> {
    const now = Date.now();
    await inTransaction(this.pool, async (client) => {
      await lockRooms(client, [room]);
      const snap = (await client.query<{ state: Buffer; seq: number }>('SELECT state, seq FROM doc_snapshots WHERE room = $1', [room])).rows[0];
      let lastSeq = snap?.seq ?? 0;
      if (snap) await client.query(KEEP_ASIDE, [room, snap.seq, snap.state, `snapshot: ${reason}`, now]);
      const { rows } = await client.query<{ seq: number; data: Buffer }>('DELETE FROM doc_updates WHERE room = $1 RETURNING seq, data', [room]);
      for (const row of rows.sort((a, b) => a.seq - b.seq)) {
        await client.query(KEEP_ASIDE, [room, row.seq, row.data, reason, now]);
        lastSeq = Math.max(lastSeq, row.seq);
      }
      // A seq of its own, past the replaced log: a compaction another process read before the replace carries an older one, and UPSERT_SNAPSHOT's WHERE turns it away.
      const fresh = Number((await client.query<{ seq: number }>("SELECT nextval(pg_get_serial_sequence('doc_updates', 'seq')) AS seq")).rows[0]?.seq);
      await client.query(UPSERT_SNAPSHOT, [room, Buffer.from(state.buffer, state.byteOffset, state.byteLength), Math.max(fresh, lastSeq), now]);
    });
  }

  async countSetAside(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT count(*) AS n FROM doc_updates_set_aside');
    return rows[0]?.n ?? 0;
  }

  async createMap(map: { id: string; title: string; template: string }, initialStates: Record<string, Uint8Array>): Promise<MapRecord> {
    const now = Date.now();
    await inTransaction(this.pool, async (client) => {
      await client.query('INSERT INTO maps (id, title, template, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)', [map.id, map.title, map.template, now, now]);
      for (const [room, state] of Object.entries(initialStates)) {
        await client.query(UPSERT_SNAPSHOT, [room, Buffer.from(state.buffer, state.byteOffset, state.byteLength), 0, now]);
      }
    });
    return { ...map, createdAt: now, updatedAt: now };
  }

  async getMap(mapId: string): Promise<MapRecord | null> {
    const row = (await this.pool.query<MapRow>(`SELECT ${MAP_COLUMNS} FROM maps WHERE id = $1`, [mapId])).rows[0];
    return row ? toMapRecord(row) : null;
  }

  async renameMap(mapId: string, title: string): Promise<MapRecord> {
    const row = (await this.pool.query<MapRow>(`UPDATE maps SET title = $1, updated_at = $2 WHERE id = $3 RETURNING ${MAP_COLUMNS}`, [title, Date.now(), mapId])).rows[0];
    if (!row) throw new Error(`no map ${mapId}`);
    return toMapRecord(row);
  }

  async listMaps(): Promise<MapRecord[]> {
    const { rows } = await this.pool.query<MapRow>(`SELECT ${MAP_COLUMNS} FROM maps ORDER BY updated_at DESC`);
    return rows.map(toMapRecord);
  }

  async close(): Promise<void> {
    if (this.closed || !this.ownsPool) return;
    this.closed = true;
    await this.pool.end();
  }
}
