import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { parseRoomName, roomName } from '../../lib/journey/rooms';
import { getVoteSession } from '../../lib/journey/schema';
import { canWrite, type Role } from '../../lib/permissions/roles';
import type { DocStore, SetAside } from '../store/doc-store';
import type { Fanout, FanoutMessage } from '../fanout/fanout';
import type { Logger } from '../logger';
import { CloseCode } from './close-codes';
import { verifyCollabToken } from './collab-token';
import { CollabConnection, colorFor } from './connection';
import { compactRoom } from './compact-room';
import { DamagedMapError, reasonOf } from '../maps/damaged-map';
import type { CollabMetrics } from './metrics';
import { MalformedMessage, awarenessFrame, decodeAwarenessUpdate, decodeMessage, encodeAwarenessEntries, updateFrame } from './protocol';
import { Room } from './room';
import type { WrittenComment } from './discussion-guard';
import { checkMapUpdate } from '../../lib/journey/map-shape';
import { DEFAULT_SOCKET_BUDGET, SocketBudget, type SocketBudgetLimits } from './socket-budget';
import { DEFAULT_MAX_PRESENCE_BYTES, PresenceIdOwners, checkPresence } from './presence-guard';
import { upgradeMapDoc } from '../../lib/journey/schema';

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
  /** Compact a document's log once it holds this many updates or bytes. */
  compactAfterUpdates?: number;
  compactAfterBytes?: number;
  /**
   * The role the user has on the map now, or null when they have none: a
   * token cannot grant more than its holder still has. Without it the token's role stands.
   */
  currentRole?: (mapId: string, userId: string) => Promise<Role | null>;
  /**
   * How often open sockets' roles are checked again against currentRole, for
   * changes made outside this process (the CLI, another server).
   */
  roleRefreshMs?: number;
  /**
   * The user's session generation now: a collaboration token minted at an
   * older one (before they signed out everywhere or changed their password)
   * opens nothing. Without it tokens are not checked for it.
   */
  sessionGeneration?: (userId: string) => Promise<number>;
  /**
   * The last socket that could write a map's document left after changes:
   * the moment for an automatic version.
   */
  onLastEditorLeft?: (mapId: string) => void;
  /**
   * Comments a client wrote (created, or changed the body of), once stored:
   * the moment for @mention notifications. Refused updates never get here;
   * the hook must not throw or block.
   */
  onCommentsStored?: (written: { mapId: string; authorId: string; authorName: string; comments: WrittenComment[] }) => void;
}

const SIGNED_OUT_REASON = 'you were signed out; sign in again';

export const DEFAULT_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
export const DEFAULT_MAX_DOC_BYTES = 16 * 1024 * 1024;
const DEFAULT_IDLE_MS = 30_000;
export const DEFAULT_MAX_BUFFERED_BYTES = 64 * 1024 * 1024;
/** How long a socket closed as too slow may take to drain its close frame before it is cut. */
const SLOW_CLOSE_GRACE_MS = 2_000;
const MAX_BACKLOG_FRAMES = 256;

/** Origins of document changes that did not come from a socket here. */
const FROM_FANOUT = Symbol('fanout');
const FROM_SERVER = Symbol('server');
/** The server's own edits of a document it loads (the schema v2 upgrade). */
const SCHEMA_UPGRADE = { userId: 'system', kind: 'system' } as const;
type Origin = CollabConnection | typeof FROM_FANOUT | typeof FROM_SERVER | typeof SCHEMA_UPGRADE | 'load';

interface Outgoing {
  update: Uint8Array;
  origin: Origin;
}

interface Queued {
  room: Room;
  update: Uint8Array;
  connection: CollabConnection | null;
  written?: WrittenComment[];
  /** Client ids this update is the first to write with (its sender's from now on). */
  claimed?: number[];
}

/**
 * The websocket side: authenticates sockets, loads documents from the store,
 * enforces roles and authorship on every message, and stores every update
 * before anyone sees it (DESIGN.md, "An incoming update, step by step").
 */
export class CollabServer {
  private readonly wss: WebSocketServer;
  private readonly rooms = new Map<string, Room>();
  private readonly loading = new Map<string, Promise<Room>>();
  private readonly outboxes = new Map<Room, Outgoing[]>();
  private readonly awarenessDirty = new Map<Room, Set<number>>();
  /** mapId → dots per person of the vote running on a map whose discussion is loaded and map document is not (see voteOf). */
  private readonly votesOfUnloadedMaps = new Map<string, number | null>();
  private queue: Queued[] = [];
  private flushScheduled = false;
  private awarenessScheduled = false;
  private flushing: Promise<void> = Promise.resolve();
  private closing = false;
  private readonly maxMessageBytes: number;
  private readonly maxDocBytes: number;
  private readonly idleMs: number;
  private readonly compactAfterUpdates: number;
  private readonly compactAfterBytes: number;
  private readonly socketBudget: SocketBudgetLimits;
  private readonly maxBufferedBytes: number;
  private readonly maxPresenceBytes: number;
  private readonly presenceOwners = new PresenceIdOwners();

