import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as Y from 'yjs';
import type { Role } from '../../lib/permissions/roles';
import type { AppendedSeq, DocStore } from '../store/doc-store';
import { snapshotDigest } from '../store/snapshot-digest';
import type { Fanout, FanoutMessage } from '../fanout/fanout';
import type { Logger } from '../logger';
import type { LiveChanges } from '../services/live-changes';
import { canWrite } from '../../lib/permissions/roles';
import { Acceptor } from './accept';
import { CloseCode } from './close-codes';
import { CatchUp, DEFAULT_CATCH_UP_AFTER_MS, DEFAULT_CATCH_UP_POLL_MS } from './catch-up';
import { Control } from './control';
import { Compaction, DEFAULT_COMPACT_AFTER_BYTES, DEFAULT_COMPACT_AFTER_UPDATES, DEFAULT_COMPACT_QUIET_MS } from './compaction';
import type { CollabConnection } from './connection';
import type { WrittenComment } from './discussion-guard';
import { Membership } from './membership';
import type { CollabMetrics } from './metrics';
import { DEFAULT_MAX_BUFFERED_BYTES, Outbound } from './outbound';
import { Presence } from './presence';
import { DEFAULT_MAX_PRESENCE_BYTES } from './presence-guard';
import { MalformedMessage, decodeMessage } from './protocol';
import type { Room } from './room';
import { DEFAULT_IDLE_MS, RoomRegistry } from './room-registry';
import { DEFAULT_SOCKET_BUDGET, type SocketBudgetLimits } from './socket-budget';
import { DEFAULT_SLOW_SEND_MS, UpdatePipeline } from './update-pipeline';

export { DEFAULT_MAX_BUFFERED_BYTES } from './outbound';

export interface CollabServerOptions {
  store: DocStore;
  fanout: Fanout;
  secret: string;
  logger: Logger;
  metrics: CollabMetrics;
  /** Largest message a client may send, in bytes (4413 above it). */
  maxMessageBytes?: number;
  /** Largest a map document may grow, in bytes (updates past it are refused, 4403). */
  maxDocBytes?: number;
  /** Messages, bytes and costly replies one socket may ask for (4429 past them). */
  socketBudget?: SocketBudgetLimits;
  /** Unsent bytes a socket may hold when another frame is due: past it the socket is closed (4503). */
  maxBufferedBytes?: number;
  /** The largest presence state of one client, as JSON (4413 above it). */
  maxPresenceBytes?: number;
  /** How long a document stays in memory after its last client leaves. */
  idleMs?: number;
  /** How long an update from another process may wait for the one before it before the store is read (catch-up.ts). */
  catchUpAfterMs?: number;
  /** How often the loaded rooms' last seqs are compared with the store's, for writers that publish nothing (0: never). */
  catchUpPollMs?: number;
  /** Compact a document's log once it holds this many updates or bytes. */
  compactAfterUpdates?: number;
  compactAfterBytes?: number;
  /** …once it has had no stored update for this long (0: at once; compaction.ts). */
  compactQuietMs?: number;
  /** A send to a room's sockets this long or longer (ms) merges each stored batch with the commit behind it (update-pipeline.ts). */
  slowSendMs?: number;
  /**
   * The role the user has on the map now, or null when they have none: a
   * token cannot grant more than its holder still has. Without it the token's role stands.
   */
  currentRole?: (mapId: string, userId: string) => Promise<Role | null>;
  /**
   * How often open sockets' roles and sessions are checked again against the
   * store: the safety net for changes the control channel did not bring (the
   * CLI without REDIS_URL, a process cut from Redis when one was published).
   */
  roleRefreshMs?: number;
  /**
   * The user's session generation now: a collaboration token minted at an
   * older one (before they signed out everywhere or changed their password)
   * opens nothing. Without it tokens are not checked for it.
   */
  sessionGeneration?: (userId: string) => Promise<number>;
  /**
   * The last socket of this process that could write a map's document left
   * after changes: the moment for an automatic version, unless someone who
   * may write is still there through another process (`presentElsewhere`:
   * the users whose presence other processes relay; the hook knows roles).
   */
  onLastEditorLeft?: (mapId: string, presentElsewhere: string[]) => void;
  /**
   * Comments a client wrote (created, or changed the body of), once stored:
   * the moment for @mention notifications. Refused updates never get here;
   * the hook must not throw or block.
   */
  onCommentsStored?: (written: { mapId: string; authorId: string; authorName: string; comments: WrittenComment[] }) => void;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
export const DEFAULT_MAX_DOC_BYTES = 16 * 1024 * 1024;

/**
 * The websocket side, wired from its parts in the order DESIGN.md's pipeline
 * reads ("An incoming update, step by step"): accept (accept.ts, membership.ts),
 * the rooms in memory (room-registry.ts), the update pipeline
 * (update-pipeline.ts), presence (presence.ts) and compaction (compaction.ts).
 * Every update is stored before anyone sees it.
 */
export class CollabServer implements LiveChanges {
  private readonly outbound: Outbound;
  private readonly rooms: RoomRegistry;
  private readonly pipeline: UpdatePipeline;
  private readonly presence: Presence;
  private readonly compaction: Compaction;
  private readonly membership: Membership;
  private readonly control: Control;
  private readonly acceptor: Acceptor;
  private readonly catchUp: CatchUp;
  private readonly stopReconnect: () => void;

