'use client';

import { useEffect, useState } from 'react';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Role } from '../../lib/permissions/roles';
import { roomName } from '../../lib/journey/rooms';

/** How often each provider asks the server for its state (see the providers below); under y-websocket's 30 s. */
const RESYNC_MS = 10_000;

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';

/** Why the server closed a socket for good (4xxx), in words a person can act on. */
export interface Refusal {
  code: number;
  message: string;
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
  /** Forgets this browser's copy (including refused edits) and reloads. */
  reset: () => Promise<void>;
}

interface TokenAnswer {
  token: string;
  role: Role;
}

async function fetchToken(mapId: string): Promise<TokenAnswer> {
  const res = await fetch(`/api/maps/${mapId}/collab-token`, { method: 'POST' });
  const body = (await res.json().catch(() => null)) as (TokenAnswer & { error?: string }) | null;
  if (!res.ok || !body) throw Object.assign(new Error(body?.error ?? `HTTP ${res.status}`), { status: res.status });
  return body;
}

function websocketBase(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/collab`;
}

function refusalOf(code: number, reason: string): Refusal {
  switch (code) {
    case 4403:
      return { code, message: reason ? `The server refused a change: ${reason}.` : 'You may not change this map.' };
    case 4404:
      return { code, message: 'This map no longer exists.' };
    case 4413:
      return { code, message: 'A change was too large to send.' };
    default:
      return { code, message: reason || `The connection was closed (${code}).` };
  }
}

/**
 * Both documents of a map, synced with the server through the stock
 * y-websocket provider and kept in this browser (y-indexeddb) so that edits
 * made offline survive a reload and merge on reconnect.
 */
export function useCollabSession(mapId: string, userId: string, initial: TokenAnswer): CollabSession | null {
  const [session, setSession] = useState<CollabSession | null>(null);

  useEffect(() => {
    const mapDoc = new Y.Doc();
    const discussionDoc = new Y.Doc();
    const params = { token: initial.token };
    let role = initial.role;
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
    let everConnected = false;
    let localReady = false;
    let ready = false;
    let disposed = false;

    const publish = () => {
      if (disposed) return;
      const synced = providers.every((p) => p.synced);
      // Once shown, the documents stay shown: a reconnect (not yet synced again) must not
      // unmount the workspace, with its view, selection and undo history.
      ready ||= synced || (localReady && state !== 'connected' && everConnected) || (localReady && !navigator.onLine);
      setSession({
        mapDoc,
        discussionDoc,
        mapProvider,
        discussionProvider,
        state,
        ready,
        role,
        refusal,
        reset: async () => {
          await Promise.all(persisted.map((p) => p.clearData()));
          window.location.reload();
        },
      });
    };

    const updateState = () => {
      const connected = providers.every((p) => p.wsconnected);
      if (connected) everConnected = true;
      state = connected ? 'connected' : !navigator.onLine ? 'offline' : everConnected ? 'reconnecting' : 'connecting';
      publish();
    };

    for (const provider of providers) {
      provider.on('status', updateState);
      provider.on('sync', publish);
      provider.on('closed', ({ code, reason }) => {
        if (code === 4401) {
          // The token expired: ask for a fresh one (with the current role) and go on.
          fetchToken(mapId).then(
            (answer) => {
              params.token = answer.token;
              role = answer.role;
              for (const p of providers) if (!p.shouldConnect) p.connect();
              updateState();
            },
            (error: Error & { status?: number }) => {
              refusal = error.status === 401 ? { code: 4401, message: 'Your session ended: sign in again.' } : refusalOf(4404, '');
              publish();
            },
          );
          return;
        }
        refusal = refusalOf(code, reason);
        publish();
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
  }, [mapId, userId, initial.token, initial.role]);

  return session;
}
