/**
 * Memory over time (docs/collaboration.md, "Memory"): a room stays loaded
 * while it has sockets and COLLAB_IDLE_MS after the last one leaves; sockets
 * that come and go leave nothing behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { readMap, updateTouchpoint } from '../../lib/journey/schema';
import { RawClient, CollabClient, destroyAllClients, discussionRoom, joinSynced, mapRoom, tokenFor } from './support/clients';
import { TestServer, stopAllServers } from '../support/server';
import { waitFor } from '../support/wait';
import { withServerDatabase } from './support/database';
import { seedWorkspace, type UserKey } from './support/workspace';

const IDLE_MS = 200;

let server: TestServer;
let mapId: string;

beforeAll(async () => {
  const workspace = await seedWorkspace(['demo']);
  mapId = workspace.mapIds[0] ?? '';
  // What one process holds in memory: one process also in the postgres+redis run.
  server = await TestServer.start({ web: false, dataDir: workspace.dataDir, env: { COLLAB_IDLE_MS: String(IDLE_MS) }, alone: true });
});

afterAll(async () => {
  destroyAllClients();
  await stopAllServers();
});

async function healthReaches(expected: { docsLoaded: number; connections: number }, timeout = 10_000): Promise<void> {
  let last: unknown = null;
  await waitFor(
    async () => {
      const health = await server.health();
      last = health;
      return health.docsLoaded === expected.docsLoaded && health.connections === expected.connections;
    },
    { timeout, message: `/api/health to report ${JSON.stringify(expected)} (last: ${JSON.stringify(last)})` },
  );
}

describe(`Memory: an idle document leaves memory (COLLAB_IDLE_MS=${IDLE_MS})`, () => {
  it('after every client has left, docsLoaded and connections go back to 0, and the map loads again whole from the store', async () => {
    await healthReaches({ docsLoaded: 0, connections: 0 });
    const a = await joinSynced(server, mapRoom(mapId), 'editor', mapId);
    const b = await joinSynced(server, mapRoom(mapId), 'owner', mapId);
    const c = await joinSynced(server, discussionRoom(mapId), 'commenter', mapId);
    expect(await server.health()).toMatchObject({ docsLoaded: 2, connections: 3 });
    updateTouchpoint(a.doc, 'tp-home-wifi', { label: 'Home Wi-Fi (mesh)' }, a.origin);
    await b.until((doc) => readMap(doc).touchpoints['tp-home-wifi']?.label === 'Home Wi-Fi (mesh)');
    const seen = readMap(b.doc);
    a.destroy();
    b.destroy();
    c.destroy();
    await healthReaches({ docsLoaded: 0, connections: 0 });
    expect(await server.metric('journeyhub_docs_loaded')).toBe(0);

    const again = await joinSynced(server, mapRoom(mapId), 'viewer', mapId);
    expect(readMap(again.doc)).toEqual(seen);
    expect(await server.health()).toMatchObject({ docsLoaded: 1, connections: 1 });
    again.destroy();
    await healthReaches({ docsLoaded: 0, connections: 0 });
  });
});

describe('Memory: 1,000 connect/disconnect cycles leave no growth', () => {
  /** One short-lived raw client: token, SyncStep1 (and some presence), the SyncStep2 reply, then it closes. */
  async function cycle(index: number): Promise<void> {
    const who: UserKey = (['editor', 'viewer', 'commenter', 'owner'] as const)[index % 4] ?? 'viewer';
    // Most on the map that stays loaded; some on the discussion, which loads and unloads.
    const room = index % 5 === 0 ? discussionRoom(mapId) : mapRoom(mapId);
    const raw = await RawClient.connect(server, room, tokenFor(who, mapId), { track: false });
    // Every fourth one shows its presence too, which the server must drop when it leaves.
    if (index % 4 === 0) {
      const presence = new awarenessProtocol.Awareness(new Y.Doc());
      presence.setLocalState({ cursor: { x: index, y: index } });
      presence.setLocalStateField('cursor', { x: index + 1, y: index });
      raw.sendAwareness(awarenessProtocol.encodeAwarenessUpdate(presence, [presence.clientID]));
      presence.destroy();
      presence.doc.destroy();
    }
    await raw.sync();
    raw.socket.close(1000, 'done');
    const close = await raw.closed();
    expect(close.code).toBe(1000);
    raw.destroy();
  }

  async function cycles(count: number, concurrency: number): Promise<void> {
    for (let start = 0; start < count; start += concurrency) {
      await Promise.all(Array.from({ length: Math.min(concurrency, count - start) }, (_, i) => cycle(start + i)));
    }
  }

  it('docsLoaded, connections and presence return to their baseline, and RSS stays within 50 MB of where it was', async () => {
    // The baseline: one client that stays, so that the map stays loaded.
    const stays = await joinSynced(server, mapRoom(mapId), 'owner', mapId);
    stays.provider.awareness.setLocalStateField('cursor', { x: 0, y: 0 });
    await cycles(100, 50);
    await healthReaches({ docsLoaded: 1, connections: 1 });
    const rssBefore = await server.metric('journeyhub_process_resident_memory_bytes');
    expect(rssBefore).toBeGreaterThan(0);

    await cycles(1000, 50);

    await healthReaches({ docsLoaded: 1, connections: 1 });
    // Every short-lived client's presence went with it.
    await waitFor(() => stays.provider.awareness.getStates().size === 1, { message: 'only the staying client to be present' });
    const rssAfter = await server.metric('journeyhub_process_resident_memory_bytes');
    expect(rssAfter - rssBefore, `RSS grew from ${rssBefore} to ${rssAfter} bytes`).toBeLessThan(50 * 1024 * 1024);
    expect(stays.closes).toEqual([]);
    expect(await server.metric('journeyhub_connections')).toBe(1);

    // The staying client is still served.
    const writer = await joinSynced(server, mapRoom(mapId), 'editor', mapId);
    updateTouchpoint(writer.doc, 'tp-ivr', { emotion: 2 }, writer.origin);
    await stays.until((doc) => readMap(doc).touchpoints['tp-ivr']?.emotion === 2);
    writer.destroy();
    stays.destroy();
    await healthReaches({ docsLoaded: 0, connections: 0 });
  });
});

