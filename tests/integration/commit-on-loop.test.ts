/**
 * Issue 15: in a quiet room an edit's commit runs on the event loop itself
 * (SQLite, nothing under way on the writer thread, sends quick): no hop to
 * the thread and back before anyone sees it. It is the same commit
 * (synchronous=FULL), so what a reader saw survives a kill -9. On
 * PostgreSQL every append goes through the pool, and the count stays 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMap, updateTouchpoint } from '../../lib/journey/schema';
import { TEST_ENGINE } from '../support/engine';
import { TestServer, stopAllServers } from '../support/server';
import { destroyAllClients, joinSynced, mapRoom } from './support/clients';
import { seedWorkspace } from './support/workspace';

const EDITS = 20;

let server: TestServer;
let mapId: string;

beforeAll(async () => {
  const workspace = await seedWorkspace(['demo']);
  mapId = workspace.mapIds[0] ?? '';
  // A commit of 10 ms (the default) on a loaded CI machine would hand the rest to the thread for 10 s: that pause has its own test.
  server = await TestServer.start({ web: false, dataDir: workspace.dataDir, env: { COLLAB_SLOW_COMMIT_MS: '5000' } });
});

afterAll(async () => {
  destroyAllClients();
  await stopAllServers();
});

describe('a commit on the event loop in a quiet room', () => {
  it('stores each edit before the reader sees it, and a kill -9 keeps what the reader saw', async () => {
    const room = mapRoom(mapId);
    const writer = await joinSynced(server, room, 'editor', mapId);
    const reader = await joinSynced(server, room, 'viewer', mapId);
    const touchpointId = Object.keys(readMap(writer.doc).touchpoints).sort().find((id) => id !== readMap(writer.doc).meta.hubId) ?? '';
    const before = await server.metric('journeyhub_store_appends_on_loop_total');

    // One edit at a time, each seen before the next: a quiet room.
    for (let edit = 1; edit <= EDITS; edit++) {
      updateTouchpoint(writer.doc, touchpointId, { label: `Quiet edit ${edit}` }, writer.origin);
      await reader.until((doc) => readMap(doc).touchpoints[touchpointId]?.label === `Quiet edit ${edit}`);
    }
    const onLoop = (await server.metric('journeyhub_store_appends_on_loop_total')) - before;
    if (TEST_ENGINE === 'sqlite') expect(onLoop).toBeGreaterThanOrEqual(EDITS / 2);
    else expect(onLoop).toBe(0);

    server.kill9();
    await server.exited;
    destroyAllClients();
    server = await server.restart();
    const fresh = await joinSynced(server, room, 'viewer', mapId);
    expect(readMap(fresh.doc).touchpoints[touchpointId]?.label).toBe(`Quiet edit ${EDITS}`);
  }, 60_000);
});
