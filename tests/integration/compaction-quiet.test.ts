/**
 * Issue 15: compaction encodes the whole document on the event loop, tens of
 * milliseconds on a large map. Past the threshold it waits for the room to go
 * quiet (COLLAB_COMPACT_QUIET_MS) rather than land in the middle of a burst of
 * edits; a log four times past the threshold is folded at once all the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMap, updateTouchpoint } from '../../lib/journey/schema';
import { destroyAllClients, joinSynced, mapRoom, type CollabClient } from './support/clients';
import { TestServer, stopAllServers } from '../support/server';
import { waitFor } from '../support/wait';
import { roomStorage, seedWorkspace } from './support/workspace';

const AFTER_UPDATES = 20;
const QUIET_MS = 1500;

let server: TestServer;
let mapIds: string[];

beforeAll(async () => {
  const workspace = await seedWorkspace(['demo', 'demo']);
  mapIds = workspace.mapIds;
  server = await TestServer.start({
    web: false,
    dataDir: workspace.dataDir,
    env: { COLLAB_COMPACT_AFTER_UPDATES: String(AFTER_UPDATES), COLLAB_COMPACT_QUIET_MS: String(QUIET_MS) },
  });
});

afterAll(async () => {
  destroyAllClients();
  await stopAllServers();
});

/** One edit every `everyMs`, each waited for until the other client has it (so it is stored). */
async function edit(a: CollabClient, b: CollabClient, count: number, everyMs: number, from = 0): Promise<void> {
  const id = Object.keys(readMap(a.doc).touchpoints).sort()[0] ?? 'hub';
  for (let i = from; i < from + count; i++) {
    updateTouchpoint(a.doc, id, { x: i }, a.origin);
    await b.until((doc) => readMap(doc).touchpoints[id]?.x === i);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

describe('compaction waits for a lull', () => {
  it('a room edited without pause past the threshold keeps its log until the edits stop, then is folded with the same content', async () => {
    const room = mapRoom(mapIds[0] ?? '');
    const a = await joinSynced(server, room, 'editor', mapIds[0] ?? '');
    const b = await joinSynced(server, room, 'owner', mapIds[0] ?? '');
    await edit(a, b, 2 * AFTER_UPDATES, 50);
    const during = await roomStorage(server.dataDir, room);
    expect(during.logRows).toBeGreaterThanOrEqual(2 * AFTER_UPDATES);
    expect(during.snapshotSeq ?? 0).toBe(0);

    await waitFor(async () => ((await roomStorage(server.dataDir, room)).snapshotSeq ?? 0) > 0, { timeout: QUIET_MS + 10_000, message: 'the log to be folded once the edits stopped' });
    expect((await roomStorage(server.dataDir, room)).logRows).toBe(0);
    const before = readMap(b.doc);
    destroyAllClients();
    const fresh = await joinSynced(server, room, 'viewer', mapIds[0] ?? '');
    expect(readMap(fresh.doc)).toEqual(before);
  }, 60_000);

  it('a log four times past the threshold is folded without waiting for the edits to stop', async () => {
    const room = mapRoom(mapIds[1] ?? '');
    const a = await joinSynced(server, room, 'editor', mapIds[1] ?? '');
    const b = await joinSynced(server, room, 'owner', mapIds[1] ?? '');
    // Never a pause near QUIET_MS: only the log's length can have made the fold.
    await edit(a, b, 4 * AFTER_UPDATES + 40, 20);
    expect((await roomStorage(server.dataDir, room)).snapshotSeq ?? 0).toBeGreaterThan(0);
  }, 60_000);
});
