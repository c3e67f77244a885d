/**
 * Clients of the collaboration server for the seeded workspace's users:
 * - stock clients (tests/support/collab-client.ts) with tokens minted here;
 * - RawClient: a bare `ws` socket that sends exactly the frames a test
 *   crafts (y-protocols framing from server/collab/protocol.ts), and can keep
 *   a Y.Doc of what the server sent so that it can craft real updates.
 */
import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { roomName } from '../../../lib/journey/rooms';
import type { Role } from '../../../lib/permissions/roles';
import { mintCollabToken } from '../../../server/collab/collab-token';
import { MessageType, SyncType, awarenessFrame, syncStep1Frame, syncStep2Frame, updateFrame } from '../../../server/collab/protocol';
import { CollabClient, destroyAllCollabClients, type Close } from '../../support/collab-client';
import { TEST_SECRET, type TestServer } from '../../support/server';
import { waitFor, type WaitOptions } from '../../support/wait';
import { USERS, type TestUser, type UserKey } from './workspace';

export { CollabClient, waitForDoc, type Close } from '../../support/collab-client';

export const mapRoom = (mapId: string): string => roomName(mapId, 'map');
export const discussionRoom = (mapId: string): string => roomName(mapId, 'discussion');

export interface TokenOptions {
  /** The role the token names (default: the user's role on the seeded maps). */
  role?: Role;
  secret?: string;
  /** Mint as if at this time (ms), e.g. in the past for an expired token. */
  now?: number;
  ttlSeconds?: number;
  /** The display name the token carries (default: the user's). */
  name?: string;
}

export function tokenFor(who: UserKey | TestUser, mapId: string, options: TokenOptions = {}): string {
  const user: TestUser = typeof who === 'string' ? USERS[who] : who;
  const role = options.role ?? user.role ?? 'viewer';
  return mintCollabToken(
    options.secret ?? TEST_SECRET,
    { userId: user.id, userName: options.name ?? user.name, mapId, role },
    { now: options.now, ttlSeconds: options.ttlSeconds ?? 3600 },
  ).token;
}

/** Every raw client a test file opened, closed in afterAll even when a test failed. */
const open = new Set<{ destroy(): void }>();

/** For afterAll: destroys every stock and raw client this file opened. */
export function destroyAllClients(): void {
  destroyAllCollabClients();
  for (const client of Array.from(open)) client.destroy();
}

export function waitForSynced(client: CollabClient, options: WaitOptions = {}): Promise<CollabClient> {
  return client.whenSynced(options);
}

/** The close code and reason the server sent to a stock client (its next close) or a raw client. */
export function waitForClose(client: CollabClient | RawClient, options: WaitOptions = {}): Promise<Close> {
  return client instanceof CollabClient ? client.nextClose(options) : client.closed(options);
}

/** A stock client of `who` on `room`, synced. */
export async function joinSynced(
  server: TestServer,
  room: string,
  who: UserKey,
  mapId: string,
  tokenOptions: TokenOptions = {},
): Promise<CollabClient> {
  const client = new CollabClient(server.collabUrl, room, USERS[who], tokenFor(who, mapId, tokenOptions));
  return client.whenSynced();
}

// ---------------------------------------------------------------------------
// Raw protocol clients

