'use client';

import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { watchAnnotations } from '../../lib/annotations';
import type { MapAnnotations } from '../../lib/annotations/types';
import { getVoteSession, readDiscussion, readMap, type VoteSession } from '../../lib/journey/schema';
import type { Discussion, JourneyMap } from '../../lib/journey/types';

/**
 * A document read into plain state at most once per animation frame, however
 * many updates arrive: an external store for useSyncExternalStore.
 */
function framedStore<T>(doc: Y.Doc, read: (doc: Y.Doc) => T) {
  let value = read(doc);
  let frame = 0;
  const listeners = new Set<() => void>();
  const onUpdate = () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      value = read(doc);
      for (const listener of listeners) listener();
    });
  };
  return {
    subscribe(listener: () => void) {
      if (listeners.size === 0) {
        value = read(doc);
        doc.on('update', onUpdate);
      }
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0) return;
        doc.off('update', onUpdate);
        if (frame) cancelAnimationFrame(frame);
        frame = 0;
      };
    },
    get: () => value,
  };
}

function useFramedRead<T>(doc: Y.Doc, read: (doc: Y.Doc) => T): T {
  const store = useMemo(() => framedStore(doc, read), [doc, read]);
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}

export const useJourneyMap = (doc: Y.Doc): JourneyMap => useFramedRead(doc, readMap);
export const useDiscussion = (doc: Y.Doc): Discussion => useFramedRead(doc, readDiscussion);
export const useVoteSession = (doc: Y.Doc): VoteSession | null => useFramedRead(doc, getVoteSession);

export function useAnnotations(mapDoc: Y.Doc, discussionDoc: Y.Doc): MapAnnotations | null {
  const [annotations, setAnnotations] = useState<MapAnnotations | null>(null);
  useEffect(() => watchAnnotations(mapDoc, discussionDoc, setAnnotations), [mapDoc, discussionDoc]);
  return annotations;
}

/** What another participant shows: who they are (from the server) and where they are. */
export interface Peer {
  clientId: number;
  user: { id: string; name: string; color: string };
  cursor: { x: number; y: number } | null;
  selection: string | null;
}

function toPeer(clientId: number, state: Record<string, unknown>): Peer | null {
  const user = state.user as Peer['user'] | undefined;
  if (!user || typeof user.name !== 'string') return null;
  const cursor = state.cursor as Peer['cursor'] | undefined;
  const selection = state.selection;
  return {
    clientId,
    user,
    cursor: cursor && typeof cursor.x === 'number' && typeof cursor.y === 'number' ? cursor : null,
    selection: typeof selection === 'string' ? selection : null,
  };
}

/** Everyone else in the room, from awareness. */
export function usePeers(awareness: Awareness): Peer[] {
  const [peers, setPeers] = useState<Peer[]>([]);
  useEffect(() => {
    let frame = 0;
    const read = () => {
      frame = 0;
      const list: Peer[] = [];
      awareness.getStates().forEach((state, clientId) => {
        if (clientId === awareness.clientID) return;
        const peer = toPeer(clientId, state);
        if (peer) list.push(peer);
      });
      setPeers(list);
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(read);
    };
    read();
    awareness.on('change', schedule);
    return () => {
      awareness.off('change', schedule);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [awareness]);
  return peers;
}