  constructor(private readonly options: CollabServerOptions) {
    const { store, fanout, logger, metrics } = options;
    this.outbound = new Outbound({ metrics, logger, maxBufferedBytes: options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES });
    const outbound = this.outbound;
    this.rooms = new RoomRegistry(
      { store, metrics, logger, idleMs: options.idleMs ?? DEFAULT_IDLE_MS },
      {
        subscribe: (name, onMessage) => fanout.subscribe(name, onMessage),
        receive: (room, message) => this.receiveFanout(room, message),
        attach: (room) => this.attach(room),
        submit: (room, update) => this.pipeline.submit(room, update),
        loaded: (room) => this.compaction.maybeCompact(room),
        drain: () => this.drain(),
        forget: (room) => {
          this.pipeline.forget(room);
          this.presence.forget(room);
        },
      },
    );
    this.compaction = new Compaction({
      store,
      metrics,
      logger,
      afterUpdates: options.compactAfterUpdates ?? DEFAULT_COMPACT_AFTER_UPDATES,
      quietMs: options.compactQuietMs ?? DEFAULT_COMPACT_QUIET_MS,
      afterBytes: options.compactAfterBytes ?? DEFAULT_COMPACT_AFTER_BYTES,
      applyStored: (room, updates) => this.pipeline.applyStored(room, updates),
    });
    this.catchUp = new CatchUp({
      store,
      logger,
      metrics,
      afterMs: options.catchUpAfterMs ?? DEFAULT_CATCH_UP_AFTER_MS,
      pollMs: options.catchUpPollMs ?? DEFAULT_CATCH_UP_POLL_MS,
      rooms: () => this.rooms.all(),
      apply: (room, updates) => this.pipeline.applyStored(room, updates),
    });
    this.stopReconnect = fanout.onReconnect(() => {
      logger.warn({ rooms: this.rooms.size }, 'the Redis link dropped and is back: every loaded document catches up from the store');
      void this.catchUp.all('reconnect');
    });
    this.pipeline = new UpdatePipeline({
      store,
      fanout,
      metrics,
      logger,
      outbound,
      maxDocBytes: options.maxDocBytes ?? DEFAULT_MAX_DOC_BYTES,
      slowSendMs: options.slowSendMs ?? DEFAULT_SLOW_SEND_MS,
      voteOf: (mapId) => this.rooms.voteOf(mapId),
      stored: (room) => this.compaction.maybeCompact(room),
      chainChanged: (room) => this.catchUp.checkGap(room),
      presenceOwner: (room, clientId) => this.presence.ownerOf(room, clientId),
      onCommentsStored: options.onCommentsStored,
    });
    this.presence = new Presence({ fanout, outbound, maxPresenceBytes: options.maxPresenceBytes ?? DEFAULT_MAX_PRESENCE_BYTES });
    const { currentRole, sessionGeneration } = options;
    this.membership = new Membership({ rooms: this.rooms, logger, currentRole, sessionGeneration, roleRefreshMs: options.roleRefreshMs ?? 10_000 });
    const membership = this.membership;
    this.control = new Control({
      fanout,
      logger,
      local: {
        setRole: (mapId, userId, role) => membership.setRole(mapId, userId, role),
        endSessions: (userId) => membership.endSessions(userId),
        reopenMap: (mapId) => membership.reopenMap(mapId),
        closeMap: (mapId) => membership.closeMap(mapId),
        roomReplaced: (room) => this.letGoOfRoom(room),
      },
    });
    this.acceptor = new Acceptor({
      store,
      secret: options.secret,
      metrics,
      logger,
      rooms: this.rooms,
      presence: this.presence,
      outbound,
      maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
      socketBudget: options.socketBudget ?? DEFAULT_SOCKET_BUDGET,
      currentRole,
      sessionGeneration,
      receive: (connection, frame) => this.receive(connection, frame),
      leave: (connection) => this.leave(connection),
    });
  }

