/**
 * Refusals (DESIGN.md, "Websocket protocol (contract)" and "Roles"): every
 * close code, each on the one socket that earned it, while the server and
 * every other client go on; and a refused write reaches neither the
 * document, nor another client, nor the store.
 */
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addComment, addStage, deleteStageWithTouchpoints, getVoteSession, readDiscussion, readMap, setVoteSession, setVotes, updateTouchpoint } from '../../lib/journey/schema';
import { MessageType, SyncType } from '../../server/collab/protocol';
import { RawClient, CollabClient, destroyAllClients, discussionRoom, joinSynced, mapRoom, tokenFor, waitForClose, type Close } from './support/clients';
import { HEALTH_ENGINES } from '../support/engine';
import { TestServer, readMetric, stopAllServers } from '../support/server';
import { USERS, seedWorkspace } from './support/workspace';

const MAX_MESSAGE_BYTES = 65_536;
/** Every refused write carries this, so that the end of the file can look for it everywhere. */
const REFUSED = 'REFUSED-WRITE';

let server: TestServer;
let mapId: string;
let otherMapId: string;
/** Two writers on the map and one on the discussion that must keep syncing through every refusal. */
let editor: CollabClient;
let owner: CollabClient;
let discussionOwner: CollabClient;
let discussionEditor: CollabClient;
let nudges = 0;

beforeAll(async () => {
  const workspace = await seedWorkspace(['demo', 'blank']);
  [mapId = '', otherMapId = ''] = workspace.mapIds;
  server = await TestServer.start({ web: false, dataDir: workspace.dataDir, env: { MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES) } });
  editor = await joinSynced(server, mapRoom(mapId), 'editor', mapId);
  owner = await joinSynced(server, mapRoom(mapId), 'owner', mapId);
  discussionOwner = await joinSynced(server, discussionRoom(mapId), 'owner', mapId);
  discussionEditor = await joinSynced(server, discussionRoom(mapId), 'editor', mapId);
  // othersStillSync places dots, which the server allows only while a vote runs.
  setVoteSession(owner.doc, { dotsPerPerson: 5, startedBy: USERS.owner.id, startedAt: Date.now() }, owner.origin);
  await editor.until((doc) => getVoteSession(doc) !== null);
});

afterAll(async () => {
  destroyAllClients();
  await stopAllServers();
});

/**
 * The process is up and the other clients still sync both ways. It also
 * works as a barrier: the server handles a socket's frames in order and
 * broadcasts in that order, so whatever a refused socket sent before is, by
 * now, either at the watchers or nowhere.
 */
async function othersStillSync(): Promise<void> {
  expect(server.isRunning).toBe(true);
  expect((await server.health()).ok).toBe(true);
  const x = 10_000 + ++nudges;
  updateTouchpoint(editor.doc, 'tp-ivr', { x }, editor.origin);
  await owner.until((doc) => readMap(doc).touchpoints['tp-ivr']?.x === x);
  updateTouchpoint(owner.doc, 'tp-ivr', { y: x }, owner.origin);
  await editor.until((doc) => readMap(doc).touchpoints['tp-ivr']?.y === x);
  discussionEditor.provider.awareness.setLocalStateField('nudge', x);
  const votes = nudges % 5;
  setVotes(discussionEditor.doc, 'tp-ivr', USERS.editor.id, votes, discussionEditor.origin);
  await discussionOwner.until((doc) => (readDiscussion(doc).votes['tp-ivr']?.[USERS.editor.id] ?? 0) === votes);
  for (const client of [editor, owner, discussionOwner, discussionEditor]) expect(client.closes).toEqual([]);
}

function noRefusedContentAt(...clients: CollabClient[]): void {
  for (const client of clients) {
    const json = JSON.stringify(client.room.endsWith('.discussion') ? readDiscussion(client.doc) : readMap(client.doc));
    expect(json).not.toContain(REFUSED);
  }
}

