/**
 * Sockets and presence (issue 12 §3; DESIGN.md, "Websocket protocol"): what one
 * socket may ask of the server. Per-socket budgets of messages, bytes and
 * costly replies (4429), a socket that stops reading is closed (4503), a
 * presence frame sets at most two ids of its own socket with states of a few
 * KB, and a presence id stays its user's after they leave.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import { addTouchpoint, deleteTouchpoint, readMap } from '../../lib/journey/schema';
import { CloseCode } from '../../lib/collab/close-codes';
import { MessageType, SyncType, awarenessFrame, decodeAwarenessUpdate, encodeAwarenessEntries, type AwarenessEntry } from '../../server/collab/protocol';
import { RawClient, CollabClient, destroyAllClients, joinSynced, mapRoom, tokenFor, waitForDoc } from './support/clients';
import { TestServer, stopAllServers } from '../support/server';
import { waitFor } from '../support/wait';
import { seedWorkspace } from './support/workspace';

const MAX_BUFFERED_BYTES = 1024 * 1024;
const TIGHT = { COLLAB_MESSAGE_BUDGET: '200', COLLAB_BYTE_BUDGET: '262144', MAX_MESSAGE_BYTES: '65536' };

/** The server with its default budgets (a small send buffer, so that a slow reader shows soon). */
let server: TestServer;
/** The same with small budgets, so that a test passes them with a few frames. */
let tight: TestServer;
let mapId: string;
let tightMapId: string;

beforeAll(async () => {
  const [workspace, tightWorkspace] = await Promise.all([seedWorkspace(['demo']), seedWorkspace(['demo'])]);
  mapId = workspace.mapIds[0] ?? '';
  tightMapId = tightWorkspace.mapIds[0] ?? '';
  [server, tight] = await Promise.all([
    TestServer.start({ web: false, dataDir: workspace.dataDir, env: { COLLAB_MAX_BUFFERED_BYTES: String(MAX_BUFFERED_BYTES) } }),
    TestServer.start({ web: false, dataDir: tightWorkspace.dataDir, env: TIGHT }),
  ]);
});

afterAll(async () => {
  destroyAllClients();
  await stopAllServers();
});

async function rawSynced(on: TestServer, id: string, who: 'viewer' | 'editor' | 'owner'): Promise<RawClient> {
  const client = await RawClient.connect(on, mapRoom(id), tokenFor(who, id));
  await client.sync();
  return client;
}

/** A SyncStep1 frame whose state vector names one client: the server must encode the document for it, not send a cached frame. */
function oneEntrySyncStep1(): Uint8Array {
  const sv = encoding.createEncoder();
  encoding.writeVarUint(sv, 1);
  encoding.writeVarUint(sv, 123_456);
  encoding.writeVarUint(sv, 1);
  const frame = encoding.createEncoder();
  encoding.writeVarUint(frame, MessageType.Sync);
  encoding.writeVarUint(frame, SyncType.Step1);
  encoding.writeVarUint8Array(frame, encoding.toUint8Array(sv));
  return encoding.toUint8Array(frame);
}

/** Every presence id a raw client has been sent, with the last state it saw for it. */
function presencesSeen(client: RawClient): Map<number, unknown> {
  const seen = new Map<number, unknown>();
  for (const message of client.messages) {
    if (message.type !== 'awareness') continue;
    for (const entry of decodeAwarenessUpdate(message.update)) seen.set(entry.clientId, entry.state);
  }
  return seen;
}

/** A presence the editor's stock client sets, awaited at `watcher`: whatever the server sent before is there by now. */
async function presenceBarrier(editor: CollabClient, watcher: RawClient, value: number): Promise<void> {
  editor.provider.awareness.setLocalStateField('barrier', value);
  const id = editor.doc.clientID;
  await watcher.waitUntil(() => (presencesSeen(watcher).get(id) as { barrier?: number } | null | undefined)?.barrier === value, { message: 'the barrier presence' });
}

