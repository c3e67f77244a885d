import type { AccountStore } from '../accounts/account-store';
import { PgAccountStore } from '../accounts/pg-account-store';
import { SqliteAccountStore } from '../accounts/sqlite-account-store';
import type { DatabaseConfig } from '../config';
import type { DocStore, SetAside } from '../store/doc-store';
import type { HistoryStore } from '../store/history-store';
import { PgDocStore } from '../store/pg-doc-store';
import { PgHistoryStore } from '../store/pg-history-store';
import { SqliteDocStore } from '../store/sqlite-doc-store';
import { SqliteHistoryStore } from '../store/sqlite-history-store';
import type { MeasurementStore } from '../store/measurement-store';
import { PgMeasurementStore } from '../store/pg-measurement-store';
import { SqliteMeasurementStore } from '../store/sqlite-measurement-store';
import { openPostgres } from './postgres';
import { openSqlite } from './sqlite';

export interface Stores {
  store: DocStore;
  accounts: AccountStore;
  history: HistoryStore;
  measurements: MeasurementStore;
  /** Closes every connection and file the stores hold. */
  close(): Promise<void>;
}

export interface OpenStoresOptions {
  onSetAside?: (room: string, setAside: SetAside) => void;
  /** An idle PostgreSQL connection dropped (the pool replaces it); to log. */
  onIdleError?: (error: Error) => void;
  /** SQLite: appends and compactions on a writer thread, off the event loop (the server; a CLI command writes in the process). */
  writerThread?: boolean;
  /** SQLite: a commit on the event loop this slow (ms) hands commits to the writer thread for a while (SqliteDocStoreOptions.slowLoopCommitMs). */
  slowLoopCommitMs?: number;
}

/** The stores of the engine DATABASE_URL names: SQLite in DATA_DIR when unset, PostgreSQL otherwise. */
export async function openStores(database: DatabaseConfig, dataDir: string, options: OpenStoresOptions = {}): Promise<Stores> {
  if (database.engine === 'postgres') {
    const pool = await openPostgres(database.url, { onIdleError: options.onIdleError, statementTimeoutMs: database.statementTimeoutMs });
    const store = new PgDocStore(pool, { onSetAside: options.onSetAside, ownsPool: false });
    let closed = false;
    return {
      store,
      accounts: new PgAccountStore(pool),
      history: new PgHistoryStore(pool),
      measurements: new PgMeasurementStore(pool),
      async close() {
        if (closed) return;
        closed = true;
        await pool.end();
      },
    };
  }
  const db = openSqlite(dataDir);
  const store = new SqliteDocStore(db, { onSetAside: options.onSetAside, writerThread: options.writerThread, slowLoopCommitMs: options.slowLoopCommitMs });
  return {
    store,
    accounts: new SqliteAccountStore(db),
    history: new SqliteHistoryStore(db),
    measurements: new SqliteMeasurementStore(db),
    close: () => store.close(),
  };
}
