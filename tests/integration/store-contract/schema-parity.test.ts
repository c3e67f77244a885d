/**
 * One set of migrations per engine (issue 14 §2), holding the same data: every
 * table and column SQLite's migrations create exists in PostgreSQL's, so that
 * a SQLite migration without its PostgreSQL twin fails here. Opening an
 * up-to-date PostgreSQL schema again migrates nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../../server/db/postgres';
import { PG_MIGRATIONS } from '../../../server/db/pg-migrations';
import { openSqlite } from '../../../server/db/sqlite';
import { ENGINES, announceSkips, freshSchema } from './engines';

announceSkips('schema parity');
const postgres = ENGINES.find((engine) => engine.name === 'postgres');
const skipReason = postgres ? postgres.skipReason : 'no postgres engine in ENGINES';

/** Only in SQLite: nothing (the measured figures moved in PostgreSQL's migration 2). */
const ONLY_IN_SQLITE = new Set<string>();
/** Only in PostgreSQL: what SQLite gets from its rowid. */
const ONLY_IN_POSTGRES = new Set(['map_versions.position']);

const drops: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const drop of drops) await drop();
});

function sqliteColumns(): Set<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyhub-parity-'));
  const db = openSqlite(dir);
  try {
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all();
    const columns = new Set<string>();
    for (const { name } of tables) {
      if (ONLY_IN_SQLITE.has(name)) continue;
      for (const column of db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${name}')`).all()) columns.add(`${name}.${column.name}`);
    }
    return columns;
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(skipReason !== null)('PostgreSQL schema', () => {
  it('has every table and column of the SQLite schema (but the measured figures), and no other', async () => {
    const { url, schema, drop } = await freshSchema();
    drops.push(drop);
    const pool = await openPostgres(url);
    try {
      const { rows } = await pool.query<{ table_name: string; column_name: string }>(
        'SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1',
        [schema],
      );
      const pgColumns = new Set(rows.map((row) => `${row.table_name}.${row.column_name}`).filter((column) => !ONLY_IN_POSTGRES.has(column)));
      expect([...pgColumns].sort()).toEqual([...sqliteColumns()].sort());
    } finally {
      await pool.end();
    }
  });

  it('opening an up-to-date schema again migrates nothing; each migration is recorded once', async () => {
    const { url, drop } = await freshSchema();
    drops.push(drop);
    await (await openPostgres(url)).end();
    await (await openPostgres(url)).end();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: number; name: string }>('SELECT id, name FROM schema_migrations ORDER BY id');
      expect(rows).toEqual(PG_MIGRATIONS.map(({ id, name }) => ({ id, name })));
    } finally {
      await client.end();
    }
  });
});
