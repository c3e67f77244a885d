import type { Role } from '../../lib/permissions/roles';
import type { AppendedSeq } from '../store/doc-store';

/**
 * Changes that open sockets must follow at once, on every process that
 * serves the map: the collaboration server acts on its own sockets and tells
 * the others over the fan-out's control channel (server/collab/control.ts);
 * the CLI, which holds no socket, only tells (server/cli-live.ts). Services
 * call these after the change is stored.
 */
export interface LiveChanges {
  /** A member's role changed, or they were removed (null). */
  setRole(mapId: string, userId: string, role: Role | null): void;
  /** The user's sessions ended (sign out everywhere, a password change). */
  endSessions(userId: string): void;
  /** What everyone may do on the map changed (a workshop copy was merged). */
  reopenMap(mapId: string): void;
  /** The map was deleted. */
  closeMap(mapId: string): void;
  /**
   * Replaces a room's stored state whole (`replace` writes it: a damaged map
   * repaired from a version). Sockets on the room reconnect to the new state,
   * and no process keeps, or compacts, what it held of the old one.
   */
  replaceRoom(room: string, replace: () => Promise<void>): Promise<void>;
  /**
   * A change written straight to the store, where no collaboration server
   * runs (the CLI): processes that hold the room apply it at once, as another
   * process's edit, instead of at their next poll of the store.
   */
  stored(room: string, update: Uint8Array, at: AppendedSeq): void;
}

/** No process to tell (the CLI without REDIS_URL): open sockets follow at their next role check. */
export const NO_LIVE_CHANGES: LiveChanges = {
  setRole: () => {},
  endSessions: () => {},
  reopenMap: () => {},
  closeMap: () => {},
  replaceRoom: (_room, replace) => replace(),
  stored: () => {},
};
