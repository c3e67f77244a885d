/**
 * DESIGN.md, "Authorship in the discussion document": the server checks what
 * a discussion update changes, per entry, before it reaches the document. An
 * update that breaks a rule is refused whole (4403) and changes nothing — not
 * at another client, not in the store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import {
  addComment,
  clearVotes,
  deleteComment,
  editComment,
  getVoteSession,
  readDiscussion,
  setCommentResolved,
  setVoteSession,
  setVotes,
} from '../../lib/journey/schema';
import type { Discussion } from '../../lib/journey/types';
import { CollabClient, destroyAllClients, discussionRoom, joinSynced, mapRoom, waitForClose, type Close } from './support/clients';
import { TestServer, stopAllServers } from '../support/server';
import { USERS, seedWorkspace, type UserKey } from './support/workspace';

const REFUSED = 'REFUSED-WRITE';
const BARRIER_TOUCHPOINT = 'tp-help-center';
const MINUTE = 60_000;

let server: TestServer;
let mapId: string;
/** A viewer that never writes: what every other client sees. */
let observer: CollabClient;
/** An editor whose own votes on one touchpoint serve as a barrier. */
let barrierWriter: CollabClient;
let barrierDots = 0;

beforeAll(async () => {
  const workspace = await seedWorkspace(['demo']);
  mapId = workspace.mapIds[0] ?? '';
  server = await TestServer.start({ web: false, dataDir: workspace.dataDir });
  observer = await joinSynced(server, discussionRoom(mapId), 'viewer', mapId);
  barrierWriter = await joinSynced(server, discussionRoom(mapId), 'editor2', mapId);
  // Dots are placed while a vote runs (discussion-ids.test.ts holds them to its dots per person).
  const owner = await joinSynced(server, mapRoom(mapId), 'owner', mapId);
  setVoteSession(owner.doc, { dotsPerPerson: 20, startedBy: USERS.owner.id, startedAt: Date.now() }, owner.origin);
  const watcher = await joinSynced(server, mapRoom(mapId), 'viewer', mapId);
  await watcher.until((doc) => getVoteSession(doc) !== null);
  watcher.destroy();
  owner.destroy();
});

afterAll(async () => {
  destroyAllClients();
  await stopAllServers();
});

const seen = (): Discussion => withoutBarrier(readDiscussion(observer.doc));

/** The discussion without the barrier's own votes, so that states before and after a refusal compare equal. */
function withoutBarrier(discussion: Discussion): Discussion {
  const votes = { ...discussion.votes };
  const tally = { ...votes[BARRIER_TOUCHPOINT] };
  delete tally[USERS.editor2.id];
  if (Object.keys(tally).length === 0) delete votes[BARRIER_TOUCHPOINT];
  else votes[BARRIER_TOUCHPOINT] = tally;
  return { ...discussion, votes };
}

/** A write accepted after everything before it: what was refused before is, by now, at the observer or nowhere. */
async function barrier(): Promise<void> {
  // 1, 2, 1, …: a new value each time, within the vote's dots per person.
  const dots = (barrierDots = barrierDots === 1 ? 2 : 1);
  setVotes(barrierWriter.doc, BARRIER_TOUCHPOINT, USERS.editor2.id, dots, barrierWriter.origin);
  await observer.until((doc) => readDiscussion(doc).votes[BARRIER_TOUCHPOINT]?.[USERS.editor2.id] === dots, { message: 'the barrier vote at the observer' });
  expect(observer.closes).toEqual([]);
  expect(barrierWriter.closes).toEqual([]);
}

const now = (): number => Date.now();

/**
 * `who` makes `edit` with a stock client (fresh, so that no refused change
 * lingers in a document that is used again); expects the socket closed with
 * 4403 and the discussion unchanged everywhere.
 */
async function refused(who: UserKey, edit: (doc: Y.Doc, client: CollabClient) => void): Promise<Close> {
  const before = seen();
  const client = await joinSynced(server, discussionRoom(mapId), who, mapId);
  edit(client.doc, client);
  const close = await waitForClose(client);
  client.destroy();
  await barrier();
  expect(seen()).toEqual(before);
  return close;
}

