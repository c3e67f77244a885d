import type { Awareness } from 'y-protocols/awareness';
import { CloseCode } from './close-codes';
import type { CollabConnection } from './connection';
import { MalformedMessage, type AwarenessEntry } from './protocol';

/**
 * Presence's guard: presence.ts applies what it lets through.
 *
 * Presence (awareness) frames, checked before they reach the room's
 * awareness (DESIGN.md, "Websocket protocol"):
 * - a frame changes at most MAX_PRESENCE_IDS_PER_SOCKET client ids, and a
 *   socket never sets more than that many over its life: a browser has one
 *   (its document's client id), two covers a client whose id changed;
 * - each state is at most `maxStateBytes` characters of JSON (a byte each for
 *   the ASCII that presence holds);
 * - a presence id belongs to the user who first set it in the room, as a
 *   document client id does: nobody else may set it, also once that user has
 *   left (PresenceIdOwners remembers it after the socket and the room are gone).
 * Entries that change nothing are echoes: the stock y-websocket client sends
 * back every presence it receives, with the clock it came with.
 */

export const MAX_PRESENCE_IDS_PER_SOCKET = 2;
export const DEFAULT_MAX_PRESENCE_BYTES = 8 * 1024;

/**
 * Which user set each presence id in each room, kept beyond the socket and
 * the loaded room so that an id cannot be taken over once its user is gone.
 * Bounded: past `maxEntries` the oldest claims are forgotten first (each
 * socket adds at most two).
 */
export class PresenceIdOwners {
  private readonly owners = new Map<string, string>();

  constructor(private readonly maxEntries = 200_000) {}

  owner(room: string, clientId: number): string | undefined {
    return this.owners.get(`${room}\u0000${clientId}`);
  }

  claim(room: string, clientId: number, userId: string): void {
    const key = `${room}\u0000${clientId}`;
    // Re-inserted, so that the ids in use are the last to be forgotten.
    this.owners.delete(key);
    this.owners.set(key, userId);
    while (this.owners.size > this.maxEntries) {
      const oldest = this.owners.keys().next();
      if (oldest.done) break;
      this.owners.delete(oldest.value);
    }
  }
}

export type PresenceVerdict =
  | { ok: true; changing: AwarenessEntry[] }
  | { ok: false; code: number; reason: string; metric: 'awareness' | 'awareness_ids' | 'awareness_size' };

export interface PresenceContext {
  roomName: string;
  awareness: Awareness;
  /** The socket that set each id in this room and is still connected. */
  sockets: ReadonlyMap<number, CollabConnection>;
  owners: PresenceIdOwners;
  maxStateBytes: number;
}

/** The entries of `entries` that change someone's presence, or why the frame is refused. Changes nothing. */
export function checkPresence(connection: CollabConnection, entries: readonly AwarenessEntry[], context: PresenceContext): PresenceVerdict {
  const { awareness, sockets, owners, roomName, maxStateBytes } = context;
  const changing: AwarenessEntry[] = [];
  const claimed = new Set(connection.clientIds);
  for (const entry of entries) {
    if (entry.state !== null && (typeof entry.state !== 'object' || Array.isArray(entry.state))) {
      throw new MalformedMessage('presence must be an object or null');
    }
    // An entry that y-protocols would ignore (not newer) changes nobody's presence: an echo, not a claim.
    const clock = awareness.meta.get(entry.clientId)?.clock ?? 0;
    const changes = clock < entry.clock || (clock === entry.clock && entry.state === null && awareness.states.has(entry.clientId));
    if (!changes) continue;
    // A stock client that timed someone's presence out locally sends that removal
    // at the clock it has (its owner's own removal comes with the next clock):
    // not a claim either, so dropped, not applied.
    if (entry.state === null && entry.clock === clock && !connection.clientIds.has(entry.clientId)) continue;
    const socket = sockets.get(entry.clientId);
    const ownerId = owners.owner(roomName, entry.clientId) ?? socket?.userId;
    if (ownerId !== undefined && ownerId !== connection.userId) {
      return { ok: false, code: CloseCode.Forbidden, reason: 'a client may set only its own presence', metric: 'awareness' };
    }
    claimed.add(entry.clientId);
    if (claimed.size > MAX_PRESENCE_IDS_PER_SOCKET) {
      return { ok: false, code: CloseCode.Forbidden, reason: `a connection may set at most ${MAX_PRESENCE_IDS_PER_SOCKET} presence ids`, metric: 'awareness_ids' };
    }
    if (entry.state !== null) {
      // Measured on the JSON as received when the decoder kept it (no second encoding per cursor move).
      const bytes = entry.jsonLength ?? JSON.stringify(entry.state).length;
      if (bytes > maxStateBytes) {
        return { ok: false, code: CloseCode.TooLarge, reason: `a presence state larger than ${maxStateBytes} bytes (got ${bytes})`, metric: 'awareness_size' };
      }
    }
    changing.push(entry);
  }
  return { ok: true, changing };
}
