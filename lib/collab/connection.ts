import { canWrite, type DocKind, type Role } from '../permissions/roles';
import { CloseCode } from './close-codes';

/**
 * The browser's side of a map's two collaboration sockets, as decisions
 * over plain values: what a close code means for the session, what a fresh
 * token changes, which state the screen shows and when the documents may be
 * shown. components/canvas/use-collab-session.ts only wires these to the
 * providers, IndexedDB and React; every branch here is tested without a
 * server (tests/unit/collab-connection.test.ts).
 */

/** `closed`: the server refused this browser for good (see `refusal` and `lock`); nothing reconnects. */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'closed';

/** Why the server closed a socket for good (4xxx), in words a person can act on. */
export interface Refusal {
  code: number;
  message: string;
}

/** The map is gone for this person (removed, or the map deleted): the canvas locks. */
export interface Lock {
  reason: 'removed' | 'deleted';
  message: string;
}

/** Where a merged workshop copy's work went: the copy is read-only since. */
export interface MergedInto {
  masterId: string;
  masterTitle: string;
  mergedAt: number;
}

/** POST /api/maps/:id/collab-token's answer: the source of truth for what this person may do on the map now. */
export interface TokenAnswer {
  token: string;
  role: Role;
  merged?: MergedInto | null;
  roleChangedBy?: string | null;
}

/** A token request the server refused: its HTTP status, and the lock its details name (removed, deleted), if any. */
export interface TokenRefusal {
  status: number;
  message: string;
  lock: Lock | null;
}

/** The lock a refused token request names: `details.access` is 'removed' or 'deleted' for a former member. */
export function lockOfTokenRefusal(error: string | undefined, access: unknown): Lock | null {
  return (access === 'removed' || access === 'deleted') && error ? { reason: access, message: `${error}.` } : null;
}

/** What the session does when a socket closes with `code`. */
export type CloseAction =
  /** The role changed: hold the sockets until a token for the new role is here, then reconnect quietly. */
  | 'renew-token-quietly'
  /** The token expired: ask for a fresh one (with the current role) and go on. */
  | 'renew-token'
  /** Removed, deleted, or a change refused: ask the HTTP API which, then lock or refuse. */
  | 'check-access'
  /** Anything else final: say why, stop. */
  | 'refuse'
  /** Not final (a lost network, the server going away, a slow reader): the provider reconnects by itself. */
  | 'reconnect';

/** `final`: the stock y-websocket client stops after it (4400–4499) rather than reconnecting. */
export function closeAction(code: number, final: boolean): CloseAction {
  if (code === CloseCode.RoleChanged) return 'renew-token-quietly';
  if (!final) return 'reconnect';
  if (code === CloseCode.Unauthorized) return 'renew-token';
  if (code === CloseCode.Forbidden || code === CloseCode.NotFound) return 'check-access';
  return 'refuse';
}

/** A final close in words a person can act on. */
export function refusalOf(code: number, reason: string): Refusal {
  switch (code) {
    case CloseCode.Forbidden:
      return { code, message: reason ? `The server refused a change: ${reason}.` : 'You may not change this map.' };
    case CloseCode.NotFound:
      return { code, message: 'This map no longer exists.' };
    case CloseCode.TooLarge:
      return { code, message: 'A change was too large to send.' };
    case CloseCode.TooManyRequests:
      return { code, message: 'This browser sent more than the server takes from one connection: reload the page to carry on.' };
    default:
      return { code, message: reason || `The connection was closed (${code}).` };
  }
}

/**
 * After a 4403 or 4404 the session asks for a token: still allowed means a
 * change was refused (the socket's own reason); otherwise the map is gone for
 * this person — removed (the lock the server names) or deleted.
 */
export function afterAccessCheck(code: number, reason: string, outcome: { ok: true } | TokenRefusal): { refusal: Refusal } | { lock: Lock } {
  if ('ok' in outcome) return { refusal: refusalOf(code, reason) };
  if (outcome.lock) return { lock: outcome.lock };
  if (outcome.status === 404) return { lock: { reason: 'deleted', message: 'This map no longer exists.' } };
  return { refusal: refusalOf(code, reason) };
}

