/**
 * Issue 12 §2, DESIGN.md "Authorship in the discussion document": a Yjs client
 * id belongs to the first user who writes with it in a room (discussion and
 * map alike, across a restart); a tally-creator item is accepted only in its
 * canonical form; dots are whole numbers within the vote session's dots per
 * person, counted across the map. Hostile clients are raw websockets that
 * craft real updates; what they are refused is refused whole (4403), stored nowhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addComment, getVoteSession, readDiscussion, readMap, setVoteSession, setVotes, tallyCreatorId, updateTouchpoint } from '../../lib/journey/schema';
import { RawClient, CollabClient, destroyAllClients, discussionRoom, joinSynced, mapRoom, tokenFor, waitForClose } from './support/clients';
import { TestServer, stopAllServers } from '../support/server';
import { waitFor } from '../support/wait';
import { withServerDatabase } from './support/database';
import { USERS, seedWorkspace, type UserKey } from './support/workspace';

const FORBIDDEN = 4403;

let server: TestServer;
let mapId: string;
let observer: CollabClient;

beforeAll(async () => {
  const workspace = await seedWorkspace(['demo']);
  mapId = workspace.mapIds[0] ?? '';
  server = await TestServer.start({ web: false, dataDir: workspace.dataDir });
  observer = await joinSynced(server, discussionRoom(mapId), 'viewer', mapId);
});

afterAll(async () => {
  destroyAllClients();
  await stopAllServers();
});

/** A raw client of `who` on `room`, holding the server's state. */
async function rawJoin(who: UserKey, room: string): Promise<RawClient> {
  const raw = await RawClient.connect(server, room, tokenFor(who, mapId));
  await raw.sync();
  return raw;
}

/** `who` sends the update `craft` makes on a copy of the room whose client id is `clientId`; returns the close. */
async function sendAs(who: UserKey, room: string, clientId: number, craft: (doc: Y.Doc) => void): Promise<{ code: number; reason: string }> {
  const raw = await rawJoin(who, room);
  raw.doc.clientID = clientId;
  raw.sendUpdate(raw.craft(craft));
  const close = await waitForClose(raw);
  raw.destroy();
  return close;
}

const comment = (who: UserKey, id: string, body: string) => ({ id, touchpointId: 'tp-first-bill', authorId: USERS[who].id, authorName: USERS[who].name, body, createdAt: Date.now() });

/** Resolves once the observer sees a presence under `clientId`. */
async function waitForPresence(clientId: number): Promise<void> {
  await waitFor(() => observer.provider.awareness.getStates().has(clientId), { message: 'the presence at the observer' }, (wake) => {
    observer.provider.awareness.on('change', wake);
    return () => observer.provider.awareness.off('change', wake);
  });
}

const commentIs = (id: string, body: string) => (doc: Y.Doc) => readDiscussion(doc).comments[id]?.body === body;

