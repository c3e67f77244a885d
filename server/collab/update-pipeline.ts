import { setImmediate as nextTurn } from 'node:timers/promises';
import * as Y from 'yjs';
import { checkMapUpdate } from '../../lib/journey/map-shape';
import { canWrite } from '../../lib/permissions/roles';
import type { ClientIdClaim, Fanout } from '../fanout/fanout';
import type { Logger } from '../logger';
import { ClientIdClaimLost, type AppendedSeq, type DocStore } from '../store/doc-store';
import { CloseCode } from './close-codes';
import type { CollabConnection } from './connection';
import type { WrittenComment } from './discussion-guard';
import type { CollabMetrics } from './metrics';
import { FROM_FANOUT, FROM_SERVER, type Origin } from './origins';
import type { Outbound } from './outbound';
import { MalformedMessage, updateFrame } from './protocol';
import type { Room } from './room';

/**
 * DESIGN.md, "An incoming update, step by step", after the frame's size
 * (checked as it arrives, accept.ts): decode → role → client ids → shape
 * (map) or authorship (discussion) → queue → append to the store → apply →
 * send and publish (with the seqs the store gave, seq-chain.ts). Updates
 * queued in one tick are appended as one batch; nothing is applied or sent
 * before the store has it.
 */

export interface UpdatePipelineOptions {
  store: DocStore;
  fanout: Fanout;
  metrics: CollabMetrics;
  logger: Logger;
  outbound: Outbound;
  /** Largest a map document may grow, in bytes (updates past it are refused, 4403). */
  maxDocBytes: number;
  /** The running vote's dots per person on a map (null: none): what the discussion guard holds dots against. */
  voteOf: (mapId: string) => number | null;
  /** After this process stored updates of the room: it may now wait for another process's (a gap to catch up on). */
  chainChanged: (room: Room) => void;
  /** After an update is applied: the room's log may be due for compaction. */
  stored: (room: Room) => void;
  /**
   * A send to a room's sockets this long or longer (ms) means the event loop is
   * busy sending: then a stored batch waits for the commit behind it and both
   * go out as one frame (see flush); 0: whenever a commit is behind it.
   */
  slowSendMs: number;
  /** Who set the presence under a client id in the room, here or on another process (the user who will write with it). */
  presenceOwner: (room: Room, clientId: number) => string | undefined;
  /** Comments a client wrote, once stored (see CollabServerOptions.onCommentsStored). */
  onCommentsStored?: (written: { mapId: string; authorId: string; authorName: string; comments: WrittenComment[] }) => void;
}

type Structs = ReturnType<typeof Y.decodeUpdate>['structs'];

/** How long an update may wait for the ones it builds on, and how many (and how many bytes) may wait per socket. */
const HOLD_MS = 10_000;
const MAX_HELD_UPDATES = 256;
const MAX_HELD_BYTES = 4 * 1024 * 1024;
/** The longest a stored batch waits for the commit behind it before it is sent alone. */
const MAX_SEND_WAIT_MS = 3;
export const DEFAULT_SLOW_SEND_MS = 2;

/** For each client of the update, the clock the room holds or has queued up to. */
function knownClock(room: Room, client: number): number {
  return Math.max(Y.getState(room.doc.store, client), room.pending.clockAfter(client));
}

/** Some client's part of the update starts past what the room holds or has queued of that client: a gap before it. */
function startsPastKnown(room: Room, structs: Structs): boolean {
  let client: number | null = null;
  for (const struct of structs) {
    if (struct.id.client === client) continue;
    client = struct.id.client;
    if (struct.id.clock > knownClock(room, client)) return true;
  }
  return false;
}

/** Everything in the update is in the room's queue already (the frame that filled its gap carried it too). */
function coveredByPending(room: Room, structs: Structs): boolean {
  return structs.every((struct) => struct.id.clock + struct.length <= knownClock(room, struct.id.client));
}

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

