import * as Y from 'yjs';
import { dotsRefusal } from '../../lib/journey/dots';

/**
 * The authorship rules of the discussion document (DESIGN.md, "Authorship in
 * the discussion document"), checked on a scratch copy before an update
 * reaches the real document. The copy runs ahead of the document by the
 * updates accepted but not yet stored; a refused update spoils it, so it is
 * rebuilt from the document and those queued updates.
 */

export interface Actor {
  userId: string;
  userName: string;
  isOwner: boolean;
  /** The running vote's dots per person (from the map document), null when no vote runs. */
  dotsPerPerson: number | null;
}

/** A comment an accepted update created, or whose body it changed (its author is the sender). */
export interface WrittenComment {
  id: string;
  touchpointId: string;
  body: string;
}

export type GuardResult = { ok: true; written: WrittenComment[] } | { ok: false; reason: string };

/** createdAt of a new comment must be within this of the server's clock. */
export const CREATED_AT_SKEW_MS = 60_000;
const MAX_BODY = 5000;

const COMMENT_KEYS = new Set(['id', 'touchpointId', 'parentId', 'authorId', 'authorName', 'body', 'createdAt', 'resolved']);
const AUTHOR_ONLY_KEYS = new Set(['body', 'touchpointId', 'parentId']);
const NEVER_CHANGE_KEYS = new Set(['id', 'authorId', 'authorName', 'createdAt']);

class Refusal extends Error {}

const refuse = (reason: string): never => {
  throw new Refusal(reason);
};

const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isDots = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function keyInParent(type: Y.Map<unknown>): string | null {
  return type._item?.parentSub ?? null;
}

