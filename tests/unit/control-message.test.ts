/**
 * The control channel's messages (server/fanout/control-message.ts): each
 * kind goes in and comes out whole; anything else published there (bad
 * UTF-8 or JSON, an unknown type, a field too many, a bad id, a room name
 * that is no room, too many bytes) is refused with a reason, never half read.
 */
import { describe, expect, it } from 'vitest';
import { parseRoomName } from '../../lib/journey/rooms';
import { CONTROL_CHANNEL, MAX_CONTROL_BYTES, decodeControlMessage, encodeControlMessage, type ControlMessage } from '../../server/fanout/control-message';

const text = (value: string): Uint8Array => new TextEncoder().encode(value);
const json = (value: unknown): Uint8Array => text(JSON.stringify(value));

const reasonOf = (payload: Uint8Array): string => {
  const decoded = decodeControlMessage(payload);
  if (decoded.ok) throw new Error(`accepted: ${JSON.stringify(decoded.message)}`);
  return decoded.reason;
};

describe('control messages', () => {
  const every: ControlMessage[] = [
    { type: 'role', mapId: 'map-1', userId: '6f1c9a40-5d1e-4a8e-9a43-0c1d2e3f4a5b', role: 'viewer' },
    { type: 'role', mapId: 'map-1', userId: 'u1', role: null },
    { type: 'role', mapId: 'map-1', userId: 'u1', role: 'owner' },
    { type: 'sessions-ended', userId: 'u1' },
    { type: 'map-reopened', mapId: 'copy_2' },
    { type: 'map-deleted', mapId: 'A-b_9' },
    { type: 'room-replaced', room: 'map-1' },
    { type: 'room-replaced', room: 'map-1.discussion' },
  ];

  it.each(every)('round-trips %o', (message) => {
    expect(decodeControlMessage(encodeControlMessage(message))).toEqual({ ok: true, message });
  });

  it('travels on a channel that no room can have, so no client can join it', () => {
    expect(parseRoomName(CONTROL_CHANNEL)).toBeNull();
  });

  it.each([
    ['bad UTF-8', Uint8Array.of(0xc3, 0x28), /UTF-8/],
    ['JSON cut short', text('{"type":"map-deleted","mapId":'), /JSON/],
    ['not an object', json('map-deleted'), /not a control message/],
    ['an array', json([{ type: 'map-deleted', mapId: 'm' }]), /not a control message/],
    ['an unknown type', json({ type: 'shutdown' }), /type/],
    ['no type', json({ mapId: 'm' }), /type/],
    ['a field too many', json({ type: 'map-deleted', mapId: 'm', also: 'x' }), /also|unrecognized/i],
    ['a field missing', json({ type: 'role', mapId: 'm', userId: 'u' }), /role/],
    ['a role that is none', json({ type: 'role', mapId: 'm', userId: 'u', role: 'emperor' }), /role/],
    ['a map id with a slash', json({ type: 'map-deleted', mapId: '../etc' }), /mapId must be a map id/],
    ['an empty user id', json({ type: 'sessions-ended', userId: '' }), /userId/],
    ['a user id with a newline', json({ type: 'sessions-ended', userId: 'u\n1' }), /userId/],
    ['a user id of 129 characters', json({ type: 'sessions-ended', userId: 'u'.repeat(129) }), /userId/],
    ['the control channel as a room', json({ type: 'room-replaced', room: CONTROL_CHANNEL }), /room must be a room name/],
    ['a number for a map id', json({ type: 'map-deleted', mapId: 42 }), /mapId/],
  ])('refuses %s', (_what, payload, reason) => {
    expect(reasonOf(payload)).toMatch(reason);
  });

  it(`refuses more than ${MAX_CONTROL_BYTES} bytes before reading them, even a message that would be valid`, () => {
    const padded = text(`{"type":"map-deleted","mapId":"m"}${' '.repeat(MAX_CONTROL_BYTES)}`);
    expect(reasonOf(padded)).toMatch(new RegExp(`at most ${MAX_CONTROL_BYTES} bytes \\(got ${padded.byteLength}\\)`));
    expect(decodeControlMessage(padded.subarray(0, MAX_CONTROL_BYTES))).toEqual({ ok: true, message: { type: 'map-deleted', mapId: 'm' } });
  });
});
