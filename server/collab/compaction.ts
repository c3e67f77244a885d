import type { Logger } from '../logger';
import type { DocStore } from '../store/doc-store';
import { compactRoom } from './compact-room';
import type { CollabMetrics } from './metrics';
import type { Room } from './room';

/**
 * After the pipeline: once a room's log holds enough updates or bytes, it is
 * folded into the room's snapshot (compact-room.ts), off the tick that
 * appended them. What another writer stored and the room lacked is applied
 * first and sent on, like any change from another process.
 */

export const DEFAULT_COMPACT_AFTER_UPDATES = 500;
export const DEFAULT_COMPACT_AFTER_BYTES = 4 * 1024 * 1024;
/** How long a room goes without a stored update before its log is folded. */
export const DEFAULT_COMPACT_QUIET_MS = 1000;
/** A log this many times past a threshold is folded without waiting for a lull. */
const FORCE_FACTOR = 4;

export interface CompactionOptions {
  store: DocStore;
  metrics: CollabMetrics;
  logger: Logger;
  afterUpdates: number;
  afterBytes: number;
  /** 0: fold as soon as a threshold is passed. */
  quietMs: number;
  /** Applies updates already stored (another writer's) to the room and sends them to its sockets, not to other processes. */
  applyStored: (room: Room, updates: readonly Uint8Array[]) => void;
}

export class Compaction {
  constructor(private readonly options: CompactionOptions) {}

  /**
   * Called after every store of the room's updates (and once it loads). Past
   * the thresholds the fold waits for the room to go quiet for quietMs: its
   * encoding holds the event loop for tens of milliseconds on a large map,
   * which in the middle of a burst of edits is everyone's latency. A log
   * FORCE_FACTOR times past a threshold is folded at once all the same.
   */
  maybeCompact(room: Room): void {
    const { afterUpdates, afterBytes, quietMs } = this.options;
    if (room.compacting || room.replaced || (room.logCount < afterUpdates && room.logBytes < afterBytes)) return;
    if (room.compactTimer) clearTimeout(room.compactTimer);
    room.compactTimer = null;
    if (quietMs > 0 && room.logCount < afterUpdates * FORCE_FACTOR && room.logBytes < afterBytes * FORCE_FACTOR) {
      room.compactTimer = setTimeout(() => {
        room.compactTimer = null;
        this.compact(room);
      }, quietMs);
      room.compactTimer.unref();
      return;
    }
    this.compact(room);
  }

  private compact(room: Room): void {
    if (room.compacting || room.replaced || room.destroyed) return;
    room.compacting = true;
    const { store, metrics, logger } = this.options;
    setImmediate(() => {
      if (room.replaced || room.destroyed) {
        room.compacting = false;
        return;
      }
      const stopTimer = metrics.compactSeconds.startTimer();
      compactRoom(store, room.name, room.doc, (missing) => this.catchUp(room, missing), { through: room.chain.through, intact: room.holdsStoredLog })
        .then(({ seq, stateBytes, digest }) => {
          // The document held everything stored up to seq when it was folded (compactRoom caught it up first).
          if (!room.destroyed) {
            const ready = room.chain.caughtUp(seq);
            if (ready.length > 0) this.options.applyStored(room, ready);
          }
          // What was appended after the compacted seq stays in the log.
          if (seq >= room.chain.highest) {
            room.logCount = 0;
            room.logBytes = 0;
          }
          // The running estimate only grows (an edit replacing a value adds its bytes): the snapshot measured it again.
          if (room.kind === 'map' && stateBytes !== null) room.docBytes = stateBytes;
          // Unless another process's newer snapshot turned this one away: then the digests differ, and reads go to the store.
          if (digest !== null) room.snapshotDigest = digest;
          logger.debug({ room: room.name, seq }, 'compacted');
        })
        .catch((error: unknown) => logger.error({ err: error, room: room.name }, 'compaction failed'))
        .finally(() => {
          stopTimer();
          room.compacting = false;
        });
    });
  }

  private catchUp(room: Room, missing: readonly Uint8Array[]): void {
    this.options.logger.info({ room: room.name, updates: missing.length }, 'caught up with updates stored by another writer');
    this.options.applyStored(room, missing);
  }
}
