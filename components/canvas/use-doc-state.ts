'use client';

import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { watchAnnotations } from '../../lib/annotations';
import type { MapAnnotations, Measurements } from '../../lib/annotations/types';
import { createMapReader, getVoteSession, readDiscussion, type VoteSession } from '../../lib/journey/schema';
import type { Discussion, JourneyMap } from '../../lib/journey/types';

/** Reads a document into plain state, again and again; `dispose` ends whatever it watches. */
interface DocReader<T> {
  read(): T;
  dispose?(): void;
}

const wholeReads =
  <T,>(read: (doc: Y.Doc) => T) =>
  (doc: Y.Doc): DocReader<T> => ({ read: () => read(doc) });

/**
 * A document read into plain state at most once per animation frame, however
 * many updates arrive: an external store for useSyncExternalStore.
 */
function framedStore<T>(doc: Y.Doc, open: (doc: Y.Doc) => DocReader<T>) {
  let reader: DocReader<T> | null = open(doc);
  let value = reader.read();
  let frame = 0;
  const listeners = new Set<() => void>();
  const onUpdate = () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      if (reader) value = reader.read();
      for (const listener of listeners) listener();
    });
  };
  return {
    subscribe(listener: () => void) {
      if (listeners.size === 0) {
        reader ??= open(doc);
        value = reader.read();
        doc.on('update', onUpdate);
      }
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0) return;
        doc.off('update', onUpdate);
        if (frame) cancelAnimationFrame(frame);
        frame = 0;
        reader?.dispose?.();
        reader = null;
      };
    },
    get: () => value,
  };
}

function useFramedRead<T>(doc: Y.Doc, open: (doc: Y.Doc) => DocReader<T>): T {
  const store = useMemo(() => framedStore(doc, open), [doc, open]);
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}

const readDiscussionDoc = wholeReads(readDiscussion);
const readVoteSession = wholeReads(getVoteSession);

/** The map, read again after each burst of updates only where it changed (createMapReader). */
export const useJourneyMap = (doc: Y.Doc): JourneyMap => useFramedRead(doc, createMapReader);
export const useDiscussion = (doc: Y.Doc): Discussion => useFramedRead(doc, readDiscussionDoc);
export const useVoteSession = (doc: Y.Doc): VoteSession | null => useFramedRead(doc, readVoteSession);

export function useAnnotations(mapDoc: Y.Doc, discussionDoc: Y.Doc, measurements?: Measurements): MapAnnotations | null {
  const [annotations, setAnnotations] = useState<MapAnnotations | null>(null);
  useEffect(() => watchAnnotations(mapDoc, discussionDoc, setAnnotations, { measurements }), [mapDoc, discussionDoc, measurements]);
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