describe('A Yjs client id belongs to the first user who writes with it in a room', () => {
  it("the discussion: another user's valid comment under Cora's client id is refused, and Cora's offline comment is stored", async () => {
    const cora = await joinSynced(server, discussionRoom(mapId), 'commenter', mapId);
    addComment(cora.doc, comment('commenter', 'c-cora-1', 'Cora writes first'), cora.origin);
    await observer.until(commentIs('c-cora-1', 'Cora writes first'));

    const close = await sendAs('commenter2', discussionRoom(mapId), cora.doc.clientID, (doc) => addComment(doc, comment('commenter2', 'c-carl-squat', 'Carl under Cora’s id'), { userId: USERS.commenter2.id, kind: 'local' }));
    expect(close).toEqual({ code: FORBIDDEN, reason: 'this client id belongs to another user; reconnect with a new one' });

    cora.provider.disconnect();
    addComment(cora.doc, comment('commenter', 'c-cora-offline', 'Cora, written offline'), cora.origin);
    cora.provider.connect();
    await observer.until(commentIs('c-cora-offline', 'Cora, written offline'), { message: "Cora's offline comment at the observer" });
    expect(readDiscussion(observer.doc).comments['c-carl-squat']).toBeUndefined();
    expect(cora.closes.filter((c) => c.code >= 4400)).toEqual([]);
  });

  it("the map: another editor's valid edit under Eddie's client id is refused, and Eddie's offline edit is stored", async () => {
    const eddie = await joinSynced(server, mapRoom(mapId), 'editor', mapId);
    const origin = eddie.origin;
    updateTouchpoint(eddie.doc, 'tp-first-bill', { label: 'First bill (Eddie)' }, origin);
    const mapWatcher = await joinSynced(server, mapRoom(mapId), 'viewer', mapId);
    await mapWatcher.until((doc) => readMap(doc).touchpoints['tp-first-bill']?.label === 'First bill (Eddie)');

    const close = await sendAs('editor2', mapRoom(mapId), eddie.doc.clientID, (doc) => updateTouchpoint(doc, 'tp-ivr', { label: 'Erin under Eddie’s id' }, { userId: USERS.editor2.id, kind: 'local' }));
    expect(close).toEqual({ code: FORBIDDEN, reason: 'this client id belongs to another user; reconnect with a new one' });

    eddie.provider.disconnect();
    updateTouchpoint(eddie.doc, 'tp-first-bill', { label: 'First bill (Eddie, offline)' }, origin);
    eddie.provider.connect();
    await mapWatcher.until((doc) => readMap(doc).touchpoints['tp-first-bill']?.label === 'First bill (Eddie, offline)', { message: "Eddie's offline edit at the watcher" });
    expect(readMap(mapWatcher.doc).touchpoints['tp-ivr']?.label).not.toBe('Erin under Eddie’s id');
    eddie.destroy();
    mapWatcher.destroy();
  });

  it("an id whose presence is someone's who has not written yet is theirs already: another user may not take it first", async () => {
    const cora = await joinSynced(server, discussionRoom(mapId), 'commenter', mapId);
    cora.provider.awareness.setLocalStateField('cursor', { x: 1, y: 1 });
    await waitForPresence(cora.doc.clientID);

    const close = await sendAs('commenter2', discussionRoom(mapId), cora.doc.clientID, (doc) => addComment(doc, comment('commenter2', 'c-carl-first', 'Carl before Cora, under her id'), { userId: USERS.commenter2.id, kind: 'local' }));
    expect(close).toEqual({ code: FORBIDDEN, reason: 'this client id belongs to another user; reconnect with a new one' });

    addComment(cora.doc, comment('commenter', 'c-cora-first-write', 'Cora’s first comment'), cora.origin);
    await observer.until(commentIs('c-cora-first-write', 'Cora’s first comment'), { message: "Cora's first comment at the observer" });
    expect(readDiscussion(observer.doc).comments['c-carl-first']).toBeUndefined();
    expect(cora.closes).toEqual([]);
    cora.destroy();
  });

  it('the owner of a client id is kept across a restart: the id is still refused to anyone else, and its owner still writes with it', async () => {
    const cora = await joinSynced(server, discussionRoom(mapId), 'commenter', mapId);
    addComment(cora.doc, comment('commenter', 'c-cora-before-restart', 'Before the restart'), cora.origin);
    await observer.until(commentIs('c-cora-before-restart', 'Before the restart'));
    const coraId = cora.doc.clientID;
    destroyAllClients();
    await server.stop();
    server = await server.restart();
    observer = await joinSynced(server, discussionRoom(mapId), 'viewer', mapId);

    const close = await sendAs('commenter2', discussionRoom(mapId), coraId, (doc) => addComment(doc, comment('commenter2', 'c-carl-after-restart', 'Carl under Cora’s id, later'), { userId: USERS.commenter2.id, kind: 'local' }));
    expect(close.code).toBe(FORBIDDEN);

    const raw = await rawJoin('commenter', discussionRoom(mapId));
    raw.doc.clientID = coraId;
    raw.sendUpdate(raw.craft((doc) => addComment(doc, comment('commenter', 'c-cora-after-restart', 'Cora again, same id'), { userId: USERS.commenter.id, kind: 'local' })));
    await observer.until(commentIs('c-cora-after-restart', 'Cora again, same id'), { message: "Cora's comment under her own id after the restart" });
    expect(raw.close).toBeNull();
    raw.destroy();
    expect(readDiscussion(observer.doc).comments['c-carl-after-restart']).toBeUndefined();
  });
});

