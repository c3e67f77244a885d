import type { DocKind } from '../permissions/roles';

/**
 * Room names of a map's two documents (DESIGN.md): `<mapId>` for the map and
 * `<mapId>.discussion` for comments and votes.
 */
export const DISCUSSION_SUFFIX = '.discussion';

/** Map ids: URL-safe, so that a room name is one path segment. */
const MAP_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function isMapId(value: string): boolean {
  return MAP_ID.test(value);
}

export interface RoomName {
  mapId: string;
  kind: DocKind;
}

export function parseRoomName(room: string): RoomName | null {
  const kind: DocKind = room.endsWith(DISCUSSION_SUFFIX) ? 'discussion' : 'map';
  const mapId = kind === 'discussion' ? room.slice(0, -DISCUSSION_SUFFIX.length) : room;
  return isMapId(mapId) ? { mapId, kind } : null;
}

export function roomName(mapId: string, kind: DocKind): string {
  return kind === 'discussion' ? `${mapId}${DISCUSSION_SUFFIX}` : mapId;
}
