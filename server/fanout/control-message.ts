import { z } from 'zod';
import { isMapId, parseRoomName } from '../../lib/journey/rooms';
import { ROLES } from '../../lib/permissions/roles';
import type { Fanout } from './fanout';

/**
 * The fan-out's control channel: what every process must do at once to the
 * sockets it holds, published by the process (or the CLI) that made the
 * change and acted on by every other one (server/collab/control.ts).
 *
 * Sent as JSON in a frame of kind 'control' on a channel that no room can
 * have. Whoever can publish on the Redis server can write here, so a message
 * is read whole against a strict schema, with a bound on its size, or
 * refused with a reason: never half applied. At worst a forged message closes
 * sockets (they reconnect and are checked against the store again); it
 * never grants anything, because a role here only ever lowers a socket's.
 */

/** Not a room: parseRoomName refuses it ('!' is no map id character), so no client can join it and no room can clash with it. */
export const CONTROL_CHANNEL = '!control';

/** Far above the largest real message (a role change is about 150 bytes). */
export const MAX_CONTROL_BYTES = 2048;

const MapId = z.string().refine(isMapId, { error: 'mapId must be a map id' });
/** User ids are UUIDs, or the ids an operator or a test gave; bounded, printable. */
const UserId = z.string().regex(/^[\x21-\x7e]{1,128}$/, { error: 'userId must be 1 to 128 printable ASCII characters' });
const Room = z.string().refine((room) => parseRoomName(room) !== null, { error: 'room must be a room name' });

export const ControlMessageSchema = z.discriminatedUnion('type', [
  /** A member's role changed, or they were removed (null): their sockets on the map follow. */
  z.strictObject({ type: z.literal('role'), mapId: MapId, userId: UserId, role: z.enum(ROLES).nullable() }),
  /** The user's sessions ended: their sockets close with 4401. */
  z.strictObject({ type: z.literal('sessions-ended'), userId: UserId }),
  /** A workshop copy was merged: every socket on it reconnects (as a viewer). */
  z.strictObject({ type: z.literal('map-reopened'), mapId: MapId }),
  /** The map was deleted: every socket on it closes with 4404. */
  z.strictObject({ type: z.literal('map-deleted'), mapId: MapId }),
  /** A restore replaced the room's stored state: its sockets reconnect, and the room leaves memory without being compacted. */
  z.strictObject({ type: z.literal('room-replaced'), room: Room }),
]);

export type ControlMessage = z.infer<typeof ControlMessageSchema>;

export type DecodedControl = { ok: true; message: ControlMessage } | { ok: false; reason: string };

export function encodeControlMessage(message: ControlMessage): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(message));
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeControlMessage(payload: Uint8Array): DecodedControl {
  if (payload.byteLength > MAX_CONTROL_BYTES) return { ok: false, reason: `a control message has at most ${MAX_CONTROL_BYTES} bytes (got ${payload.byteLength})` };
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(payload));
  } catch (error) {
    return { ok: false, reason: `a control message is JSON in UTF-8 (${(error as Error).message})` };
  }
  const parsed = ControlMessageSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'message'}: ${issue.message}`);
    return { ok: false, reason: `not a control message (${problems.join('; ')})` };
  }
  return { ok: true, message: parsed.data };
}

/** Tells the other processes; the sender acts on its own sockets itself (a fan-out never delivers to its sender). */
export function publishControl(fanout: Fanout, message: ControlMessage): void {
  fanout.publish({ kind: 'control', room: CONTROL_CHANNEL, payload: encodeControlMessage(message) });
}
