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