  constructor(private readonly options: CollabServerOptions) {
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.maxDocBytes = options.maxDocBytes ?? DEFAULT_MAX_DOC_BYTES;
    this.idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
    this.compactAfterUpdates = options.compactAfterUpdates ?? 500;
    this.compactAfterBytes = options.compactAfterBytes ?? 4 * 1024 * 1024;
    this.socketBudget = options.socketBudget ?? DEFAULT_SOCKET_BUDGET;
    this.maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    this.maxPresenceBytes = options.maxPresenceBytes ?? DEFAULT_MAX_PRESENCE_BYTES;
    // ws drops anything past maxPayload with 1009 before we see it; leave room
    // above our own limit so that an oversized message gets the contract's 4413.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: this.maxMessageBytes * 4, perMessageDeflate: false });
    if (options.currentRole || options.sessionGeneration) {
      this.roleTimer = setInterval(() => void this.refreshRoles(), options.roleRefreshMs ?? 10_000);
      this.roleTimer.unref();
    }
  }

  private roleTimer: NodeJS.Timeout | null = null;

  private async refreshRoles(): Promise<void> {
    await this.refreshSessions();
    const currentRole = this.options.currentRole;
    if (!currentRole) return;
    const seen = new Map<string, { mapId: string; userId: string }>();
    for (const room of this.rooms.values()) {
      for (const c of room.connections) seen.set(`${room.mapId}\u0000${c.userId}`, { mapId: room.mapId, userId: c.userId });
    }
    for (const { mapId, userId } of seen.values()) {
      try {
        const role = await currentRole(mapId, userId);
        for (const room of this.rooms.values()) {
          if (room.mapId !== mapId) continue;
          for (const c of room.connections) {
            if (c.userId !== userId) continue;
            // A token never grants more than it was minted for: a socket follows a change
            // within its token's role here (an upgrade beyond it needs a fresh token, which
            // the browser asks for at the next change made through the server).
            const now = lowerRole(c.tokenRole, role);
            if (now === null) c.close(CloseCode.Forbidden, 'you are no longer a member of this map');
            else if (now !== c.role) this.roleChanged(c, now);
          }
        }
      } catch (error) {
        this.options.logger.error({ err: error, mapId }, 'could not refresh roles');
      }
    }
  }

  /** Sessions ended outside this process (the CLI's `user signout`, another server): their sockets close with 4401. */
  private async refreshSessions(): Promise<void> {
    const sessionGeneration = this.options.sessionGeneration;
    if (!sessionGeneration) return;
    const users = new Set<string>();
    for (const room of this.rooms.values()) for (const c of room.connections) users.add(c.userId);
    for (const userId of users) {
      try {
        const generation = await sessionGeneration(userId);
        for (const room of this.rooms.values()) {
          for (const c of room.connections) {
            if (c.userId === userId && c.sessionGeneration !== generation) c.close(CloseCode.Unauthorized, SIGNED_OUT_REASON);
          }
        }
      } catch (error) {
        this.options.logger.error({ err: error, userId }, 'could not check sessions');
      }
    }
  }

  stats(): { docsLoaded: number; connections: number } {
    let connections = 0;
    for (const room of this.rooms.values()) connections += room.connections.size;
    return { docsLoaded: this.rooms.size, connections };
  }

