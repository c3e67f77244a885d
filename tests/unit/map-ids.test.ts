/**
 * Issue 12 §6: map ids the CLI can always take. New ids never start with '-'
 * (parseArgs reads `--map -x…` as a missing value); ids made before, which
 * may, stay valid room names.
 */
import { describe, expect, it } from 'vitest';
import { isMapId, parseRoomName } from '../../lib/journey/rooms';
import { newMapId } from '../../server/maps/create-map';

describe('newMapId', () => {
  it('10,000 new ids: none starts with "-", each is a valid map id of 22 URL-safe characters, no two alike', () => {
    const ids = Array.from({ length: 10_000 }, () => newMapId());
    expect(ids.filter((id) => id.startsWith('-'))).toEqual([]);
    expect(ids.filter((id) => !isMapId(id) || !/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    // 10,000 draws from the system's random source: well under a second, but not on a machine busy with a build.
  }, 30_000);

  it('an id made before, starting with "-", is still a map id and a room name', () => {
    expect(isMapId('-oldDashId0123456789ab')).toBe(true);
    expect(parseRoomName('-oldDashId0123456789ab.discussion')).toEqual({ mapId: '-oldDashId0123456789ab', kind: 'discussion' });
  });
});
