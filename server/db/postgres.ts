import type pg from 'pg';
import type { Migration } from './migrations';
import { PG_MIGRATIONS } from './pg-migrations';

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;

/**
 * Namespaces of the two-key advisory locks (the second key: the schema's
 * hashtext, a room's key), so that the app's locks never meet another application's.
 */
export const ADVISORY_LOCK = {
  /** Held while migrating a schema: two processes starting together do not both migrate. */
  migrate: 0x4a48_0001,
  /** Held by appends, compaction, set-asides and restores of one room until they commit (server/store/pg-doc-store.ts). */
  room: 0x4a48_0002,
} as const;

/** How long a connection may take before start-up gives up (a wrong host must not hang the process). */
const CONNECT_TIMEOUT_MS = 10_000;

/** The database cannot be reached or set up at start: a sentence for the operator, not a stack. */
export class DatabaseUnavailableError extends Error {}

const INT8_OID = 20;

/**
 * bigint columns (ms timestamps, seqs, counts) come back as JS numbers; pg
 * returns strings by default. A value past 2^53 would lose digits, so it is
 * an error instead.
 */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`a bigint column holds ${text}, past what a JS number holds exactly`);
  return value;
}

function typesOf(driver: typeof pg): { getTypeParser: typeof pg.types.getTypeParser } {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === INT8_OID && format !== 'binary' ? parseInt8 : driver.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
  };
}

/**
 * PostgreSQL refuses text it cannot store (a NUL character, which SQLite
 * takes): the request's fault, not the server's, and nothing was written (the
 * statement failed whole). SQLSTATE 22021 and 22P05.
 */
export function isUnstorableText(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '22021' || code === '22P05';
}

/** Where the URL points, without its password: safe for logs and error messages. */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}${parsed.pathname || ''}`;
  } catch {
    return 'an unreadable URL';
  }
}

/** PG_STATEMENT_TIMEOUT_MS's default. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 15_000;
/** How much longer than the statement timeout the client waits before it gives up on a server that does not answer at all. */
const QUERY_TIMEOUT_MARGIN_MS = 5_000;

export interface OpenPostgresOptions {
  max?: number;
  onIdleError?: (error: Error) => void;
  /**
   * PostgreSQL cancels a statement (a lock wait included) after this long, and
   * the client gives up QUERY_TIMEOUT_MARGIN_MS later on a server that does
   * not answer: one stuck append must not hold every room's edits behind it.
   */
  statementTimeoutMs?: number;
}

/**
 * A pool on DATABASE_URL with the schema brought up to date. Fails with
 * DatabaseUnavailableError (no hang: every connect has a deadline) when the
 * server does not answer or refuses us.
 */
export async function openPostgres(url: string, options: OpenPostgresOptions = {}): Promise<PgPool> {
  // Loaded here, not at start: the default (SQLite) process never holds the driver (~16 MB).
  const { default: driver } = await import('pg');
  const statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const pool = new driver.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    types: typesOf(driver),
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + QUERY_TIMEOUT_MARGIN_MS,
  });
  // An idle client whose connection drops emits here; without a listener that error would end the process.
  pool.on('error', (error) => options.onIdleError?.(error));
  try {
    await migratePostgres(pool);
  } catch (error) {
    await pool.end().catch(() => {});
    throw new DatabaseUnavailableError(`Could not open the PostgreSQL database of DATABASE_URL (${describeDatabaseUrl(url)}): ${(error as Error).message}`);
  }
  return pool;
}

/** Runs `work` in one transaction on one connection; rolls back if it throws. */
export async function inTransaction<T>(pool: PgPool, work: (client: PgClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const client = await pool.connect();
  // The pool listens for a client's errors only while it is idle. A checked-out
  // client whose connection drops while no query runs on it (the database
  // restarting between two queries of this transaction) emits 'error', which
  // with no listener would end the process: the transaction's next query fails
  // instead, and the broken client is not given back to the pool.
  let broken = false;
  const onError = (): void => {
    broken = true;
  };
  client.on('error', onError);
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

/**
 * Applies the migrations not yet recorded, all in one transaction (PostgreSQL
 * DDL is transactional) under an advisory lock per schema: a second process
 * starting at the same moment waits, then finds nothing left to do.
 */
export async function migratePostgres(pool: PgPool, migrations: readonly Migration[] = PG_MIGRATIONS): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock($1, hashtext(coalesce(current_schema(), '')))", [ADVISORY_LOCK.migrate]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
    const { rows } = await client.query<{ id: number }>('SELECT id FROM schema_migrations');
    const applied = new Set(rows.map((row) => row.id));
    for (const migration of migrations) {
      if (applied.has(migration.id)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (id, name, applied_at) VALUES ($1, $2, $3)', [migration.id, migration.name, Date.now()]);
    }
  });
}

/** A bytea value as the Uint8Array the stores hand out (a view, no copy). */
export const bytesOf = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