async function refusedOnConnect(room: string, token: string | null, options: { rawPath?: string } = {}): Promise<Close> {
  const client = await RawClient.connect(server, room, token, options);
  client.sendSyncStep1();
  const close = await waitForClose(client);
  client.destroy();
  return close;
}

describe('Websocket protocol 4401: no or bad token', () => {
  it('4401 when there is no token', async () => {
    expect(await refusedOnConnect(mapRoom(mapId), null)).toEqual({ code: 4401, reason: 'a token is required' });
    await othersStillSync();
  });

  it('4401 when the signature is bad (a token signed with another secret)', async () => {
    const forged = tokenFor('owner', mapId, { secret: 'not-the-server-secret-but-just-as-long-xx' });
    expect(await refusedOnConnect(mapRoom(mapId), forged)).toEqual({ code: 4401, reason: 'bad signature' });
    await othersStillSync();
  });

  it('4401 when the token is not a token', async () => {
    expect((await refusedOnConnect(mapRoom(mapId), 'not-a-token')).code).toBe(4401);
    await othersStillSync();
  });

  it('4401 when the token has expired, and the stock client stops retrying', async () => {
    const expired = tokenFor('editor', mapId, { now: Date.now() - 2 * 3600_000, ttlSeconds: 60 });
    const client = new CollabClient(server.collabUrl, mapRoom(mapId), USERS.editor, expired);
    expect(await waitForClose(client)).toEqual({ code: 4401, reason: 'token expired' });
    expect(client.provider.shouldConnect).toBe(false);
    expect(client.synced).toBe(false);
    client.destroy();
    await othersStillSync();
  });
});

describe('Websocket protocol 4403: not allowed', () => {
  it('4403 for a token of one map used on another (the map and its discussion)', async () => {
    const forOther = tokenFor('owner', otherMapId);
    expect(await refusedOnConnect(mapRoom(mapId), forOther)).toEqual({ code: 4403, reason: 'the token is for another map' });
    expect((await refusedOnConnect(discussionRoom(mapId), forOther)).code).toBe(4403);
    // The same token is good where it belongs.
    const good = await joinSynced(server, mapRoom(otherMapId), 'owner', otherMapId);
    expect(readMap(good.doc).meta.hubId).toBe('hub');
    good.destroy();
    await othersStillSync();
  });

  it('4403 for a valid token of someone who is not a member of the map', async () => {
    const stranger = tokenFor('stranger', mapId, { role: 'editor' });
    expect(await refusedOnConnect(mapRoom(mapId), stranger)).toEqual({ code: 4403, reason: 'you are not a member of this map' });
    await othersStillSync();
  });
});

describe('Websocket protocol 4404: no such map', () => {
  it('4404 for a well-formed map id that does not exist (with a valid token for it)', async () => {
    expect(await refusedOnConnect('NoSuchMap0000000000000', tokenFor('owner', 'NoSuchMap0000000000000'))).toEqual({ code: 4404, reason: 'no such map' });
    expect((await refusedOnConnect('NoSuchMap0000000000000.discussion', tokenFor('owner', 'NoSuchMap0000000000000'))).code).toBe(4404);
    await othersStillSync();
  });

  it('4404 for malformed room names', async () => {
    const token = tokenFor('owner', mapId);
    for (const rawPath of [encodeURIComponent('not a map!'), encodeURIComponent(`${mapId}/../x`), 'a'.repeat(65), '%E0%A4%A', '', `${mapId}.discussion.discussion`]) {
      expect(await refusedOnConnect('', token, { rawPath }), `room path "${rawPath}"`).toEqual({ code: 4404, reason: 'no such map' });
    }
    await othersStillSync();
  });
});

