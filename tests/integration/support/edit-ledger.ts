/**
 * What a client has received from the server, as the durability contract
 * (DESIGN.md, "An incoming update, step by step") promises it: store.append
 * comes before anyone sees an update, so every insert and every deletion the
 * server sent to some client is stored, and survives a kill -9.
 *
 * The ledger reads the frames off the client's socket (SyncStep2 and Update
 * messages) into a shadow document of its own. The client's document would
 * not do: it also holds the client's own unsent edits, and deletions that
 * only follow from them (a touchpoint it deleted takes with it a label that
 * someone else set), which the server never had.
 */
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { decodeServerFrame } from './clients';

export class ReceivedFromServer {
  /** Everything the server sent this client, applied (gc off, so that a deletion stays an id). */
  readonly doc = new Y.Doc({ gc: false });

  constructor(provider: WebsocketProvider) {
    const tap = (): void => {
      const socket = provider.ws;
      if (!socket) return;
      socket.addEventListener('message', (event: MessageEvent) => {
        const message = decodeServerFrame(new Uint8Array(event.data as ArrayBuffer));
        if (message.type === 'sync-step2' || message.type === 'sync-update') Y.applyUpdate(this.doc, message.update);
      });
    };
    provider.on('status', ({ status }) => {
      if (status === 'connecting') tap();
    });
    tap();
  }
}

/** One client's view at one moment: what the server had sent it. */
export interface SeenByClient {
  /** Who saw it, for the failure message. */
  label: string;
  snapshot: Y.Snapshot;
}

export function seenAt(label: string, received: ReceivedFromServer): SeenByClient {
  return { label, snapshot: Y.snapshot(received.doc) };
}

/** Sentences naming what `seen` holds and `final` lacks; empty when nothing is lost. */
export function lostFrom(seen: SeenByClient, final: Y.Doc): string[] {
  const snapshot = Y.snapshot(final);
  const lost: string[] = [];
  for (const [client, clock] of seen.snapshot.sv) {
    const have = snapshot.sv.get(client) ?? 0;
    if (have < clock) lost.push(`${seen.label} had received inserts of Yjs client ${client} up to clock ${clock}; the final state has them up to ${have}`);
  }
  const missing: string[] = [];
  for (const [client, items] of seen.snapshot.ds.clients) {
    for (const item of items) {
      for (let clock = item.clock; clock < item.clock + item.len; clock++) {
        if (!Y.isDeleted(snapshot.ds, Y.createID(client, clock))) missing.push(`${client}:${clock}`);
      }
    }
  }
  if (missing.length > 0) lost.push(`${seen.label} had received ${missing.length} deletion(s) that the final state lacks (${missing.slice(0, 5).join(', ')})`);
  return lost;
}