  /** Handles an HTTP upgrade on /collab/<room>?token=…; refusals are close codes on an open socket. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.closing) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    let room = '';
    try {
      room = decodeURIComponent(url.pathname.replace(/^\/collab\/?/, ''));
    } catch {
      room = '';
    }
    const token = url.searchParams.get('token');
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      void this.accept(ws, room, token);
    });
  }

  private async accept(ws: WebSocket, roomName: string, token: string | null): Promise<void> {
    const { metrics, logger } = this.options;
    let connection: CollabConnection | null = null;
    const early: Uint8Array[] = [];
    const budget = new SocketBudget(this.socketBudget);
    ws.on('error', (error) => logger.debug({ err: error, room: roomName }, 'socket error'));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      // Frames already on their way when the socket was refused are not handled (nor refused again).
      if (connection?.closed || ws.readyState !== ws.OPEN) return;
      const frame = toBytes(data);
      metrics.messagesIn.inc();
      metrics.bytesIn.inc(frame.byteLength);
      const over = budget.message(frame.byteLength);
      if (over) return this.refuseSocket(ws, connection, CloseCode.TooManyRequests, over.reason, over.over);
      if (!isBinary) return this.refuseSocket(ws, connection, CloseCode.Malformed, 'text frames are not part of the protocol', 'malformed');
      if (frame.byteLength > this.maxMessageBytes) {
        return this.refuseSocket(ws, connection, CloseCode.TooLarge, `message larger than ${this.maxMessageBytes} bytes`, 'too_large');
      }
      const target = connection?.room ? null : (connection?.backlog ?? early);
      if (target) {
        if (target.length >= MAX_BACKLOG_FRAMES) return this.refuseSocket(ws, connection, CloseCode.TooLarge, 'too many messages before sync', 'too_large');
        target.push(frame);
        return;
      }
      if (connection) this.handleFrame(connection, frame);
    });
    ws.on('close', () => {
      if (connection) this.detach(connection);
    });

    const parsed = parseRoomName(roomName);
    if (!parsed) return this.refuseSocket(ws, null, CloseCode.NotFound, 'no such map', 'not_found');
    if (!token) return this.refuseSocket(ws, null, CloseCode.Unauthorized, 'a token is required', 'unauthorized');
    const check = verifyCollabToken(this.options.secret, token);
    if (!check.ok) return this.refuseSocket(ws, null, CloseCode.Unauthorized, check.reason, 'unauthorized');
    const claims = check.claims;
    if (claims.mapId !== parsed.mapId) return this.refuseSocket(ws, null, CloseCode.Forbidden, 'the token is for another map', 'wrong_map');

    let role: Role | null = claims.role;
    try {
      const map = await this.options.store.getMap(parsed.mapId);
      if (!map) return this.refuseSocket(ws, null, CloseCode.NotFound, 'no such map', 'not_found');
      if (this.options.sessionGeneration && (await this.options.sessionGeneration(claims.userId)) !== claims.sessionGeneration) {
        return this.refuseSocket(ws, null, CloseCode.Unauthorized, SIGNED_OUT_REASON, 'unauthorized');
      }
      if (this.options.currentRole) role = lowerRole(role, await this.options.currentRole(parsed.mapId, claims.userId));
    } catch (error) {
      logger.error({ err: error, room: roomName }, 'could not check the map');
      return this.refuseSocket(ws, null, 1011, 'server error, try again', 'error');
    }
    if (role === null) return this.refuseSocket(ws, null, CloseCode.Forbidden, 'you are not a member of this map', 'not_member');
    if (ws.readyState !== ws.OPEN) return;

    connection = new CollabConnection(ws, claims.userId, claims.userName, colorFor(claims.userId), role, roomName, claims.role);
    connection.sessionGeneration = claims.sessionGeneration;
    connection.backlog.push(...early);
    connection.budget = budget;
    metrics.connections.inc();

    let room: Room;
    try {
      room = await this.loadRoom(roomName, parsed.mapId, parsed.kind);
    } catch (error) {
      logger.error({ err: error, room: roomName }, 'could not load the document');
      const reason = error instanceof DamagedMapError ? 'this map is damaged; its owner can restore a saved version' : 'could not load the map, try again';
      return this.refuseSocket(ws, connection, 1011, reason, 'error');
    }
    if (connection.closed || ws.readyState !== ws.OPEN) {
      // The socket left while the room loaded: the room still has to leave memory in time.
      if (room.connections.size === 0 && !room.idleTimer && !this.closing) room.idleTimer = setTimeout(() => void this.unload(room), this.idleMs);
      return;
    }
    if (room.idleTimer) {
      clearTimeout(room.idleTimer);
      room.idleTimer = null;
    }
    connection.room = room;
    room.connections.add(connection);
    // The server asks every client for what it has that the server lacks. A
    // read-only client's answer is an echo (dropped), unless it holds edits
    // made before it lost the right to write: those are refused (4403) rather
    // than left in its copy as if they had been accepted.
    connection.send(room.stateVector());
    const present = Array.from(room.awareness.getStates().keys());
    if (present.length > 0) connection.send(awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(room.awareness, present)));
    const backlog = connection.backlog.splice(0);
    for (const frame of backlog) this.handleFrame(connection, frame);
  }

  private refuseSocket(ws: WebSocket, connection: CollabConnection | null, code: number, reason: string, metric: string): void {
    this.options.metrics.refused.inc({ reason: metric });
    this.options.logger.info({ code, reason, user: connection?.userId, room: connection?.roomName }, 'socket refused');
    if (connection) connection.close(code, reason);
    else if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason);
  }

  private handleFrame(connection: CollabConnection, frame: Uint8Array): void {
    const room = connection.room;
    if (connection.closed || !room) return;
    try {
      const message = decodeMessage(frame);
      switch (message.type) {
        case 'sync-step1': {
          const over = connection.budget?.syncReply();
          if (over) return this.refuseSocket(connection.socket, connection, CloseCode.TooManyRequests, over.reason, over.over);
          this.send(connection, room.stateSince(message.stateVector));
          return;
        }
        case 'sync-update':
          this.receiveUpdate(connection, room, message.update, message.step);
          return;
        case 'awareness':
          this.receiveAwareness(connection, room, message.update);
          return;
        case 'query-awareness': {
          const over = connection.budget?.syncReply();
          if (over) return this.refuseSocket(connection.socket, connection, CloseCode.TooManyRequests, over.reason, over.over);
          const ids = Array.from(room.awareness.getStates().keys());
          this.send(connection, awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(room.awareness, ids)));
          return;
        }
      }
    } catch (error) {
      const reason = error instanceof MalformedMessage ? error.message : 'malformed message';
      this.refuseSocket(connection.socket, connection, CloseCode.Malformed, reason, 'malformed');
    }
  }

  private receiveUpdate(connection: CollabConnection, room: Room, update: Uint8Array, step: 'step2' | 'update'): void {
    let structs: ReturnType<typeof Y.decodeUpdate>['structs'];
    try {
      structs = Y.decodeUpdate(update).structs;
    } catch {
      throw new MalformedMessage('malformed document update');
    }
    if (!canWrite(connection.role, room.kind)) {
      // A read-only client may echo what it already has (an empty SyncStep2);
      // anything that would change the document is a write.
      if (room.contains(update)) return;
      const what = room.kind === 'map' ? 'the map' : 'the discussion';
      return this.refuseSocket(connection.socket, connection, CloseCode.Forbidden, `a ${connection.role} may not change ${what}`, 'read_only');
    }
    // A reconnecting writer resends its whole state; what the server has already is not stored again.
    if (step === 'step2' && room.contains(update)) return;
    const ids = room.clientIds.check(room.doc, structs, connection.userId, (id) => room.awarenessOwners.get(id)?.userId);
    if (!ids.ok) return this.refuseSocket(connection.socket, connection, CloseCode.Forbidden, ids.reason, 'client_id');
    if (room.kind === 'map') {
      const pending = this.queuedUpdates(room);
      const docBytes = pending.reduce((sum, queued) => sum + queued.byteLength, room.docBytes);
      const verdict = checkMapUpdate(room.doc, update, { docBytes, maxDocBytes: this.maxDocBytes }, pending);
      if (!verdict.ok) return this.refuseSocket(connection.socket, connection, CloseCode.Forbidden, verdict.reason, 'shape');
    }
    if (room.guard) {
      const verdict = room.guard.check(
        update,
        { userId: connection.userId, userName: connection.userName, isOwner: connection.role === 'owner', dotsPerPerson: this.voteOf(room.mapId) },
        Date.now(),
        () => this.queuedUpdates(room),
      );
      if (!verdict.ok) return this.refuseSocket(connection.socket, connection, CloseCode.Forbidden, verdict.reason, 'authorship');
      room.clientIds.claim(ids.claimed, connection.userId);
      return this.enqueue({ room, update, connection, written: verdict.written, claimed: ids.claimed });
    }
    room.clientIds.claim(ids.claimed, connection.userId);
    this.enqueue({ room, update, connection, claimed: ids.claimed });
  }

  /**
   * Applies a change made by the server itself (a merge, a restore) through
   * the same path as a client's: stored first, then applied and broadcast.
   */
  async submitServerUpdate(roomName: string, update: Uint8Array): Promise<void> {
    const parsed = parseRoomName(roomName);
    if (!parsed) throw new Error(`not a room: ${roomName}`);
    const room = await this.loadRoom(roomName, parsed.mapId, parsed.kind);
    room.guard?.follow(update);
    this.enqueue({ room, update, connection: null });
    await this.drain();
  }

