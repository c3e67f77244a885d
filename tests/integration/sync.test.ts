/**
 * Sync over real sockets: stock y-websocket clients against the server
 * process, on a demo map written to the store before the server starts.
 */
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as prng from 'lib0/prng';
import * as Y from 'yjs';
import { addTouchpoint, readMap, updateTouchpoint } from '../../lib/journey/schema';
import { colorFor } from '../../server/collab/connection';
import { encodeAwarenessEntries } from '../../server/collab/protocol';
import { RawClient, CollabClient, destroyAllClients, joinSynced, mapRoom, tokenFor, waitForClose, waitForSynced } from './support/clients';
import { randomEdit } from './support/journey-fuzz';
import { TestServer, stopAllServers } from '../support/server';
import { waitFor } from '../support/wait';
import { USERS, seedWorkspace, type UserKey } from './support/workspace';

let server: TestServer;
let mapId: string;

beforeAll(async () => {
  const workspace = await seedWorkspace(['demo']);
  mapId = workspace.mapIds[0] ?? '';
  server = await TestServer.start({ web: false, dataDir: workspace.dataDir });
});

afterAll(async () => {
  destroyAllClients();
  await stopAllServers();
});

/**
 * Same inserts (state vector) and same deletions (delete set): a deletion
 * does not advance the state vector, so equal state vectors alone do not
 * mean that a client has every change.
 */
const sameState = (a: Y.Doc, b: Y.Doc): boolean => Y.equalSnapshots(Y.snapshot(a), Y.snapshot(b));

describe('Websocket protocol: the stock y-websocket client connects unchanged and converges', () => {
  it('two stock clients converge: an edit by A appears at B, and one by B at A', async () => {
    const a = await joinSynced(server, mapRoom(mapId), 'owner', mapId);
    const b = await joinSynced(server, mapRoom(mapId), 'editor', mapId);
    expect(readMap(b.doc)).toEqual(readMap(a.doc));

    const fromA = addTouchpoint(a.doc, { label: 'Billing FAQ', stageId: 'stage-use', channel: 'web' }, a.origin);
    await b.until((doc) => readMap(doc).touchpoints[fromA]?.label === 'Billing FAQ');

    updateTouchpoint(b.doc, 'tp-ivr', { label: 'IVR menu (shortened)', emotion: 1 }, b.origin);
    await a.until((doc) => readMap(doc).touchpoints['tp-ivr']?.label === 'IVR menu (shortened)');

    await waitFor(() => sameState(a.doc, b.doc), { message: 'A and B to hold the same state' });
    expect(readMap(a.doc)).toEqual(readMap(b.doc));
    expect([...a.closes, ...b.closes]).toEqual([]);
    a.destroy();
    b.destroy();
  });
});

describe('Convergence under concurrency (seeded fuzzing)', () => {
  it('five clients with random concurrent edits and random disconnects end identical, and so does a sixth that joins at the end', async () => {
    const seed = process.env.JOURNEYHUB_SEED ? Number(process.env.JOURNEYHUB_SEED) : Math.floor(Math.random() * 2 ** 31);
    const gen = prng.create(seed);
    const log: string[] = [];
    const writers: UserKey[] = ['owner', 'editor', 'editor2', 'editor3', 'editor4'];
    const clients: CollabClient[] = [];
    try {
      for (const who of writers) clients.push(await joinSynced(server, mapRoom(mapId), who, mapId));
      const ROUNDS = 40;
      for (let round = 0; round < ROUNDS; round++) {
        for (const [index, client] of clients.entries()) {
          const roll = prng.int32(gen, 0, 99);
          if (roll < 8 && client.provider.shouldConnect) {
            client.provider.disconnect();
            log.push(`${round}:${index} disconnect`);
          } else if (roll < 20 && !client.provider.shouldConnect) {
            client.provider.connect();
            log.push(`${round}:${index} connect`);
          }
          const edits = prng.int32(gen, 1, 3);
          for (let e = 0; e < edits; e++) log.push(`${round}:${index} ${randomEdit(client.doc, gen, client.origin)}`);
        }
        // Let the sockets carry some of it before the next round, so that edits cross in flight.
        if (prng.bool(gen)) await new Promise<void>((resolve) => setImmediate(resolve));
      }
      for (const client of clients) if (!client.provider.shouldConnect) client.provider.connect();
      await Promise.all(clients.map((client) => client.whenSynced()));
      await waitFor(() => clients.every((client) => sameState(client.doc, clients[0]?.doc ?? client.doc)), {
        timeout: 20_000,
        message: 'the five clients to hold the same state',
      });
      const expected = readMap(clients[0]?.doc ?? new Y.Doc());
      // Only the deliberate disconnects closed sockets: the server refused nothing.
      expect(clients.flatMap((client) => client.closes)).toEqual([]);
      for (const [index, client] of clients.entries()) {
        expect(Y.encodeStateVector(client.doc), `client ${index}'s state vector`).toEqual(Y.encodeStateVector(clients[0]?.doc ?? client.doc));
        expect(readMap(client.doc), `client ${index}'s map`).toEqual(expected);
      }

      const sixth = await joinSynced(server, mapRoom(mapId), 'viewer', mapId);
      expect(sameState(sixth.doc, clients[0]?.doc ?? sixth.doc), "the sixth client's state vector and deletions").toBe(true);
      expect(Y.encodeStateVector(sixth.doc), "the sixth client's state vector").toEqual(Y.encodeStateVector(clients[0]?.doc ?? sixth.doc));
      expect(readMap(sixth.doc), "the sixth client's map").toEqual(expected);
      sixth.destroy();
    } catch (error) {
      const message = `convergence fuzz failed with JOURNEYHUB_SEED=${seed} (replay: JOURNEYHUB_SEED=${seed} npx vitest run --project integration tests/integration/sync.test.ts)`;
      console.error(`${message}\nlast edits:\n  ${log.slice(-30).join('\n  ')}`);
      throw new Error(`${message}: ${(error as Error).message}`, { cause: error });
    } finally {
      for (const client of clients) client.destroy();
    }
  });
});

