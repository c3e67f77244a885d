import * as Y from 'yjs';
import type { StoredDoc } from './doc-store';

/**
 * Applies what the store holds for a room to `doc`, in one transaction. An
 * update that cannot be applied is skipped and reported, never fatal: one bad
 * row must not make a whole map unreadable.
 */
export function applyStoredDoc(doc: Y.Doc, stored: StoredDoc, onBadUpdate: (error: unknown, index: number) => void = () => {}, origin: unknown = 'load'): void {
  doc.transact(() => {
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    stored.updates.forEach((update, index) => {
      try {
        Y.applyUpdate(doc, update);
      } catch (error) {
        onBadUpdate(error, index);
      }
    });
  }, origin);
}

/**
 * A new document holding what the store has for a room. The whole log in one
 * transaction is the fast way; but an update that throws (a delete of
 * thousands of nested types overflows Yjs' recursion) may leave part of itself
 * applied, or make the transaction's end throw. Then the log is replayed
 * one update per transaction into a fresh document, each update that throws
 * is set aside (reported once, left out) and the document rebuilt without
 * it: the rest loads, the room opens.
 */
export function loadStoredDoc(stored: StoredDoc, onBadUpdate: (error: unknown, index: number) => void = () => {}): Y.Doc {
  const fast = new Y.Doc();
  const skipped = new Set<number>();
  try {
    applyStoredDoc(fast, stored, (error, index) => {
      skipped.add(index);
      onBadUpdate(error, index);
    });
    // An update that threw halfway may have left part of itself applied: rebuild without it.
    if (skipped.size === 0) return fast;
  } catch {
    // The transaction's end threw: the document is unusable, rebuild it.
  }
  fast.destroy();
  const good: Uint8Array[] = [];
  const rebuild = (): Y.Doc => {
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot, 'load');
    for (const update of good) Y.applyUpdate(doc, update, 'load');
    return doc;
  };
  let doc = rebuild();
  stored.updates.forEach((update, index) => {
    if (skipped.has(index)) return;
    try {
      Y.applyUpdate(doc, update, 'load');
      good.push(update);
    } catch (error) {
      onBadUpdate(error, index);
      doc.destroy();
      doc = rebuild();
    }
  });
  return doc;
}
