/**
 * Clients of the collaboration server, as a test drives them:
 * - StockClient: the stock y-websocket WebsocketProvider, unchanged, as the
 *   browser uses it (with `ws` as its WebSocket in Node, no BroadcastChannel).
 * - RawClient: a bare `ws` socket that sends exactly the frames a test
 *   crafts (y-protocols framing from server/collab/protocol.ts), and can keep
 *   a Y.Doc of what the server sent so that it can craft real updates.
 */
import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { EditOrigin } from '../../../lib/journey/origin';
import { roomName } from '../../../lib/journey/rooms';
import type { Role } from '../../../lib/permissions/roles';
import { mintCollabToken } from '../../../server/collab/collab-token';
import { MessageType, SyncType, awarenessFrame, syncStep1Frame, syncStep2Frame, updateFrame } from '../../../server/collab/protocol';
import { TEST_SECRET, type ServerProcess } from './server-process';
import { waitFor, type WaitOptions } from './wait';
import { USERS, type TestUser, type UserKey } from './workspace';

export interface Close {
  code: number;
  reason: string;
}

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

/** Every client a test file opened, closed in afterAll even when a test failed. */
const open = new Set<{ destroy(): void }>();

export function destroyAllClients(): void {
  for (const client of Array.from(open)) client.destroy();
}

// ---------------------------------------------------------------------------
// Stock y-websocket clients

export class StockClient {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  /** One origin per session, as the app uses it (undo tracks it by identity). */
  readonly origin: EditOrigin;
  /** Every close of this client's sockets, in order, as the client saw them (code and reason). */
  readonly closes: Close[] = [];
  private consumedCloses = 0;

  constructor(
    readonly server: ServerProcess,
    readonly room: string,
    readonly user: TestUser,
    token: string,
  ) {
    this.origin = { userId: user.id, kind: 'local' };
    this.provider = new WebsocketProvider(server.collabUrl, room, this.doc, {
      params: { token },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      // Reconnect quickly after a deliberate disconnect or a restart.
      maxBackoffTime: 300,
    });
    this.provider.on('connection-close', (event) => {
      if (event) this.closes.push({ code: event.code, reason: event.reason });
    });
    open.add(this);
  }

  get synced(): boolean {
    return this.provider.synced;
  }

  /** Resolves once the client holds the server's state; fails at once if the server refuses it. */
  async whenSynced(options: WaitOptions = {}): Promise<this> {
    await waitFor(
      () => {
        if (this.provider.synced) return true;
        const refused = this.closes.find((c) => c.code >= 4400 && c.code < 4500);
        if (refused) throw new Error(`${this.user.name} was refused on ${this.room}: ${refused.code} ${refused.reason}`);
        return false;
      },
      { timeout: 15_000, message: `${this.user.name} to sync ${this.room}`, ...options },
      (wake) => {
        this.provider.on('sync', wake);
        this.provider.on('connection-close', wake);
        return () => {
          this.provider.off('sync', wake);
          this.provider.off('connection-close', wake);
        };
      },
    );
    return this;
  }

  /** The next close of this client's socket not yet returned by this method. */
  async nextClose(options: WaitOptions = {}): Promise<Close> {
    await waitFor(() => this.closes.length > this.consumedCloses, { timeout: 10_000, message: `${this.user.name}'s socket on ${this.room} to close`, ...options }, (wake) => {
      this.provider.on('connection-close', wake);
      return () => this.provider.off('connection-close', wake);
    });
    const close = this.closes[this.consumedCloses++];
    if (!close) throw new Error('unreachable: no close recorded');
    return close;
  }

  /** Resolves once `predicate(doc)` holds, re-checked on every change of the document. */
  waitForDoc(predicate: (doc: Y.Doc) => boolean, options: WaitOptions = {}): Promise<void> {
    return waitForDoc(this.doc, predicate, { message: `a change at ${this.user.name}'s client`, ...options });
  }

  destroy(): void {
    open.delete(this);
    this.provider.destroy();
    this.doc.destroy();
  }
}

export function waitForSynced(client: StockClient, options: WaitOptions = {}): Promise<StockClient> {
  return client.whenSynced(options);
}

/** The close code and reason the server sent to a stock or raw client. */
export function waitForClose(client: StockClient | RawClient, options: WaitOptions = {}): Promise<Close> {
  return client instanceof StockClient ? client.nextClose(options) : client.closed(options);
}

export function waitForDoc(doc: Y.Doc, predicate: (doc: Y.Doc) => boolean, options: WaitOptions = {}): Promise<void> {
  return waitFor(() => predicate(doc), options, (wake) => {
    doc.on('update', wake);
    return () => doc.off('update', wake);
  });
}

/** A stock client of `who` on `room`, synced. */
export async function joinSynced(
  server: ServerProcess,
  room: string,
  who: UserKey,
  mapId: string,
  tokenOptions: TokenOptions = {},
): Promise<StockClient> {
  const client = new StockClient(server, room, USERS[who], tokenFor(who, mapId, tokenOptions));
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
  static async connect(server: ServerProcess, room: string, token: string | null, options: { rawPath?: string; track?: boolean } = {}): Promise<RawClient> {
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

  waitUntil(predicate: () => boolean, options: WaitOptions = {}): Promise<void> {
    return waitFor(
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

  async closed(options: WaitOptions = {}): Promise<Close> {
    await waitFor(() => this.close !== null, { message: 'the server to close the socket', ...options }, (wake) => {
      this.listeners.add(wake);
      return () => this.listeners.delete(wake);
    });
    if (!this.close) throw new Error('unreachable: no close');
    return this.close;
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
