/**
 * The measured figures' store on a real SQLite file (DESIGN.md, "Measured
 * data and outcomes"): a push replaces whole rows in one transaction, all or
 * nothing; the same batch twice leaves the same data; migration 10 (rows
 * keyed by month first) keeps every row stored before it.
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
  it('replace is all or nothing: a row the database refuses leaves the month as it was', () => {
    const { db, store } = open(dataDir());
    addMap(db, 'm1');
    store.replace('m1', '2026-11', [{ touchpointId: 'tp-1', contacts: 1 }], 1);
    // A row without a touchpoint breaks NOT NULL in the middle of the batch: in a statement of several rows, and alone.
    for (const size of [3, 120]) {
      const broken: Row[] = Array.from({ length: size }, (_, i) => ({ touchpointId: `tp-${String(i).padStart(3, '0')}`, contacts: i }));
      broken.splice(Math.floor(size / 2), 0, { contacts: 4 } as Row);
      expect(() => store.replace('m1', '2026-11', broken, 2)).toThrow(/NOT NULL/);
      expect(store.list('m1')).toEqual([{ touchpointId: 'tp-1', period: '2026-11', contacts: 1 }]);
    }
  });

  it('the same batch twice leaves the same data; a row is replaced whole', () => {
    const { db, store } = open(dataDir());
    addMap(db, 'm1');
    const many: Row[] = Array.from({ length: 130 }, (_, i) => ({ touchpointId: `tp-x${i}`, contacts: i, ...(i % 7 === 0 ? { ces: { responses: 2, mean: 6.5 } } : {}) }));
    const batch: Row[] = [FULL, { touchpointId: 'tp-0', contacts: 4 }, ...many, { touchpointId: 'tp-10', nps: { promoters: 1, passives: 0, detractors: 0 } }];
    store.replace('m1', '2026-11', batch, 1);
    const once = store.list('m1');
    store.replace('m1', '2026-11', batch, 2);
    expect(once).toHaveLength(batch.length);
    expect(once.find((row) => row.touchpointId === 'tp-1')).toEqual({ ...FULL, period: '2026-11' });
    expect(once.find((row) => row.touchpointId === 'tp-x7')).toEqual({ touchpointId: 'tp-x7', period: '2026-11', contacts: 7, ces: { responses: 2, mean: 6.5 } });
    expect(store.list('m1')).toEqual(once);
    store.replace('m1', '2026-11', [{ touchpointId: 'tp-1', contacts: 99 }], 3);
    expect(store.list('m1').find((row) => row.touchpointId === 'tp-1')).toEqual({ touchpointId: 'tp-1', period: '2026-11', contacts: 99 });
  });

  it('lists by period then touchpoint, within from/to, per map', () => {
    const { db, store } = open(dataDir());
    addMap(db, 'm1');
    addMap(db, 'm2');
    for (const period of ['2026-12', '2026-10', '2026-11']) store.replace('m1', period, [{ touchpointId: 'b', contacts: 1 }, { touchpointId: 'a', contacts: 2 }], 1);
    store.replace('m2', '2026-11', [{ touchpointId: 'a', contacts: 7 }], 1);
    const keys = (rows: Array<{ period: string; touchpointId: string }>) => rows.map((row) => `${row.period}/${row.touchpointId}`);
    expect(keys(store.list('m1'))).toEqual(['2026-10/a', '2026-10/b', '2026-11/a', '2026-11/b', '2026-12/a', '2026-12/b']);
    expect(keys(store.list('m1', '2026-11', '2026-11'))).toEqual(['2026-11/a', '2026-11/b']);
    expect(store.deletePeriod('m1', '2026-11')).toBe(2);
    expect(keys(store.list('m1'))).toEqual(['2026-10/a', '2026-10/b', '2026-12/a', '2026-12/b']);
    expect(keys(store.list('m2'))).toEqual(['2026-11/a']);
  });

  it('migration 10 keeps the rows stored before it, and a map deleted takes its rows along', () => {
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
    new SqliteMeasurementStore(old).replace('m1', '2026-11', [FULL, { touchpointId: 'tp-2', contacts: 3 }], 1);
    new SqliteMeasurementStore(old).replace('m1', '2026-10', [{ touchpointId: 'tp-2', ces: { responses: 1, mean: 7 } }], 1);
    const before = new SqliteMeasurementStore(old).list('m1');
    old.close();

    const { db, store } = open(dir);
    expect(db.prepare('SELECT max(id) FROM schema_migrations').pluck().get()).toBeGreaterThanOrEqual(10);
    expect(store.list('m1')).toEqual(before);
    expect(before).toHaveLength(3);
    db.prepare('DELETE FROM maps WHERE id = ?').run('m1');
    expect(store.list('m1')).toEqual([]);
  });
});
