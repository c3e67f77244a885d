import * as Y from 'yjs';
import { dotsRefusal } from '../journey/dots';

/**
 * Who may write which entry of the discussion document (DESIGN.md,
 * "Authorship in the discussion document"), as functions over the document's
 * comments and votes read through lib/journey/schema.ts. Each answers with
 * the reason a change is refused, or null: the server's guard
 * (server/collab/discussion-guard.ts) runs them on every change an update
 * makes, and the browser may ask them before it sends one.
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

/** What a change does to a key of a Y.Map (Yjs's own words). */
export type KeyAction = 'add' | 'update' | 'delete';

/** createdAt of a new comment must be within this of the server's clock. */
export const CREATED_AT_SKEW_MS = 60_000;
export const MAX_COMMENT_BODY = 5000;

const COMMENT_KEYS = new Set(['id', 'touchpointId', 'parentId', 'authorId', 'authorName', 'body', 'createdAt', 'resolved']);
const AUTHOR_ONLY_KEYS = new Set(['body', 'touchpointId', 'parentId']);
const NEVER_CHANGE_KEYS = new Set(['id', 'authorId', 'authorName', 'createdAt']);

const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isDots = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** commentId → authorId of every comment that names one. */
export function commentAuthors(comments: Y.Map<unknown>): Map<string, string> {
  const authors = new Map<string, string>();
  comments.forEach((comment, id) => {
    const author: unknown = comment instanceof Y.Map ? comment.get('authorId') : undefined;
    if (typeof author === 'string') authors.set(id, author);
  });
  return authors;
}

/** The comment as notifications need it, or null when it is not a whole comment. */
export function writtenComment(comments: Y.Map<unknown>, id: string): WrittenComment | null {
  const comment = comments.get(id);
  if (!(comment instanceof Y.Map)) return null;
  const touchpointId: unknown = comment.get('touchpointId');
  const body: unknown = comment.get('body');
  return typeof touchpointId === 'string' && typeof body === 'string' ? { id, touchpointId, body } : null;
}

/** A whole comment entry removed or replaced: its author may, and the map owner may delete. `author` is who wrote it. */
export function commentEntryRefusal(action: KeyAction, author: string | undefined, actor: Actor): string | null {
  if (action === 'add') return null;
  const may = author === actor.userId || (action === 'delete' && actor.isOwner);
  return may ? null : 'only its author (or the map owner) may delete a comment';
}

/** A comment added (or put in place of another) under `id`: whole, in its sender's name, dated now. */
export function newCommentRefusal(id: string, value: unknown, comments: Y.Map<unknown>, actor: Actor, now: number): string | null {
  if (!(value instanceof Y.Map)) return 'a comment must be a map of fields';
  const comment = value as Y.Map<unknown>;
  for (const [key, field] of comment.entries()) {
    if (!COMMENT_KEYS.has(key)) return `comments have no field "${key}"`;
    if (field instanceof Y.AbstractType) return 'comment fields are plain values';
  }
  if (comment.get('id') !== id) return "a comment's id must be its key";
  if (comment.get('authorId') !== actor.userId || comment.get('authorName') !== actor.userName) {
    return "a comment must be posted under its sender's own name";
  }
  const createdAt = comment.get('createdAt');
  if (typeof createdAt !== 'number' || Math.abs(createdAt - now) > CREATED_AT_SKEW_MS) {
    return "createdAt must be within a minute of the server's clock";
  }
  if (!isNonEmptyString(comment.get('touchpointId'))) return 'touchpointId must name a touchpoint';
  if (typeof comment.get('resolved') !== 'boolean') return 'resolved must be true or false';
  return bodyRefusal(comment.get('body')) ?? parentRefusal(comment.get('parentId'), id, comments);
}

/**
 * One field of an existing comment changed to `value`. Anyone who may write
 * the discussion resolves; only its author edits what it says and where.
 */
