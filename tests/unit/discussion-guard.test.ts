/**
 * The discussion guard (server/collab/discussion-guard.ts) runs the rules of
 * lib/collab/discussion-rules.ts on each change of a real Yjs update, on its
 * scratch copy: no server, no socket.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Actor } from '../../lib/collab/discussion-rules';
import type { EditOrigin } from '../../lib/journey/origin';
import { addComment, deleteComment, editComment, setCommentResolved, setVotes } from '../../lib/journey/schema';
import { DiscussionGuard } from '../../server/collab/discussion-guard';

const NOW = 1_700_000_000_000;
const as = (userId: string): EditOrigin => ({ userId, kind: 'local' });
const cora: Actor = { userId: 'cora', userName: 'Cora', isOwner: false, dotsPerPerson: 2 };
const owen: Actor = { userId: 'owen', userName: 'Owen', isOwner: true, dotsPerPerson: 2 };
const mallory: Actor = { userId: 'mallory', userName: 'Mallory', isOwner: false, dotsPerPerson: 2 };

/** The server's document: one comment by Cora. */
function serverDoc(): Y.Doc {
  const doc = new Y.Doc();
  addComment(doc, { id: 'c1', touchpointId: 'tp1', authorId: 'cora', authorName: 'Cora', body: 'Too slow', createdAt: NOW }, as('cora'));
  return doc;
}

/** The update `edit` makes on a client's copy of `doc`. */
function updateOf(doc: Y.Doc, edit: (copy: Y.Doc) => void): Uint8Array {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const before = Y.encodeStateVector(copy);
  edit(copy);
  return Y.encodeStateAsUpdate(copy, before);
}

describe('DiscussionGuard', () => {
  it('accepts a reply in its sender\'s name and reports it as written', () => {
    const doc = serverDoc();
    const guard = new DiscussionGuard(doc);
    const reply = updateOf(doc, (copy) =>
      addComment(copy, { id: 'c2', touchpointId: 'tp1', parentId: 'c1', authorId: 'owen', authorName: 'Owen', body: 'On it @Cora', createdAt: NOW }, as('owen')),
    );
    expect(guard.check(reply, owen, NOW, () => [])).toEqual({ ok: true, written: [{ id: 'c2', touchpointId: 'tp1', body: 'On it @Cora' }] });
  });

  it('refuses another person\'s edit of a comment, and lets them resolve it', () => {
    const doc = serverDoc();
    const guard = new DiscussionGuard(doc);
    const edit = updateOf(doc, (copy) => editComment(copy, 'c1', 'Hijacked', as('mallory')));
    expect(guard.check(edit, mallory, NOW, () => [])).toEqual({ ok: false, reason: "only its author may change a comment's body" });
    const resolve = updateOf(doc, (copy) => setCommentResolved(copy, 'c1', true, as('mallory')));
    expect(guard.check(resolve, mallory, NOW, () => [])).toEqual({ ok: true, written: [] });
  });

  it('lets the owner delete anyone\'s comment, and nobody else', () => {
    const doc = serverDoc();
    const guard = new DiscussionGuard(doc);
    const remove = updateOf(doc, (copy) => deleteComment(copy, 'c1', as('x')));
    expect(guard.check(remove, mallory, NOW, () => [])).toEqual({ ok: false, reason: 'only its author (or the map owner) may delete a comment' });
    expect(guard.check(remove, owen, NOW, () => []).ok).toBe(true);
  });

  it('holds dots to the running vote, across the updates it accepted before', () => {
    const doc = serverDoc();
    const guard = new DiscussionGuard(doc);
    const first = updateOf(doc, (copy) => setVotes(copy, 'tp1', 'cora', 2, as('cora')));
    expect(guard.check(first, cora, NOW, () => []).ok).toBe(true);
    // The first is accepted, not yet applied to the document: the guard's copy holds it.
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    Y.applyUpdate(copy, first);
    const second = updateOf(copy, (c) => setVotes(c, 'tp2', 'cora', 1, as('cora')));
    expect(guard.check(second, cora, NOW, () => [first])).toEqual({ ok: false, reason: 'you have 2 dots in this vote (this change would make it 3)' });
  });

  it('refuses roots other than comments and votes, and forgets what a refused update held', () => {
    const doc = serverDoc();
    const guard = new DiscussionGuard(doc);
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(doc));
    const stray = updateOf(client, (copy) => {
      addComment(copy, { id: 'c3', touchpointId: 'tp1', authorId: 'mallory', authorName: 'Mallory', body: 'Hi', createdAt: NOW }, as('mallory'));
      copy.getMap('stray').set('x', 1);
    });
    expect(guard.check(stray, mallory, NOW, () => [])).toEqual({ ok: false, reason: 'the discussion document holds only comments and votes' });
    // An edit made on top of the refused update finds nothing to build on: the copy was rebuilt without it.
    Y.applyUpdate(client, stray);
    const onTop = updateOf(client, (copy) => editComment(copy, 'c3', 'Hello', as('mallory')));
    expect(guard.check(onTop, mallory, NOW, () => [])).toEqual({ ok: false, reason: 'the update depends on changes the server does not have' });
  });

  it('learns the authors of comments that reach the document without a check', () => {
    const doc = serverDoc();
    const guard = new DiscussionGuard(doc);
    const elsewhere = updateOf(doc, (copy) =>
      addComment(copy, { id: 'c4', touchpointId: 'tp1', authorId: 'mallory', authorName: 'Mallory', body: 'Mine', createdAt: NOW }, as('mallory')),
    );
    Y.applyUpdate(doc, elsewhere);
    guard.follow(elsewhere);
    const remove = updateOf(doc, (copy) => deleteComment(copy, 'c4', as('x')));
    expect(guard.check(remove, mallory, NOW, () => []).ok).toBe(true);
    const another = new DiscussionGuard(serverDoc());
    another.follow(elsewhere);
    expect(another.check(remove, cora, NOW, () => [])).toEqual({ ok: false, reason: 'only its author (or the map owner) may delete a comment' });
  });

  it('reads again only the comments an update changed, and still learns an author named after the comment arrived, or a new author under an old id', () => {
    const doc = serverDoc();
    const guard = new DiscussionGuard(doc);
    const elsewhere = (edit: (copy: Y.Doc) => void): void => {
      const update = updateOf(doc, edit);
      Y.applyUpdate(doc, update);
      guard.follow(update);
    };
    // Another process wrote a comment in two steps: the entry, then its author.
    elsewhere((copy) => {
      const comment = new Y.Map<unknown>();
      comment.set('id', 'c5');
      comment.set('body', 'Half written');
      copy.getMap('comments').set('c5', comment);
    });
    elsewhere((copy) => (copy.getMap('comments').get('c5') as Y.Map<unknown>).set('authorId', 'mallory'));
    const removeC5 = updateOf(doc, (copy) => deleteComment(copy, 'c5', as('x')));
    // (A refusal would rebuild the guard's copy and read every author again: the first check must be one that passes.)
    expect(guard.check(removeC5, mallory, NOW, () => []).ok).toBe(true);

    // Cora's c1 deleted elsewhere, and a comment by Mallory written under the same id.
    elsewhere((copy) => deleteComment(copy, 'c1', as('owen')));
    elsewhere((copy) => addComment(copy, { id: 'c1', touchpointId: 'tp1', authorId: 'mallory', authorName: 'Mallory', body: 'Mine now', createdAt: NOW }, as('mallory')));
    const edit = updateOf(doc, (copy) => editComment(copy, 'c1', 'Still mine', as('mallory')));
    expect(guard.check(edit, mallory, NOW, () => []).ok).toBe(true);
  });
});
