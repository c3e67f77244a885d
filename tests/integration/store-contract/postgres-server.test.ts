/**
 * Issue 14 §2 with the real server: DATABASE_URL=postgres://… keeps the
 * documents and accounts in PostgreSQL. An edit a client has seen is in the
 * database (log before broadcast) and survives kill -9 and a restart; two
 * processes starting together on an empty schema migrate it once; a database
 * that cannot be reached stops the start with a sentence, not a stack or a hang.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { readMap, updateTouchpoint } from '../../../lib/journey/schema';
import { PgAccountStore } from '../../../server/accounts/pg-account-store';
import { openPostgres } from '../../../server/db/postgres';
import { PG_MIGRATIONS } from '../../../server/db/pg-migrations';
import { createMapFromTemplate } from '../../../server/maps/create-map';
import { loadStoredDoc } from '../../../server/store/apply-stored';
import { PgDocStore } from '../../../server/store/pg-doc-store';
import { CollabClient, destroyAllClients, joinSynced, mapRoom, tokenFor } from '../support/clients';
import { REPO_ROOT, TEST_SECRET, TestServer, startExpectingExit, stopAllServers } from '../../support/server';
import { CLI_ARGS } from '../../support/built-server';
import { USERS } from '../support/workspace';
import { announceSkips, postgresSkipReason, freshSchema } from './engines';

announceSkips('PostgreSQL server');
const skipReason = postgresSkipReason;

const drops: Array<() => Promise<void>> = [];
/** Processes expected to exit by themselves: killed at the end if one hangs after all. */
const expectedToExit = new Set<ChildProcess>();

afterAll(async () => {
  for (const child of expectedToExit) child.kill('SIGKILL');
  destroyAllClients();
  await stopAllServers();
  for (const drop of drops) await drop();
});

/** A fresh schema holding the test users and one demo map, every user a member with the role they are named for. */
async function seedPostgres(): Promise<{ url: string; mapId: string }> {
  const { url, drop } = await freshSchema();
  drops.push(drop);
  const pool = await openPostgres(url);
  try {
    const store = new PgDocStore(pool, { ownsPool: false });
    const accounts = new PgAccountStore(pool);
    for (const user of Object.values(USERS)) await accounts.createUser({ id: user.id, email: `${user.id}@journeyhub.test`, name: user.name, passwordHash: null });
    const map = await createMapFromTemplate(store, { template: 'demo' });
    for (const user of Object.values(USERS)) if (user.role) await accounts.setMember(map.id, user.id, user.role, null);
    return { url, mapId: map.id };
  } finally {
    await pool.end();
  }
}


/** The operators' CLI on the same database (and the server's secret), as an operator runs it next to the server. */
function cli(url: string, args: string[]): Promise<{ code: number | null; json: Record<string, unknown>; stderr: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyhub-pg-cli-'));
  const child = spawn(process.execPath, [...CLI_ARGS, ...args, '--json'], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATA_DIR: dataDir, AUTH_SECRET: TEST_SECRET, DATABASE_URL: url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  expectedToExit.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => {
    child.once('close', (code) => {
      expectedToExit.delete(child);
      fs.rmSync(dataDir, { recursive: true, force: true });
      const last = stdout.trimEnd().split('\n').at(-1) ?? '{}';
      resolve({ code, stderr, json: last.startsWith('{') ? (JSON.parse(last) as Record<string, unknown>) : {} });
    });
  });
}

describe('DATABASE_URL that is no PostgreSQL URL', () => {
  it('stops the start at once with exit code 2 and a sentence naming the variable', async () => {
    const { code, stderr } = await startExpectingExit({ DATABASE_URL: 'mysql://root:hunter2@db/journeyhub' });
    expect(code).toBe(2);
    expect(stderr).toMatch(/DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/);
    expect(stderr).not.toContain('hunter2');
  });
});

describe('a PostgreSQL server that is not there', () => {
  it.each([
    ['a port nobody listens on', 'postgres://journeyhub:hunter2@127.0.0.1:1/journeyhub', '127.0.0.1:1/journeyhub'],
    ['an address of TEST-NET-1, where no database is', 'postgres://journeyhub:hunter2@192.0.2.1:5432/journeyhub', '192.0.2.1:5432/journeyhub'],
    ['a host name that does not resolve', 'postgres://journeyhub:hunter2@no-such-host.invalid/journeyhub', 'no-such-host.invalid:5432/journeyhub'],
  ])('%s: the process exits with code 1 and one sentence, no stack, no password', async (_what, url, where) => {
    const { code, stderr, stdout } = await startExpectingExit({ DATABASE_URL: url });
    expect(code).toBe(1);
    expect(stderr).toContain(`Could not open the PostgreSQL database of DATABASE_URL (${where}):`);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr + stdout).not.toMatch(/\n\s+at /);
    expect(stderr + stdout).not.toContain('hunter2');
    expect(stdout).not.toContain('JourneyHub listening');
  });
});

