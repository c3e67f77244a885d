import * as Y from 'yjs';
import { writtenClientIds } from '../../lib/collab/written-client-ids';
import type { DocKind } from '../../lib/permissions/roles';
import { isTallyCreatorId } from '../../lib/journey/schema';
import { checkTallyCreations } from '../../lib/journey/tally-creators';

export const CLIENT_ID_TAKEN = 'this client id belongs to another user; reconnect with a new one';

export type ClientIdVerdict = { ok: true; claimed: number[] } | { ok: false; reason: string };

/**
 * Update pipeline, the client-id step (update-pipeline.ts), after the role check.
 *
 * Who owns each Yjs client id of one room (DESIGN.md, "Authorship"): the
 * first user who writes with it. Yjs takes a struct whose id it holds for
 * the same one, so a user writing under someone else's id at clocks that
 * person has not used yet would make that person's next edits vanish (their
 * offline comment accepted and never stored). Ownership is kept in the store
 * with the update that claims it: the log cannot tell who wrote what, and
 * the map document carries no author at all.
 *
 * In the discussion, tally creators' ids are everyone's and owned by nobody;
 * what may be written under them is fixed instead (tally-creators.ts).
 */
export class ClientIdOwners {
  private readonly owners: Map<number, string>;

  constructor(
    private readonly kind: DocKind,
    stored: ReadonlyMap<number, string> = new Map(),
  ) {
    this.owners = new Map(stored);
  }

  /**
   * Whether `userId` may send an update (its decoded `structs`) to `doc` as far as client ids go, and
   * which ids it would be the first to write with. Changes nothing: the
   * caller claims them (claim) once every other check has passed.
   * `presentAs` names the user whose presence (awareness) uses an id now: a
   * client's presence id is its document's client id, so a person who has
   * not written yet is already seen by everyone under the id they will write
   * with, and nobody else may take it first.
   */
  check(doc: Y.Doc, structs: ReadonlyArray<Y.Item | Y.GC | Y.Skip>, userId: string, presentAs: (clientId: number) => string | undefined = () => undefined): ClientIdVerdict {
    if (this.kind === 'discussion') {
      const refusal = checkTallyCreations(structs);
      if (refusal !== null) return { ok: false, reason: refusal };
    }
    const claimed: number[] = [];
    for (const clientId of writtenClientIds(structs, (id) => Y.getState(doc.store, id))) {
      if (this.kind === 'discussion' && isTallyCreatorId(clientId)) continue;
      const owner = this.owners.get(clientId) ?? presentAs(clientId) ?? userId;
      if (owner !== userId) return { ok: false, reason: CLIENT_ID_TAKEN };
      if (!this.owners.has(clientId)) claimed.push(clientId);
    }
    return { ok: true, claimed };
  }

  /** The ids are `userId`'s from now on (before the update that claims them is stored: the next update of another user is held against them). */
  claim(clientIds: readonly number[], userId: string): void {
    for (const id of clientIds) this.owners.set(id, userId);
  }

  /**
   * Claims the store took with another process's updates (over the fan-out,
   * or read back when catching up): the first claim stands, as in the store.
   */
  learn(clientIds: readonly number[], userId: string): void {
    for (const id of clientIds) if (!this.owners.has(id)) this.owners.set(id, userId);
  }

  /** The update that claimed these was not stored: they are nobody's again, so that it claims them when it is sent again. */
  forget(clientIds: readonly number[]): void {
    for (const id of clientIds) this.owners.delete(id);
  }
}
