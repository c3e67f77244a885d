import type * as Y from 'yjs';

/** The origins of the transactions `write` makes on `doc`, in order: how many, and whose. */
export function originsOf(doc: Y.Doc, write: () => unknown): unknown[] {
  const origins: unknown[] = [];
  const listener = (transaction: Y.Transaction): void => {
    origins.push(transaction.origin);
  };
  doc.on('afterTransaction', listener);
  try {
    write();
  } finally {
    doc.off('afterTransaction', listener);
  }
  return origins;
}