describe('First start (SEED_DEMO=on): the quick start ends in a usable map', () => {
  it('an empty DATA_DIR gets the demo map once, with its actions and twelve months of figures, owned by the demo user, and served whole to them', async () => {
    const first = await TestServer.start({ web: false, env: { SEED_DEMO: 'on' } });
    const line = await first.waitForLog((l) => l.msg === 'first start: created the demo map');
    const demoMapId = String(line.mapId);
    const owner = await withServerDatabase(first.dataDir, (db) =>
      db.get<{ id: string; name: string; role: string }>('SELECT u.id, u.name, m.role FROM users u JOIN map_members m ON m.user_id = u.id WHERE m.map_id = ?', [demoMapId]),
    );
    expect(owner?.role).toBe('owner');
    if (!owner) throw new Error('the demo map has no owner');
    const demoUser = { id: owner.id, name: owner.name, role: 'owner' as const };
    const client = await new CollabClient(first.collabUrl, mapRoom(demoMapId), demoUser, tokenFor(demoUser, demoMapId)).whenSynced();
    const map = readMap(client.doc);
    expect(map.meta.title).toBe('Switching to FiberNet broadband');
    expect(Object.keys(map.touchpoints).length).toBeGreaterThanOrEqual(30);
    // Issue 13 §6: a few actions (one done, one overdue, one due later) and twelve months of figures, ending this month.
    const statuses = Object.values(map.actions).map((action) => action.status).sort();
    expect(statuses).toEqual(['doing', 'done', 'proposed']);
    expect(typeof map.meta.figuresAt).toBe('number');
    const touchpoints = Object.values(map.touchpoints).filter((touchpoint) => touchpoint.kind === 'touchpoint').length;
    const figures = () =>
      withServerDatabase(first.dataDir, (db) =>
        db.get<{ rows: number; months: number; latest: string; updated: number }>(
          'SELECT count(*) AS rows, count(DISTINCT period) AS months, max(period) AS latest, max(updated_at) AS updated FROM measurements WHERE map_id = ?',
          [demoMapId],
        ),
      );
    const seeded = await figures();
    expect(seeded).toMatchObject({ rows: 12 * touchpoints, months: 12, latest: new Date().toISOString().slice(0, 7) });
    client.destroy();
    await first.stop();

    const second = await first.restart();
    expect(second.logs.some((l) => l.msg === 'first start: created the demo map')).toBe(false);
    expect((await withServerDatabase(second.dataDir, (db) => db.get<{ n: number }>('SELECT count(*) AS n FROM maps')))?.n).toBe(1);
    // Nothing seeded again: the same rows, written at the first start only; the same three actions.
    expect(await figures()).toEqual(seeded);
    const again = await new CollabClient(second.collabUrl, mapRoom(demoMapId), demoUser, tokenFor(demoUser, demoMapId)).whenSynced();
    expect(readMap(again.doc).actions).toEqual(map.actions);
    again.destroy();
    await second.stop();
  });
});