describe('Roles: a read-only role may not write, whatever client sends it', () => {
  /** A raw client of `who` on `room`, holding the server's state, that sends one real update made by `edit`. */
  async function rawWrite(who: 'viewer' | 'commenter', room: string, edit: (doc: Y.Doc) => void, as: 'update' | 'step2' = 'update'): Promise<Close> {
    const raw = await RawClient.connect(server, room, tokenFor(who, mapId));
    await raw.sync();
    const update = raw.craft(edit);
    if (as === 'update') raw.sendUpdate(update);
    else raw.sendStep2(update);
    const close = await waitForClose(raw);
    raw.destroy();
    return close;
  }

  it('4403: a viewer\'s crafted write to the map is refused and reaches no other client', async () => {
    const close = await rawWrite('viewer', mapRoom(mapId), (doc) => updateTouchpoint(doc, 'tp-first-bill', { label: `${REFUSED} viewer` }, { userId: USERS.viewer.id, kind: 'local' }));
    expect(close).toEqual({ code: 4403, reason: 'a viewer may not change the map' });
    await othersStillSync();
    noRefusedContentAt(editor, owner);
  });

  it('4403: a viewer\'s write is refused when sent as a SyncStep2 too', async () => {
    const close = await rawWrite('viewer', mapRoom(mapId), (doc) => updateTouchpoint(doc, 'tp-first-bill', { label: `${REFUSED} viewer step2` }, { userId: USERS.viewer.id, kind: 'local' }), 'step2');
    expect(close.code).toBe(4403);
    await othersStillSync();
    noRefusedContentAt(editor, owner);
  });

  it('4403: a commenter\'s crafted write to the map is refused and reaches no other client', async () => {
    const close = await rawWrite('commenter', mapRoom(mapId), (doc) => updateTouchpoint(doc, 'tp-ivr', { label: `${REFUSED} commenter` }, { userId: USERS.commenter.id, kind: 'local' }));
    expect(close).toEqual({ code: 4403, reason: 'a commenter may not change the map' });
    await othersStillSync();
    noRefusedContentAt(editor, owner);
  });

  it('4403: a commenter\'s crafted stage changes (a stage added, one deleted with its touchpoints) are refused; the stages stay as they were for everyone', async () => {
    const stagesBefore = readMap(owner.doc).stages;
    const commenter = { userId: USERS.commenter.id, kind: 'local' } as const;
    const deleted = await rawWrite('commenter', mapRoom(mapId), (doc) => deleteStageWithTouchpoints(doc, 'stage-get-help', commenter));
    expect(deleted).toEqual({ code: 4403, reason: 'a commenter may not change the map' });
    const added = await rawWrite('commenter', mapRoom(mapId), (doc) => addStage(doc, { name: `${REFUSED} stage` }, commenter));
    expect(added.code).toBe(4403);
    await othersStillSync();
    for (const client of [editor, owner]) {
      expect(readMap(client.doc).stages).toEqual(stagesBefore);
      expect(readMap(client.doc).touchpoints['tp-ivr']?.stageId).toBe('stage-get-help');
    }
    noRefusedContentAt(editor, owner);
  });

  it('4403: a viewer\'s crafted comment on the discussion is refused and reaches no other client', async () => {
    const close = await rawWrite('viewer', discussionRoom(mapId), (doc) =>
      addComment(doc, { touchpointId: 'tp-ivr', authorId: USERS.viewer.id, authorName: USERS.viewer.name, body: `${REFUSED} viewer comment`, createdAt: Date.now() }, { userId: USERS.viewer.id, kind: 'local' }),
    );
    expect(close).toEqual({ code: 4403, reason: 'a viewer may not change the discussion' });
    await othersStillSync();
    noRefusedContentAt(discussionOwner, discussionEditor);
  });

  it('4403: a token cannot grant more than its holder has; a viewer with a token that says owner still may not write', async () => {
    const raw = await RawClient.connect(server, mapRoom(mapId), tokenFor('viewer', mapId, { role: 'owner' }));
    await raw.sync();
    raw.sendUpdate(raw.craft((doc) => updateTouchpoint(doc, 'tp-ivr', { label: `${REFUSED} upgraded token` }, { userId: USERS.viewer.id, kind: 'local' })));
    expect(await waitForClose(raw)).toEqual({ code: 4403, reason: 'a viewer may not change the map' });
    raw.destroy();
    await othersStillSync();
    noRefusedContentAt(editor, owner);
  });

  it('4403 for a stock client too: a viewer whose provider sends an edit is closed, and does not reconnect', async () => {
    const viewer = await joinSynced(server, mapRoom(mapId), 'viewer', mapId);
    updateTouchpoint(viewer.doc, 'tp-ivr', { label: `${REFUSED} stock viewer` }, viewer.origin);
    expect(await waitForClose(viewer)).toEqual({ code: 4403, reason: 'a viewer may not change the map' });
    expect(viewer.provider.shouldConnect).toBe(false);
    viewer.destroy();
    await othersStillSync();
    noRefusedContentAt(editor, owner);
  });

  it('a viewer (and a commenter on the map) that only reads stays connected and follows every edit; an empty or echoed SyncStep2 is not a write', async () => {
    const viewer = await joinSynced(server, mapRoom(mapId), 'viewer', mapId);
    const commenter = await joinSynced(server, mapRoom(mapId), 'commenter', mapId);
    const raw = await RawClient.connect(server, mapRoom(mapId), tokenFor('viewer', mapId));
    await raw.sync();
    raw.sendStep2(Y.encodeStateAsUpdate(new Y.Doc()));
    raw.sendStep2(Y.encodeStateAsUpdate(raw.doc));
    await othersStillSync();
    for (const reader of [viewer, commenter]) {
      await reader.until((doc) => isDeepStrictEqual(readMap(doc), readMap(owner.doc)));
      expect(reader.closes).toEqual([]);
    }
    // The raw viewer is still served: its SyncStep1 is answered.
    await raw.sync();
    expect(raw.isOpen).toBe(true);
    raw.destroy();
    viewer.destroy();
    commenter.destroy();
  });
});