  stats(): { docsLoaded: number; connections: number } {
    let connections = 0;
    for (const room of this.rooms.all()) connections += room.connections.size;
    return { docsLoaded: this.rooms.size, connections };
  }

  /** Handles an HTTP upgrade on /collab/<room>?token=…; refusals are close codes on an open socket. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.acceptor.handleUpgrade(req, socket, head);
  }

  /**
   * Applies a change made by the server itself (a merge, a restore) through
   * the same path as a client's: stored first, then applied and broadcast.
   */
  async submitServerUpdate(roomName: string, update: Uint8Array): Promise<void> {
    const room = await this.rooms.open(roomName);
    room.guard?.follow(update);
    this.pipeline.submit(room, update);
    await this.drain();
  }

  /**
   * Runs `read` on a room's live document, loading the room if it is not.
   * With nobody connected the room leaves memory after idleMs without a read:
   * a feed pushing month after month loads it once. `read` must not change
   * the document: a change goes through submitServerUpdate, stored first.
   */
  async readRoom<T>(roomName: string, read: (doc: Y.Doc) => T): Promise<T> {
    const room = await this.rooms.open(roomName);
    this.rooms.idleFromNow(room);
    return read(room.doc);
  }

  /**
   * `read` run on the room's document when this process holds it exactly as
   * stored: every stored update it was given applied, none stored that it
   * lacks (the store's last seq is one its chain holds), and the stored
   * snapshot the very one it loaded or wrote, or one it was checked to hold
   * (another writer's may not even load: then the map is damaged, and only
   * the store says so). null otherwise: then read the store. `read` must not
   * change the document. On a 2,000-touchpoint map a load from the store
   * holds the event loop 100–200 ms per document; reading the room's plain
   * model takes 10–40 ms.
   */
  async readHeld<T>(roomName: string, read: (doc: Y.Doc) => T): Promise<{ value: T } | null> {
    const { store, metrics } = this.options;
    const room = this.rooms.get(roomName);
    if (!room) {
      metrics.documentReads.inc({ source: 'store_not_loaded' });
      return null;
    }
    const [lastSeqs, digest] = await Promise.all([store.lastSeqs([roomName]), store.snapshotDigest(roomName)]);
    const last = lastSeqs.get(roomName) ?? 0;
    // Checked after the reads: meanwhile the room may have left memory or been replaced, or applied more (all of it stored).
    if (!this.holdsThrough(room, last)) {
      metrics.documentReads.inc({ source: 'store_behind' });
      return null;
    }
    let source: 'memory' | 'memory_checked' = 'memory';
    if (digest !== room.snapshotDigest) {
      if (!(await this.adoptStoredSnapshot(room))) {
        metrics.documentReads.inc({ source: 'store_snapshot_changed' });
        return null;
      }
      source = 'memory_checked';
    }
    metrics.documentReads.inc({ source });
    return { value: read(room.doc) };
  }

  /** The room is still the one loaded here, holds every stored update it was given, and the store's last seq is one it holds. */
  private holdsThrough(room: Room, lastSeq: number): boolean {
    return this.rooms.get(room.name) === room && room.holdsStoredLog && lastSeq <= room.chain.through;
  }

