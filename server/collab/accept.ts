import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { parseRoomName } from '../../lib/journey/rooms';
import type { Role } from '../../lib/permissions/roles';
import type { Logger } from '../logger';
import { DamagedMapError } from '../maps/damaged-map';
import type { DocStore } from '../store/doc-store';
import { CloseCode } from './close-codes';
import { verifyCollabToken } from './collab-token';
import { CollabConnection, colorFor } from './connection';
import { SIGNED_OUT_REASON, lowerRole } from './membership';
import type { CollabMetrics } from './metrics';
import type { Outbound } from './outbound';
import type { Presence } from './presence';
import type { RoomRegistry } from './room-registry';
import { SocketBudget, type SocketBudgetLimits } from './socket-budget';

/**
 * The first step (DESIGN.md, "Websocket protocol"): an upgrade on
 * /collab/<room>?token=… becomes a socket, its token a user and a role (never
 * more than the member has now), its room name a loaded room. Every refusal
 * is a close code on the open socket. From the first frame on, each frame's
 * budget, kind and size are checked here; frames that come before the room
 * is loaded wait in order, and go to `receive` once it is.
 */

const MAX_BACKLOG_FRAMES = 256;

export interface AcceptOptions {
  store: DocStore;
  secret: string;
  metrics: CollabMetrics;
  logger: Logger;
  rooms: RoomRegistry;
  presence: Presence;
  outbound: Outbound;
  /** Largest message a client may send, in bytes (4413 above it). */
  maxMessageBytes: number;
  socketBudget: SocketBudgetLimits;
  currentRole?: (mapId: string, userId: string) => Promise<Role | null>;
  sessionGeneration?: (userId: string) => Promise<number>;
  /** A frame of a socket on its room, in the order it came. */
  receive: (connection: CollabConnection, frame: Uint8Array) => void;
  /** The socket closed (whoever closed it). */
  leave: (connection: CollabConnection) => void;
}

export class Acceptor {
  private readonly wss: WebSocketServer;

  constructor(private readonly options: AcceptOptions) {
    // ws drops anything past maxPayload with 1009 before we see it; leave room
    // above our own limit so that an oversized message gets the contract's 4413.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes * 4, perMessageDeflate: false });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.options.rooms.closing) {
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

  close(): void {
    this.wss.close();
  }

  private async accept(ws: WebSocket, roomName: string, token: string | null): Promise<void> {
    const { metrics, logger, outbound, rooms } = this.options;
    const refuse = outbound.refuse.bind(outbound);
    let connection: CollabConnection | null = null;
    const early: Uint8Array[] = [];
    const budget = new SocketBudget(this.options.socketBudget);
    ws.on('error', (error) => logger.debug({ err: error, room: roomName }, 'socket error'));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      // Frames already on their way when the socket was refused are not handled (nor refused again).
      if (connection?.closed || ws.readyState !== ws.OPEN) return;
      const frame = toBytes(data);
      metrics.messagesIn.inc();
      metrics.bytesIn.inc(frame.byteLength);
      const over = budget.message(frame.byteLength);
      if (over) return refuse(ws, connection, CloseCode.TooManyRequests, over.reason, over.over);
      if (!isBinary) return refuse(ws, connection, CloseCode.Malformed, 'text frames are not part of the protocol', 'malformed');
      const max = this.options.maxMessageBytes;
      if (frame.byteLength > max) return refuse(ws, connection, CloseCode.TooLarge, `message larger than ${max} bytes`, 'too_large');
      const target = connection?.room ? null : (connection?.backlog ?? early);
      if (target) {
        if (target.length >= MAX_BACKLOG_FRAMES) return refuse(ws, connection, CloseCode.TooLarge, 'too many messages before sync', 'too_large');
        target.push(frame);
        return;
      }
      if (connection) this.options.receive(connection, frame);
    });
    ws.on('close', () => {
      if (connection) this.options.leave(connection);
    });

    const parsed = parseRoomName(roomName);
    if (!parsed) return refuse(ws, null, CloseCode.NotFound, 'no such map', 'not_found');
    if (!token) return refuse(ws, null, CloseCode.Unauthorized, 'a token is required', 'unauthorized');
    const check = verifyCollabToken(this.options.secret, token);
    if (!check.ok) return refuse(ws, null, CloseCode.Unauthorized, check.reason, 'unauthorized');
    const claims = check.claims;
    if (claims.mapId !== parsed.mapId) return refuse(ws, null, CloseCode.Forbidden, 'the token is for another map', 'wrong_map');

    let role: Role | null = claims.role;
    try {
      const map = await this.options.store.getMap(parsed.mapId);
      if (!map) return refuse(ws, null, CloseCode.NotFound, 'no such map', 'not_found');
      const { sessionGeneration, currentRole } = this.options;
      if (sessionGeneration && (await sessionGeneration(claims.userId)) !== claims.sessionGeneration) {
        return refuse(ws, null, CloseCode.Unauthorized, SIGNED_OUT_REASON, 'unauthorized');
      }
      if (currentRole) role = lowerRole(role, await currentRole(parsed.mapId, claims.userId));
    } catch (error) {
      logger.error({ err: error, room: roomName }, 'could not check the map');
      return refuse(ws, null, 1011, 'server error, try again', 'error');
    }
    if (role === null) return refuse(ws, null, CloseCode.Forbidden, 'you are not a member of this map', 'not_member');
    if (ws.readyState !== ws.OPEN) return;

    connection = new CollabConnection(ws, claims.userId, claims.userName, colorFor(claims.userId), role, roomName, claims.role);
    connection.sessionGeneration = claims.sessionGeneration;
    connection.backlog.push(...early);
    connection.budget = budget;
    metrics.connections.inc();

    let room;
    try {
      room = await rooms.load(roomName, parsed.mapId, parsed.kind);
    } catch (error) {
      logger.error({ err: error, room: roomName }, 'could not load the document');
      const reason = error instanceof DamagedMapError ? 'this map is damaged; its owner can restore a saved version' : 'could not load the map, try again';
      return refuse(ws, connection, 1011, reason, 'error');
    }
    if (connection.closed || ws.readyState !== ws.OPEN) {
      // The socket left while the room loaded: the room still has to leave memory in time.
      rooms.idleSoon(room);
      return;
    }
    rooms.keep(room);
    connection.room = room;
    room.connections.add(connection);
    // The server asks every client for what it has that the server lacks. A
    // read-only client's answer is an echo (dropped), unless it holds edits
    // made before it lost the right to write: those are refused (4403) rather
    // than left in its copy as if they had been accepted.
    connection.send(room.stateVector());
    const everyone = this.options.presence.everyone(room);
    if (everyone) connection.send(everyone);
    const backlog = connection.backlog.splice(0);
    for (const frame of backlog) this.options.receive(connection, frame);
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}
