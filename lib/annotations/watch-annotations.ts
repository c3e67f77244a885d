import type * as Y from 'yjs';
import { createMapReader, readDiscussion } from '../journey/schema';
import type { Discussion } from '../journey/types';
import { annotateMap } from './annotate-map';
import type { MapAnnotations, Measurements } from './types';

/** Runs `run` later and returns a function that cancels it if it has not run yet. */
export type Schedule = (run: () => void) => () => void;

export interface WatchAnnotationsOptions {
  /** When to recompute after a burst of updates; defaults to the next animation frame, else the next tick. */
  schedule?: Schedule;
  /** The contact center's figures (they live outside the documents): watch again with new ones when they change. */
  measurements?: Measurements;
}

/**
 * Calls `onChange` with the annotations of the map now (synchronously), then
 * again after the map or discussion document changes. A burst of updates —
 * a remote sync, a drag that writes every pointer move — is recomputed once,
 * on the next scheduled run: annotateMap reads the whole map, so once per
 * frame is the most a screen can use; the map is read again only where it
 * changed (createMapReader), the discussion only when it changed. Returns a
 * dispose function; after it, `onChange` is never called again.
 */
export function watchAnnotations(
  mapDoc: Y.Doc,
  discussionDoc: Y.Doc | null,
  onChange: (annotations: MapAnnotations) => void,
  options: WatchAnnotationsOptions = {},
): () => void {
  const schedule = options.schedule ?? defaultSchedule();
  let disposed = false;
  let pending = false;
  let cancelPending: (() => void) | null = null;

  const map = createMapReader(mapDoc);
  let discussion: Discussion | undefined;
  let discussionChanged = true;

  const compute = (): MapAnnotations => {
    if (discussionDoc !== null && discussionChanged) {
      discussion = readDiscussion(discussionDoc);
      discussionChanged = false;
    }
    return annotateMap(map.read(), discussion, options.measurements);
  };

  const run = (): void => {
    if (!pending) return;
    pending = false;
    cancelPending = null;
    if (!disposed) onChange(compute());
  };

  const onUpdate = (): void => {
    if (disposed || pending) return;
    pending = true;
    const cancel = schedule(run);
    // A schedule may run `run` before returning; then there is nothing left to cancel.
    if (pending) cancelPending = cancel;
  };

  const onDiscussionUpdate = (): void => {
    discussionChanged = true;
    onUpdate();
  };

  const dispose = (): void => {
    if (disposed) return;
    disposed = true;
    mapDoc.off('update', onUpdate);
    discussionDoc?.off('update', onDiscussionUpdate);
    map.dispose();
    pending = false;
    cancelPending?.();
    cancelPending = null;
  };

  mapDoc.on('update', onUpdate);
  discussionDoc?.on('update', onDiscussionUpdate);
  try {
    onChange(compute());
  } catch (error) {
    dispose();
    throw error;
  }
  return dispose;
}

function defaultSchedule(): Schedule {
  // Feature-detected rather than typed from the DOM: lib/ also runs in Node and in tests.
  const raf = globalThis.requestAnimationFrame as typeof globalThis.requestAnimationFrame | undefined;
  const cancelRaf = globalThis.cancelAnimationFrame as typeof globalThis.cancelAnimationFrame | undefined;
  if (typeof raf === 'function' && typeof cancelRaf === 'function') {
    return (run) => {
      const handle = raf(() => run());
      return () => cancelRaf(handle);
    };
  }
  return (run) => {
    const handle = setTimeout(run, 0);
    return () => clearTimeout(handle);
  };
}
