/**
 * Issue 15: what reads a map as stored (its page's damage check, its
 * annotations, a version's changes since, the lists, exports, a workshop's
 * diff) reads the room this process holds when the room is exactly what is
 * stored, instead of loading the map back from the store: on a
 * 2,000-touchpoint map each load held the event loop, and every socket of the
 * process with it, for 100–200 ms per document, at every page a participant
 * opened. Exactly what is stored: every stored update applied (the store's
 * last seq is one the room holds) and the stored snapshot the very bytes the
 * room loaded or wrote (its MD5), or one checked to hold nothing the room
 * lacks. Otherwise the store is read, as before:
 *
 * - a map nobody has open is read from the store;
 * - an edit another writer stored that the open room never saw (an
 *   operator's script; the server does not poll) is in the answer;
 * - a snapshot broken behind the server's back still makes the map damaged
 *   (409 with a sentence), though the room in memory is whole;
 * - the snapshot this process's own compaction wrote is the room's; another
 *   process's is checked against the room once, and then it is too.
 *
 * `journeyhub_document_reads_total{source}` counts where each read came from.
 * The socket is on the process that answers HTTP (on PostgreSQL + Redis a
 * test server is several processes).
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomName } from '../../lib/journey/rooms';
import { updateTouchpoint } from '../../lib/journey/schema';
import type { MapChange } from '../../lib/journey/map-change';
import { openStores } from '../../server/db/open-stores';
import type { MapSummary } from '../../server/services/maps';
import { loadStoredDoc } from '../../server/store/apply-stored';
import type { ErrorBody } from '../support/api-client';
import { CollabClient, destroyAllCollabClients } from '../support/collab-client';
import { engineDatabaseUrl } from '../support/engine';
import { Team, type Person } from '../support/people';
import { TestServer, readMetric, stopAllServers } from '../support/server';
import { waitFor } from '../support/wait';
import { withServerDatabase } from './support/database';

let server: TestServer;
let olga: Person;

beforeAll(async () => {
  // Compaction after 3 stored updates, at once: one case has a compaction of its own.
  server = await TestServer.start({ env: { COLLAB_CATCH_UP_POLL_MS: '0', COLLAB_COMPACT_AFTER_UPDATES: '3', COLLAB_COMPACT_QUIET_MS: '0' } });
  olga = await new Team(server).signUp('Olga');
});

afterAll(async () => {
  destroyAllCollabClients();
  await stopAllServers();
});

async function reads(): Promise<Record<string, number>> {
  const res = await fetch(`${server.url}/api/metrics`);
  expect(res.status).toBe(200);
  const text = await res.text();
  const sources = ['memory', 'memory_checked', 'store_not_loaded', 'store_behind', 'store_snapshot_changed'];
  return Object.fromEntries(sources.map((source) => [source, readMetric(text, 'journeyhub_document_reads_total', { source })]));
}

const since = (before: Record<string, number>, after: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(after).map(([source, n]) => [source, n - (before[source] ?? 0)]));

/** The map's socket on the process that answers HTTP, synced. */
async function openHere(person: Person, mapId: string): Promise<CollabClient> {
  const { token } = await person.collabToken(mapId);
  const client = CollabClient.connect(server.ownCollabUrl, roomName(mapId, 'map'), token);
  await client.whenSynced();
  return client;
}

const seqsOf = (room: string): Promise<number[]> =>
  withServerDatabase(server.dataDir, async (db) => (await db.all<{ seq: number }>('SELECT seq FROM doc_updates WHERE room = ? ORDER BY seq', [room])).map((r) => r.seq));

async function annotations(mapId: string): Promise<number> {
  return (await olga.api.get(`/api/maps/${mapId}/annotations`)).status;
}

