/**
 * A writer's updates can reach the server out of their order: after a
 * write the server could not store (1011) or a process killed under it, the
 * stock client reconnects and sends a new edit as soon as the socket opens,
 * before its SyncStep2 with the edits the server never stored. That edit
 * builds on those: refusing it (4403, "changes something the map does not
 * have") shut an honest client out, and storing it would put a hole in the
 * document that every reader gets as updates it cannot apply. The server
 * holds it until the edits before it arrive, then stores them in order; one
 * whose gap is never filled is not stored, and its socket reconnects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../lib/collab/close-codes';
import { readMap, updateTouchpoint } from '../../lib/journey/schema';
import { RawClient, destroyAllClients, joinSynced, mapRoom, tokenFor } from './support/clients';
import { TestServer, stopAllServers } from '../support/server';
import { seedWorkspace } from './support/workspace';

let server: TestServer;
let mapId: string;

beforeAll(async () => {
  const workspace = await seedWorkspace(['demo']);
  [mapId = ''] = workspace.mapIds;
  server = await TestServer.start({ web: false, dataDir: workspace.dataDir });
});

afterAll(async () => {
  destroyAllClients();
  await stopAllServers();
});

const editor = { userId: 'user-eddie', kind: 'local' as const };

async function writer(): Promise<RawClient> {
  const client = await RawClient.connect(server, mapRoom(mapId), tokenFor('editor', mapId));
  await client.sync();
  return client;
}

describe('updates of one writer that arrive out of their order', () => {
  it('an edit that arrives before the edits it builds on is held, then stored after them: nobody is refused, no reader gets a hole', async () => {
    const client = await writer();
    const first = client.craft((doc) => updateTouchpoint(doc, 'tp-ivr', { label: 'Typed first' }, editor));
    const second = client.craft((doc) => updateTouchpoint(doc, 'tp-ivr', { label: 'Typed second' }, editor));
    // The new edit first (an Update), then the reply to the server's SyncStep1 with what it lacks.
    client.sendUpdate(second);
    client.sendStep2(first);
    const watcher = await joinSynced(server, mapRoom(mapId), 'viewer', mapId);
    await watcher.until((doc) => readMap(doc).touchpoints['tp-ivr']?.label === 'Typed second');
    expect(client.close).toBeNull();
    const late = await joinSynced(server, mapRoom(mapId), 'viewer', mapId);
    expect(readMap(late.doc).touchpoints['tp-ivr']?.label).toBe('Typed second');
    expect(late.doc.store.pendingStructs).toBeNull();
    client.destroy();
  });

  it('one whose gap is never filled is not stored, and its socket is asked to reconnect', async () => {
    const client = await writer();
    client.craft((doc) => updateTouchpoint(doc, 'tp-first-bill', { label: 'Never sent' }, editor));
    const orphan = client.craft((doc) => updateTouchpoint(doc, 'tp-first-bill', { label: 'Sent alone' }, editor));
    client.sendUpdate(orphan);
    const close = await client.closed({ timeout: 25_000 });
    expect(close.code).toBe(CloseCode.RoleChanged);
    const late = await joinSynced(server, mapRoom(mapId), 'viewer', mapId);
    expect(readMap(late.doc).touchpoints['tp-first-bill']?.label).not.toBe('Sent alone');
    expect(late.doc.store.pendingStructs).toBeNull();
    expect(Y.encodeStateVector(late.doc).byteLength).toBeGreaterThan(0);
  });
});
