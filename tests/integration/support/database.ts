/**
 * The database a test server on a DATA_DIR keeps its rows in, opened beside
 * it: to read what it stored, or to age a row as time would. The SQLite file
 * in DATA_DIR, or in the postgres+redis run (tests/support/engine.ts) the
 * DATA_DIR's PostgreSQL schema. The SQL is what both engines share (the
 * tables are the same: store-contract/schema-parity.test.ts), with `?`
 * placeholders; PostgreSQL's BIGINTs come back as numbers, as SQLite's do.
 * A test about the SQLite file itself uses better-sqlite3 and sqliteOnly.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { SQLITE_FILE } from '../../../server/db/sqlite';
import { engineDatabaseUrl } from '../../support/engine';

export interface ServerDatabase {
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  get<T>(sql: string, params?: unknown[]): Promise<T | undefined>;
  /** An UPDATE, INSERT or DELETE; how many rows it changed. */
  run(sql: string, params?: unknown[]): Promise<number>;
}

const INT8_OID = 20;

/** Opens the DATA_DIR's database for `work`, and closes it after. */
export async function withServerDatabase<T>(dataDir: string, work: (db: ServerDatabase) => Promise<T>): Promise<T> {
  const url = engineDatabaseUrl(dataDir);
  if (url) {
    const client = new pg.Client({
      connectionString: url,
      types: { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) },
    });
    await client.connect();
    try {
      return await work({
        all: async <R>(sql: string, params: unknown[] = []) => (await client.query(numbered(sql), bytes(params))).rows as R[],
        get: async <R>(sql: string, params: unknown[] = []) => (await client.query(numbered(sql), bytes(params))).rows[0] as R | undefined,
        run: async (sql, params = []) => (await client.query(numbered(sql), bytes(params))).rowCount ?? 0,
      });
    } finally {
      await client.end();
    }
  }
  const db = new Database(path.join(dataDir, SQLITE_FILE), { fileMustExist: true });
  // The server writes the same file (WAL); wait for its write lock rather than fail.
  db.pragma('busy_timeout = 5000');
  try {
    return await work({
      all: async <R>(sql: string, params: unknown[] = []) => db.prepare(sql).all(...params) as R[],
      get: async <R>(sql: string, params: unknown[] = []) => db.prepare(sql).get(...params) as R | undefined,
      run: async (sql, params = []) => db.prepare(sql).run(...params).changes,
    });
  } finally {
    db.close();
  }
}

/** `?` placeholders as PostgreSQL's `$1, $2 …` (the tests' SQL has no `?` inside a literal). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${(n += 1)}`);
}

/** Uint8Arrays as Buffers: what pg sends as BYTEA. */
function bytes(params: unknown[]): unknown[] {
  return params.map((value) => (value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value));
}
