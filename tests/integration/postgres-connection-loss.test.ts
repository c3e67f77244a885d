/**
 * PostgreSQL going away under a transaction must fail that transaction, not
 * the process. Found by the cluster's PostgreSQL restart test
 * (cluster-outages.test.ts): every process died with "Unhandled
 * 'error' event ... Connection terminated unexpectedly" when the database
 * shut down while a client was checked out of the pool between two queries of
 * inTransaction (pg emits 'error' on a checked-out client that has no query
 * running; the pool listens only while the client is idle).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, openPostgres, type PgPool } from '../../server/db/postgres';
import { PrivatePostgres, privatePostgresSkipReason } from '../support/private-postgres';

const skip = privatePostgresSkipReason();
if (skip) console.warn(`[postgres connection loss] skipped: ${skip}`);
if (skip && process.env.CI === 'true') throw new Error(`CI=true but the PostgreSQL connection-loss test cannot run: ${skip}`);

let postgres: PrivatePostgres | null = null;
let pool: PgPool | null = null;

beforeAll(async () => {
  if (skip) return;
  postgres = await PrivatePostgres.start();
  pool = await openPostgres(postgres.url);
});

afterAll(async () => {
  await pool?.end().catch(() => undefined);
  await postgres?.destroy();
});

describe.skipIf(skip !== null)('the database shuts down while a transaction holds a connection between two queries', () => {
  it('the transaction fails, no error escapes as an event, and once the database is back the pool works again', async () => {
    if (!postgres || !pool) throw new Error('PostgreSQL did not start');
    const server = postgres;
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', record);
    try {
      const outcome = inTransaction(pool, async (client) => {
        await client.query('SELECT 1');
        // The connection dies while no query runs on it.
        await server.crash();
        await new Promise((resolve) => setTimeout(resolve, 200));
        await client.query('SELECT 2');
      });
      await expect(outcome).rejects.toThrow();
      expect(uncaught.map(String)).toEqual([]);
      await server.startAgain();
      const { rows } = await pool.query<{ n: number }>('SELECT 3 AS n');
      expect(rows).toEqual([{ n: 3 }]);
    } finally {
      process.off('uncaughtException', record);
    }
  });
});