export function commentFieldRefusal(
  change: { commentId: string; key: string; action: KeyAction; value: unknown },
  author: string | undefined,
  comments: Y.Map<unknown>,
  actor: Actor,
): string | null {
  const { commentId, key, action, value } = change;
  if (!COMMENT_KEYS.has(key)) return `comments have no field "${key}"`;
  if (action === 'delete') return `a comment's "${key}" cannot be removed`;
  if (NEVER_CHANGE_KEYS.has(key)) return `a comment's ${key} never changes`;
  if (AUTHOR_ONLY_KEYS.has(key) && author !== actor.userId) return `only its author may change a comment's ${key}`;
  if (key === 'resolved' && typeof value !== 'boolean') return 'resolved must be true or false';
  if (key === 'body') return bodyRefusal(value);
  if (key === 'touchpointId' && !isNonEmptyString(value)) return 'touchpointId must name a touchpoint';
  if (key === 'parentId') return parentRefusal(value, commentId, comments);
  return null;
}

export type DotsVerdict = { ok: true; added: number } | { ok: false; reason: string };

/**
 * A touchpoint's whole tally added, replaced or removed: returns the dots it
 * adds to the sender's. Removing or replacing one touches other people's
 * dots (the owner only); a replacing tally counts whole, as if the one it
 * replaced held none of theirs.
 */
export function tallyChange(action: KeyAction, tally: unknown, actor: Actor): DotsVerdict {
  if (action !== 'add') {
    if (!actor.isOwner) return { ok: false, reason: 'only the map owner may clear votes' };
    if (action === 'delete') return { ok: true, added: 0 };
  }
  if (!(tally instanceof Y.Map)) return { ok: false, reason: 'votes of a touchpoint must be a map of user ids to dots' };
  let added = 0;
  for (const [userId, dots] of (tally as Y.Map<unknown>).entries()) {
    if (userId !== actor.userId) return { ok: false, reason: 'a user sets only their own votes' };
    if (!isDots(dots)) return { ok: false, reason: 'dots must be a whole number of 0 or more' };
    added += dots;
  }
  return { ok: true, added };
}

/** One person's dots on one touchpoint set (from `before` to `value`) or removed: their own, or any when the owner clears. */
export function dotsChange(change: { userId: string; action: KeyAction; value: unknown; before: unknown }, actor: Actor): DotsVerdict {
  const { userId, action } = change;
  const clearing = action === 'delete' && actor.isOwner;
  if (userId !== actor.userId && !clearing) return { ok: false, reason: 'a user sets only their own votes' };
  const now: unknown = action === 'delete' ? 0 : change.value;
  if (!isDots(now)) return { ok: false, reason: 'dots must be a whole number of 0 or more' };
  if (userId !== actor.userId) return { ok: true, added: 0 };
  const before: unknown = action === 'add' ? 0 : change.before;
  return { ok: true, added: now - (isDots(before) ? before : 0) };
}

/** A person's dots across the map, as readDiscussion counts them (see lib/journey/dots.ts). */
export function dotsOf(votes: Y.Map<unknown>, userId: string): number {
  let used = 0;
  votes.forEach((tally) => {
    const dots: unknown = tally instanceof Y.Map ? tally.get(userId) : undefined;
    if (isDots(dots)) used += dots;
  });
  return used;
}

/** An update that added `added` dots of the sender's, leaving them `after` in all: within the running vote? */
export function addedDotsRefusal(added: number, after: number, actor: Actor): string | null {
  return added > 0 ? dotsRefusal(after - added, after, actor.dotsPerPerson) : null;
}

export function bodyRefusal(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > MAX_COMMENT_BODY) {
    return `a comment's body must be 1 to ${MAX_COMMENT_BODY} characters`;
  }
  return null;
}

export function parentRefusal(value: unknown, id: string, comments: Y.Map<unknown>): string | null {
  if (value === null) return null;
  if (!isNonEmptyString(value) || value === id || !comments.has(value)) return 'parentId must be null or name another comment';
  return null;
}
