import crypto from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Fanout, FanoutMessage, FanoutSubscription } from './fanout';
import { decodeFrame, encodeFrame, SENDER_ID_BYTES } from './fanout-frame';
import { openRedis } from './redis-connection';

export const DEFAULT_CHANNEL_PREFIX = 'journeyhub:room:';

/** The channel prefix of a deployment's REDIS_PREFIX: every process and the CLI must agree on it. */
export function channelPrefixOf(redisPrefix: string): string {
  return `${redisPrefix}room:`;
}

export interface RedisFanoutOptions {
  /** Channels are `<prefix><room>`; another prefix keeps two deployments on one Redis apart. */
  channelPrefix?: string;
  /** A publish that failed, a frame that could not be read, a dropped link: logged by the caller, never thrown. */
  onError?: (error: Error, context: { room?: string }) => void;
  deadlineMs?: number;
}

type Handler = (message: FanoutMessage) => void;

/**
 * The fan-out over Redis pub/sub, for several processes (issue 14 §3). Two
 * connections, because a subscribed connection can do nothing but listen:
 * one publishes, one listens on a channel per room that this process has
 * loaded. Messages are binary frames (fanout-frame.ts) tagged with this
 * fan-out's random id, which is how it skips its own.
 *
 * Redis pub/sub delivers at most once: what is published while the
 * listening link is down is lost. onReconnect is how the collaboration
 * server learns that, to catch up from the store.
 */
export class RedisFanout implements Fanout {
  readonly engine = 'redis';
  private readonly id = crypto.randomBytes(SENDER_ID_BYTES);
  private readonly prefix: string;
  private readonly handlers = new Map<string, Set<Handler>>();
  /** Per room: settles when Redis has confirmed the SUBSCRIBE sent for the room's first subscriber. */
  private readonly subscribed = new Map<string, Promise<void>>();
  private readonly reconnectCallbacks = new Set<() => void>();
  private closed = false;

  static async connect(url: string, options: RedisFanoutOptions = {}): Promise<RedisFanout> {
    const onError = (error: Error) => options.onError?.(error, {});
    // Named with the pid, so that CLIENT LIST tells an operator which process holds which connection.
    const publisher = await openRedis(url, { name: `journeyhub-fanout-pub-${process.pid}`, deadlineMs: options.deadlineMs, onError });
    try {
      const subscriber = await openRedis(url, { name: `journeyhub-fanout-sub-${process.pid}`, deadlineMs: options.deadlineMs, onError });
      return new RedisFanout(publisher, subscriber, options);
    } catch (error) {
      publisher.disconnect();
      throw error;
    }
  }

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly options: RedisFanoutOptions,
  ) {
    this.prefix = options.channelPrefix ?? DEFAULT_CHANNEL_PREFIX;
    // Resubscribed here rather than by ioredis, so that onReconnect is called only once every room listens again.
    this.subscriber.options.autoResubscribe = false;
    this.subscriber.on('messageBuffer', (channel: Buffer, data: Buffer) => this.receive(channel.toString('utf8'), data));
    this.subscriber.on('ready', () => void this.resubscribe());
  }

  /** The ids of the two connections in CLIENT LIST, for an operator or a test that cuts one (CLIENT KILL ID). */
  async clientIds(): Promise<{ publisher: number; listener: number }> {
    const [publisher, listener] = await Promise.all([this.publisher.client('ID'), this.subscriber.client('ID')]);
    return { publisher: Number(publisher), listener: Number(listener) };
  }

  publish(message: FanoutMessage): void {
    if (this.closed) return;
    let frame: Buffer;
    try {
      frame = encodeFrame({ kind: message.kind, sender: this.id, seq: message.seq, prevSeq: message.prevSeq, sentAt: message.sentAt, claims: message.claims, payload: message.payload });
    } catch (error) {
      this.options.onError?.(error as Error, { room: message.room });
      return;
    }
    this.publisher.publish(this.prefix + message.room, frame).catch((error: unknown) => this.options.onError?.(error as Error, { room: message.room }));
  }

  subscribe(room: string, onMessage: Handler): FanoutSubscription {
    const entry: Handler = (message) => onMessage(message);
    let set = this.handlers.get(room);
    if (!set && !this.closed) {
      this.handlers.set(room, (set = new Set()));
      this.subscribed.set(room, this.listen(room));
    }
    set?.add(entry);
    const ready = this.subscribed.get(room) ?? Promise.resolve();
    const unsubscribe = () => {
      if (!set?.delete(entry) || set.size > 0 || this.handlers.get(room) !== set) return;
      this.handlers.delete(room);
      this.subscribed.delete(room);
      if (!this.closed) this.subscriber.unsubscribe(this.prefix + room).catch((error: unknown) => this.options.onError?.(error as Error, { room }));
    };
    return Object.assign(unsubscribe, { ready });
  }

  onReconnect(callback: () => void): () => void {
    this.reconnectCallbacks.add(callback);
    return () => this.reconnectCallbacks.delete(callback);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.handlers.clear();
    this.subscribed.clear();
    this.reconnectCallbacks.clear();
    // quit() lets the publishes already handed over reach Redis; disconnect() if Redis is gone, so close never hangs.
    await Promise.all([this.publisher, this.subscriber].map((client) => (client.status === 'ready' ? client.quit().catch(() => client.disconnect()) : client.disconnect())));
  }

  /** A failed SUBSCRIBE is reported, and `ready` still settles: the link drops and resubscribe() tries again. */
  private async listen(room: string): Promise<void> {
    try {
      await this.subscriber.subscribe(this.prefix + room);
    } catch (error) {
      this.options.onError?.(error as Error, { room });
    }
  }

  private receive(channel: string, data: Buffer): void {
    if (!channel.startsWith(this.prefix)) return;
    const room = channel.slice(this.prefix.length);
    const set = this.handlers.get(room);
    if (!set) return;
    const decoded = decodeFrame(data);
    if (!decoded.ok) {
      this.options.onError?.(new Error(`refused a fan-out frame: ${decoded.reason}`), { room });
      return;
    }
    const { sender, ...fields } = decoded.frame;
    if (this.id.equals(sender)) return;
    const message: FanoutMessage = { ...fields, room };
    for (const handler of [...set]) {
      try {
        handler(message);
      } catch (error) {
        this.options.onError?.(error as Error, { room });
      }
    }
  }

  /** Every 'ready' seen here is a reconnect: the first one passed inside openRedis, before this listener existed. */
  private async resubscribe(): Promise<void> {
    if (this.closed) return;
    const channels = [...this.handlers.keys()].map((room) => this.prefix + room);
    try {
      if (channels.length > 0) await this.subscriber.subscribe(...channels);
    } catch (error) {
      // The link dropped again; the next 'ready' tries again.
      this.options.onError?.(error as Error, {});
      return;
    }
    if (this.closed) return;
    for (const callback of [...this.reconnectCallbacks]) {
      try {
        callback();
      } catch (error) {
        this.options.onError?.(error as Error, {});
      }
    }
  }
}
