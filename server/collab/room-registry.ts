import * as Y from 'yjs';
import { parseRoomName, roomName } from '../../lib/journey/rooms';
import { getVoteSession, upgradeMapDoc } from '../../lib/journey/schema';
import type { Logger } from '../logger';
import { DamagedMapError, reasonOf } from '../maps/damaged-map';
import type { FanoutMessage, FanoutSubscription } from '../fanout/fanout';
import type { DocStore, SetAside, StoredDoc } from '../store/doc-store';
import { CloseCode } from './close-codes';
import type { CollabMetrics } from './metrics';
import { SCHEMA_UPGRADE } from './origins';
import { Room } from './room';

/**
 * The rooms in memory (DESIGN.md, "Websocket protocol"): a room is loaded
 * from the store once however many ask at the same time (a discussion with
 * its map document, for the vote), upgraded to schema v2 by the server's own
 * stored update, kept while sockets are on it, and unloaded idleMs after the
 * last one leaves, once what was queued for it is stored.
 */

export const DEFAULT_IDLE_MS = 30_000;

/** Document updates from other processes kept while a room loads; past it the room catches up from the store instead. */
const MAX_EARLY_MESSAGES = 10_000;

export interface RoomRegistryOptions {
  store: DocStore;
  metrics: CollabMetrics;
  logger: Logger;
  /** How long a document stays in memory after its last client leaves. */
  idleMs: number;
}

/** What the other parts do when a room comes and goes. */
export interface RoomHooks {
  /** A room is about to load: other processes' messages for it, from before the store is read (see read()). */
  subscribe(name: string, onMessage: (message: FanoutMessage) => void): FanoutSubscription;
  /** A message from another process for a loaded room. */
  receive(room: Room, message: FanoutMessage): void;
  /** A room is loading: listeners on its document and presence. */
  attach(room: Room): void;
  /** The server's own update of a room: stored before anyone is sent it. */
  submit(room: Room, update: Uint8Array): void;
  /** The room is listed. */
  loaded(room: Room): void;
  /** Resolves once every update queued so far is stored, applied and sent. */
  drain(): Promise<void>;
  /** The room left memory. */
  forget(room: Room): void;
}

