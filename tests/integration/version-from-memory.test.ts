/**
 * Issue 15: the version kept when a map's last editor leaves (or saved by
 * hand) is encoded from the room this process holds, not read back from the
 * store (on a 2,000-touchpoint map that read held the event loop ~150 ms),
 * but only while the room holds everything stored. Here another writer (an
 * operator's script) stores an edit straight to the database, telling no
 * process, and the server never polls the store: the room lacks it, and the
 * version still has it. On SQLite and on PostgreSQL + Redis.
 */
import * as Y from 'yjs';
import { afterAll, describe, expect, it } from 'vitest';
import { readMap, updateTouchpoint } from '../../lib/journey/schema';
import { openStores } from '../../server/db/open-stores';
import { docFromState } from '../../server/maps/doc-state';
import { loadStoredDoc } from '../../server/store/apply-stored';
import { engineDatabaseUrl } from '../support/engine';
import { TestServer, stopAllServers } from '../support/server';
import { waitFor } from '../support/wait';
import { destroyAllClients, joinSynced, mapRoom } from './support/clients';
import { seedWorkspace } from './support/workspace';

afterAll(async () => {
  destroyAllClients();
  await stopAllServers();
});

const labelOf = (doc: Y.Doc, id: string): string | undefined => readMap(doc).touchpoints[id]?.label;

describe('the version kept after an editing session', () => {
  it('holds the session’s edits and an edit another writer stored that the open room never saw', async () => {
    const { dataDir, mapIds } = await seedWorkspace(['demo']);
    const mapId = mapIds[0] ?? '';
    const room = mapRoom(mapId);
    const server = await TestServer.start({ web: false, dataDir, env: { COLLAB_CATCH_UP_POLL_MS: '0' } });
    const editor = await joinSynced(server, room, 'editor', mapId);
    const viewer = await joinSynced(server, room, 'viewer', mapId);
    updateTouchpoint(editor.doc, 'tp-first-bill', { label: 'Edited in the session' }, editor.origin);
    await viewer.until((doc) => labelOf(doc, 'tp-first-bill') === 'Edited in the session');

    const url = engineDatabaseUrl(dataDir);
    const stores = await openStores(url ? { engine: 'postgres', url } : { engine: 'sqlite' }, dataDir);
    try {
      const { store, history } = stores;
      const scratch = loadStoredDoc(await store.load(room));
      const before = Y.encodeStateVector(scratch);
      updateTouchpoint(scratch, 'tp-ivr', { label: 'Stored by another writer' }, { userId: 'script', kind: 'system' });
      await store.append([{ room, update: Y.encodeStateAsUpdate(scratch, before) }]);
      // The room never hears of it: nothing is published, and the server does not poll.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(labelOf(viewer.doc, 'tp-ivr')).not.toBe('Stored by another writer');

      editor.destroy();
      const versions = await waitFor(async () => {
        const list = await history.listVersions(mapId);
        return list.length > 0 ? list : null;
      }, { message: 'the automatic version after the editor left' });
      const kept = await history.getVersion(mapId, versions[0]?.id ?? '');
      const map = docFromState(kept?.mapState ?? new Uint8Array());
      expect(labelOf(map, 'tp-first-bill')).toBe('Edited in the session');
      expect(labelOf(map, 'tp-ivr')).toBe('Stored by another writer');
    } finally {
      await stores.close();
    }
  }, 30_000);
});