const WHAT_A_ROLE_MAY: Record<Role, [role: string, may: string]> = {
  owner: ['the owner', 'you can change the map, comment and manage its members'],
  editor: ['an editor', 'you can change the map and comment'],
  commenter: ['a commenter', 'you can read the map and comment, but not change it'],
  viewer: ['a viewer', 'you can read the map and its comments'],
};

const KINDS: readonly DocKind[] = ['map', 'discussion'];

/** What a token renewal changes for the session. */
export type Renewal =
  | {
      kind: 'renewed';
      /** The sentence that tells the person what changed while the map was open; null when nothing did (or a merge, which has its banner). */
      notice: string | null;
      /**
       * Documents the new role may no longer write: what this browser holds of
       * them may include edits the server will not take, so they start again
       * from the server's copy. Empty: reconnect with the new token.
       */
      restart: DocKind[];
    }
  | { kind: 'locked'; lock: Lock }
  | { kind: 'refused'; refusal: Refusal }
  /** A network failure: the providers try again by themselves. */
  | { kind: 'retry' };

export function afterRenewal(before: TokenAnswer, outcome: { ok: true; answer: TokenAnswer } | TokenRefusal | { network: true }): Renewal {
  if ('network' in outcome) return { kind: 'retry' };
  if ('ok' in outcome) {
    const after = outcome.answer;
    return { kind: 'renewed', notice: noticeOf(before, after), restart: KINDS.filter((kind) => canWrite(before.role, kind) && !canWrite(after.role, kind)) };
  }
  if (outcome.lock) return { kind: 'locked', lock: outcome.lock };
  if (outcome.status === 401) return { kind: 'refused', refusal: { code: CloseCode.Unauthorized, message: 'Your session ended: sign in again.' } };
  if (outcome.status === 404) return { kind: 'locked', lock: { reason: 'removed', message: 'You no longer have access to this map.' } };
  return { kind: 'retry' };
}

function noticeOf(before: TokenAnswer, after: TokenAnswer): string | null {
  if (after.merged || before.role === after.role) return null;
  const [role, may] = WHAT_A_ROLE_MAY[after.role];
  return after.roleChangedBy ? `${after.roleChangedBy} made you ${role}: ${may}.` : `You are now ${role} of this map: ${may}.`;
}

/** What the session knows about its sockets and this browser at one moment. */
export interface Observed {
  /** Both sockets are open. */
  connected: boolean;
  /** Both documents have been received from the server. */
  synced: boolean;
  /** The browser's own idea (navigator.onLine): it knows before a socket times out (up to 30 s). */
  online: boolean;
  /** This browser's copies (IndexedDB) have been read. */
  localReady: boolean;
  /** The sockets are down on purpose: a token for a new role is on its way, or the documents start again. */
  holding: boolean;
  refused: boolean;
  locked: boolean;
}

/** Remembered across observations: whether the sockets were ever open, whether the documents were ever shown. */
export interface Memory {
  everConnected: boolean;
  ready: boolean;
}

export const FRESH: Memory = { everConnected: false, ready: false };

/**
 * The state the screen shows, and whether the documents may be shown. Once
 * shown they stay shown: a reconnect (not yet synced again) must not unmount
 * the workspace, with its view, selection and undo history.
 */
export function observe(memory: Memory, now: Observed): { state: ConnectionState; memory: Memory } {
  const everConnected = memory.everConnected || now.connected;
  let state: ConnectionState;
  if (now.locked || now.refused) state = 'closed';
  else if (!now.online) state = 'offline';
  else if (now.connected || now.holding) state = now.connected || everConnected ? 'connected' : 'connecting';
  else state = everConnected ? 'reconnecting' : 'connecting';
  const ready = memory.ready || now.synced || (now.localReady && state !== 'connected' && everConnected) || (now.localReady && !now.online) || now.locked;
  return { state, memory: { everConnected, ready } };
}