describe('Two processes giving one fresh client id to two users in the same instant', () => {
  it("the store keeps the first claim; the other user's update is refused whole (1011, resend), and the resend is refused the id (4403); nothing of it is stored", async () => {
    const room = mapRoom(mapId);
    const watcher = await joinSynced(server, room, 'viewer', mapId);
    const raceId = 123_456_789;
    // Another process stored Eddie's claim of the id a moment ago; the processes here have not heard of it yet.
    await withServerDatabase(server.dataDir, (db) => db.run('INSERT INTO doc_client_id_owners (room, client_id, user_id, claimed_at) VALUES (?, ?, ?, ?)', [room, raceId, USERS.editor.id, Date.now()]));
    const raw = await rawJoin('editor2', room);
    raw.doc.clientID = raceId;
    const update = raw.craft((doc) => updateTouchpoint(doc, 'tp-ivr', { label: 'Erin, first under a taken id' }, { userId: USERS.editor2.id, kind: 'local' }));
    const closes: number[] = [];
    let client = raw;
    // Each process that tries to store it learns the owner from the store; with several, the resend may land on one that has not tried yet.
    for (let attempt = 0; attempt < 4; attempt++) {
      client.sendUpdate(update);
      const close = await waitForClose(client);
      client.destroy();
      closes.push(close.code);
      if (close.code === FORBIDDEN) {
        expect(close.reason).toBe('this client id belongs to another user; reconnect with a new one');
        break;
      }
      client = await rawJoin('editor2', room);
    }
    expect(closes[0]).toBe(1011);
    expect(closes.at(-1)).toBe(FORBIDDEN);
    // A barrier: an edit made after, seen by the watcher; the refused one never is.
    const eddie = await joinSynced(server, room, 'editor', mapId);
    updateTouchpoint(eddie.doc, 'tp-first-bill', { label: 'After the race' }, eddie.origin);
    await watcher.until((doc) => readMap(doc).touchpoints['tp-first-bill']?.label === 'After the race');
    expect(readMap(watcher.doc).touchpoints['tp-ivr']?.label).not.toBe('Erin, first under a taken id');
    eddie.destroy();
    watcher.destroy();
  });
});

describe('Tally-creator items are accepted only in their canonical form', () => {
  it("4403 for a tally created under another touchpoint's key; a later first dot lands on its own touchpoint", async () => {
    const close = await sendAs('commenter2', discussionRoom(mapId), tallyCreatorId('tp-router-delivery'), (doc) => doc.getMap('votes').set('tp-setup-guide', new Y.Map()));
    expect(close).toEqual({ code: FORBIDDEN, reason: 'a touchpoint’s tally is created only in its shared form' });

    await startVote(5);
    // Two first dots at once on the touchpoint whose creator id was abused: both land on it, nobody is refused.
    const [cora, emil] = await Promise.all([
      joinSynced(server, discussionRoom(mapId), 'commenter', mapId),
      joinSynced(server, discussionRoom(mapId), 'editor3', mapId),
    ]);
    setVotes(cora.doc, 'tp-router-delivery', USERS.commenter.id, 1, cora.origin);
    setVotes(emil.doc, 'tp-router-delivery', USERS.editor3.id, 2, emil.origin);
    await observer.until(
      (doc) => {
        const tally = readDiscussion(doc).votes['tp-router-delivery'];
        return tally?.[USERS.commenter.id] === 1 && tally[USERS.editor3.id] === 2;
      },
      { message: 'both first dots on the router delivery' },
    );
    expect(readDiscussion(observer.doc).votes['tp-setup-guide']).toBeUndefined();
    expect([...cora.closes, ...emil.closes]).toEqual([]);
    cora.destroy();
    emil.destroy();
  });

  it('4403 for a canonical tally with something else in it, written under the creator id', async () => {
    const close = await sendAs('commenter2', discussionRoom(mapId), tallyCreatorId('tp-account-app'), (doc) => {
      const tally = new Y.Map<unknown>();
      doc.getMap('votes').set('tp-account-app', tally);
      tally.set(USERS.commenter2.id, 1);
    });
    expect(close).toEqual({ code: FORBIDDEN, reason: 'a touchpoint’s tally is created only in its shared form' });
    expect(readDiscussion(observer.doc).votes['tp-account-app']).toBeUndefined();
  });
});

