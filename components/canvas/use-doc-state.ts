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

/** Another participant: who they are (set by the server) and the touchpoint they have selected. */
export interface Peer {
  clientId: number;
  user: { id: string; name: string; color: string };
  selection: string | null;
}

/** Where another participant's pointer is, in flow coordinates. */
export interface PeerCursor {
  clientId: number;
  user: Peer['user'];
  cursor: { x: number; y: number };
}

function userOf(state: Record<string, unknown>): Peer['user'] | null {
  const user = state.user as Peer['user'] | undefined;
  return user && typeof user.name === 'string' ? user : null;
}

function readPeers(awareness: Awareness): Peer[] {
  const peers: Peer[] = [];
  awareness.getStates().forEach((state, clientId) => {
    const user = clientId === awareness.clientID ? null : userOf(state);
    if (user) peers.push({ clientId, user, selection: typeof state.selection === 'string' ? state.selection : null });
  });
  return peers;
}

function readCursors(awareness: Awareness): PeerCursor[] {
  const cursors: PeerCursor[] = [];
  awareness.getStates().forEach((state, clientId) => {
    const user = clientId === awareness.clientID ? null : userOf(state);
    const cursor = state.cursor as PeerCursor['cursor'] | null | undefined;
    if (user && cursor && typeof cursor.x === 'number' && typeof cursor.y === 'number') cursors.push({ clientId, user, cursor });
  });
  return cursors;
}

const samePeers = (a: Peer[], b: Peer[]): boolean =>
  a.length === b.length &&
  a.every((p, i) => {
    const q = b[i];
    return q !== undefined && p.clientId === q.clientId && p.selection === q.selection && p.user.id === q.user.id && p.user.name === q.user.name && p.user.color === q.user.color;
  });

/**
 * A value read from awareness at most once per frame, when someone else's
 * state changed (my own cursor moves do not concern me), kept when `same`.
 */
function useAwareness<T>(awareness: Awareness, read: (awareness: Awareness) => T, same: (a: T, b: T) => boolean): T {
  const [value, setValue] = useState<T>(() => read(awareness));
  useEffect(() => {
    let frame = 0;
    const update = () => {
      frame = 0;
      const next = read(awareness);
      setValue((previous) => (same(previous, next) ? previous : next));
    };
    const onChange = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
      const others = [...added, ...updated, ...removed].some((id) => id !== awareness.clientID);
      if (others && !frame) frame = requestAnimationFrame(update);
    };
    update();
    awareness.on('change', onChange);
    return () => {
      awareness.off('change', onChange);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [awareness, read, same]);
  return value;
}

/** Everyone else in the room and what they have selected; unchanged (the same array) while only their pointers move. */
export const usePeers = (awareness: Awareness): Peer[] => useAwareness(awareness, readPeers, samePeers);

const alwaysNew = (): boolean => false;

/** Everyone else's pointer: changes many times a second, so only the cursor layer reads it. */
export const usePeerCursors = (awareness: Awareness): PeerCursor[] => useAwareness(awareness, readCursors, alwaysNew);