  /**
   * The stored snapshot is not the one the room loaded or wrote: another
   * process compacted it, or someone rewrote it. When it reads and the room
   * holds all of it (and still every stored update), the room is still
   * exactly what is stored, and takes this snapshot's digest: one decode of
   * the snapshot per compaction elsewhere, instead of a load of the map at
   * every read. A snapshot that does not read is left to the store's load,
   * which says the map is damaged.
   */
  private async adoptStoredSnapshot(room: Room): Promise<boolean> {
    const stored = await this.options.store.load(room.name);
    if (!this.holdsThrough(room, stored.lastSeq)) return false;
    try {
      if (stored.snapshot && !room.contains(stored.snapshot)) return false;
    } catch {
      return false;
    }
    room.snapshotDigest = stored.snapshot ? snapshotDigest(stored.snapshot) : null;
    return true;
  }

  /** Resolves once everything queued so far is stored, applied and sent. */
  drain(): Promise<void> {
    return this.pipeline.drain();
  }

  /**
   * A member's role changed (or they were removed: null). Open sockets follow
   * at once, in this process and (over the control channel) in every other:
   * the new role applies to anything still on its way, and the socket is
   * closed with RoleChanged so that the client reconnects with a token for
   * the new role (and tells its person); no role closes them with 4403.
   */
  setRole(mapId: string, userId: string, role: Role | null): void {
    void this.control.publish({ type: 'role', mapId, userId, role });
  }

  /**
   * The user's sessions ended (sign out everywhere, a password change): their
   * sockets close with 4401 on every process, and the browser asks for a
   * fresh token, which only a session that is still signed in gets.
   */
  endSessions(userId: string): void {
    void this.control.publish({ type: 'sessions-ended', userId });
  }

  /** What everyone may do on the map changed (a workshop copy was merged): every socket on it, on every process, reconnects. */
  reopenMap(mapId: string): void {
    void this.control.publish({ type: 'map-reopened', mapId });
  }

  /** The map was deleted: every socket on it, on every process, closes with 4404. */
  closeMap(mapId: string): void {
    void this.control.publish({ type: 'map-deleted', mapId });
  }

  /**
   * Replaces the room's stored state whole (`replace` writes it: a damaged
   * map restored from a version). Here, whatever is queued for the room is
   * stored first, so that the replacement sets it aside with the rest; then
   * every process closes its sockets on the room (they reconnect to the new
   * state) and lets go of the old state without compacting it.
   */
  async replaceRoom(name: string, replace: () => Promise<void>): Promise<void> {
    await this.letGoOfRoom(name);
    await replace();
    // A socket that opened the room between the two read the old state: it goes too.
    await this.letGoOfRoom(name);
    await this.control.publish({ type: 'room-replaced', room: name });
  }

  /** An update stored without going through this server (see LiveChanges.stored): other processes and this one's room, if loaded, follow. */
  stored(room: string, update: Uint8Array, at: AppendedSeq): void {
    this.options.fanout.publish({ kind: 'doc', room, payload: update, seq: at.seq, prevSeq: at.prevSeq, sentAt: Date.now() });
    const loaded = this.rooms.get(room);
    if (loaded) this.catchUp.offer(loaded, { seq: at.seq, prevSeq: at.prevSeq, update });
  }

  /** Stops accepting, closes every socket, stores what is queued and drops every document. */
  async close(): Promise<void> {
    this.rooms.closing = true;
    this.membership.stop();
    this.control.stop();
    this.catchUp.stop();
    this.stopReconnect();
    for (const room of this.rooms.all()) {
      for (const connection of room.connections) connection.close(CloseCode.GoingAway, 'server shutting down');
    }
    await this.drain();
    this.rooms.clear();
    this.acceptor.close();
  }

  /** The room's stored state was replaced: its sockets reconnect, and what is held of the old state is never compacted. */
  private async letGoOfRoom(name: string): Promise<void> {
    // A load under way reads the old state: it is let go of once it is in.
    await this.rooms.settled(name);
    const room = this.rooms.get(name);
    if (!room) return;
    room.replaced = true;
    for (const connection of room.connections) connection.close(CloseCode.RoleChanged, 'this map was restored from a version; reconnect');
    await this.rooms.drop(name);
  }

