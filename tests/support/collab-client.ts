/**
 * A stock y-websocket client on a map's room, as the browser runs it
 * (WebsocketProvider with `params: { token }`), in Node with `ws`.
 * Waits are on the provider's and the document's events, with deadlines.
 */
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { untilDeadline } from './deadline';

export interface Close {
  code: number;
  reason: string;
}

const clients = new Set<CollabClient>();

export class CollabClient {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  /** Set once the server closes the socket for good (a 4xxx code; y-websocket then stops reconnecting). */
  closedWith: Close | null = null;

  private constructor(collabUrl: string, room: string, token: string) {
    this.provider = new WebsocketProvider(collabUrl, room, this.doc, {
      params: { token },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    this.provider.on('closed', (event) => {
      this.closedWith = { code: event.code, reason: event.reason };
    });
    clients.add(this);
  }

  /** Connects and waits until the document is synced; fails if the server closes the socket first. */
  static async open(collabUrl: string, room: string, token: string, timeoutMs = 10_000): Promise<CollabClient> {
    const client = new CollabClient(collabUrl, room, token);
    try {
      await client.synced(timeoutMs);
      return client;
    } catch (error) {
      client.destroy();
      throw error;
    }
  }

  /** Connects without waiting: for sockets the server is expected to refuse. */
  static connect(collabUrl: string, room: string, token: string): CollabClient {
    return new CollabClient(collabUrl, room, token);
  }

  synced(timeoutMs = 10_000): Promise<void> {
    return untilDeadline<void>(timeoutMs, 'the document to sync', (resolve, reject) => {
      const onSync = (state: boolean) => {
        if (state) resolve();
      };
      const onClosed = (event: Close) => reject(new Error(`the server closed the socket with ${event.code} ${event.reason}`));
      this.provider.on('sync', onSync);
      this.provider.on('closed', onClosed);
      if (this.provider.synced) resolve();
      else if (this.closedWith) onClosed(this.closedWith);
      return () => {
        this.provider.off('sync', onSync);
        this.provider.off('closed', onClosed);
      };
    });
  }

  /** The close the server ends this socket with (past or future). */
  closed(timeoutMs = 10_000): Promise<Close> {
    return untilDeadline<Close>(timeoutMs, 'the server to close the socket', (resolve) => {
      const onClosed = (event: Close) => resolve({ code: event.code, reason: event.reason });
      this.provider.on('closed', onClosed);
      if (this.closedWith) resolve(this.closedWith);
      return () => this.provider.off('closed', onClosed);
    });
  }

  /** Resolves once `predicate(doc)` holds, checking after every change to the document. */
  until(predicate: (doc: Y.Doc) => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    return untilDeadline<void>(timeoutMs, what, (resolve) => {
      const check = () => {
        if (predicate(this.doc)) resolve();
      };
      this.doc.on('update', check);
      check();
      return () => this.doc.off('update', check);
    });
  }

  destroy(): void {
    clients.delete(this);
    this.provider.destroy();
    this.doc.destroy();
  }
}

/** Closes every client a test file opened. */
export function destroyAllCollabClients(): void {
  for (const client of [...clients]) client.destroy();
}
