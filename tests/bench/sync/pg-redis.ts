/**
 * PostgreSQL and Redis for the runs of several processes: each run gets a
 * fresh schema holding the bench's map (dropped after) and a fresh Redis
 * prefix (its keys deleted after), so that runs, and other people's tests
 * on the same services, never meet. The services themselves are shared:
 * nothing here restarts or reconfigures them.
 */
import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { PgAccountStore } from '../../../server/accounts/pg-account-store';
import { openPostgres } from '../../../server/db/postgres';
import { PgDocStore } from '../../../server/store/pg-doc-store';
import { populateMap } from './fixture';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the machine's local PostgreSQL. */
export const benchDatabaseUrl = (): string => process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || DEFAULT_DATABASE_URL;
/** BENCH_REDIS_URL, else TEST_REDIS_URL, else the machine's local Redis. */
export const benchRedisUrl = (): string => process.env.BENCH_REDIS_URL || process.env.TEST_REDIS_URL || DEFAULT_REDIS_URL;

/** Where a URL points, without its password, for the bench's header. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.hostname}:${parsed.port}${parsed.pathname}`;
  } catch {
    return 'an unreadable URL';
  }
}

function withSearchPath(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

async function onAdminConnection<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface PgRoom {
  /** DATABASE_URL of the fresh schema, for the server processes. */
  url: string;
  mapId: string;
  drop(): Promise<void>;
}

/**
 * A fresh schema of `baseUrl`, migrated as a server would migrate it, with
 * the bench's map and its members in it.
 */
export async function freshPgRoom(baseUrl: string, touchpoints: number, maxConnections: number): Promise<PgRoom> {
  const schema = `bench_sync_${crypto.randomBytes(6).toString('hex')}`;
  await onAdminConnection(baseUrl, (client) => client.query(`CREATE SCHEMA ${schema}`));
  const drop = (): Promise<void> => onAdminConnection(baseUrl, async (client) => void (await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)));
  const url = withSearchPath(baseUrl, schema);
  try {
    const pool = await openPostgres(url);
    try {
      const { mapId } = await populateMap(new PgDocStore(pool, { ownsPool: false }), new PgAccountStore(pool), touchpoints, maxConnections);
      return { url, mapId, drop };
    } finally {
      await pool.end();
    }
  } catch (error) {
    await drop().catch(() => {});
    throw error;
  }
}

/** A REDIS_PREFIX of its own for one run. */
export const freshRedisPrefix = (): string => `bench-sync:${crypto.randomBytes(6).toString('hex')}:`;

/** Deletes whatever the run left under its prefix (rate-limit counters; the fan-out itself keeps no keys). */
export async function clearRedisPrefix(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

/** Fails with a sentence when PostgreSQL or Redis does not answer: before the first run, not in the middle of the table. */
export async function checkServices(databaseUrl: string, redisUrl: string): Promise<void> {
  try {
    await onAdminConnection(databaseUrl, (client) => client.query('SELECT 1'));
  } catch (error) {
    throw new Error(`PostgreSQL at ${describeUrl(databaseUrl)} does not answer (BENCH_DATABASE_URL or TEST_DATABASE_URL): ${(error as Error).message}`);
  }
  const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5_000, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new Error(`Redis at ${describeUrl(redisUrl)} does not answer (BENCH_REDIS_URL or TEST_REDIS_URL): ${(error as Error).message}`);
  } finally {
    client.disconnect();
  }
}