  /** A room is loading: its document's changes go to the pipeline's outbox, and its presence out. */
  private attach(room: Room): void {
    this.pipeline.watch(room);
    this.presence.watch(room);
  }

  private receiveFanout(room: Room, message: FanoutMessage): void {
    if (room.destroyed) return;
    try {
      if (message.kind === 'doc') this.receiveStored(room, message);
      else if (message.kind === 'awareness') this.presence.receiveFanout(room, message.payload);
      // Control messages have a channel of their own (control.ts): one on a room's channel is nobody's, never read as presence.
    } catch (error) {
      this.options.logger.error({ err: error, room: room.name }, 'bad message from another process');
    }
  }

  /**
   * A document update another process stored. Only what the store numbered
   * is applied, in the store's order (catch-up.ts): a message without its
   * seqs is no stored update (a sync reply relayed as an edit applied
   * deletes without their inserts on a stale copy: Hocuspocus #1151).
   */
  private receiveStored(room: Room, message: FanoutMessage): void {
    const { seq, prevSeq, sentAt } = message;
    if (seq === undefined || prevSeq === undefined || prevSeq >= seq) {
      this.options.metrics.fanoutRefused.inc({ reason: 'unsequenced' });
      this.options.logger.warn({ room: room.name, seq, prevSeq }, 'ignored a document update from another process that the store did not number');
      return;
    }
    if (sentAt !== undefined) this.options.metrics.fanoutLagSeconds.observe(Math.max(0, Date.now() - sentAt) / 1000);
    // Stored, so owned from now on, whether or not the update can be applied yet.
    for (const claim of message.claims ?? []) room.clientIds.learn(claim.clientIds, claim.userId);
    this.catchUp.offer(room, { seq, prevSeq, update: message.payload });
  }

  /** One frame of a socket on its room, to the part it is for. */
  private receive(connection: CollabConnection, frame: Uint8Array): void {
    const room = connection.room;
    if (connection.closed || !room) return;
    const refuse = (code: number, reason: string, metric: string) => this.outbound.refuse(connection.socket, connection, code, reason, metric);
    try {
      const message = decodeMessage(frame);
      switch (message.type) {
        case 'sync-step1': {
          const over = connection.budget?.syncReply();
          if (over) return refuse(CloseCode.TooManyRequests, over.reason, over.over);
          this.outbound.send(connection, room.stateSince(message.stateVector));
          return;
        }
        case 'sync-update':
          this.pipeline.receive(connection, room, message.update, message.step);
          return;
        case 'awareness':
          this.presence.receive(connection, room, message.update);
          return;
        case 'query-awareness': {
          const over = connection.budget?.syncReply();
          if (over) return refuse(CloseCode.TooManyRequests, over.reason, over.over);
          this.presence.reply(connection, room);
          return;
        }
      }
    } catch (error) {
      const reason = error instanceof MalformedMessage ? error.message : 'malformed message';
      refuse(CloseCode.Malformed, reason, 'malformed');
    }
  }

  private leave(connection: CollabConnection): void {
    connection.closed = true;
    if (connection.heldTimer) clearTimeout(connection.heldTimer);
    this.options.metrics.connections.dec();
    const room = connection.room;
    if (!room || !room.connections.delete(connection)) return;
    this.presence.leave(connection, room);
    if (room.kind === 'map' && room.changedByEditors && canWrite(connection.role, 'map') && ![...room.connections].some((c) => canWrite(c.role, 'map'))) {
      room.changedByEditors = false;
      const elsewhere = new Set<string>();
      for (const [clientId, state] of room.awareness.getStates()) {
        const userId = (state as { user?: { id?: unknown } }).user?.id;
        if (!room.awarenessOwners.has(clientId) && typeof userId === 'string') elsewhere.add(userId);
      }
      // After the leaver's last updates are stored, so that the version holds them.
      void this.drain().then(() => this.options.onLastEditorLeft?.(room.mapId, [...elsewhere]));
    }
    this.rooms.idleFromNow(room);
  }
}