describe('Websocket protocol 4413: message too large', () => {
  it(`4413 for a frame larger than MAX_MESSAGE_BYTES (${MAX_MESSAGE_BYTES}); a frame of exactly the limit is judged on its content`, async () => {
    const big = await RawClient.connect(server, mapRoom(mapId), tokenFor('editor', mapId));
    await big.sync();
    const frame = new Uint8Array(MAX_MESSAGE_BYTES + 1).fill(7);
    frame[0] = MessageType.Sync;
    frame[1] = SyncType.Update;
    big.send(frame);
    expect(await waitForClose(big)).toEqual({ code: 4413, reason: `message larger than ${MAX_MESSAGE_BYTES} bytes` });
    big.destroy();

    const atLimit = await RawClient.connect(server, mapRoom(mapId), tokenFor('editor', mapId));
    await atLimit.sync();
    atLimit.send(new Uint8Array(MAX_MESSAGE_BYTES).fill(0xff));
    expect((await waitForClose(atLimit)).code).toBe(4400);
    atLimit.destroy();
    await othersStillSync();
  });
});

describe('Websocket protocol: malformed messages close that one socket (4400)', () => {
  const garbage: Array<[string, Uint8Array | string]> = [
    ['a text frame', 'hello'],
    ['an unknown message type', Uint8Array.of(9, 0, 0)],
    ['an unknown sync message', Uint8Array.of(MessageType.Sync, 7, 0)],
    ['a truncated sync message', Uint8Array.of(MessageType.Sync, SyncType.Update, 50, 1, 2)],
    ['a sync update that is not a Yjs update', Uint8Array.of(MessageType.Sync, SyncType.Update, 4, 0xff, 0xff, 0xff, 0xff)],
    ['a malformed awareness update', Uint8Array.of(MessageType.Awareness, 3, 1, 2, 3)],
    ['an awareness state that is not an object', Uint8Array.of(MessageType.Awareness, 6, 1, 1, 1, 2, 0x34, 0x32)],
    ['random bytes', Uint8Array.from({ length: 200 }, (_, i) => (i * 37 + 11) % 256)],
    ['an empty frame', new Uint8Array(0)],
  ];

  it.each(garbage)('4400 for %s; the process and every other client go on', async (_name, frame) => {
    const raw = await RawClient.connect(server, mapRoom(mapId), tokenFor('editor', mapId));
    await raw.sync();
    raw.send(frame);
    expect((await waitForClose(raw)).code).toBe(4400);
    raw.destroy();
    await othersStillSync();
  });

  it('4400 for garbage sent before the room has loaded (the frame waits in the backlog, then closes only its socket)', async () => {
    const raw = await RawClient.connect(server, discussionRoom(otherMapId), tokenFor('owner', otherMapId));
    raw.send(Uint8Array.of(MessageType.Sync, SyncType.Update, 3, 0xde, 0xad, 0xbe));
    expect((await waitForClose(raw)).code).toBe(4400);
    raw.destroy();
    await othersStillSync();
  });
});