/** The owner starts a vote of `dots` per person on the map document (the end of any earlier one first). */
async function startVote(dots: number): Promise<void> {
  const owner = await joinSynced(server, mapRoom(mapId), 'owner', mapId);
  setVoteSession(owner.doc, null, owner.origin);
  setVoteSession(owner.doc, { dotsPerPerson: dots, startedBy: USERS.owner.id, startedAt: Date.now() }, owner.origin);
  const watcher = await joinSynced(server, mapRoom(mapId), 'viewer', mapId);
  await watcher.until((doc) => getVoteSession(doc)?.dotsPerPerson === dots);
  watcher.destroy();
  owner.destroy();
}

const dotsOf = (who: UserKey, touchpointId: string) => readDiscussion(observer.doc).votes[touchpointId]?.[USERS[who].id];

describe("Dots are whole numbers from 0 to the vote's dots per person, counted across the map", () => {
  it('4403 for 1,000,000,000 dots, and for a fraction', async () => {
    await startVote(3);
    const raw = await rawJoin('commenter2', discussionRoom(mapId));
    raw.sendUpdate(raw.craft((doc) => setVotes(doc, 'tp-store-visit', USERS.commenter2.id, 1_000_000_000, { userId: USERS.commenter2.id, kind: 'local' })));
    expect(await waitForClose(raw)).toEqual({ code: FORBIDDEN, reason: 'you have 3 dots in this vote (this change would make it 1000000000)' });
    raw.destroy();
    const fraction = await sendAs('commenter2', discussionRoom(mapId), 0x5eed, (doc) => {
      const tally = doc.getMap('votes').get('tp-first-bill');
      if (!(tally instanceof Y.Map)) throw new Error('the demo has a tally on the first bill');
      tally.set(USERS.commenter2.id, 1.5);
    });
    expect(fraction.code).toBe(FORBIDDEN);
    expect(dotsOf('commenter2', 'tp-store-visit')).toBeUndefined();
    expect(dotsOf('commenter2', 'tp-first-bill')).toBeUndefined();
  });

  it('a person places at most the dots per person across the map; taking dots back is always allowed', async () => {
    await startVote(3);
    const carl = await joinSynced(server, discussionRoom(mapId), 'commenter2', mapId);
    setVotes(carl.doc, 'tp-store-visit', USERS.commenter2.id, 2, carl.origin);
    setVotes(carl.doc, 'tp-sales-chat', USERS.commenter2.id, 1, carl.origin);
    await observer.until(() => dotsOf('commenter2', 'tp-sales-chat') === 1);

    const close = await sendAs('commenter2', discussionRoom(mapId), 0xbeef, (doc) => setVotes(doc, 'tp-sales-hotline', USERS.commenter2.id, 1, { userId: USERS.commenter2.id, kind: 'local' }));
    expect(close).toEqual({ code: FORBIDDEN, reason: 'you have 3 dots in this vote (this change would make it 4)' });
    expect(dotsOf('commenter2', 'tp-sales-hotline')).toBeUndefined();

    setVotes(carl.doc, 'tp-store-visit', USERS.commenter2.id, 1, carl.origin);
    await observer.until(() => dotsOf('commenter2', 'tp-store-visit') === 1);
    setVotes(carl.doc, 'tp-sales-hotline', USERS.commenter2.id, 1, carl.origin);
    await observer.until(() => dotsOf('commenter2', 'tp-sales-hotline') === 1);
    expect(carl.closes).toEqual([]);

    // A new vote with fewer dots: what is placed stays and can be taken back, nothing can be added.
    await startVote(1);
    setVotes(carl.doc, 'tp-store-visit', USERS.commenter2.id, 0, carl.origin);
    await observer.until(() => dotsOf('commenter2', 'tp-store-visit') === undefined);
    expect(carl.closes).toEqual([]);
    carl.destroy();
  });

  it('4403 for a dot placed while no vote runs', async () => {
    const owner = await joinSynced(server, mapRoom(mapId), 'owner', mapId);
    setVoteSession(owner.doc, null, owner.origin);
    const watcher = await joinSynced(server, mapRoom(mapId), 'viewer', mapId);
    await watcher.until((doc) => getVoteSession(doc) === null);
    const close = await sendAs('commenter', discussionRoom(mapId), 0xcafe, (doc) => setVotes(doc, 'tp-social-ads', USERS.commenter.id, 1, { userId: USERS.commenter.id, kind: 'local' }));
    expect(close).toEqual({ code: FORBIDDEN, reason: 'no vote is running: dots can only be taken back' });
    watcher.destroy();
    owner.destroy();
  });
});