describe('a PostgreSQL port that accepts and never answers', () => {
  it('gives up after the connection deadline: exit code 1 and a sentence, not a hang', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const { code, stderr } = await startExpectingExit({ DATABASE_URL: `postgres://journeyhub:hunter2@127.0.0.1:${port}/journeyhub` });
      expect(code).toBe(1);
      expect(stderr).toContain(`Could not open the PostgreSQL database of DATABASE_URL (127.0.0.1:${port}/journeyhub):`);
      expect(stderr).toMatch(/timeout/i);
      expect(stderr).not.toContain('hunter2');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe.skipIf(skipReason !== null)('the server on PostgreSQL', () => {
  it('names its engine; an edit another client has seen is in the database, and survives kill -9 and a restart', async () => {
    const { url, mapId } = await seedPostgres();
    let server = await TestServer.start({ web: false, env: { DATABASE_URL: url } });
    expect((await server.health()).store).toBe('postgres');

    const a = await joinSynced(server, mapRoom(mapId), 'editor', mapId);
    const b = await joinSynced(server, mapRoom(mapId), 'viewer', mapId);
    updateTouchpoint(a.doc, 'tp-first-bill', { label: 'First bill, explained', contactVolume: 4321 }, a.origin);
    await b.until((doc) => readMap(doc).touchpoints['tp-first-bill']?.contactVolume === 4321);

    // Log before broadcast: once B has it, PostgreSQL has it.
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      const stored = await new PgDocStore(pool, { ownsPool: false }).load(mapRoom(mapId));
      expect(stored.updates.length).toBeGreaterThan(0);
      expect(readMap(loadStoredDoc(stored)).touchpoints['tp-first-bill']).toMatchObject({ label: 'First bill, explained', contactVolume: 4321 });
    } finally {
      await pool.end();
    }

    server.kill9();
    expect((await server.exited).signal).toBe('SIGKILL');
    destroyAllClients();
    server = await server.restart();
    const fresh = await joinSynced(server, mapRoom(mapId), 'owner', mapId);
    expect(readMap(fresh.doc).touchpoints['tp-first-bill']).toMatchObject({ label: 'First bill, explained', contactVolume: 4321 });
    updateTouchpoint(fresh.doc, 'tp-ivr', { label: 'IVR after the restart' }, fresh.origin);
    const other = await joinSynced(server, mapRoom(mapId), 'viewer', mapId);
    await other.until((doc) => readMap(doc).touchpoints['tp-ivr']?.label === 'IVR after the restart');
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });

  it('a map the CLI creates in PostgreSQL while the server runs: edited over y-websocket, still there after a restart, listed by the CLI', async () => {
    const { url, drop } = await freshSchema();
    drops.push(drop);
    let server = await TestServer.start({ web: false, env: { DATABASE_URL: url } });
    const user = await cli(url, ['user', 'add', '--email', 'Pat@Example.com', '--name', 'Pat', '--password', 'correct horse battery staple']);
    expect(user.stderr).toBe('');
    const map = await cli(url, ['map', 'create', '--title', 'Moving house', '--owner', 'pat@example.com', '--template', 'demo']);
    expect(map.code).toBe(0);
    const mapId = String(map.json.id);
    const pat = { id: String(user.json.id), name: 'Pat', role: 'owner' as const };

    const editor = await new CollabClient(server.collabUrl, mapRoom(mapId), pat, tokenFor(pat, mapId)).whenSynced();
    updateTouchpoint(editor.doc, 'tp-first-bill', { label: 'Edited on PostgreSQL' }, editor.origin);
    const watcher = await new CollabClient(server.collabUrl, mapRoom(mapId), pat, tokenFor(pat, mapId)).whenSynced();
    await watcher.until((doc) => readMap(doc).touchpoints['tp-first-bill']?.label === 'Edited on PostgreSQL');
    expect(await server.stop()).toEqual({ code: 0, signal: null });
    destroyAllClients();

    server = await server.restart();
    const fresh = await new CollabClient(server.collabUrl, mapRoom(mapId), pat, tokenFor(pat, mapId)).whenSynced();
    expect(readMap(fresh.doc).touchpoints['tp-first-bill']?.label).toBe('Edited on PostgreSQL');
    const listed = await cli(url, ['map', 'list', '--email', 'pat@example.com']);
    expect(listed.json.maps).toEqual([expect.objectContaining({ id: mapId, title: 'Moving house' })]);
  });

  it('two processes starting together on an empty schema migrate it once, and both serve', async () => {
    const { url, drop } = await freshSchema();
    drops.push(drop);
    const [one, two] = await Promise.all([TestServer.start({ web: false, env: { DATABASE_URL: url } }), TestServer.start({ web: false, env: { DATABASE_URL: url } })]);
    expect((await one.health()).store).toBe('postgres');
    expect((await two.health()).store).toBe('postgres');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: number }>('SELECT id FROM schema_migrations ORDER BY id');
      expect(rows.map((row) => row.id)).toEqual(PG_MIGRATIONS.map((migration) => migration.id));
    } finally {
      await client.end();
    }
  });
});
