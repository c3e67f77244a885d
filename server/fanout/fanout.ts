/**
 * Carries document and awareness updates between the processes that serve
 * the same room. In one process (the default) it is a local bus; with
 * REDIS_URL it is Redis pub/sub. A process never receives its own messages.
 */
export type FanoutMessage = { kind: 'doc' | 'awareness'; room: string; payload: Uint8Array };

export interface Fanout {
  readonly engine: 'local' | 'redis';
  publish(message: FanoutMessage): void;
  subscribe(room: string, onMessage: (message: FanoutMessage) => void): () => void;
  close(): Promise<void>;
}