export class UpdatePipeline {
  private readonly outboxes = new Map<Room, Outgoing[]>();
  private queue: Queued[] = [];
  /** The batch being appended: not in the documents yet, and no longer queued, but what the next update may build on. */
  private appending: Queued[] = [];
  /** The next batch, asked of the store while the last one is applied and sent (a store that appends in order). */
  private next: { batch: Queued[]; appended: Promise<AppendedSeq[]> } | null = null;
  private flushScheduled = false;
  private flushing: Promise<void> = Promise.resolve();
  /** Rooms whose stored and applied updates wait to go out with the next batch's. */
  private readonly waiting = new Set<Room>();
  private waitTimer: NodeJS.Timeout | null = null;
  /** How long the last send to a room's sockets held the event loop, ms. */
  private lastSendMs = 0;

  constructor(private readonly options: UpdatePipelineOptions) {}

  /** A room was loaded: every change of its document goes to its outbox, whoever made it. */
  watch(room: Room): void {
    room.doc.on('update', (update: Uint8Array, origin: Origin) => {
      let outbox = this.outboxes.get(room);
      if (!outbox) this.outboxes.set(room, (outbox = []));
      outbox.push({ update, origin });
      if (origin === FROM_FANOUT) room.guard?.follow(update);
    });
  }

  /** The room left memory. */
  forget(room: Room): void {
    this.outboxes.delete(room);
    this.waiting.delete(room);
  }

