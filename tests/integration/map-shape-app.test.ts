/**
 * A map whose stored log holds an update that cannot be replayed (stored
 * before the shape guard) still answers through the API: the list, its
 * annotations and a saved version load the rest (server/store/apply-stored.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomName } from '../../lib/journey/rooms';
import type { MapSummary } from '../../server/services/maps';
import { TestServer, stopAllServers } from '../support/server';
import { Team, type Person } from '../support/people';
import { poisonedUpdates } from './support/poisoned-updates';
import { withServerDatabase } from './support/database';

let server: TestServer;
let olga: Person;
let map: MapSummary;


beforeAll(async () => {
  server = await TestServer.start();
  const team = new Team(server);
  olga = await team.signUp('Olga');
  map = await olga.createMap('Poisoned long ago', 'demo');
  // WAL: the server's connection and this one write the same file safely; nobody has loaded the room yet.
  await withServerDatabase(server.dataDir, async (db) => {
    for (const update of poisonedUpdates('poison')) await db.run('INSERT INTO doc_updates (room, data, created_at) VALUES (?, ?, ?)', [roomName(map.id, 'map'), update, Date.now()]);
  });
});

afterAll(async () => {
  await stopAllServers();
});

describe('One bad stored update never fails the API', () => {
  it('GET /api/maps, the annotations and saving a version answer, with the map as it was', async () => {
    const list = await olga.api.get<{ maps: MapSummary[] }>('/api/maps');
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).toContain('Poisoned long ago');
    const annotations = await olga.api.get(`/api/maps/${map.id}/annotations`);
    expect(annotations.status).toBe(200);
    const version = await olga.api.post(`/api/maps/${map.id}/versions`, { name: 'After the poison' });
    expect(version.status).toBe(201);
  });
});