describe('per-socket budgets (4429)', () => {
  it('forty SyncStep1 frames with a one-entry state vector close the socket long before forty answers', async () => {
    const before = await server.metric('journeyhub_refused_total', { reason: 'sync_replies' });
    const viewer = await rawSynced(server, mapId, 'viewer');
    const answersBefore = viewer.messages.filter((m) => m.type === 'sync-step2').length;
    for (let i = 0; i < 40; i++) viewer.send(oneEntrySyncStep1());
    const close = await viewer.closed();
    expect(close.code).toBe(CloseCode.TooManyRequests);
    expect(close.reason).toMatch(/sync requests/);
    const answers = viewer.messages.filter((m) => m.type === 'sync-step2').length - answersBefore;
    expect(answers).toBeLessThan(20);
    expect(await server.metric('journeyhub_refused_total', { reason: 'sync_replies' })).toBe(before + 1);
  });

  it('a flood of small frames closes the socket; the editors go on', async () => {
    const editor = await joinSynced(tight, mapRoom(tightMapId), 'editor', tightMapId);
    const owner = await joinSynced(tight, mapRoom(tightMapId), 'owner', tightMapId);
    const viewer = await rawSynced(tight, tightMapId, 'viewer');
    const empty = awarenessFrame(encodeAwarenessEntries([]));
    for (let i = 0; i < 1000; i++) viewer.send(empty);
    const close = await viewer.closed();
    expect(close.code).toBe(CloseCode.TooManyRequests);
    expect(close.reason).toMatch(/messages/);
    expect(await tight.metric('journeyhub_refused_total', { reason: 'messages' })).toBe(1);
    const id = addTouchpoint(editor.doc, { label: 'After the flood', stageId: null, x: 0, y: 0 }, editor.origin);
    await owner.until((doc) => readMap(doc).touchpoints[id] !== undefined);
    editor.destroy();
    owner.destroy();
  });

  it('a flood of bytes closes the socket', async () => {
    const viewer = await rawSynced(tight, tightMapId, 'viewer');
    // A presence update that sets nothing (count 0), followed by 60 KB the decoder never reads.
    const padded = new Uint8Array(60_000);
    const frame = awarenessFrame(padded);
    for (let i = 0; i < 10 && viewer.isOpen; i++) viewer.send(frame);
    const close = await viewer.closed();
    expect(close.code).toBe(CloseCode.TooManyRequests);
    expect(close.reason).toMatch(/bytes/);
    expect(await tight.metric('journeyhub_refused_total', { reason: 'bytes' })).toBe(1);
  });
});

describe('a socket that stops reading (4503)', () => {
  it('is closed once its send buffer passes the limit, while another floods edits', async () => {
    const slow = await rawSynced(server, mapId, 'viewer');
    const watcher = await joinSynced(server, mapRoom(mapId), 'owner', mapId);
    const flooder = await rawSynced(server, mapId, 'editor');
    slow.socket.pause();
    const before = await server.metric('journeyhub_refused_total', { reason: 'slow_reader' });
    const text = 'x'.repeat(500);
    let sent = 0;
    let lastId = '';
    // About 22 KB per edit; the kernel's socket buffers take a few MB before the server's own buffer grows.
    while (sent < 3000) {
      const id = `flood-${sent}`;
      flooder.sendUpdate(
        flooder.craft((doc) => {
          if (lastId) deleteTouchpoint(doc, lastId, { userId: 'flooder', kind: 'local' });
          addTouchpoint(doc, { id, label: 'F'.repeat(200), stageId: null, x: sent, y: 0, painPoints: Array.from({ length: 40 }, () => ({ text, severity: 1, frequency: 1 })) }, { userId: 'flooder', kind: 'local' });
        }),
      );
      lastId = id;
      sent += 1;
      if (sent % 50 === 0) {
        await waitForDoc(watcher.doc, (doc) => readMap(doc).touchpoints[id] !== undefined, { message: `edit ${sent} at the watcher` });
        if ((await server.metric('journeyhub_refused_total', { reason: 'slow_reader' })) > before) break;
      }
    }
    expect(await server.metric('journeyhub_refused_total', { reason: 'slow_reader' })).toBe(before + 1);
    slow.socket.resume();
    const close = await slow.closed({ timeout: 20_000 });
    // The close frame waits behind what the reader never took; past a grace the server cuts the socket (1006).
    expect([CloseCode.TooSlow, 1006]).toContain(close.code);
    // The server let go of it; the watcher and the flooder stay.
    const connections = async () => (await server.healthOfEach()).reduce((sum, process) => sum + process.connections, 0);
    await waitFor(async () => (await connections()) === 2, { message: 'the slow socket to leave the server' });
    flooder.destroy();
    watcher.destroy();
  }, 120_000);
});

