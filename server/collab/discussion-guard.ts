import * as Y from 'yjs';
import {
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
  type DotsVerdict,
  type WrittenComment,
} from '../../lib/collab/discussion-rules';
import { discussionComments, discussionVotes } from '../../lib/journey/schema';

/**
 * Update pipeline, the discussion's authorship step: the rules of
 * lib/collab/discussion-rules.ts run on every change an update makes, on a
 * scratch copy before the update reaches the real document. The copy runs
 * ahead of the document by the updates accepted but not yet stored; a refused
 * update spoils it, so it is rebuilt from the document and those queued updates.
 */

export type { Actor, WrittenComment };
export { CREATED_AT_SKEW_MS } from '../../lib/collab/discussion-rules';

export type GuardResult = { ok: true; written: WrittenComment[] } | { ok: false; reason: string };

class Refusal extends Error {}

/** Turns a rule's reason into the refusal that stops the update being checked. */
const enforce = (reason: string | null): void => {
  if (reason !== null) throw new Refusal(reason);
};
const refuse = (reason: string): never => {
  throw new Refusal(reason);
};
const addedBy = (verdict: DotsVerdict): number => (verdict.ok ? verdict.added : refuse(verdict.reason));

function keyInParent(type: Y.Map<unknown>): string | null {
  return type._item?.parentSub ?? null;
}

