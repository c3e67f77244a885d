'use client';

import { useEffect, useMemo, useRef, useState } from 'react';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CloseCode } from '../../lib/collab/close-codes';
import { canWrite, type DocKind, type Role } from '../../lib/permissions/roles';
import { roomName } from '../../lib/journey/rooms';

/** How often each provider asks the server for its state (see the providers below); under y-websocket's 30 s. */
const RESYNC_MS = 10_000;

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

export interface CollabSession {
  mapDoc: Y.Doc;
  discussionDoc: Y.Doc;
  mapProvider: WebsocketProvider;
  discussionProvider: WebsocketProvider;
  state: ConnectionState;
  /** Both documents have been received from the server (or, offline, from this browser). */
  ready: boolean;
  role: Role;
  refusal: Refusal | null;
  lock: Lock | null;
  merged: MergedInto | null;
  /** What changed while the map was open (a new role), said once. */
  notice: string | null;
  dismissNotice: () => void;
  /** Forgets this browser's copy (including refused edits) and reloads. */
  reset: () => Promise<void>;
}

export interface TokenAnswer {
  token: string;
  role: Role;
  merged?: MergedInto | null;
  roleChangedBy?: string | null;
}

interface NoAccessDetails {
  access: Lock['reason'];
}

class TokenRefused extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly lock: Lock | null,
  ) {
    super(message);
  }
}

/** A fresh token from the HTTP API, the source of truth for what this person may do on the map now. */
async function fetchToken(mapId: string): Promise<TokenAnswer> {
  const res = await fetch(`/api/maps/${mapId}/collab-token`, { method: 'POST' });
  const body = (await res.json().catch(() => null)) as (TokenAnswer & { error?: string; details?: NoAccessDetails }) | null;
  if (res.ok && body) return body;
  const access = body?.details?.access;
  const lock = (access === 'removed' || access === 'deleted') && body?.error ? { reason: access, message: `${body.error}.` } : null;
  throw new TokenRefused(body?.error ?? `HTTP ${res.status}`, res.status, lock);
}

