/**
 * Bench clients, all in the bench process. Two kinds:
 * - RawReader: a protocol client that only reads. It sends SyncStep1 with an
 *   empty state vector (after the auth message on Hocuspocus), is synced when
 *   the SyncStep2 arrives, and then only counts what it receives. It never
 *   decodes a document, so 500 of them cost the bench little.
 * - FullClient: a Y.Doc behind the same framing (the y-protocols sync
 *   exchange, as y-websocket's provider or Hocuspocus's does it), used by the
 *   writer and the measuring clients.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { Wire } from './servers/types';

const MESSAGE_SYNC = 0;
const MESSAGE_AUTH = 2;
/** Hocuspocus: like Sync, but not answered with another SyncStep1. */
const MESSAGE_SYNC_REPLY = 4;
const SYNC_STEP2 = 1;
const AUTH_TOKEN = 0;
const AUTH_PERMISSION_DENIED = 1;
/** The provider version a Hocuspocus provider sends with its token. */
const HOCUSPOCUS_PROVIDER_VERSION = '4.7.0';

/** Origin of what a FullClient applies from the server, so that it is not sent back. */
export const FROM_SERVER = Symbol('from-server');

/** Empty state vector: "send me everything". */
const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc());

function startFrame(wire: Wire): encoding.Encoder {
  const encoder = encoding.createEncoder();
  if (wire.kind === 'hocuspocus') encoding.writeVarString(encoder, wire.documentName);
  return encoder;
}

/** What a connection sends once its socket is open: the token (Hocuspocus), then SyncStep1. */
function helloFrames(wire: Wire, stateVector: Uint8Array): Uint8Array[] {
  const frames: Uint8Array[] = [];
  if (wire.kind === 'hocuspocus') {
    const auth = startFrame(wire);
    encoding.writeVarUint(auth, MESSAGE_AUTH);
    encoding.writeVarUint(auth, AUTH_TOKEN);
    encoding.writeVarString(auth, wire.token);
    encoding.writeVarString(auth, HOCUSPOCUS_PROVIDER_VERSION);
    frames.push(encoding.toUint8Array(auth));
  }
  const step1 = startFrame(wire);
  encoding.writeVarUint(step1, MESSAGE_SYNC);
  encoding.writeVarUint(step1, 0);
  encoding.writeVarUint8Array(step1, stateVector);
  frames.push(encoding.toUint8Array(step1));
  return frames;
}

type Peeked = 'step2' | 'denied' | 'other';

/** Reads only a frame's header: enough to see the SyncStep2 or a refusal. */
function peek(wire: Wire, data: Uint8Array): Peeked {
  try {
    const decoder = decoding.createDecoder(data);
    if (wire.kind === 'hocuspocus') decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_SYNC || (wire.kind === 'hocuspocus' && type === MESSAGE_SYNC_REPLY)) {
      return decoding.readVarUint(decoder) === SYNC_STEP2 ? 'step2' : 'other';
    }
    if (wire.kind === 'hocuspocus' && type === MESSAGE_AUTH) {
      return decoding.readVarUint(decoder) === AUTH_PERMISSION_DENIED ? 'denied' : 'other';
    }
    return 'other';
  } catch {
    return 'other';
  }
}

function toBytes(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

export class RawReader {
  readonly socket: WebSocket;
  /** performance.now() when the socket was created. */
  readonly startedAt: number;
  syncedAt: number | null = null;
  framesIn = 0;
  bytesIn = 0;
  /** Set when the socket closed or failed before the bench closed it. */
  failure: string | null = null;
  private closing = false;

  constructor(
    url: string,
    protected readonly wire: Wire,
  ) {
    this.startedAt = performance.now();
    this.socket = new WebSocket(url, { perMessageDeflate: false });
    this.socket.on('open', () => {
      for (const frame of helloFrames(wire, this.stateVector())) this.socket.send(frame);
    });
    this.socket.on('message', (data) => {
      const bytes = toBytes(data);
      this.framesIn++;
      this.bytesIn += bytes.byteLength;
      if (this.syncedAt === null) {
        const kind = peek(wire, bytes);
        if (kind === 'step2') this.syncedAt = performance.now();
        else if (kind === 'denied') this.fail('permission denied');
      }
      this.received(bytes);
    });
    this.socket.on('error', (error) => this.fail(`socket error: ${error.message}`));
    this.socket.on('close', (code, reason) => this.fail(`closed ${code} ${reason.toString()}`.trim()));
  }

  protected stateVector(): Uint8Array {
    return EMPTY_STATE_VECTOR;
  }

  /** A reader reads and discards. */
  protected received(_bytes: Uint8Array): void {}

  private fail(reason: string): void {
    if (!this.closing && this.failure === null) this.failure = reason;
  }

  close(): void {
    this.closing = true;
    this.socket.terminate();
  }
}

/**
 * A Y.Doc on the socket. Until activate() it only records when its SyncStep2
 * arrived and keeps the frames, so that decoding the whole document does not
 * slow the bench process down during the join storm; activate() applies them in order.
 */
export class FullClient extends RawReader {
  readonly doc = new Y.Doc();
  private active = false;
  private pending: Uint8Array[] = [];

  /** Called on open, after the constructor has run. */
  protected override stateVector(): Uint8Array {
    return Y.encodeStateVector(this.doc);
  }

  protected override received(bytes: Uint8Array): void {
    if (this.active) this.handle(bytes);
    else this.pending.push(bytes);
  }

  activate(): void {
    this.active = true;
    const pending = this.pending;
    this.pending = [];
    for (const bytes of pending) this.handle(bytes);
  }

  /** Sends every local change of the doc as an update message (one message per transaction, as the providers do). */
  sendLocalUpdates(onSend: () => void): void {
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === FROM_SERVER) return;
      const encoder = startFrame(this.wire);
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      syncProtocol.writeUpdate(encoder, update);
      onSend();
      this.socket.send(encoding.toUint8Array(encoder));
    });
  }

  private handle(bytes: Uint8Array): void {
    const decoder = decoding.createDecoder(bytes);
    if (this.wire.kind === 'hocuspocus') decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type !== MESSAGE_SYNC && !(this.wire.kind === 'hocuspocus' && type === MESSAGE_SYNC_REPLY)) return;
    // The answer to a SyncStep1 (the server asking what we have) is a SyncStep2.
    const reply = startFrame(this.wire);
    encoding.writeVarUint(reply, MESSAGE_SYNC);
    const empty = encoding.length(reply);
    syncProtocol.readSyncMessage(decoder, reply, this.doc, FROM_SERVER);
    if (encoding.length(reply) > empty) this.socket.send(encoding.toUint8Array(reply));
  }

  override close(): void {
    super.close();
    this.doc.destroy();
  }
}
