import type { SqliteDatabase } from '../db/sqlite';
import { ClientIdClaimLost, type AppendedSeq, type AppendedUpdate } from './doc-store';

/**
 * The two writes a busy room makes over and over, an append and a
 * compaction, each one transaction: run by SqliteDocStore in the process or
 * by its writer thread (sqlite-writer-thread.ts) on a connection of its own.
 */
export interface SqliteWrites {
  append(batch: readonly AppendedUpdate[]): AppendedSeq[];
  compact(room: string, state: Uint8Array, seq: number): void;
}

/** The statements the writes share with the rest of SqliteDocStore (its restore and its new maps). */
export const DOC_SQL = {
  /** The room's last seq: of its log, else of its snapshot (room, room). */
  lastSeq: 'SELECT max(seq) AS seq FROM (SELECT max(seq) AS seq FROM doc_updates WHERE room = ? UNION ALL SELECT seq FROM doc_snapshots WHERE room = ?)',
  append: 'INSERT INTO doc_updates (room, data, created_at) VALUES (?, ?, ?)',
  /** A compaction read before a restore and written after it carries an older seq: the WHERE turns it away. */
  upsertSnapshot: `INSERT INTO doc_snapshots (room, state, seq, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (room) DO UPDATE SET state = excluded.state, seq = excluded.seq, updated_at = excluded.updated_at
       WHERE excluded.seq >= doc_snapshots.seq`,
  dropUpdates: 'DELETE FROM doc_updates WHERE room = ? AND seq <= ?',
} as const;

export function sqliteWrites(db: SqliteDatabase): SqliteWrites {
  const stmt = {
    lastSeq: db.prepare<[string, string], { seq: number | null }>(DOC_SQL.lastSeq),
    append: db.prepare<[string, Uint8Array, number]>(DOC_SQL.append),
    clientIdOwner: db.prepare<[string, number], { user_id: string }>('SELECT user_id FROM doc_client_id_owners WHERE room = ? AND client_id = ?'),
    // The first claim stands (another process may have claimed the id a moment before: then the batch is refused).
    claimClientId: db.prepare<[string, number, string, number]>(
      'INSERT INTO doc_client_id_owners (room, client_id, user_id, claimed_at) VALUES (?, ?, ?, ?) ON CONFLICT (room, client_id) DO NOTHING',
    ),
    touchMap: db.prepare<[number, string]>('UPDATE maps SET updated_at = ? WHERE id = ?'),
    upsertSnapshot: db.prepare<[string, Uint8Array, number, number]>(DOC_SQL.upsertSnapshot),
    dropUpdates: db.prepare<[string, number]>(DOC_SQL.dropUpdates),
  };

  const append = db.transaction((batch: readonly AppendedUpdate[], now: number): AppendedSeq[] => {
    const appended: AppendedSeq[] = [];
    const lastOf = new Map<string, number>();
    const touched = new Set<string>();
    for (const { room, update, claims } of batch) {
      const prevSeq = lastOf.get(room) ?? stmt.lastSeq.get(room, room)?.seq ?? 0;
      const seq = Number(stmt.append.run(room, update, now).lastInsertRowid);
      appended.push({ seq, prevSeq });
      lastOf.set(room, seq);
      if (claims) {
        for (const clientId of claims.clientIds) {
          if (stmt.claimClientId.run(room, clientId, claims.userId, now).changes > 0) continue;
          // Thrown inside the transaction: better-sqlite3 rolls the whole batch back.
          const owner = stmt.clientIdOwner.get(room, clientId)?.user_id;
          if (owner !== undefined && owner !== claims.userId) throw new ClientIdClaimLost(room, clientId, owner);
        }
      }
      touched.add(room.endsWith('.discussion') ? room.slice(0, -'.discussion'.length) : room);
    }
    for (const mapId of touched) stmt.touchMap.run(now, mapId);
    return appended;
  });

  const compact = db.transaction((room: string, state: Uint8Array, seq: number, now: number): void => {
    stmt.upsertSnapshot.run(room, state, seq, now);
    stmt.dropUpdates.run(room, seq);
  });

  return {
    append: (batch) => (batch.length === 0 ? [] : append.immediate(batch, Date.now())),
    compact: (room, state, seq) => compact.immediate(room, state, seq, Date.now()),
  };
}
