import type { Logger } from '../logger';
import type { DocStore } from '../store/doc-store';
import type { CollabMetrics } from './metrics';
import type { Room } from './room';
import type { Link } from './seq-chain';

/**
 * Keeps each loaded room's document level with the store when other
 * processes write (issue 14 §3). Updates from other processes arrive over
 * the fan-out with their seq and the seq before them (seq-chain.ts); one that
 * does not follow what the room holds waits, and the room reads what it
 * lacks from the store (`afterMs` later, unless the missing update arrived
 * meanwhile). The same read runs when the link to the other processes comes
 * back (what was published meanwhile is lost), and when the store holds
 * updates the room still lacks one poll after it was first seen to (another
 * writer that publishes nothing: the CLI on SQLite).
 *
 * What is read from the store is applied as another process's change: sent
 * to this process's sockets, never published again.
 */

export type CatchUpReason = 'gap' | 'reconnect' | 'poll';

export interface CatchUpOptions {
  store: DocStore;
  logger: Logger;
  metrics: CollabMetrics;
  /** How long an update may wait for the one before it before the store is read. */
  afterMs: number;
  /** How often the store's last seqs of the loaded rooms are compared with theirs (0: never). */
  pollMs: number;
  /** The loaded rooms. */
  rooms: () => Iterable<Room>;
  /** Applies stored updates to the room's document, as another process's, and sends them to its sockets. */
  apply: (room: Room, updates: readonly Uint8Array[]) => void;
}

export const DEFAULT_CATCH_UP_AFTER_MS = 250;
export const DEFAULT_CATCH_UP_POLL_MS = 1_000;

export class CatchUp {
  private readonly pollTimer: NodeJS.Timeout | null;
  /** Per room: the store's last seq at the previous poll. */
  private readonly seenAtLastPoll = new WeakMap<Room, number>();
  private polling = false;

  constructor(private readonly options: CatchUpOptions) {
    this.pollTimer = options.pollMs > 0 ? setInterval(() => void this.poll(), options.pollMs) : null;
    this.pollTimer?.unref();
  }

  /** A stored update of the room: applied now if it follows what the room holds, else it waits and a catch-up is due. */
  offer(room: Room, link: Link): void {
    const ready = room.chain.offer(link);
    if (ready.length > 0) this.options.apply(room, ready);
    if (room.chain.hasGap) this.soon(room);
  }

  /** This process stored updates of the room: if they follow one it has not seen yet, a catch-up is due unless it arrives. */
  checkGap(room: Room): void {
    if (room.chain.hasGap) this.soon(room);
  }

  /** Reads what the room lacks from the store now (or joins the read running already). */
  now(room: Room, reason: CatchUpReason): Promise<void> {
    if (room.catchUpTimer) {
      clearTimeout(room.catchUpTimer);
      room.catchUpTimer = null;
    }
    if (room.catchingUp) return room.catchingUp;
    const reading = this.read(room, reason).finally(() => {
      room.catchingUp = null;
      if (room.chain.hasGap && !room.destroyed) this.soon(room);
    });
    room.catchingUp = reading;
    return reading;
  }

  /** Every loaded room reads what it lacks (the link to the other processes dropped and is back). */
  all(reason: CatchUpReason): Promise<void> {
    return Promise.all([...this.options.rooms()].map((room) => this.now(room, reason))).then(() => undefined);
  }

  stop(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
  }

  private soon(room: Room): void {
    if (room.catchUpTimer || room.catchingUp || room.destroyed) return;
    room.catchUpTimer = setTimeout(() => {
      room.catchUpTimer = null;
      void this.now(room, 'gap');
    }, this.options.afterMs);
  }

  private async read(room: Room, reason: CatchUpReason): Promise<void> {
    const { store, logger, metrics } = this.options;
    const after = room.chain.through;
    const stopTimer = metrics.catchUpSeconds.startTimer();
    try {
      const stored = await store.loadSince(room.name, after);
      // Read after the updates, so it holds every claim they made (owners are only ever added while the room exists).
      const owners = await store.loadClientIdOwners(room.name);
      if (room.destroyed) return;
      for (const [clientId, userId] of owners) room.clientIds.learn([clientId], userId);
      const updates = stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates;
      if (updates.length > 0) this.options.apply(room, updates);
      const ready = room.chain.caughtUp(stored.lastSeq);
      if (ready.length > 0) this.options.apply(room, ready);
      metrics.catchUps.inc({ reason });
      metrics.catchUpUpdates.inc(updates.length);
      if (updates.length > 0) logger.info({ room: room.name, reason, after, through: room.chain.through, updates: updates.length }, 'caught up from the store');
    } catch (error) {
      // The next gap, poll or reconnect tries again; the room keeps what it has.
      logger.error({ err: error, room: room.name, reason }, 'could not catch up from the store');
    } finally {
      stopTimer();
    }
  }

  /** Rooms whose store already held, one poll ago, an update they still lack read it now. */
  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const rooms = [...this.options.rooms()];
      if (rooms.length === 0) return;
      const last = await this.options.store.lastSeqs(rooms.map((room) => room.name));
      for (const room of rooms) {
        const before = this.seenAtLastPoll.get(room);
        if (before !== undefined && room.chain.through < before && !room.destroyed) void this.now(room, 'poll');
        const seq = last.get(room.name);
        if (seq !== undefined) this.seenAtLastPoll.set(room, seq);
      }
    } catch (error) {
      this.options.logger.error({ err: error }, 'could not read the last seqs of the loaded rooms');
    } finally {
      this.polling = false;
    }
  }
}
