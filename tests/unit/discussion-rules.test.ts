/**
 * The discussion's authorship rules (lib/collab/discussion-rules.ts), over
 * documents built with lib/journey/schema.ts: no server, no guard.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  CREATED_AT_SKEW_MS,
  MAX_COMMENT_BODY,
  addedDotsRefusal,
  commentAuthors,
  commentEntryRefusal,
  commentFieldRefusal,
  dotsChange,
  dotsOf,
  newCommentRefusal,
  tallyChange,
  writtenComment,
  type Actor,
} from '../../lib/collab/discussion-rules';
import type { EditOrigin } from '../../lib/journey/origin';
import { addComment, discussionComments, discussionVotes, setVotes } from '../../lib/journey/schema';

const NOW = 1_700_000_000_000;
const origin: EditOrigin = { userId: 'cora', kind: 'local' };
const cora: Actor = { userId: 'cora', userName: 'Cora', isOwner: false, dotsPerPerson: 3 };
const owen: Actor = { userId: 'owen', userName: 'Owen', isOwner: true, dotsPerPerson: 3 };
const mallory: Actor = { userId: 'mallory', userName: 'Mallory', isOwner: false, dotsPerPerson: 3 };

function discussion(): Y.Doc {
  const doc = new Y.Doc();
  addComment(doc, { id: 'c1', touchpointId: 'tp1', authorId: 'cora', authorName: 'Cora', body: 'Too slow', createdAt: NOW }, origin);
  setVotes(doc, 'tp1', 'cora', 2, origin);
  setVotes(doc, 'tp2', 'owen', 1, { userId: 'owen', kind: 'local' });
  return doc;
}

/** A comment as a client would put it, integrated in a document so that its fields can be read. */
function commentValue(fields: Record<string, unknown>): Y.Map<unknown> {
  const scratch = new Y.Doc();
  const comment = new Y.Map<unknown>();
  scratch.getMap('scratch').set('comment', comment);
  for (const [key, value] of Object.entries(fields)) comment.set(key, value);
  return comment;
}

const fresh = (over: Record<string, unknown> = {}) =>
  commentValue({ id: 'c2', touchpointId: 'tp1', parentId: null, authorId: 'cora', authorName: 'Cora', body: 'Agreed', createdAt: NOW, resolved: false, ...over });

describe('comment authorship', () => {
  it('knows who wrote each comment, and what a written comment says', () => {
    const comments = discussionComments(discussion());
    expect(commentAuthors(comments)).toEqual(new Map([['c1', 'cora']]));
    expect(writtenComment(comments, 'c1')).toEqual({ id: 'c1', touchpointId: 'tp1', body: 'Too slow' });
    expect(writtenComment(comments, 'nope')).toBeNull();
  });

  it('lets the author delete or replace a comment, the owner only delete it, nobody else either', () => {
    expect(commentEntryRefusal('delete', 'cora', cora)).toBeNull();
    expect(commentEntryRefusal('update', 'cora', cora)).toBeNull();
    expect(commentEntryRefusal('delete', 'cora', owen)).toBeNull();
    expect(commentEntryRefusal('update', 'cora', owen)).toMatch(/only its author/);
    expect(commentEntryRefusal('delete', 'cora', mallory)).toMatch(/only its author/);
    // A comment whose author is unknown (never stored) is nobody's to delete but the owner's.
    expect(commentEntryRefusal('delete', undefined, mallory)).toMatch(/only its author/);
    expect(commentEntryRefusal('add', undefined, mallory)).toBeNull();
  });

  it('accepts a whole new comment in its sender\'s name, dated now, replying to one that exists', () => {
    const comments = discussionComments(discussion());
    expect(newCommentRefusal('c2', fresh(), comments, cora, NOW)).toBeNull();
    expect(newCommentRefusal('c2', fresh({ parentId: 'c1' }), comments, cora, NOW + CREATED_AT_SKEW_MS)).toBeNull();
  });

  it('refuses new comments posted under another name, at another time, or not whole', () => {
    const comments = discussionComments(discussion());
    const cases: Array<[unknown, RegExp]> = [
      ['just a string', /map of fields/],
      [fresh({ extra: 1 }), /no field "extra"/],
      [fresh({ body: new Y.Text('x') }), /plain values/],
      [fresh({ id: 'c9' }), /id must be its key/],
      [fresh({ authorId: 'owen' }), /own name/],
      [fresh({ authorName: 'Owen' }), /own name/],
      [fresh({ createdAt: NOW - CREATED_AT_SKEW_MS - 1 }), /within a minute/],
      [fresh({ createdAt: String(NOW) }), /within a minute/],
      [fresh({ touchpointId: '' }), /touchpointId/],
      [fresh({ resolved: 'no' }), /resolved/],
      [fresh({ body: '   ' }), /body must be/],
      [fresh({ body: 'x'.repeat(MAX_COMMENT_BODY + 1) }), /body must be/],
      [fresh({ parentId: 'c2' }), /parentId/],
      [fresh({ parentId: 'missing' }), /parentId/],
    ];
    for (const [value, reason] of cases) expect(newCommentRefusal('c2', value, comments, cora, NOW)).toMatch(reason);
  });

  it('lets anyone resolve, only the author edit what a comment says, and nobody rewrite who or when', () => {
    const comments = discussionComments(discussion());
    const field = (key: string, value: unknown, action: 'add' | 'update' | 'delete' = 'update') => ({ commentId: 'c1', key, action, value });
    expect(commentFieldRefusal(field('resolved', true), 'cora', comments, mallory)).toBeNull();
    expect(commentFieldRefusal(field('body', 'Much too slow'), 'cora', comments, cora)).toBeNull();
    expect(commentFieldRefusal(field('body', 'Hijacked'), 'cora', comments, mallory)).toMatch(/only its author/);
    expect(commentFieldRefusal(field('body', 'Hijacked'), 'cora', comments, owen)).toMatch(/only its author/);
    expect(commentFieldRefusal(field('touchpointId', 'tp2'), 'cora', comments, mallory)).toMatch(/only its author/);
    expect(commentFieldRefusal(field('authorId', 'mallory'), 'cora', comments, cora)).toMatch(/never changes/);
    expect(commentFieldRefusal(field('createdAt', NOW), 'cora', comments, cora)).toMatch(/never changes/);
    expect(commentFieldRefusal(field('resolved', undefined, 'delete'), 'cora', comments, cora)).toMatch(/cannot be removed/);
    expect(commentFieldRefusal(field('resolved', 'yes'), 'cora', comments, cora)).toMatch(/true or false/);
    expect(commentFieldRefusal(field('body', ''), 'cora', comments, cora)).toMatch(/body must be/);
    expect(commentFieldRefusal(field('parentId', 'c1'), 'cora', comments, cora)).toMatch(/parentId/);
    expect(commentFieldRefusal(field('colour', 'red', 'add'), 'cora', comments, cora)).toMatch(/no field "colour"/);
  });
});