/** `who` makes `edit`; the observer sees `expected` and the writer stays connected. */
async function allowed(who: UserKey, edit: (doc: Y.Doc, client: CollabClient) => void, expected: (discussion: Discussion) => boolean): Promise<void> {
  const client = await joinSynced(server, discussionRoom(mapId), who, mapId);
  edit(client.doc, client);
  await observer.until((doc) => expected(readDiscussion(doc)), { message: `${USERS[who].name}'s accepted change at the observer` });
  await barrier();
  expect(client.closes).toEqual([]);
  client.destroy();
}

function comment(who: UserKey, body: string, overrides: Partial<{ authorId: string; authorName: string; createdAt: number; touchpointId: string; parentId: string | null; id: string }> = {}) {
  return { touchpointId: 'tp-first-bill', authorId: USERS[who].id, authorName: USERS[who].name, body, createdAt: now(), ...overrides };
}

const FORBIDDEN = 4403;

describe('Roles: a commenter writes the discussion', () => {
  it('a commenter posts a comment under their own name, replies, and votes for themselves; everyone sees it', async () => {
    await allowed('commenter', (doc, c) => addComment(doc, comment('commenter', 'Cora: the bill needs an example', { id: 'c-cora' }), c.origin), (d) => d.comments['c-cora']?.body === 'Cora: the bill needs an example');
    await allowed('commenter2', (doc, c) => addComment(doc, comment('commenter2', 'Carl agrees', { id: 'c-carl-reply', parentId: 'c-cora' }), c.origin), (d) => d.comments['c-carl-reply']?.parentId === 'c-cora');
    await allowed('commenter', (doc, c) => setVotes(doc, 'tp-first-bill', USERS.commenter.id, 3, c.origin), (d) => d.votes['tp-first-bill']?.[USERS.commenter.id] === 3);
    await allowed('commenter', (doc, c) => editComment(doc, 'c-cora', 'Cora: the first bill needs a worked example', c.origin), (d) => d.comments['c-cora']?.body === 'Cora: the first bill needs a worked example');
    expect(seen().comments['c-cora']).toMatchObject({ authorId: USERS.commenter.id, authorName: USERS.commenter.name, resolved: false });
  });
});

describe('Authorship: a new comment is posted under its sender\'s name, now', () => {
  it('4403 for a comment posted under another author (authorId and authorName of someone else)', async () => {
    const close = await refused('commenter', (doc, c) => addComment(doc, comment('editor', `${REFUSED} as Eddie`, { id: 'c-forged-author' }), c.origin));
    expect(close).toEqual({ code: FORBIDDEN, reason: "a comment must be posted under its sender's own name" });
  });

  it('4403 for a comment with the sender\'s id but another display name', async () => {
    const close = await refused('commenter', (doc, c) => addComment(doc, comment('commenter', `${REFUSED} renamed`, { id: 'c-forged-name', authorName: 'The CEO' }), c.origin));
    expect(close.code).toBe(FORBIDDEN);
  });

  it('4403 for createdAt more than a minute off the server\'s clock, in the past or the future', async () => {
    for (const createdAt of [now() - 2 * MINUTE, now() + 2 * MINUTE]) {
      const close = await refused('commenter', (doc, c) => addComment(doc, comment('commenter', `${REFUSED} backdated`, { id: `c-time-${createdAt}`, createdAt }), c.origin));
      expect(close).toEqual({ code: FORBIDDEN, reason: "createdAt must be within a minute of the server's clock" });
    }
  });
});

describe('Authorship: a comment\'s body is its author\'s; resolved is anyone\'s who writes the discussion', () => {
  it('4403 when someone edits the body of another\'s comment', async () => {
    const close = await refused('commenter2', (doc, c) => editComment(doc, 'c-cora', `${REFUSED} Carl rewrote Cora`, c.origin));
    expect(close).toEqual({ code: FORBIDDEN, reason: "only its author may change a comment's body" });
  });

  it('resolving another\'s comment is allowed, for a commenter and an editor', async () => {
    await allowed('commenter2', (doc, c) => setCommentResolved(doc, 'c-cora', true, c.origin), (d) => d.comments['c-cora']?.resolved === true);
    await allowed('editor', (doc, c) => setCommentResolved(doc, 'c-cora', false, c.origin), (d) => d.comments['c-cora']?.resolved === false);
    expect(seen().comments['c-cora']?.body).toBe('Cora: the first bill needs a worked example');
  });
});