  /** A document update (SyncStep2 or Update) from a socket; throws MalformedMessage when it does not decode. */
  receive(connection: CollabConnection, room: Room, update: Uint8Array, step: 'step2' | 'update'): void {
    const refuse = (code: number, reason: string, metric: string) => this.options.outbound.refuse(connection.socket, connection, code, reason, metric);
    let structs: Structs;
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
      return refuse(CloseCode.Forbidden, `a ${connection.role} may not change ${what}`, 'read_only');
    }
    if (room.kind === 'map' && (connection.held.length > 0 || startsPastKnown(room, structs))) return this.hold(connection, room, update, step);
    if (this.accept(connection, room, update, structs, step)) this.releaseHeld(connection, room);
  }

  /**
   * A writer's update that starts past what the room holds or has queued of
   * one of its clients builds on edits that have not arrived: a client
   * reconnecting after a write the server could not store sends its next
   * edit as soon as the socket opens, before the SyncStep2 that carries the
   * ones before it. Refused, it shut an honest client out; stored, it left a
   * hole every reader got as updates it cannot apply. It waits here, in
   * order, a little while; past that (or past the bounds) the socket
   * reconnects and resends everything in its sync.
   */
  private hold(connection: CollabConnection, room: Room, update: Uint8Array, step: 'step2' | 'update'): void {
    connection.held.push({ update, step });
    connection.heldBytes += update.byteLength;
    const reconnect = (why: string) => this.options.outbound.refuse(connection.socket, connection, CloseCode.RoleChanged, why, 'out_of_order');
    if (connection.held.length > MAX_HELD_UPDATES || connection.heldBytes > MAX_HELD_BYTES) return reconnect('too many edits arrived before the ones they build on; reconnecting');
    // A frame that follows what is held may fill its gap itself (a SyncStep2 behind an Update).
    this.releaseHeld(connection, room);
    if (connection.held.length > 0 && !connection.heldTimer) {
      connection.heldTimer = setTimeout(() => {
        connection.heldTimer = null;
        if (connection.held.length > 0) reconnect('your edits arrived before the ones they build on; reconnecting');
      }, HOLD_MS);
    }
  }

  /** Accepts, in arrival order, the held updates whose gap is filled now. */
  private releaseHeld(connection: CollabConnection, room: Room): void {
    let progress = true;
    while (progress && connection.held.length > 0 && !connection.closed) {
      progress = false;
      for (let index = 0; index < connection.held.length; index++) {
        const held = connection.held[index];
        if (!held) continue;
        const structs = Y.decodeUpdate(held.update).structs;
        if (startsPastKnown(room, structs)) continue;
        connection.held.splice(index, 1);
        connection.heldBytes -= held.update.byteLength;
        // What the filling frame brought already is not stored twice.
        if (!room.contains(held.update) && !coveredByPending(room, structs)) this.accept(connection, room, held.update, structs, 'update');
        progress = true;
        break;
      }
    }
    if (connection.held.length === 0 && connection.heldTimer) {
      clearTimeout(connection.heldTimer);
      connection.heldTimer = null;
    }
  }

  /** The checks from the client ids on, then the queue; false when refused (the socket is closed) or when there was nothing new. */
  private accept(connection: CollabConnection, room: Room, update: Uint8Array, structs: Structs, step: 'step2' | 'update'): boolean {
    const refuse = (code: number, reason: string, metric: string): false => {
      this.options.outbound.refuse(connection.socket, connection, code, reason, metric);
      return false;
    };
    // A reconnecting writer resends its whole state; what the server has already is not stored again.
    if (step === 'step2' && room.contains(update)) return false;
    const ids = room.clientIds.check(room.doc, structs, connection.userId, (id) => room.awarenessOwners.get(id)?.userId ?? this.options.presenceOwner(room, id));
    if (!ids.ok) return refuse(CloseCode.Forbidden, ids.reason, 'client_id');
    if (room.kind === 'map') {
      const docBytes = room.docBytes + room.pending.bytes;
      const verdict = checkMapUpdate(room.doc, update, { docBytes, maxDocBytes: this.options.maxDocBytes }, room.pending);
      if (!verdict.ok) return refuse(CloseCode.Forbidden, verdict.reason, 'shape');
    }
    if (room.guard) {
      const verdict = room.guard.check(
        update,
        { userId: connection.userId, userName: connection.userName, isOwner: connection.role === 'owner', dotsPerPerson: this.options.voteOf(room.mapId) },
        Date.now(),
        () => this.queuedUpdates(room),
      );
      if (!verdict.ok) return refuse(CloseCode.Forbidden, verdict.reason, 'authorship');
      room.clientIds.claim(ids.claimed, connection.userId);
      this.enqueue({ room, update, connection, written: verdict.written, claimed: ids.claimed });
      return true;
    }
    room.clientIds.claim(ids.claimed, connection.userId);
    this.enqueue({ room, update, connection, claimed: ids.claimed });
    return true;
  }

  /** A change made by the server itself (a merge, a restore, the schema upgrade): the same path from the queue on. */
  submit(room: Room, update: Uint8Array): void {
    this.enqueue({ room, update, connection: null });
  }

  /** Updates already in the store (another process's, or read back by a catch-up): applied and sent to this process's sockets, never published again. */
  applyStored(room: Room, updates: readonly Uint8Array[]): void {
    // Another process's editors changed the map: whoever leaves last, on any process, keeps a version of it.
    if (room.kind === 'map' && updates.length > 0) room.changedByEditors = true;
    for (const update of updates) {
      try {
        Y.applyUpdate(room.doc, update, FROM_FANOUT);
      } catch (error) {
        room.storedIntact = false;
        this.options.logger.error({ err: error, room: room.name }, 'could not apply a stored update');
      }
    }
    this.sendOutbox(room);
  }

  /** Resolves once everything queued so far is stored, applied and sent. */
  async drain(): Promise<void> {
    for (;;) {
      const flushing = this.flushing;
      await flushing;
      // A flush may have asked for the next batch and chained its own flush meanwhile.
      if (this.queue.length === 0 && !this.flushScheduled && this.next === null && flushing === this.flushing) {
        this.sendWaiting();
        return;
      }
      await nextTurn();
    }
  }

  /** Sends what changed in the room since the last call to its sockets, as one frame. */
  sendOutbox(room: Room): void {
    const outgoing = this.outboxes.get(room);
    if (!outgoing || outgoing.length === 0) return;
    this.outboxes.delete(room);
    const merged = outgoing.length === 1 ? (outgoing[0]?.update ?? new Uint8Array()) : Y.mergeUpdates(outgoing.map((o) => o.update));
    const senders = new Set(outgoing.map((o) => o.origin));
    // The sole sender of a tick's changes has them already; with several
    // senders each gets the merged frame (Yjs ignores what it has) rather than one encoding per socket.
    const skip = senders.size === 1 ? outgoing[0]?.origin : undefined;
    const frame = updateFrame(merged);
    const started = performance.now();
    this.options.outbound.broadcast(room.connections, frame, skip);
    this.lastSendMs = performance.now() - started;
  }

  /** Sends what waited for the next batch. */
  private sendWaiting(): void {
    if (this.waitTimer) clearTimeout(this.waitTimer);
    this.waitTimer = null;
    for (const room of this.waiting) this.sendOutbox(room);
    this.waiting.clear();
  }

  /** Accepted updates of the room not applied yet: those being appended (the store may take a while: PostgreSQL), then those queued. */
  private queuedUpdates(room: Room): Uint8Array[] {
    const pending: Uint8Array[] = [];
    for (const item of this.appending) if (item.room === room) pending.push(item.update);
    for (const item of this.queue) if (item.room === room) pending.push(item.update);
    return pending;
  }

  private enqueue(item: Queued): void {
    this.queue.push(item);
    if (item.room.kind === 'map') item.room.pending.add(item.update);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flushing = this.flushing.then(() => this.flush());
    });
  }

  /**
   * Asks the store for the batch; timed from here to its commit. `now`: nothing else waits on the
   * loop (no batch behind, sends quick), so the store may commit it here rather than on its thread.
   */
  private startAppend(batch: readonly Queued[], now = false): Promise<AppendedSeq[]> {
    const { store, metrics } = this.options;
    const stopTimer = metrics.appendSeconds.startTimer();
    const items = batch.map(({ room, update, connection, claimed }) => ({
      room: room.name,
      update,
      claims: connection && claimed && claimed.length > 0 ? { userId: connection.userId, clientIds: claimed } : undefined,
    }));
    let appended: Promise<AppendedSeq[]>;
    try {
      const committed = now ? (store.appendNow?.(items) ?? null) : null;
      if (committed) metrics.appendsOnLoop.inc();
      appended = committed ? Promise.resolve(committed) : store.append(items);
    } catch (error) {
      appended = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    void appended.then(
      () => stopTimer(),
      () => stopTimer(),
    );
    return appended;
  }

  private async flush(): Promise<void> {
    let batch: Queued[];
    let appending: Promise<AppendedSeq[]>;
    if (this.next) {
      ({ batch, appended: appending } = this.next);
      this.next = null;
    } else {
      batch = this.queue;
      this.queue = [];
      if (batch.length === 0) return;
      appending = this.startAppend(batch, this.lastSendMs < this.options.slowSendMs);
    }
    this.appending = batch;
    const { store, logger } = this.options;
    let appended: AppendedSeq[];
    try {
      appended = await appending;
    } catch (error) {
      // What an earlier batch stored goes out now; this one's never will.
      this.sendWaiting();
      // Nothing of the batch was acknowledged: its senders still hold their
      // edits and send them again when they reconnect.
      this.appending = [];
      if (error instanceof ClientIdClaimLost) logger.warn({ room: error.room, clientId: error.clientId, updates: batch.length }, 'a client id was claimed for another user a moment before; the batch is sent again');
      else logger.error({ err: error, updates: batch.length }, 'could not store updates');
      // What their senders sent meanwhile may build on what was not stored: they send it all again with the rest.
      const closing = new Set(batch.map((item) => item.connection).filter((connection) => connection !== null));
      this.queue = this.queue.filter((item) => !item.connection || !closing.has(item.connection));
      for (const room of new Set(batch.map((item) => item.room))) {
        if (room.kind !== 'map') continue;
        room.pending.clear();
        for (const update of this.queuedUpdates(room)) room.pending.add(update);
      }
      for (const item of batch) {
        item.connection?.close(1011, 'could not save your change; reconnecting');
        item.room.guard?.rebuild(this.queuedUpdates(item.room));
        if (item.claimed) item.room.clientIds.forget(item.claimed);
      }
      // The store's owner, before anyone resends: the one who lost the race is refused the id then (4403).
      if (error instanceof ClientIdClaimLost) batch.find((item) => item.room.name === error.room)?.room.clientIds.learn([error.clientId], error.owner);
      return;
    }
    const busySending = this.lastSendMs >= this.options.slowSendMs;
    // Busy sending, the updates that came in while the last batch went out are still unread: one turn
    // of the loop reads them, so that they are committed behind this batch and go out with it (below).
    if (busySending && store.appendsInOrder && this.queue.length === 0) await nextTurn();
    // Stored: while this batch is applied and sent, the store commits what queued meanwhile. Asked only
    // now, after this one succeeded, so a refused batch never has a later one of its senders stored behind it.
    if (store.appendsInOrder && this.queue.length > 0) {
      const nextBatch = this.queue;
      this.queue = [];
      this.next = { batch: nextBatch, appended: this.startAppend(nextBatch) };
      this.flushing = this.flushing.then(() => this.flush());
    }
    this.appending = this.next?.batch ?? [];
    // Per room: what this batch stored, one run of its chain (a batch holds its rooms' locks until it commits).
    const stored = new Map<Room, { updates: Uint8Array[]; prevSeq: number; seq: number; claims: ClientIdClaim[] }>();
    batch.forEach((item, index) => {
      const { room, update, connection, claimed } = item;
      const at = appended[index];
      room.logCount += 1;
      room.logBytes += update.byteLength;
      room.docBytes += update.byteLength;
      if (connection) room.changedByEditors = true;
      try {
        Y.applyUpdate(room.doc, update, connection ?? FROM_SERVER);
      } catch (error) {
        room.storedIntact = false;
        logger.error({ err: error, room: room.name }, 'could not apply a stored update');
      }
      if (room.kind === 'map') room.pending.applied(update.byteLength);
      if (!at) return;
      let run = stored.get(room);
      if (run) {
        run.updates.push(update);
        run.seq = at.seq;
      } else stored.set(room, (run = { updates: [update], prevSeq: at.prevSeq, seq: at.seq, claims: [] }));
      if (connection && claimed && claimed.length > 0) run.claims.push({ userId: connection.userId, clientIds: claimed });
      // Updates of another process this one unblocks are applied after it, in the order they were stored.
      const ready = room.chain.offer({ seq: at.seq, prevSeq: at.prevSeq, update: null });
      if (ready.length > 0) this.applyStored(room, ready);
    });
    for (const room of stored.keys()) {
      if (room.kind === 'map' && !this.queue.some((item) => item.room === room) && !this.appending.some((item) => item.room === room)) room.pending.clear();
    }
    // A send to hundreds of sockets holds the loop for milliseconds, and what arrives meanwhile waits
    // for the next one: sent now, this batch would leave the next (its commit under way) to wait for a
    // whole send of its own. Held for that commit instead (a millisecond; at most MAX_SEND_WAIT_MS),
    // both go out as one frame. Only once in a row, so a steady stream of edits is never held back.
    const sendNow = !(busySending && this.next !== null && this.waiting.size === 0);
    for (const [room, run] of stored) {
      if (sendNow) this.sendOutbox(room);
      else this.waiting.add(room);
      const payload = run.updates.length === 1 ? (run.updates[0] ?? new Uint8Array()) : Y.mergeUpdates(run.updates);
      this.options.fanout.publish({ kind: 'doc', room: room.name, payload, seq: run.seq, prevSeq: run.prevSeq, sentAt: Date.now(), ...(run.claims.length > 0 ? { claims: run.claims } : {}) });
      this.options.chainChanged(room);
      this.options.stored(room);
    }
    if (sendNow) this.sendWaiting();
    else {
      this.options.metrics.sendsHeld.inc();
      this.waitTimer ??= setTimeout(() => this.sendWaiting(), MAX_SEND_WAIT_MS);
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
}