export class DiscussionGuard {
  private shadow = new Y.Doc();
  /** commentId → authorId: deleted comments can no longer be read, and an author never changes. */
  private readonly authors = new Map<string, string>();
  /** Comments the update being checked creates or rewrites. */
  private readonly writing = new Set<string>();

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
    this.shadow.getMap<Y.Map<unknown>>('comments').forEach((comment, id) => {
      const author = comment instanceof Y.Map ? comment.get('authorId') : undefined;
      if (typeof author === 'string') this.authors.set(id, author);
    });
  }

  /** An update that reached the document without a check (another process, a server-side edit). */
  follow(update: Uint8Array): void {
    Y.applyUpdate(this.shadow, update);
    this.learnAuthors();
  }

  check(update: Uint8Array, actor: Actor, now: number, queued: () => readonly Uint8Array[]): GuardResult {
    const comments = this.shadow.getMap<unknown>('comments');
    const votes = this.shadow.getMap<unknown>('votes');
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
    if (reason === null && dotsAdded > 0) {
      const after = dotsOf(votes, actor.userId);
      reason = dotsRefusal(after - dotsAdded, after, actor.dotsPerPerson);
    }
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
      const comment = comments.get(id);
      if (!(comment instanceof Y.Map)) continue;
      const touchpointId: unknown = comment.get('touchpointId');
      const body: unknown = comment.get('body');
      if (typeof touchpointId === 'string' && typeof body === 'string') written.push({ id, touchpointId, body });
    }
    this.writing.clear();
    return written;
  }

  private learnAuthors(): void {
    const comments = this.shadow.getMap<unknown>('comments');
    for (const id of this.authors.keys()) if (!comments.has(id)) this.authors.delete(id);
    comments.forEach((comment, id) => {
      if (!this.authors.has(id) && comment instanceof Y.Map) {
        const author: unknown = comment.get('authorId');
        if (typeof author === 'string') this.authors.set(id, author);
      }
    });
  }

  private checkCommentEvent(event: Y.YEvent<Y.AbstractType<unknown>>, comments: Y.Map<unknown>, actor: Actor, now: number): void {
    if (event.target === comments) {
      for (const [id, change] of event.changes.keys) {
        if (change.action === 'delete' || change.action === 'update') {
          const author = this.authors.get(id);
          const mayDelete = author === actor.userId || (change.action === 'delete' && actor.isOwner);
          if (!mayDelete) refuse('only its author (or the map owner) may delete a comment');
        }
        if (change.action === 'add' || change.action === 'update') {
          this.checkNewComment(id, comments.get(id), comments, actor, now);
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
      if (!COMMENT_KEYS.has(key)) refuse(`comments have no field "${key}"`);
      if (change.action === 'delete') refuse(`a comment's "${key}" cannot be removed`);
      if (NEVER_CHANGE_KEYS.has(key)) refuse(`a comment's ${key} never changes`);
      const value: unknown = target.get(key);
      if (AUTHOR_ONLY_KEYS.has(key) && author !== actor.userId) refuse(`only its author may change a comment's ${key}`);
      if (key === 'resolved' && typeof value !== 'boolean') refuse('resolved must be true or false');
      if (key === 'body') {
        checkBody(value);
        this.writing.add(id);
      }
      if (key === 'touchpointId' && !isNonEmptyString(value)) refuse('touchpointId must name a touchpoint');
      if (key === 'parentId') checkParent(value, id, comments);
    }
  }

  private checkNewComment(id: string, value: unknown, comments: Y.Map<unknown>, actor: Actor, now: number): void {
    if (!(value instanceof Y.Map)) refuse('a comment must be a map of fields');
    const comment = value as Y.Map<unknown>;
    for (const [key, field] of comment.entries()) {
      if (!COMMENT_KEYS.has(key)) refuse(`comments have no field "${key}"`);
      if (field instanceof Y.AbstractType) refuse('comment fields are plain values');
    }
    if (comment.get('id') !== id) refuse('a comment\'s id must be its key');
    if (comment.get('authorId') !== actor.userId || comment.get('authorName') !== actor.userName) {
      refuse('a comment must be posted under its sender\'s own name');
    }
    const createdAt = comment.get('createdAt');
    if (typeof createdAt !== 'number' || Math.abs(createdAt - now) > CREATED_AT_SKEW_MS) {
      refuse('createdAt must be within a minute of the server\'s clock');
    }
    if (!isNonEmptyString(comment.get('touchpointId'))) refuse('touchpointId must name a touchpoint');
    if (typeof comment.get('resolved') !== 'boolean') refuse('resolved must be true or false');
    checkBody(comment.get('body'));
    checkParent(comment.get('parentId'), id, comments);
  }

  /**
   * Checks one change of the votes; returns the dots it adds to the sender's
   * (negative when it takes some back). A tally that replaces another (the
   * owner only) counts whole, as if the one it replaced held none of theirs.
   */
  private checkVoteEvent(event: Y.YEvent<Y.AbstractType<unknown>>, votes: Y.Map<unknown>, actor: Actor): number {
    let added = 0;
    if (event.target === votes) {
      for (const [touchpointId, change] of event.changes.keys) {
        if (change.action !== 'add') {
          // Removing or replacing a touchpoint's whole tally touches other people's dots.
          if (!actor.isOwner) refuse('only the map owner may clear votes');
          if (change.action === 'delete') continue;
        }
        const tally = votes.get(touchpointId);
        if (!(tally instanceof Y.Map)) refuse('votes of a touchpoint must be a map of user ids to dots');
        for (const [userId, dots] of (tally as Y.Map<unknown>).entries()) {
          if (userId !== actor.userId) refuse('a user sets only their own votes');
          if (!isDots(dots)) refuse('dots must be a whole number of 0 or more');
          added += dots as number;
        }
      }
      return added;
    }
    const target = event.target;
    if (!(target instanceof Y.Map) || target._item?.parent !== votes) return refuse('votes hold only user ids and dots');
    for (const [userId, change] of event.changes.keys) {
      const clearing = change.action === 'delete' && actor.isOwner;
      if (userId !== actor.userId && !clearing) refuse('a user sets only their own votes');
      const now: unknown = change.action === 'delete' ? 0 : target.get(userId);
      if (!isDots(now)) refuse('dots must be a whole number of 0 or more');
      if (userId !== actor.userId) continue;
      const before: unknown = change.action === 'add' ? 0 : change.oldValue;
      added += (now as number) - (isDots(before) ? (before as number) : 0);
    }
    return added;
  }
}

/** A person's dots across the map, as readDiscussion counts them (see lib/journey/dots.ts). */
function dotsOf(votes: Y.Map<unknown>, userId: string): number {
  let used = 0;
  votes.forEach((tally) => {
    const dots: unknown = tally instanceof Y.Map ? tally.get(userId) : undefined;
    if (isDots(dots)) used += dots as number;
  });
  return used;
}

function checkBody(value: unknown): void {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > MAX_BODY) {
    refuse(`a comment's body must be 1 to ${MAX_BODY} characters`);
  }
}

function checkParent(value: unknown, id: string, comments: Y.Map<unknown>): void {
  if (value === null) return;
  if (!isNonEmptyString(value) || value === id || !comments.has(value)) refuse('parentId must be null or name another comment');
}