describe('Authorship: a comment is deleted by its author or the map\'s owner', () => {
  it('4403 when an editor deletes another\'s comment', async () => {
    const close = await refused('editor', (doc, c) => deleteComment(doc, 'c-cora', c.origin));
    expect(close).toEqual({ code: FORBIDDEN, reason: 'only its author (or the map owner) may delete a comment' });
    expect(seen().comments['c-cora']).toBeDefined();
  });

  it('the owner deletes another\'s comment; the author deletes their own', async () => {
    await allowed('owner', (doc, c) => deleteComment(doc, 'c-cora', c.origin), (d) => d.comments['c-cora'] === undefined);
    await allowed('commenter2', (doc, c) => deleteComment(doc, 'c-carl-reply', c.origin), (d) => d.comments['c-carl-reply'] === undefined);
  });
});

describe('Authorship: votes[touchpointId][userId] are that user\'s (the owner may clear them)', () => {
  it('4403 for a vote set for another user', async () => {
    const close = await refused('commenter', (doc, c) => setVotes(doc, 'tp-ivr', USERS.editor.id, 5, c.origin));
    expect(close).toEqual({ code: FORBIDDEN, reason: 'a user sets only their own votes' });
    const alsoOnANewTally = await refused('commenter', (doc, c) => setVotes(doc, 'tp-router-return', USERS.editor.id, 5, c.origin));
    expect(alsoOnANewTally.code).toBe(FORBIDDEN);
  });

  it('4403 when an editor clears another user\'s vote', async () => {
    const close = await refused('editor', (doc, c) => setVotes(doc, 'tp-first-bill', USERS.commenter.id, 0, c.origin));
    expect(close.code).toBe(FORBIDDEN);
    expect(seen().votes['tp-first-bill']?.[USERS.commenter.id]).toBe(3);
  });

  it('one\'s own vote is allowed; the owner clears another\'s vote, and a whole vote session', async () => {
    await allowed('editor', (doc, c) => setVotes(doc, 'tp-ivr', USERS.editor.id, 2, c.origin), (d) => d.votes['tp-ivr']?.[USERS.editor.id] === 2);
    await allowed('owner', (doc, c) => setVotes(doc, 'tp-first-bill', USERS.commenter.id, 0, c.origin), (d) => d.votes['tp-first-bill']?.[USERS.commenter.id] === undefined);
    await allowed('owner', (doc, c) => clearVotes(doc, c.origin), (d) => Object.entries(d.votes).every(([tp, tally]) => tp === BARRIER_TOUCHPOINT || Object.keys(tally).length === 0));
  });

  it('two people cast the first dot on a touchpoint nobody has voted on at the same moment: both dots count, nobody is cut off', async () => {
    const [editor, commenter] = await Promise.all([
      joinSynced(server, discussionRoom(mapId), 'editor', mapId),
      joinSynced(server, discussionRoom(mapId), 'commenter', mapId),
    ]);
    expect(seen().votes['tp-door-leaflet']).toBeUndefined();
    // Both write before either has heard of the other: each creates the touchpoint's tally.
    setVotes(editor.doc, 'tp-door-leaflet', USERS.editor.id, 2, editor.origin);
    setVotes(commenter.doc, 'tp-door-leaflet', USERS.commenter.id, 1, commenter.origin);
    const both = (doc: Y.Doc) => {
      const tally = readDiscussion(doc).votes['tp-door-leaflet'];
      return tally?.[USERS.editor.id] === 2 && tally[USERS.commenter.id] === 1;
    };
    await observer.until(both, { message: 'both first dots at the observer' });
    await editor.until(both, { message: "the commenter's dot at the editor" });
    await commenter.until(both, { message: "the editor's dot at the commenter" });
    await barrier();
    expect(editor.closes).toEqual([]);
    expect(commenter.closes).toEqual([]);
    editor.destroy();
    commenter.destroy();
  });
});

describe('Authorship: a refused update reaches neither another client nor the store', () => {
  it('after a restart on the same DATA_DIR the discussion is what the observer saw: every accepted change, no refused one', async () => {
    const before = readDiscussion(observer.doc);
    expect(JSON.stringify(before)).not.toContain(REFUSED);
    destroyAllClients();
    await server.stop();
    server = await server.restart();
    const fresh = await joinSynced(server, discussionRoom(mapId), 'viewer', mapId);
    const after = readDiscussion(fresh.doc);
    expect(after).toEqual(before);
    expect(JSON.stringify(after)).not.toContain(REFUSED);
    expect(after.comments['c-cora']).toBeUndefined();
    expect(after.comments['comment-first-bill']?.authorId).toBe('user-aisha');
  });
});
