/**
 * The collaboration client of the tests: the stock y-websocket
 * WebsocketProvider, unchanged, as the browser runs it (`params: { token }`),
 * in Node with `ws` as its WebSocket and no BroadcastChannel. Edits go through
 * lib/journey/schema's writers with the client's origin (`edit`); every wait
 * is on the provider's or the document's events, with a deadline.
 */
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { EditOrigin } from '../../lib/journey/origin';
import { waitFor, type WaitOptions } from './wait';

export interface Close {
  code: number;
  reason: string;
}

/** Who a client edits as: the origin's userId, and a name for failure messages. */
export interface ClientUser {
  id: string;
  name: string;
}

const ANONYMOUS: ClientUser = { id: 'test-client', name: 'a test client' };

/** A number is a timeout in ms, a string the failure message. */
type WaitFor = WaitOptions | number | string;
const options = (wait: WaitFor | undefined, defaults: WaitOptions): WaitOptions =>
  typeof wait === 'number' ? { ...defaults, timeout: wait } : typeof wait === 'string' ? { ...defaults, message: wait } : { ...defaults, ...wait };

/** A refusal: y-websocket does not reconnect after a 44xx close. */
const isRefusal = (close: Close): boolean => close.code >= 4400 && close.code < 4500;

const clients = new Set<CollabClient>();

// In Node, y-websocket's provider adds an exit listener to `process` for as long as it lives:
// a test with more than ten clients open is no leak, so Node's warning about the eleventh is raised out of the way.
process.setMaxListeners(Math.max(process.getMaxListeners(), 1_000));

export class CollabClient {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  /** One origin per session, as the app uses it (undo tracks it by identity). */
  readonly origin: EditOrigin;
  /** Every close of this client's sockets, in order, as the client saw them (reconnects included). */
  readonly closes: Close[] = [];
  /** Set once the server closes the socket for good (a 44xx code; y-websocket then stops reconnecting). */
  closedWith: Close | null = null;
  private consumedCloses = 0;

  /** Connects without waiting (see `open` for a synced client); `user` names the origin of its edits. */
  constructor(
    collabUrl: string,
    readonly room: string,
    readonly user: ClientUser,
    token: string,
  ) {
    this.origin = { userId: user.id, kind: 'local' };
    this.provider = new WebsocketProvider(collabUrl, room, this.doc, {
      params: { token },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      // Reconnect quickly after a deliberate disconnect or a restart.
      maxBackoffTime: 300,
    });
    this.provider.on('connection-close', (event) => {
      if (event) this.closes.push({ code: event.code, reason: event.reason });
    });
    this.provider.on('closed', (event) => {
      this.closedWith = { code: event.code, reason: event.reason };
    });
    clients.add(this);
  }

  /** Connects and waits until the document is synced; fails (and destroys the client) if the server refuses it first. */
  static async open(collabUrl: string, room: string, token: string, wait?: WaitFor, user: ClientUser = ANONYMOUS): Promise<CollabClient> {
    const client = new CollabClient(collabUrl, room, user, token);
    try {
      return await client.whenSynced(wait);
    } catch (error) {
      client.destroy();
      throw error;
    }
  }

  /** Connects without waiting: for sockets the server is expected to refuse. */
  static connect(collabUrl: string, room: string, token: string, user: ClientUser = ANONYMOUS): CollabClient {
    return new CollabClient(collabUrl, room, user, token);
  }

  get synced(): boolean {
    return this.provider.synced;
  }

  /** Resolves once the client holds the server's state; fails at once if the server refuses it. */
  async whenSynced(wait?: WaitFor): Promise<this> {
    await waitFor(
      () => {
        if (this.provider.synced) return true;
        const refused = this.closes.find(isRefusal) ?? this.closedWith;
        if (refused) throw new Error(`${this.user.name} was refused on ${this.room}: the server closed the socket with ${refused.code} ${refused.reason}`);
        return false;
      },
      options(wait, { timeout: 15_000, message: `${this.user.name} to sync ${this.room}` }),
      (wake) => this.on(['sync', 'connection-close', 'closed'], wake),
    );
    return this;
  }

  /** Runs schema writers on this client's document as this client, e.g. `client.edit((doc, origin) => addStage(doc, input, origin))`. */
  edit<T>(write: (doc: Y.Doc, origin: EditOrigin) => T): T {
    return write(this.doc, this.origin);
  }

  /** Resolves once `predicate(doc)` holds, re-checked on every change of the document. */
  until(predicate: (doc: Y.Doc) => boolean, wait?: WaitFor, timeoutMs?: number): Promise<void> {
    const waitOptions = options(wait, { message: `a change at ${this.user.name}'s client` });
    return waitForDoc(this.doc, predicate, timeoutMs === undefined ? waitOptions : { ...waitOptions, timeout: timeoutMs });
  }

  /** The close the server ends this socket with for good (past or future). */
  async closed(wait?: WaitFor): Promise<Close> {
    return waitFor(() => this.closedWith, options(wait, { message: `the server to close ${this.user.name}'s socket on ${this.room}` }), (wake) => this.on(['closed'], wake));
  }

  /** The next close of this client's socket (a refusal or a drop it reconnects after) not yet returned by this method. */
  async nextClose(wait?: WaitFor): Promise<Close> {
    await waitFor(() => this.closes.length > this.consumedCloses, options(wait, { message: `${this.user.name}'s socket on ${this.room} to close` }), (wake) =>
      this.on(['connection-close'], wake),
    );
    const close = this.closes[this.consumedCloses++];
    if (!close) throw new Error('unreachable: no close recorded');
    return close;
  }

  destroy(): void {
    clients.delete(this);
    this.provider.destroy();
    this.doc.destroy();
  }

  private on(events: ('sync' | 'connection-close' | 'closed')[], wake: () => void): () => void {
    for (const event of events) this.provider.on(event, wake);
    return () => {
      for (const event of events) this.provider.off(event, wake);
    };
  }
}

/** Resolves once `predicate(doc)` holds, re-checked on every change of the document. */
export function waitForDoc(doc: Y.Doc, predicate: (doc: Y.Doc) => boolean, wait: WaitOptions = {}): Promise<void> {
  return waitFor(
    () => predicate(doc),
    wait,
    (wake) => {
      doc.on('update', wake);
      return () => doc.off('update', wake);
    },
  ).then(() => undefined);
}

/** Closes every client a test file opened (afterAll), even when a test failed. */
export function destroyAllCollabClients(): void {
  for (const client of Array.from(clients)) client.destroy();
}
