import type { WebSocket } from 'ws';
import type { Role } from '../../lib/permissions/roles';
import type { Room } from './room';
import type { SocketBudget } from './socket-budget';

/** One options object for every send (a frame goes to hundreds of sockets). */
const BINARY = { binary: true } as const;

/** One authenticated socket on one room: what accept.ts makes of an upgrade, and every later step reads. */
export class CollabConnection {
  /** Awareness client ids this socket has set; only it may change them. */
  readonly clientIds = new Set<number>();
  /** Frames that arrived while the room was loading, handled in order once it is. */
  readonly backlog: Uint8Array[] = [];
  room: Room | null = null;
  closed = false;
  /** Its document updates that arrived before the updates they build on (update-pipeline.ts), in arrival order. */
  readonly held: { update: Uint8Array; step: 'step2' | 'update' }[] = [];
  heldBytes = 0;
  heldTimer: NodeJS.Timeout | null = null;
  /** What the socket may still ask of the server (set when it is accepted). */
  budget: SocketBudget | null = null;

  constructor(
    readonly socket: WebSocket,
    readonly userId: string,
    readonly userName: string,
    readonly color: string,
    /** What the socket may do now: at most tokenRole, lowered as the member's role changes. */
    public role: Role,
    readonly roomName: string,
    /** The role its token was minted for: the most this socket can ever get. */
    readonly tokenRole: Role = role,
  ) {}

  /** The session generation its token was minted at: a later one (sign out everywhere) closes the socket. */
  sessionGeneration = 0;

  send(frame: Uint8Array): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(frame, BINARY);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    if (this.heldTimer) clearTimeout(this.heldTimer);
    // Reasons are limited to 123 bytes by the protocol.
    this.socket.close(code, reason.slice(0, 120));
  }
}

const PALETTE = ['#e11d48', '#db2777', '#9333ea', '#4f46e5', '#2563eb', '#0891b2', '#059669', '#65a30d', '#ca8a04', '#ea580c'];

/** A stable colour per user, so that everyone sees the same person in the same colour. */
export function colorFor(userId: string): string {
  let hash = 0;
  for (let i = 0; i < userId.length; i++) hash = (hash * 31 + userId.charCodeAt(i)) >>> 0;
  return PALETTE[hash % PALETTE.length] ?? '#4f46e5';
}
