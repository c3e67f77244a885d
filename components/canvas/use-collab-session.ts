'use client';

import { useEffect, useMemo, useRef, useState } from 'react';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
  FRESH,
  afterAccessCheck,
  afterRenewal,
  closeAction,
  lockOfTokenRefusal,
  observe,
  refusalOf,
  type ConnectionState,
  type Lock,
  type MergedInto,
  type Refusal,
  type TokenAnswer,
  type TokenRefusal,
} from '../../lib/collab/connection';
import type { DocKind, Role } from '../../lib/permissions/roles';
import { roomName } from '../../lib/journey/rooms';

/** How often each provider asks the server for its state (see the providers below); under y-websocket's 30 s. */
const RESYNC_MS = 10_000;

export type { ConnectionState, Lock, MergedInto, Refusal, TokenAnswer } from '../../lib/collab/connection';

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

class TokenRefused extends Error {
  constructor(readonly refusal: TokenRefusal) {
    super(refusal.message);
  }
}

/** A fresh token from the HTTP API, the source of truth for what this person may do on the map now. */
async function fetchToken(mapId: string): Promise<TokenAnswer> {
  const res = await fetch(`/api/maps/${mapId}/collab-token`, { method: 'POST' });
  const body = (await res.json().catch(() => null)) as (TokenAnswer & { error?: string; details?: { access?: unknown } }) | null;
  if (res.ok && body) return body;
  throw new TokenRefused({ status: res.status, message: body?.error ?? `HTTP ${res.status}`, lock: lockOfTokenRefusal(body?.error, body?.details?.access) });
}

/** A token request's outcome as lib/collab/connection.ts reads it. */
const refusalOfError = (error: unknown): TokenRefusal | { network: true } => (error instanceof TokenRefused ? error.refusal : { network: true });

function websocketBase(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/collab`;
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
    let memory = FRESH;
    let refusal: Refusal | null = null;
    let lock: Lock | null = null;
    let localReady = false;
    let disposed = false;
    /** A token for the new role is on its way: the sockets are down on purpose, not lost. */
    let swapping: Promise<void> | null = null;
    /** The documents start again from the server (a new generation): the sockets stay down until then. */
    let restarting = false;

    const publish = () => {
      if (disposed) return;
      const observed = observe(memory, {
        connected: providers.every((p) => p.wsconnected),
        synced: providers.every((p) => p.synced),
        online: navigator.onLine,
        localReady,
        holding: swapping !== null || restarting,
        refused: refusal !== null,
        locked: lock !== null,
      });
      memory = observed.memory;
      const { role, merged } = current.current.answer;
      setSession({
        mapDoc,
        discussionDoc,
        mapProvider,
        discussionProvider,
        state: observed.state,
        ready: memory.ready,
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
    const stop = (why: Lock) => {
      // Both sockets close; the first answer locks.
      if (lock) return;
      lock = why;
      for (const p of providers) p.disconnect();
      // Edits kept in this browser for a map it may not reach any more could never be sent.
      void Promise.all(persisted.map((p) => p.clearData()));
      publish();
    };

    /** Asks the HTTP API what this person may do now, once for both sockets. */
    const renewToken = (): Promise<void> =>
      (swapping ??= fetchToken(mapId)
        .then(
          (answer) => ({ answer, renewal: afterRenewal(current.current.answer, { ok: true, answer }) }),
          (error: unknown) => ({ answer: null, renewal: afterRenewal(current.current.answer, refusalOfError(error)) }),
        )
        .then(({ answer, renewal }) => {
          if (disposed) return;
          if (renewal.kind === 'locked') return stop(renewal.lock);
          if (renewal.kind === 'refused') refusal = renewal.refusal;
          if (renewal.kind === 'renewed' && answer) {
            current.current = { answer };
            if (renewal.notice) setNotice(renewal.notice);
            if (renewal.restart.length > 0) {
              restarting = true;
              for (const p of providers) p.disconnect();
              void Promise.all(KINDS.map((kind, i) => (renewal.restart.includes(kind) ? persisted[i]?.clearData() : undefined))).then(() => setGeneration((g) => g + 1));
              return;
            }
            params.token = answer.token;
          }
          if (renewal.kind !== 'refused') for (const p of providers) if (!p.shouldConnect) p.connect();
        })
        .finally(() => {
          swapping = null;
          publish();
        }));

    for (const provider of providers) {
      provider.on('status', publish);
      provider.on('sync', publish);
      provider.on('connection-close', (event) => {
        if (!event || closeAction(event.code, false) !== 'renew-token-quietly') return;
        // Not with the old token: reconnect once the new one is here.
        provider.shouldConnect = false;
        void renewToken();
      });
      provider.on('closed', ({ code, reason }) => {
        const action = closeAction(code, true);
        if (action === 'renew-token') {
          void renewToken();
        } else if (action === 'check-access') {
          void fetchToken(mapId).then(
            () => ({ ok: true as const }),
            (error: unknown) => refusalOfError(error),
          ).then((outcome) => {
            const verdict = afterAccessCheck(code, reason, 'network' in outcome ? { ok: true } : outcome);
            if ('lock' in verdict) return stop(verdict.lock);
            refusal = verdict.refusal;
            publish();
          });
        } else if (action === 'refuse') {
          refusal = refusalOf(code, reason);
          publish();
        }
      });
    }
    Promise.all(persisted.map((p) => p.whenSynced)).then(() => {
      localReady = true;
      publish();
    });
    window.addEventListener('online', publish);
    window.addEventListener('offline', publish);
    publish();

    return () => {
      disposed = true;
      window.removeEventListener('online', publish);
      window.removeEventListener('offline', publish);
      for (const provider of providers) provider.destroy();
      for (const p of persisted) void p.destroy();
      mapDoc.destroy();
      discussionDoc.destroy();
    };
  }, [mapId, userId, generation]);

  return useMemo(() => (session ? { ...session, notice, dismissNotice: () => setNotice(null) } : null), [session, notice]);
}
