/**
 * The pure checks behind issue 12 §2 (docs/collaboration.md, "An update"):
 * which client ids an update writes with, the canonical form of a tally
 * creator's struct, and the dots budget.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { writtenClientIds } from '../../lib/collab/written-client-ids';
import { dotsRefusal, dotsUsedBy } from '../../lib/journey/dots';
import type { EditOrigin } from '../../lib/journey/origin';
import { addComment, setVotes, tallyCreatorId } from '../../lib/journey/schema';
import { TALLY_CREATOR_REFUSAL, checkTallyCreations } from '../../lib/journey/tally-creators';

const cora: EditOrigin = { userId: 'cora', kind: 'local' };

/** The update `edit` makes on a copy of `doc`. */
function updateOf(doc: Y.Doc, edit: (copy: Y.Doc) => void, clientId?: number): Uint8Array {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  // After the state: Yjs gives a document a new id when a remote change touches its own.
  if (clientId !== undefined) copy.clientID = clientId;
  const before = Y.encodeStateVector(copy);
  edit(copy);
  return Y.encodeStateAsUpdate(copy, before);
}

const structsOf = (update: Uint8Array) => Y.decodeUpdate(update).structs;

describe('writtenClientIds', () => {
  it('names the client ids whose structs reach past what the document holds; an echo writes nothing', () => {
    const server = new Y.Doc();
    const comment = { touchpointId: 'tp-1', authorId: 'cora', authorName: 'Cora', body: 'Hello', createdAt: 0 };
    const first = updateOf(server, (doc) => addComment(doc, comment, cora), 7);
    const state = (id: number) => Y.getState(server.store, id);
    expect([...writtenClientIds(structsOf(first), state)]).toEqual([7]);
    Y.applyUpdate(server, first);
    expect([...writtenClientIds(structsOf(first), state)]).toEqual([]);
    const next = updateOf(server, (doc) => addComment(doc, { ...comment, body: 'Again' }, cora), 7);
    expect([...writtenClientIds(structsOf(next), state)]).toEqual([7]);
  });
});

describe('checkTallyCreations', () => {
  it("accepts setVotes' own first dot (the canonical creation with the voter's dot in it)", () => {
    const update = updateOf(new Y.Doc(), (doc) => setVotes(doc, 'tp-1', 'cora', 1, cora), 11);
    expect(structsOf(update).some((s) => s.id.client === tallyCreatorId('tp-1'))).toBe(true);
    expect(checkTallyCreations(structsOf(update))).toBeNull();
  });

  it("refuses a creator's struct under another touchpoint's key, with content, or past clock 0", () => {
    const underOtherKey = updateOf(new Y.Doc(), (doc) => doc.getMap('votes').set('tp-2', new Y.Map()), tallyCreatorId('tp-1'));
    expect(checkTallyCreations(structsOf(underOtherKey))).toBe(TALLY_CREATOR_REFUSAL);
    const withContent = updateOf(
      new Y.Doc(),
      (doc) => {
        const tally = new Y.Map<unknown>();
        doc.getMap('votes').set('tp-1', tally);
        tally.set('cora', 1);
      },
      tallyCreatorId('tp-1'),
    );
    expect(checkTallyCreations(structsOf(withContent))).toBe(TALLY_CREATOR_REFUSAL);
    const elsewhere = updateOf(new Y.Doc(), (doc) => doc.getMap('comments').set('tp-1', new Y.Map()), tallyCreatorId('tp-1'));
    expect(checkTallyCreations(structsOf(elsewhere))).toBe(TALLY_CREATOR_REFUSAL);
  });
});

describe('dots', () => {
  it("counts a person's dots across every tally", () => {
    expect(dotsUsedBy({ a: { cora: 2, carl: 5 }, b: { cora: 1 }, c: {} }, 'cora')).toBe(3);
  });

  it('allows taking dots back always, placing them only within a running vote', () => {
    expect(dotsRefusal(5, 4, null)).toBeNull();
    expect(dotsRefusal(5, 4, 1)).toBeNull();
    expect(dotsRefusal(2, 3, 3)).toBeNull();
    expect(dotsRefusal(3, 4, 3)).toBe('you have 3 dots in this vote (this change would make it 4)');
    expect(dotsRefusal(0, 1, null)).toBe('no vote is running: dots can only be taken back');
  });
});
