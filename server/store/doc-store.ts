/**
 * Where the collaborative documents live. One implementation per engine
 * (SQLite by default, PostgreSQL for several processes); the collaboration
 * protocol only ever sees this interface.
 */
export interface StoredDoc {
  /** Merged state up to `snapshotSeq`, or null when the room was never compacted. */
  snapshot: Uint8Array | null;
  /** The seq the snapshot holds everything up to (null without a snapshot). */
  snapshotSeq: number | null;
  /** Updates after the snapshot, in the order they were appended. */
  updates: Uint8Array[];
  /** The seq of each update, index for index. */
  seqs: number[];
  /** The seq of the last update in the log (or of the snapshot when the log is empty); 0 for a new room. */
  lastSeq: number;
  /** Bytes of the updates in the log. */
  logBytes: number;
}

export interface AppendedUpdate {
  room: string;
  update: Uint8Array;
  /** Yjs client ids this update is the first to write with in its room, stored with it as its sender's (see loadClientIdOwners). */
  claims?: { userId: string; clientIds: readonly number[] };
}

/**
 * An append that claims a client id another user claimed first, in the store:
 * two processes that each took a fresh id for a different user in the same
 * instant. The whole batch is refused (nothing of it stored): its senders
 * resend, and the one who lost the race is refused the id (4403) by then.
 */
export class ClientIdClaimLost extends Error {
  constructor(
    readonly room: string,
    readonly clientId: number,
    readonly owner: string,
  ) {
    super(`client id ${clientId} of ${room} is already another user's`);
    this.name = 'ClientIdClaimLost';
  }
}

/** Where an appended update sits in its room's log. */
export interface AppendedSeq {
  /** The update's seq (seqs are drawn for every room from one sequence). */
  seq: number;
  /**
   * The seq of the room's update before it (of its snapshot when the log was
   * empty; 0 for a new room): a process whose copy of the room holds
   * everything up to prevSeq can apply this update and hold everything up to
   * seq; one that holds less has missed something (server/collab/seq-chain.ts).
   */
  prevSeq: number;
}

/** A stored update that a load could not apply: moved out of the live log, kept for an operator. */
export interface SetAside {
  seq: number;
  /** What went wrong, in a sentence (the error's message). */
  reason: string;
}

export interface MapRecord {
  id: string;
  title: string;
  template: string;
  createdAt: number;
  updatedAt: number;
}

export interface DocStore {
  readonly engine: 'sqlite' | 'postgres';
  /**
   * Appends asked for before an earlier one resolved still commit after it,
   * in the order they were asked for (one writer working through a queue).
   * The pipeline may then ask for the next batch while it applies and sends
   * the last one. PostgreSQL's pool runs appends side by side: not there.
   */
  readonly appendsInOrder: boolean;
  /** Everything stored for the room: the snapshot and the log after it. */
  load(room: string): Promise<StoredDoc>;
  /**
   * What the room stored after `afterSeq`: the log's updates with a larger
   * seq, and the snapshot too when a compaction folded some of them into it
   * (snapshotSeq > afterSeq). How a process that missed updates catches up.
   */
  loadSince(room: string, afterSeq: number): Promise<StoredDoc>;
  /** The seq of each room's last stored update (of its snapshot when its log is empty; 0 for a room never stored). */
  lastSeqs(rooms: readonly string[]): Promise<Map<string, number>>;
  /**
   * The fingerprint of the room's stored snapshot (snapshot-digest.ts), null
   * when it has none: far cheaper than a load, and how a process holding the
   * room tells that the snapshot is still the one it loaded or wrote.
   */
  snapshotDigest(room: string): Promise<string | null>;
  /** Who first wrote with each Yjs client id in the room: client id → user id (server/collab/client-id-owners.ts). */
  loadClientIdOwners(room: string): Promise<Map<number, string>>;
  /**
   * Appends a batch (the updates of one tick, any rooms) in one transaction,
   * with the client ids they claim, and returns each update's seq and the
   * seq before it in its room, in order. Resolves only once durable; a room's
   * seqs become visible in increasing order.
   */
  append(batch: readonly AppendedUpdate[]): Promise<AppendedSeq[]>;
  /**
   * The same append, committed now on the calling thread when that is quick
   * and keeps the order (SQLite with a writer thread that has nothing under
   * way, nobody else holding the file's lock); null when not, and nothing
   * was written: then append(). Throws what append() would reject with.
   */
  appendNow?(batch: readonly AppendedUpdate[]): AppendedSeq[] | null;
  /** Replaces the snapshot with `state` (which holds every update up to `seq`) and drops those updates from the log. */
  compact(room: string, state: Uint8Array, seq: number): Promise<void>;
  /**
   * Moves these updates of the room's log to the set-aside table (kept with
   * their reason, never replayed again); returns how many it moved (an update
   * another load set aside first is not moved twice).
   */
  setAside(room: string, updates: readonly SetAside[]): Promise<number>;
  /**
   * Makes `state` the room's whole stored state (a restore of a room that
   * cannot be read): its snapshot and log move to the set-aside table with
   * `reason`, and `state` becomes the snapshot.
   */
  replaceState(room: string, state: Uint8Array, reason: string): Promise<void>;
  /** How many rows the set-aside table keeps, over all rooms. */
  countSetAside(): Promise<number>;
  /** Creates a map and the initial state of its documents atomically. */
  createMap(map: { id: string; title: string; template: string }, initialStates: Record<string, Uint8Array>): Promise<MapRecord>;
  getMap(mapId: string): Promise<MapRecord | null>;
  /** Sets the title of the map's record; throws when there is no such map. */
  renameMap(mapId: string, title: string): Promise<MapRecord>;
  listMaps(): Promise<MapRecord[]>;
  close(): Promise<void>;
}