describe('A document is loaded whole from the store before the first sync reply', () => {
  it('joiners of a cold room each get the full map in their first SyncStep2, and a client with an empty document never empties it', async () => {
    // The map as the tests before left it (its initial snapshot and a log of their edits), then a
    // fresh server process: nothing of the map is in memory.
    const reference = await joinSynced(server, mapRoom(mapId), 'owner', mapId);
    const expectedMap = readMap(reference.doc);
    reference.destroy();
    expect(Object.keys(expectedMap.touchpoints).length).toBeGreaterThanOrEqual(30);
    await server.stop();
    server = await server.restart();

    // A burst of joiners on the cold room, racing its load: each must have everything the moment it is synced.
    const atSync: Array<ReturnType<typeof readMap>> = [];
    const joiners = (['editor', 'editor2', 'viewer', 'commenter', 'owner'] as const).map((who) => {
      const client = new CollabClient(server.collabUrl, mapRoom(mapId), USERS[who], tokenFor(who, mapId));
      client.provider.once('sync', () => atSync.push(readMap(client.doc)));
      return client;
    });
    await Promise.all(joiners.map((client) => waitForSynced(client)));
    expect(atSync).toHaveLength(5);
    for (const map of atSync) expect(map).toEqual(expectedMap);

    // An editor with an empty document connects and leaves: the server asks it for
    // what it lacks (nothing), and its empty answer must not remove anything.
    const empty = new CollabClient(server.collabUrl, mapRoom(mapId), USERS.editor3, tokenFor('editor3', mapId));
    await empty.whenSynced();
    empty.destroy();
    const late = await joinSynced(server, mapRoom(mapId), 'editor4', mapId);
    expect(readMap(late.doc)).toEqual(expectedMap);
    for (const client of [...joiners, late]) client.destroy();
  });
});

