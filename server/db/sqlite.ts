import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ensurePrivateDir, ensurePrivateFile } from '../data-dir';
import { MIGRATIONS } from './migrations';

export type SqliteDatabase = Database.Database;

export const SQLITE_FILE = 'journeyhub.sqlite';

/**
 * Opens (creating if needed) the database in `dataDir`, in WAL mode, and
 * brings its schema up to date. synchronous=FULL: a commit is on disk before
 * the update it holds is shown to anyone; the per-tick batching keeps the
 * cost to one fsync per tick.
 */
export function openSqlite(dataDir: string, file: string = SQLITE_FILE): SqliteDatabase {
  ensurePrivateDir(dataDir);
  const dbFile = path.join(dataDir, file);
  // SQLite creates -wal and -shm with the database file's mode: make that 0600 before it opens.
  fs.closeSync(fs.openSync(dbFile, 'a', 0o600));
  ensurePrivateFile(dbFile);
  const db = new Database(dbFile);
  db.pragma('journal_mode = WAL');
  for (const suffix of ['-wal', '-shm']) ensurePrivateFile(`${dbFile}${suffix}`);
  applyConnectionSettings(db);
  migrate(db);
  return db;
}

/**
 * What every connection to the file needs (the writer thread opens a second
 * one, server/store/sqlite-writer.ts): a commit is on disk before it returns.
 */
export function applyConnectionSettings(db: SqliteDatabase): void {
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

function migrate(db: SqliteDatabase): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const applied = new Set(db.prepare('SELECT id FROM schema_migrations').pluck().all() as number[]);
  const record = db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.id)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.id, migration.name, Date.now());
    }).immediate();
  }
}
