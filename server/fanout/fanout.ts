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
   * The sequence number the store gave this update, when it has one. A
   * receiver whose last known seq for the room is not seq - 1 has missed
   * something and catches up from the store before applying it.
   */
  seq?: number;
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
