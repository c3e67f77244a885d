/**
 * The fan-out frame on a Redis channel (server/fanout/fanout-frame.ts): what
 * goes in comes out byte for byte, and anything else published on the
 * channel is refused with a reason instead of reaching a document.
 */
import { describe, expect, it } from 'vitest';
import { FANOUT_KINDS } from '../../server/fanout/fanout';
import { decodeFrame, encodeFrame, SENDER_ID_BYTES } from '../../server/fanout/fanout-frame';

const sender = new Uint8Array(SENDER_ID_BYTES).map((_, i) => i + 1);

describe('fan-out frame', () => {
  it.each(FANOUT_KINDS)('round-trips a %s message, with and without seq, prevSeq and sentAt, byte for byte', (kind) => {
    const payload = new Uint8Array(300).map((_, i) => (i * 37) % 256);
    for (const seq of [undefined, 0, 1, 2 ** 53 - 1]) {
      const decoded = decodeFrame(encodeFrame({ kind, sender, seq, payload }));
      expect(decoded).toEqual({ ok: true, frame: seq === undefined ? { kind, sender, payload } : { kind, sender, seq, payload } });
    }
    const full = { kind, sender, seq: 41, prevSeq: 17, sentAt: 1_790_000_000_000, payload };
    expect(decodeFrame(encodeFrame(full))).toEqual({ ok: true, frame: full });
  });

  it('an empty payload is a payload', () => {
    expect(decodeFrame(encodeFrame({ kind: 'doc', sender, payload: new Uint8Array() }))).toMatchObject({ ok: true, frame: { payload: new Uint8Array() } });
  });

  it('reads a frame that sits inside a larger buffer (Redis hands out slices)', () => {
    const frame = encodeFrame({ kind: 'awareness', sender, seq: 7, payload: Uint8Array.of(9, 8, 7) });
    const big = Buffer.concat([Buffer.from('junk'), frame, Buffer.from('more')]);
    expect(decodeFrame(big.subarray(4, 4 + frame.byteLength))).toEqual({ ok: true, frame: { kind: 'awareness', sender, seq: 7, payload: Uint8Array.of(9, 8, 7) } });
  });

  const good = encodeFrame({ kind: 'doc', sender, seq: 3, payload: Uint8Array.of(1, 2, 3) });
  const withNumber = (value: number, offset: number) => {
    const copy = Buffer.from(good);
    copy.writeDoubleBE(value, 2 + SENDER_ID_BYTES + offset);
    return copy;
  };
  const withSeq = (seq: number) => withNumber(seq, 0);

  it.each([
    ['nothing', new Uint8Array(), /at least 42 bytes/],
    ['a short header', good.subarray(0, 41), /at least 42 bytes/],
    ['a text message', Buffer.from('{"kind":"doc","room":"x","payload":"AAAA","padding":"xxxxxxxx"}'), /format/],
    ['an older format', Buffer.from([1, ...good.subarray(1)]), /unknown frame format 1/],
    ['an unknown kind', Buffer.from([2, FANOUT_KINDS.length, ...good.subarray(2)]), /unknown message kind/],
    ['kind 255', Buffer.from([2, 255, ...good.subarray(2)]), /unknown message kind 255/],
    ['a negative prevSeq', withNumber(-3, 8), /prevSeq must be/],
    ['a fractional sentAt', withNumber(0.5, 16), /sentAt must be/],
    ['a negative seq', withSeq(-1), /seq must be/],
    ['a fractional seq', withSeq(1.5), /seq must be/],
    ['an infinite seq', withSeq(Number.POSITIVE_INFINITY), /seq must be/],
    ['a seq past 2^53', withSeq(2 ** 60), /seq must be/],
  ])('refuses %s with a reason', (_, data, reason) => {
    const decoded = decodeFrame(data);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.reason).toMatch(reason);
  });

  it("carries a document update's client-id claims, byte for byte around them", () => {
    const payload = Uint8Array.of(5, 6, 7);
    const claims = [
      { userId: 'u-eddie', clientIds: [1, 2 ** 32 - 1] },
      { userId: 'u-ünïcode', clientIds: [2 ** 53 - 1] },
    ];
    const full = { kind: 'doc' as const, sender, seq: 9, prevSeq: 4, sentAt: 1, claims, payload };
    expect(decodeFrame(encodeFrame(full))).toEqual({ ok: true, frame: full });
  });

  it('reads a frame of format 2 (a process not upgraded yet): no claims, the payload right after the header', () => {
    const current = encodeFrame({ kind: 'doc', sender, seq: 3, prevSeq: 2, payload: Uint8Array.of(1, 2, 3) });
    const older = Buffer.concat([Buffer.from([2]), current.subarray(1, 42), Buffer.from([1, 2, 3])]);
    expect(decodeFrame(older)).toEqual({ ok: true, frame: { kind: 'doc', sender, seq: 3, prevSeq: 2, payload: Uint8Array.of(1, 2, 3) } });
  });

  const withClaims = (claims: Uint8Array, length = claims.byteLength) => {
    const header = Buffer.from(good.subarray(0, 46));
    header.writeUInt32BE(length, 42);
    return Buffer.concat([header, claims, Buffer.from([1, 2, 3])]);
  };
  it.each([
    ['claims that run past the frame', withClaims(Uint8Array.of(1), 900), /run past the frame/],
    ['claims that do not decode', withClaims(Uint8Array.of(1, 200)), /do not decode/],
    ['bytes after the claims', withClaims(Uint8Array.of(0, 7)), /bytes left after the claims/],
    ['an empty user id', withClaims(Uint8Array.of(1, 0, 1, 5)), /user id has 1 to 256/],
    ['a million claims', withClaims(Uint8Array.of(0xc0, 0x84, 0x3d)), /at most 10000 claims/],
    ['a frame of format 3 cut before its claims length', good.subarray(0, 44), /at least 46 bytes/],
  ])('refuses %s with a reason', (_, data, reason) => {
    const decoded = decodeFrame(data);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.reason).toMatch(reason);
  });

  it('refuses to write what it could not read back', () => {
    expect(() => encodeFrame({ kind: 'doc', sender, claims: [{ userId: '', clientIds: [1] }], payload: new Uint8Array() })).toThrow(/user id/);
    expect(() => encodeFrame({ kind: 'doc', sender, claims: [{ userId: 'u', clientIds: [-1] }], payload: new Uint8Array() })).toThrow(/client id/);
    expect(() => encodeFrame({ kind: 'doc', sender: new Uint8Array(4), payload: new Uint8Array() })).toThrow(/sender id/);
    expect(() => encodeFrame({ kind: 'doc', sender, seq: -2, payload: new Uint8Array() })).toThrow(/seq/);
    expect(() => encodeFrame({ kind: 'doc', sender, seq: 2, prevSeq: Number.NaN, payload: new Uint8Array() })).toThrow(/prevSeq/);
  });
});
