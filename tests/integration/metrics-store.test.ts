/**
 * The measured figures' SQLite file as migration 10 found it: rows keyed by
 * month first keep every row stored before. What both engines must do alike
 * is in store-contract/measurement-store.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetricsRowInput } from '../../lib/measurements/input';
import { MIGRATIONS } from '../../server/db/migrations';
import { SQLITE_FILE, openSqlite, type SqliteDatabase } from '../../server/db/sqlite';
import { SqliteMeasurementStore } from '../../server/store/sqlite-measurement-store';

type Row = MetricsRowInput & { touchpointId: string };

const dirs: string[] = [];
const dbs: SqliteDatabase[] = [];

function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metrics-store-'));
  dirs.push(dir);
  return dir;
}

function open(dir: string): { db: SqliteDatabase; store: SqliteMeasurementStore } {
  const db = openSqlite(dir);
  dbs.push(db);
  return { db, store: new SqliteMeasurementStore(db) };
}

function addMap(db: SqliteDatabase, id: string): void {
  db.prepare('INSERT INTO maps (id, title, template, created_at, updated_at) VALUES (?, ?, ?, 0, 0)').run(id, 'Figures', 'blank');
}

afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const FULL: Row = {
  touchpointId: 'tp-1',
  contacts: 12,
  csat: { responses: 10, satisfied: 7 },
  ces: { responses: 4, mean: 2.5 },
  nps: { promoters: 3, passives: 2, detractors: 1 },
  verbatims: [{ text: 'Took three calls', score: 2, at: '2026-11-03' }],
};

describe('SqliteMeasurementStore', () => {
  it('migration 10 keeps the rows stored before it, and a map deleted takes its rows along', async () => {
    const dir = dataDir();
    // A database as migration 9 left it, with figures in it.
    const old = new Database(path.join(dir, SQLITE_FILE));
    old.pragma('foreign_keys = ON');
    old.exec('CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    for (const migration of MIGRATIONS.filter((m) => m.id <= 9)) {
      old.exec(migration.sql);
      old.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, 0)').run(migration.id, migration.name);
    }
    addMap(old, 'm1');
    await new SqliteMeasurementStore(old).replace('m1', '2026-11', [FULL, { touchpointId: 'tp-2', contacts: 3 }], 1);
    await new SqliteMeasurementStore(old).replace('m1', '2026-10', [{ touchpointId: 'tp-2', ces: { responses: 1, mean: 7 } }], 1);
    const before = await new SqliteMeasurementStore(old).list('m1');
    old.close();

    const { db, store } = open(dir);
    expect(db.prepare('SELECT max(id) FROM schema_migrations').pluck().get()).toBeGreaterThanOrEqual(10);
    expect(await store.list('m1')).toEqual(before);
    expect(before).toHaveLength(3);
    db.prepare('DELETE FROM maps WHERE id = ?').run('m1');
    expect(await store.list('m1')).toEqual([]);
  });
});
