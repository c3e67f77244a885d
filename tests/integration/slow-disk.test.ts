/**
 * An append is durable before anyone sees its update, and on SQLite that
 * means waiting for the file: a commit behind another writer's lock, a slow
 * fsync, a WAL checkpoint. The wait must be the edit's alone. While one
 * append waits, the process still answers HTTP, still relays presence and
 * still accepts the next edits (they are stored in the next commit), so a
 * workshop does not freeze for a disk.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMap, updateTouchpoint } from '../../lib/journey/schema';
import { SQLITE_FILE } from '../../server/db/sqlite';
import { TEST_ENGINE } from '../support/engine';
import { TestServer, stopAllServers } from '../support/server';
import { destroyAllClients, joinSynced, mapRoom } from './support/clients';
import { seedWorkspace } from './support/workspace';

const HOLD_MS = 2_000;

let server: TestServer;
let mapId: string;
let dataDir: string;

beforeAll(async () => {
  if (TEST_ENGINE !== 'sqlite') return;
  const workspace = await seedWorkspace(['demo']);
  mapId = workspace.mapIds[0] ?? '';
  dataDir = workspace.dataDir;
  server = await TestServer.start({ web: false, dataDir });
});

afterAll(async () => {
  destroyAllClients();
  await stopAllServers();
});

/** What `work` gives and how long it took. */
async function timeOf<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

// PostgreSQL appends are asynchronous already (postgres-stuck.test.ts); this is SQLite's file lock.
describe.skipIf(TEST_ENGINE !== 'sqlite')('an append that waits for the SQLite file', () => {
  it('holds only its own edit: HTTP, presence and the next edits go on, and every edit lands once the file is free', async () => {
    const room = mapRoom(mapId);
    const writer = await joinSynced(server, room, 'editor', mapId);
    const reader = await joinSynced(server, room, 'viewer', mapId);
    const [first, second] = Object.keys(readMap(writer.doc).touchpoints).filter((id) => id !== 'hub').sort();
    if (!first || !second) throw new Error('the demo map has fewer than two touchpoints');

    // Another writer (an operator's sqlite3 shell, a backup) holds the file's write lock.
    const holder = new Database(path.join(dataDir, SQLITE_FILE));
    holder.pragma('busy_timeout = 5000');
    holder.exec('BEGIN IMMEDIATE');
    const released = new Promise<void>((resolve) =>
      setTimeout(() => {
        holder.exec('COMMIT');
        holder.close();
        resolve();
      }, HOLD_MS),
    );
    try {
      updateTouchpoint(writer.doc, first, { label: 'Written while the file was locked' }, writer.origin);
      // Let the append start and find the lock.
      await new Promise((resolve) => setTimeout(resolve, 200));

      const health = await timeOf(() => server.health());
      expect(health.value.ok).toBe(true);
      expect(health.ms).toBeLessThan(500);

      writer.provider.awareness.setLocalStateField('cursor', { x: 42, y: 7 });
      const presence = await timeOf(async () => {
        const cursorX = () => (reader.provider.awareness.getStates().get(writer.doc.clientID) as { cursor?: { x: number } } | undefined)?.cursor?.x;
        const deadline = performance.now() + 5_000;
        while (cursorX() !== 42 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
        return cursorX();
      });
      expect(presence.value).toBe(42);
      expect(presence.ms).toBeLessThan(500);

      // Nobody sees an edit before it is stored.
      updateTouchpoint(writer.doc, second, { label: 'Written right after' }, writer.origin);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(readMap(reader.doc).touchpoints[first]?.label).not.toBe('Written while the file was locked');
    } finally {
      await released;
    }
    await reader.until(
      (doc) =>
        readMap(doc).touchpoints[first]?.label === 'Written while the file was locked' &&
        readMap(doc).touchpoints[second]?.label === 'Written right after',
      { timeout: 10_000 },
    );

    // Stored, not only relayed: a kill -9 and a restart keep both.
    server.kill9();
    await server.exited;
    destroyAllClients();
    server = await server.restart();
    const fresh = await joinSynced(server, room, 'viewer', mapId);
    expect(readMap(fresh.doc).touchpoints[first]?.label).toBe('Written while the file was locked');
    expect(readMap(fresh.doc).touchpoints[second]?.label).toBe('Written right after');
  }, 60_000);
});
