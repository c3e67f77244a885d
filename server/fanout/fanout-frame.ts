import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { FANOUT_KINDS, type ClientIdClaim, type FanoutKind } from './fanout';

/**
 * One fan-out message on a Redis channel, binary: the room is the channel,
 * so the frame carries the rest.
 *
 *   byte 0       format (3; 2 is read too: a frame without claims, from a process not upgraded yet)
 *   byte 1       kind, an index into FANOUT_KINDS
 *   bytes 2–17   the sending fan-out's id (a process never applies its own)
 *   bytes 18–25  seq as a float64, big-endian; NaN: none
 *   bytes 26–33  prevSeq, the same way
 *   bytes 34–41  sentAt (ms since the epoch), the same way
 *   format 3:
 *   bytes 42–45  n, the length of the claims, uint32 big-endian
 *   n bytes      the client-id claims of a document update (lib0 encoding:
 *                a count, then per claim the user id and its client ids)
 *   the rest     payload
 *
 * Whoever can publish on the Redis server can write here: a frame that does
 * not read exactly so is refused with a reason, never half applied.
 */
export const FRAME_FORMAT = 3;
const FORMAT_WITHOUT_CLAIMS = 2;
export const SENDER_ID_BYTES = 16;
const SEQ_AT = 2 + SENDER_ID_BYTES;
const HEADER_BYTES = SEQ_AT + 3 * 8;
const CLAIMS_AT = HEADER_BYTES + 4;
/** Bounds of what one frame may claim: a batch's updates of one room, each from one socket with a handful of ids. */
const MAX_CLAIMS = 10_000;
const MAX_USER_ID_CHARS = 256;

export interface FanoutFrame {
  kind: FanoutKind;
  sender: Uint8Array;
  seq?: number;
  prevSeq?: number;
  sentAt?: number;
  claims?: ClientIdClaim[];
  payload: Uint8Array;
}

const NUMBERS = ['seq', 'prevSeq', 'sentAt'] as const;

function valid(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

function encodeClaims(claims: readonly ClientIdClaim[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, claims.length);
  for (const claim of claims) {
    encoding.writeVarString(encoder, claim.userId);
    encoding.writeVarUint(encoder, claim.clientIds.length);
    for (const id of claim.clientIds) encoding.writeVarUint(encoder, id);
  }
  return encoding.toUint8Array(encoder);
}

function decodeClaims(data: Uint8Array): { ok: true; claims: ClientIdClaim[] } | { ok: false; reason: string } {
  const decoder = decoding.createDecoder(data);
  const claims: ClientIdClaim[] = [];
  let ids = 0;
  try {
    const count = decoding.readVarUint(decoder);
    if (count > MAX_CLAIMS) return { ok: false, reason: `at most ${MAX_CLAIMS} claims in a frame (got ${count})` };
    for (let i = 0; i < count; i++) {
      const userId = decoding.readVarString(decoder);
      if (userId.length === 0 || userId.length > MAX_USER_ID_CHARS) return { ok: false, reason: `a claim's user id has 1 to ${MAX_USER_ID_CHARS} characters` };
      const length = decoding.readVarUint(decoder);
      ids += length;
      if (ids > MAX_CLAIMS) return { ok: false, reason: `at most ${MAX_CLAIMS} claimed client ids in a frame` };
      const clientIds: number[] = [];
      for (let j = 0; j < length; j++) clientIds.push(decoding.readVarUint(decoder));
      claims.push({ userId, clientIds });
    }
  } catch {
    return { ok: false, reason: 'the claims do not decode' };
  }
  if (decoding.hasContent(decoder)) return { ok: false, reason: 'bytes left after the claims' };
  return { ok: true, claims };
}

export function encodeFrame(frame: FanoutFrame): Buffer {
  if (frame.sender.byteLength !== SENDER_ID_BYTES) throw new RangeError(`a sender id is ${SENDER_ID_BYTES} bytes (got ${frame.sender.byteLength})`);
  for (const name of NUMBERS) {
    const value = frame[name];
    if (value !== undefined && !valid(value)) throw new RangeError(`${name} must be a whole number 0 or more (got ${value})`);
  }
  for (const claim of frame.claims ?? []) {
    if (claim.userId.length === 0 || claim.userId.length > MAX_USER_ID_CHARS) throw new RangeError(`a claim's user id has 1 to ${MAX_USER_ID_CHARS} characters`);
    for (const id of claim.clientIds) if (!valid(id)) throw new RangeError(`a client id must be a whole number 0 or more (got ${id})`);
  }
  const claims = frame.claims && frame.claims.length > 0 ? encodeClaims(frame.claims) : new Uint8Array();
  const out = Buffer.allocUnsafe(CLAIMS_AT + claims.byteLength + frame.payload.byteLength);
  out[0] = FRAME_FORMAT;
  out[1] = FANOUT_KINDS.indexOf(frame.kind);
  out.set(frame.sender, 2);
  NUMBERS.forEach((name, index) => out.writeDoubleBE(frame[name] ?? Number.NaN, SEQ_AT + 8 * index));
  out.writeUInt32BE(claims.byteLength, HEADER_BYTES);
  out.set(claims, CLAIMS_AT);
  out.set(frame.payload, CLAIMS_AT + claims.byteLength);
  return out;
}

export type DecodedFrame = { ok: true; frame: FanoutFrame } | { ok: false; reason: string };

export function decodeFrame(data: Uint8Array): DecodedFrame {
  if (data.byteLength < HEADER_BYTES) return { ok: false, reason: `a frame has at least ${HEADER_BYTES} bytes (got ${data.byteLength})` };
  const format = data[0];
  if (format !== FRAME_FORMAT && format !== FORMAT_WITHOUT_CLAIMS) return { ok: false, reason: `unknown frame format ${format} (this process reads ${FORMAT_WITHOUT_CLAIMS} and ${FRAME_FORMAT})` };
  const kind = FANOUT_KINDS[data[1] ?? -1];
  if (kind === undefined) return { ok: false, reason: `unknown message kind ${data[1]}` };
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let payloadAt = HEADER_BYTES;
  let claims: ClientIdClaim[] = [];
  if (format === FRAME_FORMAT) {
    if (data.byteLength < CLAIMS_AT) return { ok: false, reason: `a frame of format ${FRAME_FORMAT} has at least ${CLAIMS_AT} bytes (got ${data.byteLength})` };
    const length = view.getUint32(HEADER_BYTES);
    if (CLAIMS_AT + length > data.byteLength) return { ok: false, reason: `the claims run past the frame (${length} bytes)` };
    if (length > 0) {
      const decoded = decodeClaims(data.subarray(CLAIMS_AT, CLAIMS_AT + length));
      if (!decoded.ok) return decoded;
      claims = decoded.claims;
    }
    payloadAt = CLAIMS_AT + length;
  }
  // Plain copies, not Buffer views: the receiver may keep them while the socket's buffer is reused.
  const frame: FanoutFrame = { kind, sender: new Uint8Array(data.subarray(2, 2 + SENDER_ID_BYTES)), payload: new Uint8Array(data.subarray(payloadAt)) };
  for (const [index, name] of NUMBERS.entries()) {
    const value = view.getFloat64(SEQ_AT + 8 * index);
    if (Number.isNaN(value)) continue;
    if (!valid(value)) return { ok: false, reason: `${name} must be a whole number 0 or more (got ${value})` };
    frame[name] = value;
  }
  if (claims.length > 0) frame.claims = claims;
  return { ok: true, frame };
}