function websocketBase(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/collab`;
}

function refusalOf(code: number, reason: string): Refusal {
  switch (code) {
    case CloseCode.Forbidden:
      return { code, message: reason ? `The server refused a change: ${reason}.` : 'You may not change this map.' };
    case CloseCode.NotFound:
      return { code, message: 'This map no longer exists.' };
    case CloseCode.TooLarge:
      return { code, message: 'A change was too large to send.' };
    default:
      return { code, message: reason || `The connection was closed (${code}).` };
  }
}

const WHAT_A_ROLE_MAY: Record<Role, [role: string, may: string]> = {
  owner: ['the owner', 'you can change the map, comment and manage its members'],
  editor: ['an editor', 'you can change the map and comment'],
  commenter: ['a commenter', 'you can read the map and comment, but not change it'],
  viewer: ['a viewer', 'you can read the map and its comments'],
};

/** The sentence that tells a person what changed while the map was open. */
function noticeOf(before: TokenAnswer, after: TokenAnswer): string | null {
  // A merge says so in its own banner, which stays.
  if (after.merged || before.role === after.role) return null;
  const [role, may] = WHAT_A_ROLE_MAY[after.role];
  return after.roleChangedBy ? `${after.roleChangedBy} made you ${role}: ${may}.` : `You are now ${role} of this map: ${may}.`;
}

const KINDS: readonly DocKind[] = ['map', 'discussion'];

/**
 * Both documents of a map, synced with the server through the stock
 * y-websocket provider and kept in this browser (y-indexeddb) so that edits
 * made offline survive a reload and merge on reconnect.
 *
 * The server closes a socket with RoleChanged when the person's role on the
 * map changes; the session then asks the HTTP API for a token with the new
 * role and reconnects quietly. When the new role may no longer write a
 * document, that document starts again from the server, so that nothing the
 * person typed and may not send stays on screen as if it had been accepted.
 */
export function useCollabSession(mapId: string, userId: string, initial: TokenAnswer): CollabSession | null {
  const [session, setSession] = useState<Omit<CollabSession, 'notice' | 'dismissNotice'> | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  /** Bumped to start the documents again from the server (a role that lost the right to write them). */
  const [generation, setGeneration] = useState(0);
  // The page mounts a new workspace per map (keyed by its id), so `initial` is read once.
  const current = useRef<{ answer: TokenAnswer }>({ answer: initial });

  useEffect(() => {
    const mapDoc = new Y.Doc();
    const discussionDoc = new Y.Doc();
    const params = { token: current.current.answer.token };
    const base = websocketBase();
    // y-websocket drops a connection that has heard nothing for 30 s, and a room can be silent for
    // longer (the discussion room carries no presence): asking for the server's state keeps it alive.
    const options = { params, resyncInterval: RESYNC_MS };
    const mapProvider = new WebsocketProvider(base, roomName(mapId, 'map'), mapDoc, options);
    // Presence travels on the map's room only.
    const discussionProvider = new WebsocketProvider(base, roomName(mapId, 'discussion'), discussionDoc, options);
    discussionProvider.awareness.setLocalState(null);
    // Kept per user: two people sharing a browser never share unsent edits.
    const persisted = [
      new IndexeddbPersistence(`journeyhub:${userId}:${roomName(mapId, 'map')}`, mapDoc),
      new IndexeddbPersistence(`journeyhub:${userId}:${roomName(mapId, 'discussion')}`, discussionDoc),
    ];
    const providers = [mapProvider, discussionProvider];
    let state: ConnectionState = 'connecting';
    let refusal: Refusal | null = null;
    let lock: Lock | null = null;
    let everConnected = false;
    let localReady = false;
    let ready = false;
    let disposed = false;
    /** A token for the new role is on its way: the sockets are down on purpose, not lost. */
    let swapping: Promise<void> | null = null;
    /** The documents start again from the server (a new generation): the sockets stay down until then. */
    let restarting = false;

    const publish = () => {
      if (disposed) return;
      const synced = providers.every((p) => p.synced);
      // Once shown, the documents stay shown: a reconnect (not yet synced again) must not
      // unmount the workspace, with its view, selection and undo history.
      ready ||= synced || (localReady && state !== 'connected' && everConnected) || (localReady && !navigator.onLine) || lock !== null;
      const { role, merged } = current.current.answer;
      setSession({
        mapDoc,
        discussionDoc,
        mapProvider,
        discussionProvider,
        state,
        ready,
        role,
        refusal,
        lock,
        merged: merged ?? null,
        reset: async () => {
          await Promise.all(persisted.map((p) => p.clearData()));
          window.location.reload();
        },
      });
    };

    const updateState = () => {
      const connected = providers.every((p) => p.wsconnected);
      if (connected) everConnected = true;
      // The browser knows it is offline before a socket times out (up to 30 s): it says so at once.
      if (lock || refusal) state = 'closed';
      else if (!navigator.onLine) state = 'offline';
      else if (connected || swapping || restarting) state = connected || everConnected ? 'connected' : 'connecting';
      else state = everConnected ? 'reconnecting' : 'connecting';
      publish();
    };

    const stop = (why: Lock) => {
      // Both sockets close; the first answer locks.
      if (lock) return;
      lock = why;
      for (const p of providers) p.disconnect();
      // Edits kept in this browser for a map it may not reach any more could never be sent.
      void Promise.all(persisted.map((p) => p.clearData()));
      updateState();
    };

    /** Asks the HTTP API what this person may do now, once for both sockets. */
    const renewToken = (): Promise<void> =>
      (swapping ??= fetchToken(mapId)
        .then((answer) => {
          if (disposed) return;
          const before = current.current.answer;
          current.current = { answer };
          const sentence = noticeOf(before, answer);
          if (sentence) setNotice(sentence);
          const lost = KINDS.filter((kind) => canWrite(before.role, kind) && !canWrite(answer.role, kind));
          if (lost.length > 0) {
            // What this browser holds of those documents may include edits the server will
            // not take any more: start them again from the server's copy.
            restarting = true;
            for (const p of providers) p.disconnect();
            void Promise.all(KINDS.map((kind, i) => (lost.includes(kind) ? persisted[i]?.clearData() : undefined))).then(() => setGeneration((g) => g + 1));
            return;
          }
          params.token = answer.token;
          for (const p of providers) if (!p.shouldConnect) p.connect();
        })
        .catch((error: unknown) => {
          if (error instanceof TokenRefused && error.lock) return stop(error.lock);
          if (error instanceof TokenRefused && error.status === 401) refusal = { code: CloseCode.Unauthorized, message: 'Your session ended: sign in again.' };
          else if (error instanceof TokenRefused && error.status === 404) return stop({ reason: 'removed', message: 'You no longer have access to this map.' });
          // A network failure: the providers try again by themselves.
          else for (const p of providers) if (!p.shouldConnect) p.connect();
        })
        .finally(() => {
          swapping = null;
          updateState();
        }));

    for (const provider of providers) {
      provider.on('status', updateState);
      provider.on('sync', publish);
      provider.on('connection-close', (event) => {
        if (event?.code !== CloseCode.RoleChanged) return;
        // Not with the old token: reconnect once the new one is here.
        provider.shouldConnect = false;
        void renewToken();
      });
      provider.on('closed', ({ code, reason }) => {
        if (code === CloseCode.Unauthorized) {
          // The token expired: ask for a fresh one (with the current role) and go on.
          void renewToken();
          return;
        }
        if (code === CloseCode.Forbidden || code === CloseCode.NotFound) {
          // Removed or deleted, or a change refused: the HTTP API tells which.
          void fetchToken(mapId).then(
            () => {
              refusal = refusalOf(code, reason);
              updateState();
            },
            (error: unknown) => {
              if (error instanceof TokenRefused && error.lock) stop(error.lock);
              else if (error instanceof TokenRefused && error.status === 404) stop({ reason: 'deleted', message: 'This map no longer exists.' });
              else {
                refusal = refusalOf(code, reason);
                updateState();
              }
            },
          );
          return;
        }
        refusal = refusalOf(code, reason);
        updateState();
      });
    }
    Promise.all(persisted.map((p) => p.whenSynced)).then(() => {
      localReady = true;
      publish();
    });
    window.addEventListener('online', updateState);
    window.addEventListener('offline', updateState);
    updateState();

    return () => {
      disposed = true;
      window.removeEventListener('online', updateState);
      window.removeEventListener('offline', updateState);
      for (const provider of providers) provider.destroy();
      for (const p of persisted) void p.destroy();
      mapDoc.destroy();
      discussionDoc.destroy();
    };
  }, [mapId, userId, generation]);

  return useMemo(() => (session ? { ...session, notice, dismissNotice: () => setNotice(null) } : null), [session, notice]);
}