export type ServerMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  | { type: 'sync-step2'; update: Uint8Array }
  | { type: 'sync-update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'other'; bytes: Uint8Array };

export function decodeServerFrame(frame: Uint8Array): ServerMessage {
  const decoder = decoding.createDecoder(frame);
  const type = decoding.readVarUint(decoder);
  if (type === MessageType.Sync) {
    const syncType = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (syncType === SyncType.Step1) return { type: 'sync-step1', stateVector: payload };
    if (syncType === SyncType.Step2) return { type: 'sync-step2', update: payload };
    if (syncType === SyncType.Update) return { type: 'sync-update', update: payload };
  }
  if (type === MessageType.Awareness) return { type: 'awareness', update: decoding.readVarUint8Array(decoder) };
  return { type: 'other', bytes: frame };
}

const FROM_SERVER = Symbol('from-server');

export class RawClient {
  readonly messages: ServerMessage[] = [];
  /** What the server sent, applied: a basis for crafting real updates. */
  readonly doc = new Y.Doc();
  close: Close | null = null;
  private readonly listeners = new Set<() => void>();

  private constructor(
    readonly socket: WebSocket,
    private readonly track: boolean,
  ) {
    socket.binaryType = 'nodebuffer';
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) return;
      const message = decodeServerFrame(new Uint8Array(data));
      this.messages.push(message);
      if (this.track && (message.type === 'sync-step2' || message.type === 'sync-update')) Y.applyUpdate(this.doc, message.update, FROM_SERVER);
      this.notify();
    });
    socket.on('close', (code: number, reason: Buffer) => {
      this.close = { code, reason: reason.toString('utf8') };
      open.delete(this);
      this.notify();
    });
    socket.on('error', () => {
      // A refused or reset socket reports its end through 'close'.
    });
    open.add(this);
  }

  /**
   * Opens a socket on /collab/<path>: `room` is URL-encoded unless `rawPath`
   * is given; `token` null sends none. Resolves once open (the server always
   * accepts the upgrade and refuses with a close code). `track: false`
   * keeps no document (cheaper, for clients that only count messages).
   */
  static async connect(server: TestServer, room: string, token: string | null, options: { rawPath?: string; track?: boolean } = {}): Promise<RawClient> {
    const path = options.rawPath ?? encodeURIComponent(room);
    const query = token === null ? '' : `?token=${encodeURIComponent(token)}`;
    const socket = new WebSocket(`${server.collabUrl}/${path}${query}`, { perMessageDeflate: false });
    const client = new RawClient(socket, options.track ?? true);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('close', () => resolve());
      socket.once('error', (error) => reject(error));
    });
    return client;
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  send(frame: Uint8Array | string): void {
    if (typeof frame === 'string') this.socket.send(frame);
    else this.socket.send(frame, { binary: true });
  }

  /** SyncStep1 with this client's state vector (empty at first: "send me everything"). */
  sendSyncStep1(): void {
    this.send(syncStep1Frame(Y.encodeStateVector(this.doc)));
  }

  /** SyncStep1, then waits for the server's SyncStep2. */
  async sync(options: WaitOptions = {}): Promise<void> {
    const before = this.messages.filter((m) => m.type === 'sync-step2').length;
    this.sendSyncStep1();
    await this.waitUntil(() => this.messages.filter((m) => m.type === 'sync-step2').length > before, { message: 'the SyncStep2 reply', ...options });
  }

  /** Runs `edit` on the client's copy and returns the update it made, without sending it. */
  craft(edit: (doc: Y.Doc) => void): Uint8Array {
    const updates: Uint8Array[] = [];
    const record = (update: Uint8Array, origin: unknown): void => {
      if (origin !== FROM_SERVER) updates.push(update);
    };
    this.doc.on('update', record);
    try {
      edit(this.doc);
    } finally {
      this.doc.off('update', record);
    }
    if (updates.length === 0) throw new Error('craft: the edit changed nothing');
    return Y.mergeUpdates(updates);
  }

  /** Sends a crafted change as a sync Update message. */
  sendUpdate(update: Uint8Array): void {
    this.send(updateFrame(update));
  }

  sendStep2(update: Uint8Array): void {
    this.send(syncStep2Frame(update));
  }

  sendAwareness(update: Uint8Array): void {
    this.send(awarenessFrame(update));
  }

  async waitUntil(predicate: () => boolean, options: WaitOptions = {}): Promise<void> {
    await waitFor(
      () => {
        if (predicate()) return true;
        if (this.close) throw new Error(`the socket closed (${this.close.code} ${this.close.reason}) while waiting for ${options.message ?? 'a message'}`);
        return false;
      },
      options,
      (wake) => {
        this.listeners.add(wake);
        return () => this.listeners.delete(wake);
      },
    );
  }

  closed(options: WaitOptions = {}): Promise<Close> {
    return waitFor(() => this.close, { message: 'the server to close the socket', ...options }, (wake) => {
      this.listeners.add(wake);
      return () => this.listeners.delete(wake);
    });
  }

  destroy(): void {
    open.delete(this);
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.terminate();
    this.doc.destroy();
  }

  private notify(): void {
    for (const listener of Array.from(this.listeners)) listener();
  }
}