export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly loading = new Map<string, Promise<Room>>();
  /** mapId → dots per person of the vote running on a map whose discussion is loaded and map document is not (see voteOf). */
  private readonly votesOfUnloadedMaps = new Map<string, number | null>();
  /** Shutting down: no room is kept for later. */
  closing = false;

  constructor(
    private readonly options: RoomRegistryOptions,
    private readonly hooks: RoomHooks,
  ) {}

  get size(): number {
    return this.rooms.size;
  }

  get(name: string): Room | undefined {
    return this.rooms.get(name);
  }

  all(): IterableIterator<Room> {
    return this.rooms.values();
  }

  /** The loaded rooms of one map (its document and its discussion). */
  *ofMap(mapId: string): Generator<Room> {
    for (const room of this.rooms.values()) if (room.mapId === mapId) yield room;
  }

  /** The room called `name` (see lib/journey/rooms.ts), loaded if it is not. */
  open(name: string): Promise<Room> {
    const parsed = parseRoomName(name);
    if (!parsed) return Promise.reject(new Error(`not a room: ${name}`));
    return this.load(name, parsed.mapId, parsed.kind);
  }

  load(name: string, mapId: string, kind: Room['kind']): Promise<Room> {
    const loaded = this.rooms.get(name);
    if (loaded) return Promise.resolve(loaded);
    const pending = this.loading.get(name);
    if (pending) return pending;
    const promise = this.read(name, mapId, kind);
    this.loading.set(name, promise);
    promise.then(
      () => this.loading.delete(name),
      () => this.loading.delete(name),
    );
    return promise;
  }

  /** Nobody is on the room: it leaves memory after idleMs, unless someone comes back (or a timer runs already). */
  idleSoon(room: Room): void {
    if (room.connections.size === 0 && !room.idleTimer && !this.closing) room.idleTimer = setTimeout(() => void this.unload(room), this.options.idleMs);
  }

  /** As idleSoon, counting from now. */
  idleFromNow(room: Room): void {
    if (room.connections.size > 0 || this.closing) return;
    if (room.idleTimer) clearTimeout(room.idleTimer);
    room.idleTimer = setTimeout(() => void this.unload(room), this.options.idleMs);
  }

  /** Someone joined: the room stays. */
  keep(room: Room): void {
    if (!room.idleTimer) return;
    clearTimeout(room.idleTimer);
    room.idleTimer = null;
  }

  /**
   * The dots per person of the vote running on a map (null: none), which the
   * discussion guard holds dots against. The vote lives in the map document:
   * read there while it is loaded; when it has left memory nobody can change
   * it, and what it was is kept for as long as the discussion stays loaded.
   */
  voteOf(mapId: string): number | null {
    const mapRoom = this.rooms.get(roomName(mapId, 'map'));
    if (mapRoom) return getVoteSession(mapRoom.doc)?.dotsPerPerson ?? null;
    return this.votesOfUnloadedMaps.get(mapId) ?? null;
  }

  /** Resolves once a load of the room under way (if any) is over, whether it failed or not. */
  async settled(name: string): Promise<void> {
    await this.loading.get(name)?.catch(() => undefined);
  }

  /** The room's stored state is about to be replaced whole: what is queued is stored, and it leaves memory. */
  async drop(name: string): Promise<void> {
    await this.settled(name);
    const room = this.rooms.get(name);
    if (!room) return;
    await this.hooks.drain();
    if (this.rooms.get(name) !== room) return;
    this.remove(room);
  }

  /** Shutting down, after the last drain: every room goes. */
  clear(): void {
    for (const room of this.rooms.values()) room.destroy();
    this.rooms.clear();
  }

  /**
   * Listens to other processes before it reads the store, and keeps what
   * they publish meanwhile: an update stored after the read reaches the room
   * by its message, one stored before it is in what was read (the room's
   * chain drops the message), and nothing falls between the two.
   */
  private async read(name: string, mapId: string, kind: Room['kind']): Promise<Room> {
    const { store, logger, metrics } = this.options;
    const early: FanoutMessage[] = [];
    let deliver: ((message: FanoutMessage) => void) | null = null;
    const subscription = this.hooks.subscribe(name, (message) => {
      if (deliver) deliver(message);
      else if (message.kind === 'doc' && early.length < MAX_EARLY_MESSAGES) early.push(message);
    });
    let stored: StoredDoc;
    let owners: Map<number, string>;
    try {
      await subscription.ready;
      if (kind === 'discussion') await this.loadVote(mapId);
      stored = await store.load(name);
      owners = await store.loadClientIdOwners(name);
    } catch (error) {
      subscription();
      throw error;
    }
    const bad: SetAside[] = [];
    let room: Room;
    try {
      const setAside = (error: unknown, index: number) => {
        const seq = stored.seqs[index];
        if (seq !== undefined) bad.push({ seq, reason: reasonOf(error) });
      };
      room = new Room(name, mapId, kind, stored, setAside, owners);
    } catch (error) {
      subscription();
      throw new DamagedMapError(mapId, name, reasonOf(error));
    }
    room.unsubscribeFanout = subscription;
    room.logCount = stored.updates.length;
    room.logBytes = stored.logBytes;
    this.hooks.attach(room);
    this.rooms.set(name, room);
    metrics.docsLoaded.set(this.rooms.size);
    const loaded = room;
    deliver = (message) => this.hooks.receive(loaded, message);
    for (const message of early) this.hooks.receive(room, message);
    // Kept in the store's set-aside table, out of the log: no later load replays it (the store logs and counts it).
    await store.setAside(name, bad);
    // Nobody is sent the upgrade before it is stored: the joiners this load is for sync after it.
    if (kind === 'map' && this.upgradeSchema(room, logger)) await this.hooks.drain();
    this.hooks.loaded(room);
    return room;
  }

  /** A discussion is loading: its map document is loaded too, for the vote (it leaves memory when idle, as any). */
  private async loadVote(mapId: string): Promise<void> {
    const name = roomName(mapId, 'map');
    if (this.rooms.has(name)) return;
    try {
      this.idleSoon(await this.load(name, mapId, 'map'));
    } catch (error) {
      // The comments still open; no vote is known, so dots can only be taken back.
      this.options.logger.error({ err: error, mapId }, 'could not load the map document for its vote');
    }
  }

  /**
   * DESIGN.md, "Schema v2": a v1 map document is marked v2 by the server's own
   * update the first time it loads it; stored like any update before anyone is
   * sent it (the outbox goes out after the store).
   */
  private upgradeSchema(room: Room, logger: Logger): boolean {
    const before = Y.encodeStateVector(room.doc);
    if (!upgradeMapDoc(room.doc, SCHEMA_UPGRADE)) return false;
    logger.info({ room: room.name }, 'upgraded a map document to schema v2');
    this.hooks.submit(room, Y.encodeStateAsUpdate(room.doc, before));
    return true;
  }

  private async unload(room: Room): Promise<void> {
    await this.hooks.drain();
    // Never while it reads from the store what it lacked: it would leave memory half caught up (Hocuspocus #971).
    while (room.catchingUp) await room.catchingUp;
    if (room.connections.size > 0 || this.rooms.get(room.name) !== room) return;
    const discussion = roomName(room.mapId, 'discussion');
    if (room.kind === 'map' && (this.rooms.has(discussion) || this.loading.has(discussion))) {
      this.votesOfUnloadedMaps.set(room.mapId, getVoteSession(room.doc)?.dotsPerPerson ?? null);
    }
    if (room.kind === 'discussion') this.votesOfUnloadedMaps.delete(room.mapId);
    this.remove(room);
  }

  private remove(room: Room): void {
    // A socket that joined while the room was on its way out reconnects to the next load rather than stay on a room nobody keeps.
    for (const connection of room.connections) connection.close(CloseCode.RoleChanged, 'this map was reloaded; reconnect');
    this.rooms.delete(room.name);
    this.hooks.forget(room);
    room.destroy();
    this.options.metrics.docsLoaded.set(this.rooms.size);
  }
}
