import * as Y from 'yjs';
import { DISCUSSION_ROOT_NAMES, isTallyCreatorId, tallyCreatorId } from './schema';

/**
 * Tally creators (tallyCreatorId in schema.ts) are client ids that everyone
 * writes with, so that two first dots on a touchpoint create one tally. Yjs
 * takes any struct with an id it holds already for the same one: a struct
 * under a creator's id that is not exactly what every client creates would
 * stand in for that touchpoint's tally (its dots would land elsewhere, or be
 * refused). So a struct under a creator's id is only ever the canonical one.
 */

export const TALLY_CREATOR_REFUSAL = 'a touchpoint’s tally is created only in its shared form';

/**
 * What tallyOf writes under a creator's id, and nothing else: at clock 0, one
 * empty Y.Map set in `votes` under the key of the touchpoint whose creator id it is.
 */
export function isCanonicalTallyCreation(struct: Y.Item | Y.GC | Y.Skip): boolean {
  if (!(struct instanceof Y.Item)) return false;
  const { id, parentSub, content } = struct;
  // A decoded item names a root type by its name (the typings do not say so).
  const parent: unknown = struct.parent;
  return (
    id.clock === 0 &&
    struct.length === 1 &&
    struct.origin === null &&
    struct.rightOrigin === null &&
    parent === DISCUSSION_ROOT_NAMES.votes &&
    typeof parentSub === 'string' &&
    tallyCreatorId(parentSub) === id.client &&
    content instanceof Y.ContentType &&
    content.type instanceof Y.Map &&
    content.type._map.size === 0
  );
}

/** A refusal for the first struct of a decoded discussion update that is under a creator's id and not canonical; null when there is none. */
export function checkTallyCreations(structs: ReadonlyArray<Y.Item | Y.GC | Y.Skip>): string | null {
  for (const struct of structs) {
    if (struct instanceof Y.Skip || !isTallyCreatorId(struct.id.client)) continue;
    if (!isCanonicalTallyCreation(struct)) return TALLY_CREATOR_REFUSAL;
  }
  return null;
}
