import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Role } from '../../lib/permissions/roles';
import type { Logger } from '../logger';
import { CloseCode } from './close-codes';
import type { CollabConnection } from './connection';
import type { RoomRegistry } from './room-registry';

/**
 * Accept's role step, kept up while a socket is open: a member's role
 * changed or removed, their sessions ended, the map merged or deleted, in
 * this process or another (told over the control channel, control.ts; and,
 * as a safety net for what that did not bring, checked against the store
 * every roleRefreshMs). A socket never gets more than its token says; it is
 * closed with the code that tells the browser what to do next.
 */

export const SIGNED_OUT_REASON = 'you were signed out; sign in again';

const RANKS: Record<Role, number> = { viewer: 0, commenter: 1, editor: 2, owner: 3 };

/** The lower of two roles; null (no membership) wins. */
export function lowerRole(a: Role | null, b: Role | null): Role | null {
  if (a === null || b === null) return null;
  return RANKS[a] <= RANKS[b] ? a : b;
}

export interface MembershipOptions {
  rooms: RoomRegistry;
  logger: Logger;
  currentRole?: (mapId: string, userId: string) => Promise<Role | null>;
  sessionGeneration?: (userId: string) => Promise<number>;
  roleRefreshMs: number;
}

export class Membership {
  private readonly timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: MembershipOptions) {
    if (options.currentRole || options.sessionGeneration) {
      this.timer = setInterval(() => void this.refresh(), options.roleRefreshMs);
      this.timer.unref();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** See CollabServer.setRole. */
  setRole(mapId: string, userId: string, role: Role | null): void {
    for (const connection of this.socketsOf(mapId)) {
      if (connection.userId !== userId) continue;
      if (role === null) connection.close(CloseCode.Forbidden, 'you are no longer a member of this map');
      else if (role !== connection.role) roleChanged(connection, lowerRole(connection.role, role) ?? 'viewer');
    }
  }

  endSessions(userId: string): void {
    for (const connection of this.sockets()) {
      if (connection.userId === userId) connection.close(CloseCode.Unauthorized, SIGNED_OUT_REASON);
    }
  }

  reopenMap(mapId: string): void {
    for (const connection of this.socketsOf(mapId)) roleChanged(connection, 'viewer');
  }

  closeMap(mapId: string): void {
    for (const connection of this.socketsOf(mapId)) connection.close(CloseCode.NotFound, 'this map was deleted');
  }

  private *sockets(): Generator<CollabConnection> {
    for (const room of this.options.rooms.all()) yield* room.connections;
  }

  private *socketsOf(mapId: string): Generator<CollabConnection> {
    for (const room of this.options.rooms.ofMap(mapId)) yield* room.connections;
  }

  /** Every open socket of each map's member, and of each user, as the loaded rooms hold them now. */
  private socketsByMember(): { byMember: Map<string, Member>; byUser: Map<string, CollabConnection[]> } {
    const byMember = new Map<string, Member>();
    const byUser = new Map<string, CollabConnection[]>();
    for (const room of this.options.rooms.all()) {
      for (const c of room.connections) {
        const key = `${room.mapId}\u0000${c.userId}`;
        let member = byMember.get(key);
        if (!member) byMember.set(key, (member = { mapId: room.mapId, userId: c.userId, sockets: [] }));
        member.sockets.push(c);
        let ofUser = byUser.get(c.userId);
        if (!ofUser) byUser.set(c.userId, (ofUser = []));
        ofUser.push(c);
      }
    }
    return { byMember, byUser };
  }

  /**
   * One question to the store per user and per member, each answer applied to
   * their sockets only: with a socket per user in a room of 1,000, walking
   * every socket for every user held the event loop 300 ms every
   * roleRefreshMs. The loop also gets a turn every SLICE_MS, between two questions.
   */
  private async refresh(): Promise<void> {
    const { byMember, byUser } = this.socketsByMember();
    const slice = new Slice();
    await this.refreshSessions(byUser, slice);
    const { currentRole, logger } = this.options;
    if (!currentRole) return;
    for (const { mapId, userId, sockets } of byMember.values()) {
      await slice.turn();
      try {
        const role = await currentRole(mapId, userId);
        for (const c of sockets) {
          if (c.closed) continue;
          // A token never grants more than it was minted for: a socket follows a change
          // within its token's role here (an upgrade beyond it needs a fresh token, which
          // the browser asks for at the next change made through the server).
          const now = lowerRole(c.tokenRole, role);
          if (now === null) c.close(CloseCode.Forbidden, 'you are no longer a member of this map');
          else if (now !== c.role) roleChanged(c, now);
        }
      } catch (error) {
        logger.error({ err: error, mapId }, 'could not refresh roles');
      }
    }
  }

  /** Sessions ended outside this process (the CLI's `user signout`, another server): their sockets close with 4401. */
  private async refreshSessions(byUser: ReadonlyMap<string, readonly CollabConnection[]>, slice: Slice): Promise<void> {
    const { sessionGeneration, logger } = this.options;
    if (!sessionGeneration) return;
    for (const [userId, sockets] of byUser) {
      await slice.turn();
      try {
        const generation = await sessionGeneration(userId);
        for (const c of sockets) {
          if (!c.closed && c.sessionGeneration !== generation) c.close(CloseCode.Unauthorized, SIGNED_OUT_REASON);
        }
      } catch (error) {
        logger.error({ err: error, userId }, 'could not check sessions');
      }
    }
  }
}

interface Member {
  mapId: string;
  userId: string;
  sockets: CollabConnection[];
}

/** How long a refresh may hold the event loop before it lets the rest of the server run. */
const SLICE_MS = 5;

class Slice {
  private started = performance.now();

  /** Waits for the event loop's next turn once this slice has run SLICE_MS. */
  async turn(): Promise<void> {
    if (performance.now() - this.started < SLICE_MS) return;
    await nextTurn();
    this.started = performance.now();
  }
}

function roleChanged(connection: CollabConnection, lowered: Role): void {
  connection.role = lowerRole(connection.role, lowered) ?? 'viewer';
  connection.close(CloseCode.RoleChanged, 'your role on this map changed; reconnect');
}
