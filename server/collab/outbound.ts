import type { WebSocket } from 'ws';
import type { Logger } from '../logger';
import { CloseCode } from './close-codes';
import type { CollabConnection } from './connection';
import type { CollabMetrics } from './metrics';

/**
 * The way out to a socket, for every step of the pipeline: frames sent with
 * a bound on what a socket may leave unread, and refusals, each a close code
 * (lib/collab/close-codes.ts) counted under its reason.
 */

export const DEFAULT_MAX_BUFFERED_BYTES = 64 * 1024 * 1024;
/** How long a socket closed as too slow may take to drain its close frame before it is cut. */
const SLOW_CLOSE_GRACE_MS = 2_000;

export interface OutboundOptions {
  metrics: CollabMetrics;
  logger: Logger;
  /** Unsent bytes a socket may hold when another frame is due: past it the socket is closed (4503). */
  maxBufferedBytes: number;
}

export class Outbound {
  constructor(private readonly options: OutboundOptions) {}

  send(connection: CollabConnection, frame: Uint8Array): void {
    if (this.deliver(connection, frame)) this.count(1, frame);
  }

  /** One frame to every socket of a room but `skip`, counted once: at 500 sockets the counters cost as much as a send. */
  broadcast(connections: Iterable<CollabConnection>, frame: Uint8Array, skip?: unknown): void {
    // ws turns a Uint8Array into a Buffer on every send; once here instead.
    const data = Buffer.isBuffer(frame) ? frame : Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
    let sent = 0;
    for (const connection of connections) if (connection !== skip && this.deliver(connection, data)) sent++;
    if (sent > 0) this.count(sent, frame);
  }

  private deliver(connection: CollabConnection, frame: Uint8Array): boolean {
    if (connection.closed) return false;
    // Measured before this frame, so that one large frame (a whole map) never counts as slow by itself.
    const unsent = connection.socket.bufferedAmount;
    if (unsent > this.options.maxBufferedBytes) {
      this.closeSlow(connection, unsent);
      return false;
    }
    connection.send(frame);
    return true;
  }

  private count(sockets: number, frame: Uint8Array): void {
    this.options.metrics.messagesOut.inc(sockets);
    this.options.metrics.bytesOut.inc(sockets * frame.byteLength);
  }

  /** Closes the socket (accepted or not yet) with `code`, counted as `metric`. */
  refuse(ws: WebSocket, connection: CollabConnection | null, code: number, reason: string, metric: string): void {
    this.options.metrics.refused.inc({ reason: metric });
    this.options.logger.info({ code, reason, user: connection?.userId, room: connection?.roomName }, 'socket refused');
    if (connection) connection.close(code, reason);
    else if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason);
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
}
