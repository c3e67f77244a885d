/**
 * Schema migrations, in order; each runs once, in a transaction, and its
 * number is recorded in `schema_migrations`. Append new ones; never edit a
 * migration that has shipped.
 */
export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'maps and collaborative documents',
    sql: `
      CREATE TABLE maps (
        id          TEXT PRIMARY KEY,
        title       TEXT NOT NULL,
        template    TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
      );
      -- One merged Yjs update per room: everything up to and including seq.
      CREATE TABLE doc_snapshots (
        room        TEXT PRIMARY KEY,
        state       BLOB NOT NULL,
        seq         INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
      );
      -- The log of updates since the snapshot, in arrival order.
      CREATE TABLE doc_updates (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        room        TEXT NOT NULL,
        data        BLOB NOT NULL,
        created_at  INTEGER NOT NULL
      );
      CREATE INDEX doc_updates_room_seq ON doc_updates (room, seq);
    `,
  },
];
