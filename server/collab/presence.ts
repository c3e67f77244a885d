import * as awarenessProtocol from 'y-protocols/awareness';
import type { Fanout } from '../fanout/fanout';
import type { CollabConnection } from './connection';
import type { Outbound } from './outbound';
import { FROM_FANOUT, FROM_SERVER } from './origins';
import { PresenceIdOwners, checkPresence } from './presence-guard';
import { awarenessFrame, decodeAwarenessUpdate, encodeAwarenessEntries, type AwarenessEntry } from './protocol';
import type { Room } from './room';

/**
 * Presence (awareness), beside the document pipeline: a frame is checked by
 * the presence guard (presence-guard.ts), applied to the room's awareness
 * under the name and colour the server knows, published to other processes,
 * and sent to the room's sockets as one frame per room per tick.
 */

interface AwarenessChanges {
  added: number[];
  updated: number[];
  removed: number[];
}

export interface PresenceOptions {
  fanout: Fanout;
  outbound: Outbound;
  /** The largest presence state of one client, as JSON (4413 above it). */
  maxPresenceBytes: number;
}

export class Presence {
  private readonly dirty = new Map<Room, Set<number>>();
  private scheduled = false;
  private readonly owners = new PresenceIdOwners();

  constructor(private readonly options: PresenceOptions) {}

  /** The user who set the presence under `clientId` in the room, through this process or another. */
  ownerOf(room: Room, clientId: number): string | undefined {
    return this.owners.owner(room.name, clientId);
  }

  /** A room was loaded: its presence changes go out from now on. */
  watch(room: Room): void {
    room.awareness.on('update', (changes: AwarenessChanges, origin: unknown) => this.changed(room, changes, origin));
  }

  /** The room left memory. */
  forget(room: Room): void {
    this.dirty.delete(room);
  }

  /** Everyone present in the room as one frame, or null when nobody is. */
  everyone(room: Room): Uint8Array | null {
    const present = Array.from(room.awareness.getStates().keys());
    return present.length > 0 ? awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(room.awareness, present)) : null;
  }

  /** A client asked for everyone's presence. */
  reply(connection: CollabConnection, room: Room): void {
    const ids = Array.from(room.awareness.getStates().keys());
    this.options.outbound.send(connection, awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(room.awareness, ids)));
  }

  receive(connection: CollabConnection, room: Room, update: Uint8Array): void {
    const verdict = checkPresence(connection, decodeAwarenessUpdate(update), {
      roomName: room.name,
      awareness: room.awareness,
      sockets: room.awarenessOwners,
      owners: this.owners,
      maxStateBytes: this.options.maxPresenceBytes,
    });
    if (!verdict.ok) return this.options.outbound.refuse(connection.socket, connection, verdict.code, verdict.reason, verdict.metric);
    for (const entry of verdict.changing) {
      const owner = room.awarenessOwners.get(entry.clientId);
      if (owner !== connection) {
        owner?.clientIds.delete(entry.clientId);
        room.awarenessOwners.set(entry.clientId, connection);
        connection.clientIds.add(entry.clientId);
      }
      this.owners.claim(room.name, entry.clientId, connection.userId);
      if (entry.state !== null) {
        // Others see the name and colour the server knows, whatever the client claims.
        entry.state = { ...entry.state, user: { id: connection.userId, name: connection.userName, color: connection.color } };
      }
    }
    if (verdict.changing.length > 0) awarenessProtocol.applyAwarenessUpdate(room.awareness, encodeAwarenessEntries(verdict.changing), connection);
  }

  /**
   * Presence published by another process, held to the same ownership as a
   * socket's: an id belongs to the user who first set it, whichever process
   * saw that first (each stamps the user it knows into the state), and what
   * a socket here holds is not removed from elsewhere.
   */
  receiveFanout(room: Room, payload: Uint8Array): void {
    const accepted: AwarenessEntry[] = [];
    for (const entry of decodeAwarenessUpdate(payload)) {
      const here = room.awarenessOwners.get(entry.clientId);
      if (entry.state === null) {
        if (!here) accepted.push(entry);
        continue;
      }
      const userId = (entry.state as { user?: { id?: unknown } }).user?.id;
      if (typeof userId !== 'string') continue;
      const owner = this.owners.owner(room.name, entry.clientId) ?? here?.userId;
      if (owner !== undefined && owner !== userId) continue;
      this.owners.claim(room.name, entry.clientId, userId);
      accepted.push(entry);
    }
    if (accepted.length > 0) awarenessProtocol.applyAwarenessUpdate(room.awareness, encodeAwarenessEntries(accepted), FROM_FANOUT);
  }

  /** The socket left: the presence it set goes with it. */
  leave(connection: CollabConnection, room: Room): void {
    const mine = Array.from(connection.clientIds).filter((id) => room.awarenessOwners.get(id) === connection);
    for (const id of mine) room.awarenessOwners.delete(id);
    if (mine.length > 0) awarenessProtocol.removeAwarenessStates(room.awareness, mine, FROM_SERVER);
  }

  private changed(room: Room, changes: AwarenessChanges, origin: unknown): void {
    let dirty = this.dirty.get(room);
    if (!dirty) this.dirty.set(room, (dirty = new Set()));
    for (const ids of [changes.added, changes.updated, changes.removed]) for (const id of ids) dirty.add(id);
    if (origin !== FROM_FANOUT) {
      const ids = [...changes.added, ...changes.updated, ...changes.removed];
      this.options.fanout.publish({ kind: 'awareness', room: room.name, payload: awarenessProtocol.encodeAwarenessUpdate(room.awareness, ids) });
    }
    if (this.scheduled) return;
    this.scheduled = true;
    // Presence moves often (cursors): one frame per room per tick, whoever moved.
    setImmediate(() => {
      this.scheduled = false;
      for (const [dirtyRoom, ids] of this.dirty) {
        if (dirtyRoom.connections.size === 0) continue;
        const frame = awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(dirtyRoom.awareness, Array.from(ids)));
        this.options.outbound.broadcast(dirtyRoom.connections, frame);
      }
      this.dirty.clear();
    });
  }
}