describe('Health and metrics endpoints', () => {
  it(`/api/health returns { ok, version, store: "${HEALTH_ENGINES.store}", fanout: "${HEALTH_ENGINES.fanout}", docsLoaded, connections }`, async () => {
    const health = await server.health();
    expect(health).toEqual({ ok: true, version: expect.stringMatching(/^\d+\.\d+\.\d+/) as unknown, ...HEALTH_ENGINES, docsLoaded: expect.any(Number) as unknown, connections: expect.any(Number) as unknown });
    // The four watchers are connected, on two rooms at least (in the postgres+redis run, over the server's processes).
    const each = await server.healthOfEach();
    expect(each.reduce((sum, process) => sum + process.connections, 0)).toBeGreaterThanOrEqual(4);
    expect(each.reduce((sum, process) => sum + process.docsLoaded, 0)).toBeGreaterThanOrEqual(2);
  });

  it('/api/metrics exposes journeyhub_connections, journeyhub_docs_loaded and journeyhub_refused_total by reason', async () => {
    const res = await fetch(`${server.url}/api/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    const health = await server.health();
    expect(readMetric(text, 'journeyhub_connections')).toBe(health.connections);
    expect(readMetric(text, 'journeyhub_docs_loaded')).toBe(health.docsLoaded);
    // What this file was refused, by reason (summed over the server's processes).
    expect(await server.metric('journeyhub_refused_total', { reason: 'unauthorized' })).toBeGreaterThanOrEqual(4);
    expect(await server.metric('journeyhub_refused_total', { reason: 'wrong_map' })).toBeGreaterThanOrEqual(2);
    expect(await server.metric('journeyhub_refused_total', { reason: 'not_member' })).toBeGreaterThanOrEqual(1);
    expect(await server.metric('journeyhub_refused_total', { reason: 'not_found' })).toBeGreaterThanOrEqual(8);
    expect(await server.metric('journeyhub_refused_total', { reason: 'read_only' })).toBeGreaterThanOrEqual(5);
    expect(await server.metric('journeyhub_refused_total', { reason: 'too_large' })).toBeGreaterThanOrEqual(1);
    expect(await server.metric('journeyhub_refused_total', { reason: 'malformed' })).toBeGreaterThanOrEqual(10);
    for (const name of ['journeyhub_messages_in_total', 'journeyhub_messages_out_total', 'journeyhub_bytes_in_total', 'journeyhub_process_resident_memory_bytes']) {
      expect(readMetric(text, name), name).toBeGreaterThan(0);
    }
    expect(text).toContain('journeyhub_store_append_seconds_bucket');
  });
});

describe('Roles: a refused write never reaches the store', () => {
  it('after a restart on the same DATA_DIR, no refused write is in either document, and every accepted one is', async () => {
    const before = { map: readMap(owner.doc), discussion: readDiscussion(discussionOwner.doc) };
    destroyAllClients();
    await server.stop();
    server = await server.restart();
    const map = await joinSynced(server, mapRoom(mapId), 'viewer', mapId);
    const discussion = await joinSynced(server, discussionRoom(mapId), 'viewer', mapId);
    expect(readMap(map.doc)).toEqual(before.map);
    expect(readDiscussion(discussion.doc)).toEqual(before.discussion);
    expect(readMap(map.doc).touchpoints['tp-ivr']?.x).toBe(10_000 + nudges);
    noRefusedContentAt(map, discussion);
  });
});