describe('reading a map as stored, from the room in memory when it is exactly that', () => {
  it('a map nobody has open comes from the store; once it is open, from memory, and the answers are the same', async () => {
    const map = await olga.createMap('Read from memory', 'demo');
    const before = await reads();
    const closed = await olga.api.get(`/api/maps/${map.id}/annotations`);
    expect(closed.status, closed.text).toBe(200);
    const afterClosed = await reads();
    expect(since(before, afterClosed)).toMatchObject({ memory: 0, store_not_loaded: 2 });

    const client = await openHere(olga, map.id);
    const open = await olga.api.get(`/api/maps/${map.id}/annotations`);
    expect(open.status, open.text).toBe(200);
    expect(open.body).toEqual(closed.body);
    // The map from memory; the discussion, which nobody opened, from the store.
    expect(since(afterClosed, await reads())).toMatchObject({ memory: 1, store_not_loaded: 1 });
    client.destroy();
  });

  it('an edit another writer stored that the open room never saw is in the answer (read from the store)', async () => {
    const map = await olga.createMap('Stored behind the room', 'demo');
    const saved = await olga.api.post<{ id: string }>(`/api/maps/${map.id}/versions`, { name: 'Before the script' });
    expect(saved.status, saved.text).toBe(201);
    const client = await openHere(olga, map.id);

    const url = engineDatabaseUrl(server.dataDir);
    const stores = await openStores(url ? { engine: 'postgres', url } : { engine: 'sqlite' }, server.dataDir);
    try {
      const room = roomName(map.id, 'map');
      const scratch = loadStoredDoc(await stores.store.load(room));
      const stateVector = Y.encodeStateVector(scratch);
      updateTouchpoint(scratch, 'tp-ivr', { label: 'Stored by a script' }, { userId: 'script', kind: 'system' });
      await stores.store.append([{ room, update: Y.encodeStateAsUpdate(scratch, stateVector) }]);
      scratch.destroy();
    } finally {
      await stores.close();
    }

    const before = await reads();
    const version = await olga.api.get<{ changes: MapChange[] }>(`/api/maps/${map.id}/versions/${saved.body.id}`);
    expect(version.status, version.text).toBe(200);
    expect(version.body.changes.map((c) => c.id)).toEqual(['tp:tp-ivr:label']);
    expect(since(before, await reads())).toMatchObject({ memory: 0, store_behind: 1 });
    client.destroy();
  });

  it('a snapshot broken behind the server’s back still makes the map damaged, though the room in memory is whole', async () => {
    const map: MapSummary = await olga.createMap('Broken behind the room', 'demo');
    const client = await openHere(olga, map.id);
    expect(await annotations(map.id)).toBe(200);
    const changed = await withServerDatabase(server.dataDir, (db) => db.run('UPDATE doc_snapshots SET state = ? WHERE room = ?', [Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x07, 0x01]), roomName(map.id, 'map')]));
    expect(changed).toBe(1);

    const before = await reads();
    const answer = await olga.api.get<ErrorBody>(`/api/maps/${map.id}/annotations`);
    expect(answer.status, answer.text).toBe(409);
    expect(answer.body.error).toMatch(/damaged.*restore/i);
    expect(since(before, await reads())).toMatchObject({ memory: 0, store_snapshot_changed: 1 });
    const page = await olga.session.get(`/maps/${map.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-testid="damaged-map"');
    client.destroy();
  });

  it('after the room is compacted here, the snapshot it wrote is its own: reads still come from memory', async () => {
    const map = await olga.createMap('Compacted here', 'demo');
    const client = await openHere(olga, map.id);
    const room = roomName(map.id, 'map');
    const snapshotSeq = () => withServerDatabase(server.dataDir, async (db) => (await db.get<{ seq: number }>('SELECT seq FROM doc_snapshots WHERE room = ?', [room]))?.seq ?? 0);
    const first = await snapshotSeq();
    for (const label of ['One', 'Two', 'Three', 'Four']) updateTouchpoint(client.doc, 'tp-ivr', { label }, { userId: olga.email, kind: 'local' });
    await waitFor(async () => (await snapshotSeq()) > first, { message: 'the compaction of the room' });

    const before = await reads();
    expect(await annotations(map.id)).toBe(200);
    // No check of the snapshot needed: the digest is the one the compaction wrote.
    expect(since(before, await reads())).toMatchObject({ memory: 1, memory_checked: 0, store_snapshot_changed: 0 });
    client.destroy();
  });

  it('after another writer compacts the room, the snapshot it wrote is checked once against the room, and reads come from memory again', async () => {
    const map = await olga.createMap('Compacted elsewhere', 'demo');
    const client = await openHere(olga, map.id);
    const room = roomName(map.id, 'map');
    updateTouchpoint(client.doc, 'tp-ivr', { label: 'Edited before the compaction' }, { userId: olga.email, kind: 'local' });
    await waitFor(async () => (await seqsOf(room)).length > 0, { message: 'the edit stored' });

    // Another process folds the log into a snapshot of its own: the same content, other bytes than the room loaded.
    const url = engineDatabaseUrl(server.dataDir);
    const stores = await openStores(url ? { engine: 'postgres', url } : { engine: 'sqlite' }, server.dataDir);
    try {
      const stored = await stores.store.load(room);
      const whole = loadStoredDoc(stored);
      await stores.store.compact(room, Y.encodeStateAsUpdate(whole), stored.lastSeq);
      whole.destroy();
    } finally {
      await stores.close();
    }

    const before = await reads();
    expect(await annotations(map.id)).toBe(200);
    expect(await annotations(map.id)).toBe(200);
    // The first read checks the new snapshot against the room; the next one has its digest.
    expect(since(before, await reads())).toMatchObject({ memory_checked: 1, memory: 1, store_snapshot_changed: 0 });
    client.destroy();
  });
});
