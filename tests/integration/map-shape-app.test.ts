/**
 * A map whose stored log holds an update that cannot be replayed (stored
 * before the shape guard) still answers through the API: the list, its
 * annotations and a saved version load the rest (server/store/apply-stored.ts).
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { roomName } from '../../lib/journey/rooms';
import type { MapSummary } from '../../server/services/maps';
import { SQLITE_FILE } from '../../server/db/sqlite';
import { AppServer, stopAllAppServers } from '../support/app-server';
import { Team, type Person } from '../support/people';

let server: AppServer;
let olga: Person;
let map: MapSummary;

/** 8,000 nested Y.Maps, then a delete of the outermost: Yjs' recursive delete overflows the stack as the load's transaction ends. */
function poisonedUpdates(): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const root = doc.getMap<unknown>('poison');
  doc.transact(() => {
    let parent = new Y.Map<unknown>();
    root.set('nest', parent);
    for (let depth = 0; depth < 8000; depth++) {
      const child = new Y.Map<unknown>();
      parent.set('n', child);
      parent = child;
    }
  });
  // Yjs cannot make this delete locally: an update with no structs and one deleted item, encoded by hand.
  const encoder = encoding.createEncoder();
  for (const value of [0, 1, doc.clientID, 1, 0, 1]) encoding.writeVarUint(encoder, value);
  return [...updates, encoding.toUint8Array(encoder)];
}

beforeAll(async () => {
  server = await AppServer.start();
  const team = new Team(server);
  olga = await team.signUp('Olga');
  map = await olga.createMap('Poisoned long ago', 'demo');
  // WAL: the server's connection and this one write the same file safely; nobody has loaded the room yet.
  const db = new Database(path.join(server.dataDir, SQLITE_FILE));
  try {
    const insert = db.prepare<[string, Uint8Array, number]>('INSERT INTO doc_updates (room, data, created_at) VALUES (?, ?, ?)');
    for (const update of poisonedUpdates()) insert.run(roomName(map.id, 'map'), update, Date.now());
  } finally {
    db.close();
  }
});

afterAll(async () => {
  await stopAllAppServers();
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
