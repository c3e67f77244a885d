/**
 * Issue 15: when sending to a room's sockets holds the event loop
 * (COLLAB_SLOW_SEND_MS), a stored batch waits for the commit behind it and
 * both go out as one frame. Here every batch with a commit behind it is held
 * (COLLAB_SLOW_SEND_MS=0), under a writer that sends faster than the store
 * commits: each reader still gets every edit, in the order it was made, the
 * last one too (nothing behind it to wait for), and what the readers hold is
 * what the writer holds. On PostgreSQL nothing is held, and the same must hold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMap, updateTouchpoint } from '../../lib/journey/schema';
import { destroyAllClients, joinSynced, mapRoom, type CollabClient } from './support/clients';
import { TEST_ENGINE } from '../support/engine';
import { TestServer, stopAllServers } from '../support/server';
import { seedWorkspace } from './support/workspace';

const EDITS = 400;
const READERS = 6;
const EDIT_LABEL = /^Edit (\d+)$/;

let server: TestServer;
let mapId: string;
let otherMapId: string;

beforeAll(async () => {
  const workspace = await seedWorkspace(['demo', 'demo']);
  mapId = workspace.mapIds[0] ?? '';
  otherMapId = workspace.mapIds[1] ?? '';
  server = await TestServer.start({ web: false, dataDir: workspace.dataDir, env: { COLLAB_SLOW_SEND_MS: '0' } });
});

afterAll(async () => {
  destroyAllClients();
  await stopAllServers();
});

/** Every label the reader's document took on the touchpoint, in the order it saw them. */
function recordLabels(reader: CollabClient, touchpointId: string): number[] {
  const seen: number[] = [];
  reader.doc.on('afterTransaction', () => {
    const match = EDIT_LABEL.exec(readMap(reader.doc).touchpoints[touchpointId]?.label ?? '');
    const edit = match ? Number(match[1]) : 0;
    if (edit > 0 && edit !== seen[seen.length - 1]) seen.push(edit);
  });
  return seen;
}

describe('sends held for the commit behind them', () => {
  it('every reader sees every edit in order, the last one included, and ends with the writer’s map', async () => {
    const room = mapRoom(mapId);
    const writer = await joinSynced(server, room, 'editor', mapId);
    const readers = await Promise.all(Array.from({ length: READERS }, () => joinSynced(server, room, 'viewer', mapId)));
    const touchpointId = Object.keys(readMap(writer.doc).touchpoints).sort().find((id) => id !== readMap(writer.doc).meta.hubId) ?? '';
    const seen = readers.map((reader) => recordLabels(reader, touchpointId));
    const heldBefore = await server.metric('journeyhub_sends_held_total');

    // A frame per edit, one every turn of the loop: the next batch is always being committed while one is sent.
    for (let edit = 1; edit <= EDITS; edit++) {
      updateTouchpoint(writer.doc, touchpointId, { label: `Edit ${edit}` }, writer.origin);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(readers.map((reader) => reader.until((doc) => readMap(doc).touchpoints[touchpointId]?.label === `Edit ${EDITS}`)));

    // PostgreSQL's pool commits batches side by side, not one behind the other (DocStore.appendsInOrder): nothing is held there.
    if (TEST_ENGINE === 'sqlite') expect(await server.metric('journeyhub_sends_held_total')).toBeGreaterThan(heldBefore);
    for (const labels of seen) {
      // In order: a label never goes back to an earlier edit (frames merge several edits, so some are skipped).
      expect(labels.every((edit, i) => i === 0 || edit > (labels[i - 1] ?? 0)), labels.join(' ')).toBe(true);
      expect(labels[labels.length - 1]).toBe(EDITS);
    }
    for (const reader of readers) expect(readMap(reader.doc)).toEqual(readMap(writer.doc));
  }, 60_000);

  it('a held batch of a room that gets nothing more goes out with the next batch, whichever room that is', async () => {
    const writer = await joinSynced(server, mapRoom(mapId), 'editor', mapId);
    const reader = await joinSynced(server, mapRoom(mapId), 'viewer', mapId);
    const otherWriter = await joinSynced(server, mapRoom(otherMapId), 'editor', otherMapId);
    const firstId = (client: CollabClient): string => Object.keys(readMap(client.doc).touchpoints).sort()[0] ?? '';
    for (let round = 1; round <= 5; round++) {
      // One edit of this map, then only the other map's: its batch is held for theirs.
      updateTouchpoint(writer.doc, firstId(writer), { label: `Round ${round}` }, writer.origin);
      for (let other = 0; other < 30; other++) {
        await new Promise((resolve) => setImmediate(resolve));
        updateTouchpoint(otherWriter.doc, firstId(otherWriter), { label: `Other ${round}.${other}` }, otherWriter.origin);
      }
      await reader.until((doc) => readMap(doc).touchpoints[firstId(writer)]?.label === `Round ${round}`, undefined, 5_000);
    }
  }, 60_000);
});