export class DiscussionGuard {
  private shadow = new Y.Doc();
  /** commentId → authorId: deleted comments can no longer be read, and an author never changes. */
  private readonly authors = new Map<string, string>();
  /** Comments the update being checked creates or rewrites. */
  private readonly writing = new Set<string>();
  /** Comments the copy changed since authors were last learned: only these are read again, not every comment. */
  private readonly changed = new Set<string>();
  private readonly noteChanged = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>): void => {
    for (const event of events) {
      if (event.target === discussionComments(this.shadow)) for (const id of event.changes.keys.keys()) this.changed.add(id);
      else if (event.target instanceof Y.Map) {
        const id = keyInParent(event.target);
        if (id !== null) this.changed.add(id);
      }
    }
  };

  constructor(private readonly source: Y.Doc) {
    this.rebuild([]);
  }

  /** Makes the copy equal to the document plus `queued` (accepted, not yet applied) updates. */
  rebuild(queued: readonly Uint8Array[]): void {
    this.shadow.destroy();
    this.shadow = new Y.Doc();
    Y.applyUpdate(this.shadow, Y.encodeStateAsUpdate(this.source));
    for (const update of queued) Y.applyUpdate(this.shadow, update);
    this.authors.clear();
    this.changed.clear();
    for (const [id, author] of commentAuthors(discussionComments(this.shadow))) this.authors.set(id, author);
    discussionComments(this.shadow).observeDeep(this.noteChanged);
  }

  /** An update that reached the document without a check (another process, a server-side edit). */
  follow(update: Uint8Array): void {
    Y.applyUpdate(this.shadow, update);
    this.learnAuthors();
  }

  check(update: Uint8Array, actor: Actor, now: number, queued: () => readonly Uint8Array[]): GuardResult {
    const comments = discussionComments(this.shadow);
    const votes = discussionVotes(this.shadow);
    this.writing.clear();
    let reason: string | null = null;
    const fail = (error: unknown): void => {
      if (reason !== null) return;
      reason = error instanceof Refusal ? error.message : 'the update breaks the discussion document schema';
    };
    const onComments = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>): void => {
      try {
        for (const event of events) this.checkCommentEvent(event, comments, actor, now);
      } catch (error) {
        fail(error);
      }
    };
    const onVotes = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>): void => {
      try {
        for (const event of events) dotsAdded += this.checkVoteEvent(event, votes, actor);
      } catch (error) {
        fail(error);
      }
    };
    const onTransaction = (tr: Y.Transaction): void => {
      for (const type of tr.changed.keys()) {
        let root: unknown = type;
        let item = type._item;
        while (item !== null && item.parent instanceof Y.AbstractType) {
          root = item.parent;
          item = item.parent._item;
        }
        if (root !== comments && root !== votes) fail(new Refusal('the discussion document holds only comments and votes'));
      }
    };
    // What the update adds to the sender's dots, from the changes themselves: the whole map is
    // counted only for an update that adds some (a person placing a dot), not for every comment.
    let dotsAdded = 0;
    comments.observeDeep(onComments);
    votes.observeDeep(onVotes);
    this.shadow.on('afterTransaction', onTransaction);
    try {
      Y.applyUpdate(this.shadow, update);
    } catch {
      reason = 'malformed update';
    } finally {
      comments.unobserveDeep(onComments);
      votes.unobserveDeep(onVotes);
      this.shadow.off('afterTransaction', onTransaction);
    }
    if (reason === null && (this.shadow.store.pendingStructs !== null || this.shadow.store.pendingDs !== null)) {
      reason = 'the update depends on changes the server does not have';
    }
    if (reason === null && dotsAdded > 0) reason = addedDotsRefusal(dotsAdded, dotsOf(votes, actor.userId), actor);
    if (reason !== null) {
      this.rebuild(queued());
      return { ok: false, reason };
    }
    this.learnAuthors();
    return { ok: true, written: this.written(comments) };
  }

  private written(comments: Y.Map<unknown>): WrittenComment[] {
    const written: WrittenComment[] = [];
    for (const id of this.writing) {
      const comment = writtenComment(comments, id);
      if (comment) written.push(comment);
    }
    this.writing.clear();
    return written;
  }

  private learnAuthors(): void {
    const comments = discussionComments(this.shadow);
    for (const id of this.changed) {
      const comment = comments.get(id);
      if (comment === undefined) this.authors.delete(id);
      else if (!this.authors.has(id)) {
        const author: unknown = comment instanceof Y.Map ? comment.get('authorId') : undefined;
        if (typeof author === 'string') this.authors.set(id, author);
      }
    }
    this.changed.clear();
  }

  private checkCommentEvent(event: Y.YEvent<Y.AbstractType<unknown>>, comments: Y.Map<unknown>, actor: Actor, now: number): void {
    if (event.target === comments) {
      for (const [id, change] of event.changes.keys) {
        enforce(commentEntryRefusal(change.action, this.authors.get(id), actor));
        if (change.action === 'add' || change.action === 'update') {
          enforce(newCommentRefusal(id, comments.get(id), comments, actor, now));
          this.writing.add(id);
        }
      }
      return;
    }
    const target = event.target;
    if (!(target instanceof Y.Map) || target._item?.parent !== comments) return refuse('comments hold only plain fields');
    const id = keyInParent(target) ?? refuse('comment without id');
    const author = this.authors.get(id);
    for (const [key, change] of event.changes.keys) {
      enforce(commentFieldRefusal({ commentId: id, key, action: change.action, value: target.get(key) }, author, comments, actor));
      if (key === 'body') this.writing.add(id);
    }
  }

  /** Checks one change of the votes; returns the dots it adds to the sender's (negative when it takes some back). */
  private checkVoteEvent(event: Y.YEvent<Y.AbstractType<unknown>>, votes: Y.Map<unknown>, actor: Actor): number {
    let added = 0;
    if (event.target === votes) {
      for (const [touchpointId, change] of event.changes.keys) added += addedBy(tallyChange(change.action, votes.get(touchpointId), actor));
      return added;
    }
    const target = event.target;
    if (!(target instanceof Y.Map) || target._item?.parent !== votes) return refuse('votes hold only user ids and dots');
    for (const [userId, change] of event.changes.keys) {
      added += addedBy(dotsChange({ userId, action: change.action, value: target.get(userId), before: change.oldValue }, actor));
    }
    return added;
  }
}
