/**
 * Carries document and awareness updates between the processes that serve
 * the same room. In one process (the default) it is a local bus; with
 * REDIS_URL it is Redis pub/sub. A process never receives its own messages.
 */
export const FANOUT_KINDS = ['doc', 'awareness', 'control'] as const;

/**
 * 'doc': a client's edit; 'awareness': presence; 'control': what every
 * process must do to its sockets (a role changed, a member removed, sessions
 * ended, a map merged or deleted, a room's state replaced), JSON on the
 * control channel (control-message.ts).
 */
export type FanoutKind = (typeof FANOUT_KINDS)[number];

export interface FanoutMessage {
  kind: FanoutKind;
  room: string;
  payload: Uint8Array;
  /**
   * A document update carries the seq the store gave it (the last one's, for
   * several stored in one batch) and the seq of the room's update before it
   * (server/collab/seq-chain.ts): a receiver that does not hold everything up
   * to prevSeq has missed something and reads it from the store before
   * applying this. A document update without them is never applied.
   */
  seq?: number;
  prevSeq?: number;
  /** When it was published (ms since the epoch, the sender's clock): the receiver's lag metric. */
  sentAt?: number;
  /**
   * A document update's client-id claims, as the store took them with it
   * (server/collab/client-id-owners.ts): every process then refuses those ids
   * to anyone else, whichever process the next update comes through.
   */
  claims?: ClientIdClaim[];
}

/** Yjs client ids a user was the first to write with in a room. */
export interface ClientIdClaim {
  userId: string;
  clientIds: readonly number[];
}

/** Stops delivery to one subscriber; `ready` settles once messages published from then on reach it. */
export type FanoutSubscription = (() => void) & { readonly ready: Promise<void> };

export interface Fanout {
  readonly engine: 'local' | 'redis';
  /** Fire and forget: a message that cannot be sent is reported (RedisFanout's onError) and lost; receivers catch up from the store. */
  publish(message: FanoutMessage): void;
  subscribe(room: string, onMessage: (message: FanoutMessage) => void): FanoutSubscription;
  /**
   * Called after the link to the other processes dropped and came back, once
   * every room is subscribed again. What was published in between is lost:
   * the collaboration server reloads what changed from the store. The local
   * bus never drops, so it never calls. Returns a function that stops calling.
   */
  onReconnect(callback: () => void): () => void;
  close(): Promise<void>;
}