  /**
   * Runs `read` on a room's live document, loading the room if it is not.
   * With nobody connected the room leaves memory after idleMs without a read:
   * a feed pushing month after month loads it once. `read` must not change
   * the document: a change goes through submitServerUpdate, stored first.
   */
  async readRoom<T>(roomName: string, read: (doc: Y.Doc) => T): Promise<T> {
    const parsed = parseRoomName(roomName);
    if (!parsed) throw new Error(`not a room: ${roomName}`);
    const room = await this.loadRoom(roomName, parsed.mapId, parsed.kind);
    if (room.connections.size === 0 && !this.closing) {
      if (room.idleTimer) clearTimeout(room.idleTimer);
      room.idleTimer = setTimeout(() => void this.unload(room), this.idleMs);
    }
    return read(room.doc);
  }

  private queuedUpdates(room: Room): Uint8Array[] {
    return this.queue.filter((item) => item.room === room).map((item) => item.update);
  }

  private enqueue(item: Queued): void {
    this.queue.push(item);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flushing = this.flushing.then(() => this.flush());
    });
  }

  /** Resolves once everything queued so far is stored, applied and sent. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.flushScheduled) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      await this.flushing;
    }
    await this.flushing;
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const { store, metrics, logger } = this.options;
    const stopTimer = metrics.appendSeconds.startTimer();
    let seqs: number[];
    try {
      seqs = await store.append(
        batch.map(({ room, update, connection, claimed }) => ({
          room: room.name,
          update,
          claims: connection && claimed && claimed.length > 0 ? { userId: connection.userId, clientIds: claimed } : undefined,
        })),
      );
    } catch (error) {
      // Nothing of the batch was acknowledged: its senders still hold their
      // edits and send them again when they reconnect.
      logger.error({ err: error, updates: batch.length }, 'could not store updates');
      for (const item of batch) {
        item.connection?.close(1011, 'could not save your change; reconnecting');
        item.room.guard?.rebuild(this.queuedUpdates(item.room));
        if (item.claimed) item.room.clientIds.forget(item.claimed);
      }
      return;
    } finally {
      stopTimer();
    }
    const touched = new Set<Room>();
    batch.forEach((item, index) => {
      const { room, update, connection } = item;
      room.lastSeq = seqs[index] ?? room.lastSeq;
      room.logCount += 1;
      room.logBytes += update.byteLength;
      room.docBytes += update.byteLength;
      touched.add(room);
      if (connection) room.changedByEditors = true;
      try {
        Y.applyUpdate(room.doc, update, connection ?? FROM_SERVER);
      } catch (error) {
        logger.error({ err: error, room: room.name }, 'could not apply a stored update');
      }
    });
    for (const room of touched) {
      this.sendOutbox(room, true);
      this.maybeCompact(room);
    }
    this.reportComments(batch);
  }

  private reportComments(batch: readonly Queued[]): void {
    const hook = this.options.onCommentsStored;
    if (!hook) return;
    for (const { room, connection, written } of batch) {
      if (!connection || !written || written.length === 0) continue;
      try {
        hook({ mapId: room.mapId, authorId: connection.userId, authorName: connection.userName, comments: written });
      } catch (error) {
        this.options.logger.error({ err: error, room: room.name }, 'the comments hook failed');
      }
    }
  }

  /** Sends what changed in the room since the last call as one frame, and passes local changes to other processes. */
  private sendOutbox(room: Room, publish: boolean): void {
    const outgoing = this.outboxes.get(room);
    if (!outgoing || outgoing.length === 0) return;
    this.outboxes.delete(room);
    const merged = outgoing.length === 1 ? (outgoing[0]?.update ?? new Uint8Array()) : Y.mergeUpdates(outgoing.map((o) => o.update));
    const senders = new Set(outgoing.map((o) => o.origin));
    // The sole sender of a tick's changes has them already; with several
    // senders each gets the merged frame (Yjs ignores what it has) rather than one encoding per socket.
    const skip = senders.size === 1 ? outgoing[0]?.origin : undefined;
    const frame = updateFrame(merged);
    for (const connection of room.connections) if (connection !== skip) this.send(connection, frame);
    if (publish) {
      const local = outgoing.filter((o) => o.origin !== FROM_FANOUT).map((o) => o.update);
      if (local.length > 0) {
        const payload = local.length === outgoing.length ? merged : Y.mergeUpdates(local);
        this.options.fanout.publish({ kind: 'doc', room: room.name, payload });
      }
    }
  }

  private send(connection: CollabConnection, frame: Uint8Array): void {
    if (connection.closed) return;
    // Measured before this frame, so that one large frame (a whole map) never counts as slow by itself.
    const unsent = connection.socket.bufferedAmount;
    if (unsent > this.maxBufferedBytes) return this.closeSlow(connection, unsent);
    connection.send(frame);
    this.options.metrics.messagesOut.inc();
    this.options.metrics.bytesOut.inc(frame.byteLength);
  }

  /**
   * A socket that does not read what it is sent would make the server hold
   * every later frame for it. Its close frame waits behind what it never
   * read, so past a grace the socket is cut, and its buffer freed.
   */
  private closeSlow(connection: CollabConnection, unsent: number): void {
    this.options.metrics.refused.inc({ reason: 'slow_reader' });
    this.options.logger.info({ code: CloseCode.TooSlow, unsent, user: connection.userId, room: connection.roomName }, 'socket too slow, closed');
    connection.close(CloseCode.TooSlow, `the connection did not keep up (${unsent} bytes unsent); reconnecting`);
    const socket = connection.socket;
    setTimeout(() => socket.terminate(), SLOW_CLOSE_GRACE_MS).unref();
  }

  private maybeCompact(room: Room): void {
    if (room.compacting || (room.logCount < this.compactAfterUpdates && room.logBytes < this.compactAfterBytes)) return;
    room.compacting = true;
    const { store, metrics, logger } = this.options;
    setImmediate(() => {
      const stopTimer = metrics.compactSeconds.startTimer();
      compactRoom(store, room.name, room.doc, (missing) => {
        logger.info({ room: room.name, updates: missing.length }, 'caught up with updates stored by another writer');
        for (const update of missing) {
          try {
            Y.applyUpdate(room.doc, update, FROM_FANOUT);
          } catch (error) {
            logger.error({ err: error, room: room.name }, 'could not apply a stored update');
          }
        }
        this.sendOutbox(room, false);
      })
        .then((seq) => {
          // What was appended after the compacted seq stays in the log.
          if (seq >= room.lastSeq) {
            room.logCount = 0;
            room.logBytes = 0;
          }
          // The running estimate only grows (an edit replacing a value adds its bytes); measure it again.
          if (room.kind === 'map') room.docBytes = Y.encodeStateAsUpdate(room.doc).byteLength;
          logger.debug({ room: room.name, seq }, 'compacted');
        })
        .catch((error: unknown) => logger.error({ err: error, room: room.name }, 'compaction failed'))
        .finally(() => {
          stopTimer();
          room.compacting = false;
        });
    });
  }

  private receiveAwareness(connection: CollabConnection, room: Room, update: Uint8Array): void {
    const verdict = checkPresence(connection, decodeAwarenessUpdate(update), {
      roomName: room.name,
      awareness: room.awareness,
      sockets: room.awarenessOwners,
      owners: this.presenceOwners,
      maxStateBytes: this.maxPresenceBytes,
    });
    if (!verdict.ok) return this.refuseSocket(connection.socket, connection, verdict.code, verdict.reason, verdict.metric);
    for (const entry of verdict.changing) {
      const owner = room.awarenessOwners.get(entry.clientId);
      if (owner !== connection) {
        owner?.clientIds.delete(entry.clientId);
        room.awarenessOwners.set(entry.clientId, connection);
        connection.clientIds.add(entry.clientId);
      }
      this.presenceOwners.claim(room.name, entry.clientId, connection.userId);
      if (entry.state !== null) {
        // Others see the name and colour the server knows, whatever the client claims.
        entry.state = { ...entry.state, user: { id: connection.userId, name: connection.userName, color: connection.color } };
      }
    }
    if (verdict.changing.length > 0) awarenessProtocol.applyAwarenessUpdate(room.awareness, encodeAwarenessEntries(verdict.changing), connection);
  }

  private onAwarenessChange(room: Room, changes: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void {
    let dirty = this.awarenessDirty.get(room);
    if (!dirty) this.awarenessDirty.set(room, (dirty = new Set()));
    for (const ids of [changes.added, changes.updated, changes.removed]) for (const id of ids) dirty.add(id);
    if (origin !== FROM_FANOUT) {
      const ids = [...changes.added, ...changes.updated, ...changes.removed];
      this.options.fanout.publish({ kind: 'awareness', room: room.name, payload: awarenessProtocol.encodeAwarenessUpdate(room.awareness, ids) });
    }
    if (this.awarenessScheduled) return;
    this.awarenessScheduled = true;
    // Presence moves often (cursors): one frame per room per tick, whoever moved.
    setImmediate(() => {
      this.awarenessScheduled = false;
      for (const [dirtyRoom, ids] of this.awarenessDirty) {
        if (dirtyRoom.connections.size === 0) continue;
        const frame = awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(dirtyRoom.awareness, Array.from(ids)));
        for (const connection of dirtyRoom.connections) this.send(connection, frame);
      }
      this.awarenessDirty.clear();
    });
  }

  private loadRoom(name: string, mapId: string, kind: Room['kind']): Promise<Room> {
    const loaded = this.rooms.get(name);
    if (loaded) return Promise.resolve(loaded);
    const pending = this.loading.get(name);
    if (pending) return pending;
    const promise = (async () => {
      if (kind === 'discussion') await this.loadVote(mapId);
      const stored = await this.options.store.load(name);
      const owners = await this.options.store.loadClientIdOwners(name);
      const bad: SetAside[] = [];
      let room: Room;
      try {
        room = new Room(
          name,
          mapId,
          kind,
          stored,
          (error, index) => {
            const seq = stored.seqs[index];
            if (seq !== undefined) bad.push({ seq, reason: reasonOf(error) });
          },
          owners,
        );
      } catch (error) {
        throw new DamagedMapError(mapId, name, reasonOf(error));
      }
      // Kept in the store's set-aside table, out of the log: no later load replays it (the store logs and counts it).
      await this.options.store.setAside(name, bad);
      room.lastSeq = stored.lastSeq;
      room.logCount = stored.updates.length;
      room.logBytes = stored.logBytes;
      room.doc.on('update', (update: Uint8Array, origin: Origin) => {
        let outbox = this.outboxes.get(room);
        if (!outbox) this.outboxes.set(room, (outbox = []));
        outbox.push({ update, origin });
        if (origin === FROM_FANOUT) room.guard?.follow(update);
      });
      room.awareness.on('update', (changes: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) =>
        this.onAwarenessChange(room, changes, origin),
      );
      room.unsubscribeFanout = this.options.fanout.subscribe(name, (message) => this.receiveFanout(room, message));
      this.rooms.set(name, room);
      this.options.metrics.docsLoaded.set(this.rooms.size);
      if (kind === 'map') this.upgradeSchema(room);
      this.maybeCompact(room);
      return room;
    })();
    this.loading.set(name, promise);
    promise.then(
      () => this.loading.delete(name),
      () => this.loading.delete(name),
    );
    return promise;
  }

  /**
   * The dots per person of the vote running on a map (null: none), which the
   * discussion guard holds dots against. The vote lives in the map document:
   * read there while it is loaded; when it has left memory nobody can change
   * it, and what it was is kept for as long as the discussion stays loaded.
   */
  private voteOf(mapId: string): number | null {
    const mapRoom = this.rooms.get(roomName(mapId, 'map'));
    if (mapRoom) return getVoteSession(mapRoom.doc)?.dotsPerPerson ?? null;
    return this.votesOfUnloadedMaps.get(mapId) ?? null;
  }

  /** A discussion is loading: its map document is loaded too, for the vote (it leaves memory when idle, as any). */
  private async loadVote(mapId: string): Promise<void> {
    const name = roomName(mapId, 'map');
    if (this.rooms.has(name)) return;
    try {
      const mapRoom = await this.loadRoom(name, mapId, 'map');
      if (mapRoom.connections.size === 0 && !mapRoom.idleTimer && !this.closing) mapRoom.idleTimer = setTimeout(() => void this.unload(mapRoom), this.idleMs);
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
  private upgradeSchema(room: Room): void {
    const before = Y.encodeStateVector(room.doc);
    if (!upgradeMapDoc(room.doc, SCHEMA_UPGRADE)) return;
    this.options.logger.info({ room: room.name }, 'upgraded a map document to schema v2');
    this.enqueue({ room, update: Y.encodeStateAsUpdate(room.doc, before), connection: null });
  }

  private receiveFanout(room: Room, message: FanoutMessage): void {
    try {
      if (message.kind === 'doc') {
        Y.applyUpdate(room.doc, message.payload, FROM_FANOUT);
        this.sendOutbox(room, false);
      } else {
        awarenessProtocol.applyAwarenessUpdate(room.awareness, message.payload, FROM_FANOUT);
      }
    } catch (error) {
      this.options.logger.error({ err: error, room: room.name }, 'bad message from another process');
    }
  }

  private detach(connection: CollabConnection): void {
    connection.closed = true;
    this.options.metrics.connections.dec();
    const room = connection.room;
    if (!room || !room.connections.delete(connection)) return;
    const mine = Array.from(connection.clientIds).filter((id) => room.awarenessOwners.get(id) === connection);
    for (const id of mine) room.awarenessOwners.delete(id);
    if (mine.length > 0) awarenessProtocol.removeAwarenessStates(room.awareness, mine, FROM_SERVER);
    if (room.kind === 'map' && room.changedByEditors && canWrite(connection.role, 'map') && ![...room.connections].some((c) => canWrite(c.role, 'map'))) {
      room.changedByEditors = false;
      // After the leaver's last updates are stored, so that the version holds them.
      void this.drain().then(() => this.options.onLastEditorLeft?.(room.mapId));
    }
    if (room.connections.size === 0 && !this.closing) {
      room.idleTimer = setTimeout(() => void this.unload(room), this.idleMs);
    }
  }

  private async unload(room: Room): Promise<void> {
    await this.drain();
    if (room.connections.size > 0 || this.rooms.get(room.name) !== room) return;
    const discussion = roomName(room.mapId, 'discussion');
    if (room.kind === 'map' && (this.rooms.has(discussion) || this.loading.has(discussion))) {
      this.votesOfUnloadedMaps.set(room.mapId, getVoteSession(room.doc)?.dotsPerPerson ?? null);
    }
    if (room.kind === 'discussion') this.votesOfUnloadedMaps.delete(room.mapId);
    this.rooms.delete(room.name);
    this.outboxes.delete(room);
    this.awarenessDirty.delete(room);
    room.destroy();
    this.options.metrics.docsLoaded.set(this.rooms.size);
  }

  /**
   * A member's role changed (or they were removed: null). Open sockets follow
   * at once: the new role applies to anything still on its way, and the socket
   * is closed with RoleChanged so that the client reconnects with a token for
   * the new role (and tells its person); no role closes them with 4403.
   */
  setRole(mapId: string, userId: string, role: Role | null): void {
    for (const room of this.rooms.values()) {
      if (room.mapId !== mapId) continue;
      for (const connection of room.connections) {
        if (connection.userId !== userId) continue;
        if (role === null) connection.close(CloseCode.Forbidden, 'you are no longer a member of this map');
        else if (role !== connection.role) this.roleChanged(connection, lowerRole(connection.role, role) ?? 'viewer');
      }
    }
  }

  /**
   * The user's sessions ended (sign out everywhere, a password change): their
   * sockets close with 4401, and the browser asks for a fresh token, which
   * only a session that is still signed in gets.
   */
  endSessions(userId: string): void {
    for (const room of this.rooms.values()) {
      for (const connection of room.connections) {
        if (connection.userId === userId) connection.close(CloseCode.Unauthorized, SIGNED_OUT_REASON);
      }
    }
  }

  /** What everyone may do on the map changed (a workshop copy was merged): every socket on it reconnects. */
  reopenMap(mapId: string): void {
    for (const room of this.rooms.values()) {
      if (room.mapId !== mapId) continue;
      for (const connection of room.connections) this.roleChanged(connection, 'viewer');
    }
  }

  private roleChanged(connection: CollabConnection, lowered: Role): void {
    connection.role = lowerRole(connection.role, lowered) ?? 'viewer';
    connection.close(CloseCode.RoleChanged, 'your role on this map changed; reconnect');
  }

  /**
   * The room's stored state is about to be replaced whole (a damaged map
   * restored from a version): whatever is queued for it is stored, its sockets
   * reconnect (to the new state) and it leaves memory, so that nothing held
   * here is compacted over the new state.
   */
  async dropRoom(name: string): Promise<void> {
    const room = this.rooms.get(name);
    if (!room) return;
    for (const connection of room.connections) connection.close(CloseCode.RoleChanged, 'this map was restored from a version; reconnect');
    await this.drain();
    if (this.rooms.get(name) !== room) return;
    this.rooms.delete(name);
    this.outboxes.delete(room);
    this.awarenessDirty.delete(room);
    room.destroy();
    this.options.metrics.docsLoaded.set(this.rooms.size);
  }

  /** The map was deleted: every socket on it closes with 4404. */
  closeMap(mapId: string): void {
    for (const room of this.rooms.values()) {
      if (room.mapId !== mapId) continue;
      for (const connection of room.connections) connection.close(CloseCode.NotFound, 'this map was deleted');
    }
  }

  /** Stops accepting, closes every socket, stores what is queued and drops every document. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.roleTimer) clearInterval(this.roleTimer);
    for (const room of this.rooms.values()) {
      for (const connection of room.connections) connection.close(CloseCode.GoingAway, 'server shutting down');
    }
    await this.drain();
    for (const room of this.rooms.values()) room.destroy();
    this.rooms.clear();
    this.wss.close();
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

const RANKS: Record<Role, number> = { viewer: 0, commenter: 1, editor: 2, owner: 3 };

/** The lower of two roles; null (no membership) wins. */
function lowerRole(a: Role | null, b: Role | null): Role | null {
  if (a === null || b === null) return null;
  return RANKS[a] <= RANKS[b] ? a : b;
}
