/**
 * The engines a test server runs on (issue 14, "Done when": the same
 * integration suites pass on SQLite alone and on PostgreSQL + Redis).
 * JOURNEYHUB_TEST_ENGINE picks them for the whole run:
 * - unset or `sqlite`: SQLite in each server's DATA_DIR, the in-process fan-out;
 * - `postgres+redis`: each DATA_DIR gets a fresh PostgreSQL schema of
 *   TEST_DATABASE_URL and a fresh key/channel prefix on TEST_REDIS_URL, the
 *   same ones again for every server, restart, seed and CLI run on that
 *   DATA_DIR, so a test that seeds, starts, restarts and runs the CLI works
 *   unchanged. The schemas are dropped by `dropEngineSchemas` (stopAllServers).
 * A server whose env already names DATABASE_URL (a suite that picks its own
 * database, or `DATABASE_URL: ''` for SQLite on purpose) is left alone.
 */
import crypto from 'node:crypto';
import { describe, it } from 'vitest';

export type TestEngine = 'sqlite' | 'postgres+redis';

function parseEngine(value: string | undefined): TestEngine {
  if (value === undefined || value === '' || value === 'sqlite') return 'sqlite';
  if (value === 'postgres+redis') return value;
  throw new Error(`JOURNEYHUB_TEST_ENGINE must be sqlite or postgres+redis (got ${value})`);
}

export const TEST_ENGINE: TestEngine = parseEngine(process.env.JOURNEYHUB_TEST_ENGINE);

// Asked for on purpose, so never a skip: without the services the run fails at once, in CI or not.
if (TEST_ENGINE === 'postgres+redis') {
  const missing = ['TEST_DATABASE_URL', 'TEST_REDIS_URL'].filter((name) => !process.env[name]);
  if (missing.length) {
    throw new Error(`JOURNEYHUB_TEST_ENGINE=postgres+redis but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set (scripts/test-all.sh sets them when pg_isready and redis-cli ping answer)`);
  }
}

/**
 * How many processes one test server is in the postgres+redis run (default 3,
 * JOURNEYHUB_TEST_PROCESSES): the one the test starts, which serves HTTP and
 * logs, and siblings on the same database and Redis prefix that take their
 * share of the collaboration sockets (tests/support/server.ts). 1 on SQLite.
 */
export const TEST_PROCESSES: number = TEST_ENGINE === 'sqlite' ? 1 : parseProcesses(process.env.JOURNEYHUB_TEST_PROCESSES);

function parseProcesses(value: string | undefined): number {
  if (value === undefined || value === '') return 3;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 8) throw new Error(`JOURNEYHUB_TEST_PROCESSES must be a whole number from 1 to 8 (got ${value})`);
  return count;
}

/** What /api/health names for the engines of this run. */
export const HEALTH_ENGINES: { store: 'sqlite' | 'postgres'; fanout: 'local' | 'redis' } =
  TEST_ENGINE === 'sqlite' ? { store: 'sqlite', fanout: 'local' } : { store: 'postgres', fanout: 'redis' };

interface DataDirEngine {
  DATABASE_URL: string;
  REDIS_URL: string;
  REDIS_PREFIX: string;
  drop(): Promise<void>;
}

/** One schema and prefix per DATA_DIR of this test file (vitest loads this module anew per file). */
const prepared = new Map<string, Promise<DataDirEngine>>();
const ready = new Map<string, DataDirEngine>();

/** Whether a server started with `env` gets the engine of its DATA_DIR. */
export function usesTestEngine(env: Record<string, string> | undefined): boolean {
  return TEST_ENGINE === 'postgres+redis' && env?.DATABASE_URL === undefined;
}

/**
 * Creates the DATA_DIR's schema and prefix (once; later calls wait for the
 * same). Call before `engineEnvironment` for that DATA_DIR; a no-op on SQLite.
 */
export async function prepareEngine(dataDir: string): Promise<void> {
  if (TEST_ENGINE === 'sqlite') return;
  let engine = prepared.get(dataDir);
  if (!engine) {
    engine = createEngine();
    prepared.set(dataDir, engine);
  }
  ready.set(dataDir, await engine);
}

async function createEngine(): Promise<DataDirEngine> {
  // Imported here, not above: the store-contract module opens the engines' drivers, which a SQLite run never needs.
  const { freshSchema } = await import('../integration/store-contract/engines');
  const { url, drop } = await freshSchema();
  return {
    DATABASE_URL: url,
    REDIS_URL: process.env.TEST_REDIS_URL ?? '',
    REDIS_PREFIX: `jh-test:engine:${crypto.randomBytes(6).toString('hex')}:`,
    drop,
  };
}

/** What the DATA_DIR's server and CLI add to their environment: nothing on SQLite, or when `env` names DATABASE_URL. */
export function engineEnvironment(dataDir: string, env?: Record<string, string>): Record<string, string> {
  if (!usesTestEngine(env)) return {};
  const engine = ready.get(dataDir);
  if (!engine) throw new Error(`no PostgreSQL schema for ${dataDir} yet: await prepareEngine(dataDir) before its environment`);
  return { DATABASE_URL: engine.DATABASE_URL, REDIS_URL: engine.REDIS_URL, REDIS_PREFIX: engine.REDIS_PREFIX };
}

/** The DATA_DIR's PostgreSQL URL in the postgres+redis run (after prepareEngine), null on SQLite. */
export function engineDatabaseUrl(dataDir: string): string | null {
  return TEST_ENGINE === 'sqlite' ? null : (ready.get(dataDir)?.DATABASE_URL ?? null);
}

/** For the end of a file (stopAllServers): drops every schema this file created. Under a Redis prefix only rate-limit counts stay, and they expire. */
export async function dropEngineSchemas(): Promise<void> {
  const engines = await Promise.allSettled(prepared.values());
  prepared.clear();
  ready.clear();
  for (const engine of engines) if (engine.status === 'fulfilled') await engine.value.drop();
}

/**
 * For a test that is about the SQLite file itself (it reads or writes
 * journeyhub.db, or a SQLite migration): runs on SQLite; in the
 * postgres+redis run it is skipped and says why, once, where it is declared.
 *   sqliteOnly('reads the stored password hash from the SQLite file').it('…', async () => …)
 */
export function sqliteOnly(why: string): { describe: ReturnType<typeof describe.skipIf>; it: ReturnType<typeof it.skipIf> } {
  const skip = TEST_ENGINE !== 'sqlite';
  if (skip) console.warn(`[${TEST_ENGINE}] not run: ${why} (SQLite only)`);
  return { describe: describe.skipIf(skip), it: it.skipIf(skip) };
}