describe('Awareness: presence is the server\'s word on who a client is', () => {
  it('the name and colour others see come from the token, whatever the client claims', async () => {
    const alice = await joinSynced(server, mapRoom(mapId), 'editor', mapId, { name: 'Eddie (as the token says)' });
    const bob = await joinSynced(server, mapRoom(mapId), 'owner', mapId);
    alice.provider.awareness.setLocalState({
      user: { id: USERS.owner.id, name: 'Olivia Owner (impersonated)', color: '#000000' },
      cursor: { x: 10, y: 20 },
    });
    const aliceId = alice.doc.clientID;
    await waitFor(() => bob.provider.awareness.getStates().has(aliceId), { message: "Alice's presence at Bob" }, (wake) => {
      bob.provider.awareness.on('change', wake);
      return () => bob.provider.awareness.off('change', wake);
    });
    const seen = bob.provider.awareness.getStates().get(aliceId) as { user: unknown; cursor: unknown };
    expect(seen.user).toEqual({ id: USERS.editor.id, name: 'Eddie (as the token says)', color: colorFor(USERS.editor.id) });
    expect(seen.cursor).toEqual({ x: 10, y: 20 });

    // The stock client sends every presence it receives back to the server:
    // that echo is not a claim on Alice's presence, and Bob stays connected.
    bob.provider.awareness.setLocalState({ cursor: { x: 5, y: 5 } });
    const bobId = bob.doc.clientID;
    await waitFor(() => {
      const state = alice.provider.awareness.getStates().get(bobId) as { user?: { name?: string } } | undefined;
      return state?.user?.name === USERS.owner.name;
    }, { message: "Bob's presence at Alice" });
    expect(bob.closes).toEqual([]);
    expect(alice.closes).toEqual([]);
    alice.destroy();
    bob.destroy();
  });

  it('echoes are not claims: another user\'s client that sends back Alice\'s presence, or its removal, at the clock it has stays connected and changes nothing', async () => {
    const alice = await joinSynced(server, mapRoom(mapId), 'editor', mapId);
    alice.provider.awareness.setLocalState({ cursor: { x: 3, y: 4 } });
    const watcher = await joinSynced(server, mapRoom(mapId), 'owner', mapId);
    const aliceId = alice.doc.clientID;
    await waitFor(() => watcher.provider.awareness.getStates().has(aliceId), { message: "Alice's presence at the watcher" });
    const clock = watcher.provider.awareness.meta.get(aliceId)?.clock ?? -1;
    const state = watcher.provider.awareness.getStates().get(aliceId);

    // What a stock client sends when it applies Alice's presence, and when it times it out locally.
    const peer = await RawClient.connect(server, mapRoom(mapId), tokenFor('editor2', mapId));
    await peer.sync();
    peer.sendAwareness(encodeAwarenessEntries([{ clientId: aliceId, clock, state }]));
    peer.sendAwareness(encodeAwarenessEntries([{ clientId: aliceId, clock, state: null }]));
    // Frames are handled in order: once this is answered, the two above were handled.
    await peer.sync();
    expect(peer.isOpen).toBe(true);
    expect(watcher.provider.awareness.getStates().get(aliceId)).toEqual(state);

    alice.provider.awareness.setLocalStateField('cursor', { x: 5, y: 6 });
    await waitFor(() => isDeepStrictEqual((watcher.provider.awareness.getStates().get(aliceId) as { cursor?: unknown } | undefined)?.cursor, { x: 5, y: 6 }), {
      message: "Alice's moved cursor at the watcher",
    });
    expect([...alice.closes, ...watcher.closes]).toEqual([]);
    peer.destroy();
    alice.destroy();
    watcher.destroy();
  });

  it('a raw client that sets another client\'s awareness clientID is closed with 4403, and the other keeps its presence', async () => {
    const alice = await joinSynced(server, mapRoom(mapId), 'editor', mapId);
    alice.provider.awareness.setLocalState({ cursor: { x: 1, y: 1 } });
    const watcher = await joinSynced(server, mapRoom(mapId), 'owner', mapId);
    const aliceId = alice.doc.clientID;
    await waitFor(() => watcher.provider.awareness.getStates().has(aliceId), { message: "Alice's presence at the watcher" });

    const mallory = await RawClient.connect(server, mapRoom(mapId), tokenFor('editor2', mapId));
    await mallory.sync();
    // Alice's clientID with a clock far ahead, so that it would win if applied.
    const forged = new awarenessProtocol.Awareness(new Y.Doc());
    forged.clientID = aliceId;
    forged.setLocalState({ cursor: { x: 999, y: 999 } });
    const meta = forged.meta.get(aliceId);
    if (meta) meta.clock = 1_000;
    mallory.sendAwareness(awarenessProtocol.encodeAwarenessUpdate(forged, [aliceId]));
    const close = await waitForClose(mallory);
    expect(close.code).toBe(4403);
    expect(close.reason).toMatch(/only its own presence/);
    forged.destroy();

    // Alice's presence is hers: a change she makes still arrives, and the forged cursor never did.
    alice.provider.awareness.setLocalStateField('cursor', { x: 2, y: 2 });
    await waitFor(() => {
      const state = watcher.provider.awareness.getStates().get(aliceId) as { cursor?: unknown } | undefined;
      return isDeepStrictEqual(state?.cursor, { x: 2, y: 2 });
    }, { message: "Alice's new cursor at the watcher" });
    alice.destroy();
    watcher.destroy();
  });
});
