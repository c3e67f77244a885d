/**
 * Issue 15: a workshop copy's diff, the master's list of copies and a merge
 * read the master and the copy as stored, each document loaded once (they
 * loaded both documents of each map, encoded them and decoded the maps again:
 * on a 2,000-touchpoint map that held the event loop for every participant
 * opening the copy's page). Stored is exact, whatever the rooms in memory
 * hold: here an operator's script stores an edit straight to the database in
 * each map, telling no process, and the server does not poll; the open rooms
 * lack those edits, and the diff, the list and the merge have them. (Reading
 * the rooms in memory instead would skip the damage check of the stored
 * state, which these answers make: damaged-maps.test.ts.) On SQLite and on
 * PostgreSQL + Redis.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EditOrigin } from '../../lib/journey/origin';
import { roomName } from '../../lib/journey/rooms';
import { readMap, updateTouchpoint } from '../../lib/journey/schema';
import type { JourneyMap } from '../../lib/journey/types';
import { openStores } from '../../server/db/open-stores';
import type { MapSummary } from '../../server/services/maps';
import type { WorkshopDiff, WorkshopSummary } from '../../server/services/workshops';
import { loadStoredDoc } from '../../server/store/apply-stored';
import type { DocStore } from '../../server/store/doc-store';
import { engineDatabaseUrl } from '../support/engine';
import { destroyAllCollabClients, type CollabClient } from '../support/collab-client';
import { Team, type Person } from '../support/people';
import { TestServer, stopAllServers } from '../support/server';

let server: TestServer;
let olga: Person;
let eddie: Person;

beforeAll(async () => {
  // No poll of the store for what another writer stored: only a publish would tell the rooms, and the script publishes nothing.
  server = await TestServer.start({ env: { COLLAB_CATCH_UP_POLL_MS: '0' } });
  const team = new Team(server);
  [olga, eddie] = await Promise.all([team.signUp('Olga'), team.signUp('Eddie')]);
});

afterAll(async () => {
  destroyAllCollabClients();
  await stopAllServers();
});

const origin = (person: Person): EditOrigin => ({ userId: person.email, kind: 'local' });
const labelOf = (map: JourneyMap, id: string): string | undefined => map.touchpoints[id]?.label;
const open = (person: Person, mapId: string): Promise<CollabClient> => person.open(roomName(mapId, 'map'));
const listed = (diff: WorkshopDiff): Array<[string, string]> => diff.changes.map((c): [string, string] => [c.id, c.side]).sort(([a], [b]) => a.localeCompare(b));

/** What an operator's script does: load the map from the store, change one label, append the update. Nothing is published. */
async function storeBehindTheServer(store: DocStore, mapId: string, touchpointId: string, label: string): Promise<void> {
  const room = roomName(mapId, 'map');
  const scratch = loadStoredDoc(await store.load(room));
  const before = Y.encodeStateVector(scratch);
  updateTouchpoint(scratch, touchpointId, { label }, { userId: 'script', kind: 'system' });
  await store.append([{ room, update: Y.encodeStateAsUpdate(scratch, before) }]);
  scratch.destroy();
}

describe('a workshop read while its rooms are open', () => {
  it('the diff, the list of copies and a merge hold the live edits and the edits another writer stored that the open rooms never saw', async () => {
    const master = await olga.createMap('Master read from memory', 'demo');
    await olga.invite(master.id, eddie.email, 'editor');
    expect((await olga.api.post(`/api/maps/${master.id}/master`, { master: true })).status).toBe(200);
    const started = await eddie.api.post<MapSummary>(`/api/maps/${master.id}/workshops`, { title: 'Workshop read from memory' });
    expect(started.status, started.text).toBe(201);
    const copy = started.body;

    // Both rooms open and edited live; a second socket on each has the edit once it is stored.
    const [onMaster, masterWatcher, onCopy, copyWatcher] = await Promise.all([open(olga, master.id), open(eddie, master.id), open(eddie, copy.id), open(olga, copy.id)]);
    updateTouchpoint(onMaster.doc, 'tp-sales-chat', { label: 'Master, live' }, origin(olga));
    updateTouchpoint(onCopy.doc, 'tp-first-bill', { label: 'Copy, live' }, origin(eddie));
    await Promise.all([
      masterWatcher.until((doc) => labelOf(readMap(doc), 'tp-sales-chat') === 'Master, live', "the master's live edit"),
      copyWatcher.until((doc) => labelOf(readMap(doc), 'tp-first-bill') === 'Copy, live', "the copy's live edit"),
    ]);

    const url = engineDatabaseUrl(server.dataDir);
    const stores = await openStores(url ? { engine: 'postgres', url } : { engine: 'sqlite' }, server.dataDir);
    try {
      const { store } = stores;
      await storeBehindTheServer(store, master.id, 'tp-ivr', 'Master, stored by a script');
      await storeBehindTheServer(store, copy.id, 'tp-setup-guide', 'Copy, stored by a script');
      // The rooms never hear of them.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(labelOf(readMap(masterWatcher.doc), 'tp-ivr')).not.toBe('Master, stored by a script');
      expect(labelOf(readMap(copyWatcher.doc), 'tp-setup-guide')).not.toBe('Copy, stored by a script');

      const diff = await eddie.api.get<WorkshopDiff>(`/api/maps/${copy.id}/diff`);
      expect(diff.status, diff.text).toBe(200);
      expect(listed(diff.body)).toEqual([
        ['tp:tp-first-bill:label', 'copy'],
        ['tp:tp-ivr:label', 'master'],
        ['tp:tp-sales-chat:label', 'master'],
        ['tp:tp-setup-guide:label', 'copy'],
      ]);
      expect(labelOf(diff.body.master, 'tp-ivr')).toBe('Master, stored by a script');
      expect(labelOf(diff.body.copy, 'tp-setup-guide')).toBe('Copy, stored by a script');

      const list = await olga.api.get<{ workshops: WorkshopSummary[] }>(`/api/maps/${master.id}/workshops`);
      expect(list.status, list.text).toBe(200);
      expect(list.body.workshops).toMatchObject([{ id: copy.id, copyChanges: 2, masterChanges: 2, conflicts: 0 }]);

      const merged = await eddie.api.post(`/api/maps/${copy.id}/merge`, { changes: ['tp:tp-first-bill:label', 'tp:tp-setup-guide:label'] });
      expect(merged.status, merged.text).toBe(200);
      expect(merged.body).toEqual({ masterId: master.id, applied: 2 });
      const stored = loadStoredDoc(await store.load(roomName(master.id, 'map')));
      const now = readMap(stored);
      stored.destroy();
      expect([labelOf(now, 'tp-first-bill'), labelOf(now, 'tp-setup-guide'), labelOf(now, 'tp-ivr'), labelOf(now, 'tp-sales-chat')]).toEqual([
        'Copy, live',
        'Copy, stored by a script',
        'Master, stored by a script',
        'Master, live',
      ]);
    } finally {
      await stores.close();
    }
  }, 60_000);
});
