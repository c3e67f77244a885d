import { FANOUT_KINDS, type FanoutKind } from './fanout';

/**
 * One fan-out message on a Redis channel, binary: the room is the channel,
 * so the frame carries the rest.
 *
 *   byte 0       format (1)
 *   byte 1       kind, an index into FANOUT_KINDS
 *   bytes 2–17   the sending fan-out's id (a process never applies its own)
 *   bytes 18–25  seq as a float64, big-endian; NaN: none
 *   bytes 26…    payload
 *
 * Whoever can publish on the Redis server can write here: a frame that does
 * not read exactly so is refused with a reason, never half applied.
 */
export const FRAME_FORMAT = 1;
export const SENDER_ID_BYTES = 16;
const HEADER_BYTES = 2 + SENDER_ID_BYTES + 8;

export interface FanoutFrame {
  kind: FanoutKind;
  sender: Uint8Array;
  seq?: number;
  payload: Uint8Array;
}

export function encodeFrame(frame: FanoutFrame): Buffer {
  if (frame.sender.byteLength !== SENDER_ID_BYTES) throw new RangeError(`a sender id is ${SENDER_ID_BYTES} bytes (got ${frame.sender.byteLength})`);
  if (frame.seq !== undefined && !(Number.isSafeInteger(frame.seq) && frame.seq >= 0)) throw new RangeError(`seq must be a whole number 0 or more (got ${frame.seq})`);
  const out = Buffer.allocUnsafe(HEADER_BYTES + frame.payload.byteLength);
  out[0] = FRAME_FORMAT;
  out[1] = FANOUT_KINDS.indexOf(frame.kind);
  out.set(frame.sender, 2);
  out.writeDoubleBE(frame.seq ?? Number.NaN, 2 + SENDER_ID_BYTES);
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
  const seq = view.getFloat64(2 + SENDER_ID_BYTES);
  if (!Number.isNaN(seq) && !(Number.isSafeInteger(seq) && seq >= 0)) return { ok: false, reason: `seq must be a whole number 0 or more (got ${seq})` };
  // Plain copies, not Buffer views: the receiver may keep them while the socket's buffer is reused.
  const sender = new Uint8Array(data.subarray(2, 2 + SENDER_ID_BYTES));
  const payload = new Uint8Array(data.subarray(HEADER_BYTES));
  return { ok: true, frame: Number.isNaN(seq) ? { kind, sender, payload } : { kind, sender, seq, payload } };
}
