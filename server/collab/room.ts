import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import type { DocKind } from '../../lib/permissions/roles';
import { loadStoredDoc } from '../store/apply-stored';
import type { StoredDoc } from '../store/doc-store';
import { snapshotDigest } from '../store/snapshot-digest';
import { ClientIdOwners } from './client-id-owners';
import { PendingUpdates } from '../../lib/journey/map-shape';
import { DiscussionGuard } from './discussion-guard';
import { SeqChain } from './seq-chain';
import { syncStep1Frame, syncStep2Frame } from './protocol';
import type { CollabConnection } from './connection';

/**
 * What the room registry (room-registry.ts) holds.
 *
 * One loaded document and the sockets on it. The room caches the frames that
 * every joiner needs (the full state, the state vector) so that a burst of
 * joiners costs one encoding, not one per joiner.
 */
export class Room {
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  readonly connections = new Set<CollabConnection>();
  /** Which socket set each awareness client id: only that socket (or its user's next one) may change it. */
  readonly awarenessOwners = new Map<number, CollabConnection>();
  readonly guard: DiscussionGuard | null;
  /** Who may write with which Yjs client id here. */
  readonly clientIds: ClientIdOwners;
  /** Map rooms: updates accepted and not applied yet, indexed for the shape check of the next (lib/journey/map-shape.ts). */
  readonly pending = new PendingUpdates();
  /** Which stored updates the document holds (everything up to chain.through), and those waiting for an earlier one. */
  chain: SeqChain;
  /** A read of what the store holds after chain.through, while one runs (catch-up.ts). */
  catchingUp: Promise<void> | null = null;
  catchUpTimer: NodeJS.Timeout | null = null;
  /** A compaction waiting for the room to go quiet (compaction.ts). */
  compactTimer: NodeJS.Timeout | null = null;
  /** Left memory: late callbacks (a catch-up's read, a fan-out message) leave it alone. */
  destroyed = false;
  /** Updates and bytes in the store's log since the last snapshot. */
  logCount = 0;
  logBytes = 0;
  /** The document's encoded size when loaded plus every update since: what the shape guard holds against MAX_DOC_BYTES. */
  docBytes: number;
  compacting = false;
  /** Every stored update this document was given applied cleanly (see holdsStoredLog). */
  storedIntact = true;
  /**
   * The fingerprint of the stored snapshot this document was loaded from, or
   * last compacted to by this process (null: the room had none). A stored
   * snapshot with another one was written by someone else, and may not load.
   */
  snapshotDigest: string | null;
  /**
   * A restore replaced the room's stored state (control.ts): what this
   * document holds is the old state, which must never be folded over the new
   * one. Set just before the room leaves memory.
   */
  replaced = false;
  /**
   * The document holds every stored update up to chain.through: each one it
   * was given applied, none missing in between, and its stored state was not
   * replaced under it. Then, once the store's last seq is one the chain holds,
   * compaction folds the document and a version keeps it without reading the
   * log back.
   */
  get holdsStoredLog(): boolean {
    return this.storedIntact && !this.chain.hasGap && !this.replaced && !this.destroyed;
  }
  /** Changed by a client since the last time the last editor left. */
  changedByEditors = false;
  idleTimer: NodeJS.Timeout | null = null;
  unsubscribeFanout: (() => void) | null = null;

  private fullStateFrame: Uint8Array | null = null;
  private stateVectorFrame: Uint8Array | null = null;
  private snapshotCache: Y.Snapshot | null = null;

  constructor(
    readonly name: string,
    readonly mapId: string,
    readonly kind: DocKind,
    stored: StoredDoc,
    onBadStoredUpdate: (error: unknown, index: number) => void,
    clientIdOwners: ReadonlyMap<number, string> = new Map(),
  ) {
    this.clientIds = new ClientIdOwners(kind, clientIdOwners);
    this.doc = loadStoredDoc(stored, (error, index) => {
      this.storedIntact = false;
      onBadStoredUpdate(error, index);
    });
    this.chain = new SeqChain(stored.lastSeq);
    this.snapshotDigest = stored.snapshot ? snapshotDigest(stored.snapshot) : null;
    this.docBytes = kind === 'map' ? Y.encodeStateAsUpdate(this.doc).byteLength : 0;
    this.awareness = new Awareness(this.doc);
    // The server is not a participant: it holds others' presence but has none.
    this.awareness.setLocalState(null);
    this.guard = kind === 'discussion' ? new DiscussionGuard(this.doc) : null;
    this.doc.on('update', () => {
      this.fullStateFrame = null;
      this.stateVectorFrame = null;
      this.snapshotCache = null;
    });
  }

  /** SyncStep2 holding the whole document, encoded once until the document changes. */
  fullState(): Uint8Array {
    this.fullStateFrame ??= syncStep2Frame(Y.encodeStateAsUpdate(this.doc));
    return this.fullStateFrame;
  }

  /** SyncStep2 for a client that already holds `stateVector`. */
  stateSince(stateVector: Uint8Array): Uint8Array {
    // An empty state vector (a single 0 byte) is a fresh client: everything.
    if (stateVector.length <= 1) return this.fullState();
    return syncStep2Frame(Y.encodeStateAsUpdate(this.doc, stateVector));
  }

  stateVector(): Uint8Array {
    this.stateVectorFrame ??= syncStep1Frame(Y.encodeStateVector(this.doc));
    return this.stateVectorFrame;
  }

  /**
   * The document's snapshot, taken once until it changes: its delete set walks
   * every struct (6.5 ms on a 2,000-touchpoint map), and every client that
   * connects asks contains() of its SyncStep2.
   */
  snapshot(): Y.Snapshot {
    this.snapshotCache ??= Y.snapshot(this.doc);
    return this.snapshotCache;
  }

  /** True when applying `update` would change nothing (a read-only client echoing what it has). */
  contains(update: Uint8Array): boolean {
    return Y.snapshotContainsUpdate(this.snapshot(), update);
  }

  destroy(): void {
    this.destroyed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.catchUpTimer) clearTimeout(this.catchUpTimer);
    if (this.compactTimer) clearTimeout(this.compactTimer);
    this.unsubscribeFanout?.();
    this.awareness.destroy();
    this.doc.destroy();
  }
}