describe('votes', () => {
  it('counts a person\'s dots across the map', () => {
    const votes = discussionVotes(discussion());
    expect(dotsOf(votes, 'cora')).toBe(2);
    expect(dotsOf(votes, 'owen')).toBe(1);
    expect(dotsOf(votes, 'mallory')).toBe(0);
  });

  it('lets a person set their own dots only; the owner may clear anyone\'s', () => {
    expect(dotsChange({ userId: 'cora', action: 'update', value: 3, before: 2 }, cora)).toEqual({ ok: true, added: 1 });
    expect(dotsChange({ userId: 'cora', action: 'add', value: 2, before: undefined }, cora)).toEqual({ ok: true, added: 2 });
    expect(dotsChange({ userId: 'cora', action: 'delete', value: undefined, before: 2 }, cora)).toEqual({ ok: true, added: -2 });
    expect(dotsChange({ userId: 'cora', action: 'delete', value: undefined, before: 2 }, owen)).toEqual({ ok: true, added: 0 });
    expect(dotsChange({ userId: 'cora', action: 'update', value: 0, before: 2 }, owen)).toEqual({ ok: false, reason: 'a user sets only their own votes' });
    expect(dotsChange({ userId: 'cora', action: 'update', value: 5, before: 2 }, mallory)).toEqual({ ok: false, reason: 'a user sets only their own votes' });
    for (const bad of [-1, 1.5, '2', Number.MAX_VALUE]) {
      expect(dotsChange({ userId: 'cora', action: 'update', value: bad, before: 2 }, cora)).toEqual({ ok: false, reason: 'dots must be a whole number of 0 or more' });
    }
  });

  it('lets anyone add a tally holding only their own dots; only the owner replaces or removes one', () => {
    const tally = (entries: Record<string, unknown>) => commentValue(entries);
    expect(tallyChange('add', tally({ cora: 2 }), cora)).toEqual({ ok: true, added: 2 });
    expect(tallyChange('add', tally({ owen: 2 }), cora)).toEqual({ ok: false, reason: 'a user sets only their own votes' });
    expect(tallyChange('add', tally({ cora: -1 }), cora)).toEqual({ ok: false, reason: 'dots must be a whole number of 0 or more' });
    expect(tallyChange('add', 3, cora)).toEqual({ ok: false, reason: 'votes of a touchpoint must be a map of user ids to dots' });
    expect(tallyChange('delete', undefined, cora)).toEqual({ ok: false, reason: 'only the map owner may clear votes' });
    expect(tallyChange('update', tally({}), cora)).toEqual({ ok: false, reason: 'only the map owner may clear votes' });
    expect(tallyChange('delete', undefined, owen)).toEqual({ ok: true, added: 0 });
    expect(tallyChange('update', tally({ owen: 1 }), owen)).toEqual({ ok: true, added: 1 });
  });

  it('holds added dots to the running vote; taking dots back is always allowed', () => {
    expect(addedDotsRefusal(1, 3, cora)).toBeNull();
    expect(addedDotsRefusal(1, 4, cora)).toMatch(/you have 3 dots/);
    expect(addedDotsRefusal(1, 1, { ...cora, dotsPerPerson: null })).toMatch(/no vote is running/);
    expect(addedDotsRefusal(-2, 0, { ...cora, dotsPerPerson: null })).toBeNull();
    expect(addedDotsRefusal(0, 9, cora)).toBeNull();
  });
});
