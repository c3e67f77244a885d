/**
 * The origin of every transaction written through lib/journey/schema.ts.
 *
 * Y.UndoManager's `trackedOrigins` compares origins by identity, so a client
 * creates one EditOrigin per user session and passes that same object to every
 * write; undo then reverts that user's edits and nobody else's.
 */
export interface EditOrigin {
  userId: string;
  kind: 'local' | 'remote' | 'undo' | 'system';
}