describe('presence frames', () => {
  let editor: CollabClient;
  let watcher: RawClient;
  let barrier = 0;

  beforeAll(async () => {
    editor = await joinSynced(server, mapRoom(mapId), 'editor', mapId);
    watcher = await rawSynced(server, mapId, 'owner');
  });

  function entry(clientId: number, clock: number, state: unknown): AwarenessEntry {
    return { clientId, clock, state };
  }

  it('a 2.9 MB frame of 20,000 presences is refused whole (4403); nobody sees one of them', async () => {
    const viewer = await rawSynced(server, mapId, 'viewer');
    const entries = Array.from({ length: 20_000 }, (_, i) => entry(1_000_000 + i, 1, { cursor: { x: i, y: i }, pad: 'p'.repeat(100) }));
    const update = encodeAwarenessEntries(entries);
    expect(update.byteLength).toBeGreaterThan(2_500_000);
    viewer.sendAwareness(update);
    const close = await viewer.closed();
    expect(close.code).toBe(CloseCode.Forbidden);
    expect(close.reason).toMatch(/at most 2 presence ids/);
    await presenceBarrier(editor, watcher, ++barrier);
    const seen = presencesSeen(watcher);
    expect(entries.filter((e) => seen.has(e.clientId))).toHaveLength(0);
  });

  it('two ids of its own are fine; a third on the same socket is refused', async () => {
    const viewer = await rawSynced(server, mapId, 'viewer');
    viewer.sendAwareness(encodeAwarenessEntries([entry(2_000_001, 1, { cursor: null }), entry(2_000_002, 1, { cursor: null })]));
    await watcher.waitUntil(() => presencesSeen(watcher).has(2_000_002), { message: 'the two presences' });
    viewer.sendAwareness(encodeAwarenessEntries([entry(2_000_003, 1, { cursor: null })]));
    const close = await viewer.closed();
    expect(close.code).toBe(CloseCode.Forbidden);
    await presenceBarrier(editor, watcher, ++barrier);
    expect(presencesSeen(watcher).has(2_000_003)).toBe(false);
  });

  it('a presence state past 8 KiB is refused (4413) and reaches nobody', async () => {
    const viewer = await rawSynced(server, mapId, 'viewer');
    viewer.sendAwareness(encodeAwarenessEntries([entry(3_000_001, 1, { name: 'n'.repeat(20_000) })]));
    const close = await viewer.closed();
    expect(close.code).toBe(CloseCode.TooLarge);
    expect(close.reason).toMatch(/presence state larger than 8192 bytes/);
    await presenceBarrier(editor, watcher, ++barrier);
    expect(presencesSeen(watcher).has(3_000_001)).toBe(false);
  });

  it("a viewer cannot take over a disconnected user's presence id; that user can, when back", async () => {
    const id = 4_000_001;
    const first = await rawSynced(server, mapId, 'editor');
    first.sendAwareness(encodeAwarenessEntries([entry(id, 5, { cursor: { x: 1, y: 1 } })]));
    await watcher.waitUntil(() => presencesSeen(watcher).get(id) !== undefined && presencesSeen(watcher).get(id) !== null, { message: "the editor's presence" });
    first.destroy();
    await watcher.waitUntil(() => presencesSeen(watcher).get(id) === null, { message: "the editor's presence to go" });

    const viewer = await rawSynced(server, mapId, 'viewer');
    viewer.sendAwareness(encodeAwarenessEntries([entry(id, 6, { cursor: { x: 666, y: 666 } })]));
    const close = await viewer.closed();
    expect(close.code).toBe(CloseCode.Forbidden);
    expect(close.reason).toMatch(/only its own presence/);
    await presenceBarrier(editor, watcher, ++barrier);
    expect(presencesSeen(watcher).get(id)).toBeNull();

    const back = await rawSynced(server, mapId, 'editor');
    back.sendAwareness(encodeAwarenessEntries([entry(id, 7, { cursor: { x: 2, y: 2 } })]));
    await watcher.waitUntil(() => (presencesSeen(watcher).get(id) as { cursor?: { x: number } } | null | undefined)?.cursor?.x === 2, { message: "the editor's presence again" });
    back.destroy();
  });
});
