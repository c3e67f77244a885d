/**
 * DESIGN.md, "Schema v2": a map document stored by a v1 server (the fixtures
 * in tests/fixtures were written by the v1 code: a snapshot of the demo map
 * and two later edits in the log) opens unchanged in every respect but
 * `schemaVersion`, which the server writes as 2 in an update of its own, once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMap } from '../../lib/journey/schema';
import { destroyAllClients, joinSynced, mapRoom } from './support/clients';
import { TestServer, stopAllServers } from '../support/server';
import { withServerDatabase } from './support/database';
import { roomStorage, seedWorkspace } from './support/workspace';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');
const v1Snapshot = new Uint8Array(fs.readFileSync(path.join(FIXTURES, 'v1-demo-map.snapshot.bin')));
const v1Log = (JSON.parse(fs.readFileSync(path.join(FIXTURES, 'v1-demo-map.log.json'), 'utf8')) as string[]).map((b64) => new Uint8Array(Buffer.from(b64, 'base64')));
const v1Json = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'v1-demo-map.expected.json'), 'utf8')) as { meta: Record<string, unknown> } & Record<string, unknown>;

let server: TestServer;
let mapId: string;

beforeAll(async () => {
  const workspace = await seedWorkspace(['demo']);
  mapId = workspace.mapIds[0] ?? '';
  // The map's stored document becomes the v1 one, as a v1 server left it.
  await withServerDatabase(workspace.dataDir, async (db) => {
    await db.run('UPDATE doc_snapshots SET state = ? WHERE room = ?', [v1Snapshot, mapRoom(mapId)]);
    for (const update of v1Log) await db.run('INSERT INTO doc_updates (room, data, created_at) VALUES (?, ?, ?)', [mapRoom(mapId), update, Date.now()]);
  });
  server = await TestServer.start({ web: false, dataDir: workspace.dataDir });
});

afterAll(async () => {
  destroyAllClients();
  await stopAllServers();
});

describe('a map stored by a v1 server', () => {
  it('opens with every field as it was, schemaVersion 2, and the v2 fields read as their defaults', async () => {
    const logBefore = (await roomStorage(server.dataDir, mapRoom(mapId))).logRows;
    const client = await joinSynced(server, mapRoom(mapId), 'viewer', mapId);
    await client.until((doc) => doc.getMap('meta').get('schemaVersion') === 2);
    const doc = client.doc;
    const json = { meta: doc.getMap('meta').toJSON(), stages: doc.getArray('stages').toJSON(), touchpoints: doc.getMap('touchpoints').toJSON(), connections: doc.getMap('connections').toJSON() };
    expect(json).toEqual({ ...v1Json, meta: { ...v1Json.meta, schemaVersion: 2 } });
    const map = readMap(client.doc);
    expect(map.touchpoints['tp-v1-added']).toMatchObject({ label: 'Added on v1', owner: 'Billing', contactVolume: 42, externalKey: null });
    expect(map.touchpoints['tp-ivr']?.label).toBe('IVR menu (v1 edit)');
    expect(map.actions).toEqual({});
    expect(map.meta).toMatchObject({ reviewedAt: null, reviewedBy: null });
    // The upgrade is one update of the server's, stored like any other.
    expect((await roomStorage(server.dataDir, mapRoom(mapId))).logRows).toBe(logBefore + 1);
  });

  it('is upgraded once: after a restart it loads as v2 and nothing more is written', async () => {
    destroyAllClients();
    await server.stop();
    server = await server.restart();
    const logBefore = (await roomStorage(server.dataDir, mapRoom(mapId))).logRows;
    const client = await joinSynced(server, mapRoom(mapId), 'editor', mapId);
    expect(client.doc.getMap('meta').get('schemaVersion')).toBe(2);
    expect(readMap(client.doc).touchpoints['tp-v1-added']?.label).toBe('Added on v1');
    expect((await roomStorage(server.dataDir, mapRoom(mapId))).logRows).toBe(logBefore);
  });
});
