import { FANOUT_KINDS, type FanoutKind } from './fanout';

/**
 * One fan-out message on a Redis channel, binary: the room is the channel,
 * so the frame carries the rest.
 *
 *   byte 0       format (2)
 *   byte 1       kind, an index into FANOUT_KINDS
 *   bytes 2–17   the sending fan-out's id (a process never applies its own)
 *   bytes 18–25  seq as a float64, big-endian; NaN: none
 *   bytes 26–33  prevSeq, the same way
 *   bytes 34–41  sentAt (ms since the epoch), the same way
 *   bytes 42…    payload
 *
 * Whoever can publish on the Redis server can write here: a frame that does
 * not read exactly so is refused with a reason, never half applied.
 */
export const FRAME_FORMAT = 2;
export const SENDER_ID_BYTES = 16;
const SEQ_AT = 2 + SENDER_ID_BYTES;
const HEADER_BYTES = SEQ_AT + 3 * 8;

export interface FanoutFrame {
  kind: FanoutKind;
  sender: Uint8Array;
  seq?: number;
  prevSeq?: number;
  sentAt?: number;
  payload: Uint8Array;
}

const NUMBERS = ['seq', 'prevSeq', 'sentAt'] as const;

function valid(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

export function encodeFrame(frame: FanoutFrame): Buffer {
  if (frame.sender.byteLength !== SENDER_ID_BYTES) throw new RangeError(`a sender id is ${SENDER_ID_BYTES} bytes (got ${frame.sender.byteLength})`);
  for (const name of NUMBERS) {
    const value = frame[name];
    if (value !== undefined && !valid(value)) throw new RangeError(`${name} must be a whole number 0 or more (got ${value})`);
  }
  const out = Buffer.allocUnsafe(HEADER_BYTES + frame.payload.byteLength);
  out[0] = FRAME_FORMAT;
  out[1] = FANOUT_KINDS.indexOf(frame.kind);
  out.set(frame.sender, 2);
  NUMBERS.forEach((name, index) => out.writeDoubleBE(frame[name] ?? Number.NaN, SEQ_AT + 8 * index));
  out.set(frame.payload, HEADER_BYTES);
  return out;
}

export type DecodedFrame = { ok: true; frame: FanoutFrame } | { ok: false; reason: string };

export function decodeFrame(data: Uint8Array): DecodedFrame {
  if (data.byteLength < HEADER_BYTES) return { ok: false, reason: `a frame has at least ${HEADER_BYTES} bytes (got ${data.byteLength})` };
  if (data[0] !== FRAME_FORMAT) return { ok: false, reason: `unknown frame format ${data[0]} (this process reads ${FRAME_FORMAT})` };
  const kind = FANOUT_KINDS[data[1] ?? -1];
  if (kind === undefined) return { ok: false, reason: `unknown message kind ${data[1]}` };
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  // Plain copies, not Buffer views: the receiver may keep them while the socket's buffer is reused.
  const frame: FanoutFrame = { kind, sender: new Uint8Array(data.subarray(2, 2 + SENDER_ID_BYTES)), payload: new Uint8Array(data.subarray(HEADER_BYTES)) };
  for (const [index, name] of NUMBERS.entries()) {
    const value = view.getFloat64(SEQ_AT + 8 * index);
    if (Number.isNaN(value)) continue;
    if (!valid(value)) return { ok: false, reason: `${name} must be a whole number 0 or more (got ${value})` };
    frame[name] = value;
  }
  return { ok: true, frame };
}
