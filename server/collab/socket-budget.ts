/**
 * Accept's frame checks (accept.ts), before the size check.
 *
 * What one socket may ask of the server: token buckets for the messages and
 * bytes it sends, and for the replies that cost the server most (a SyncStep1
 * answer is an encoding of the document, up to its whole size; a presence
 * query is everyone's presence). A socket past any of them is closed
 * (CloseCode.TooManyRequests): one client must not be able to make the
 * server spend its CPU and bandwidth on it alone.
 *
 * The defaults sit far above what the app does: the browser sends one
 * SyncStep1 when it connects and one every 10 s (its resync interval), and a
 * stock y-websocket client echoes every presence frame it receives, so a
 * workshop of 15 people moving their pointers at 60 fps makes each browser
 * send about 900 small frames a second for as long as they move.
 */

export interface SocketBudgetLimits {
  /** Messages per 10 seconds (also the burst). */
  messagesPer10s: number;
  /** Bytes per 10 seconds (also the burst); at least the largest message. */
  bytesPer10s: number;
  /** SyncStep1 answers and presence queries per minute (also the burst). */
  syncRepliesPerMinute: number;
}

export const DEFAULT_SOCKET_BUDGET: SocketBudgetLimits = {
  messagesPer10s: 10_000,
  bytesPer10s: 32 * 1024 * 1024,
  syncRepliesPerMinute: 12,
};

/** A bucket that holds up to `capacity` tokens and refills at `capacity / windowMs`. */
class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    private readonly windowMs: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.last = now;
  }

  /** Takes `amount` tokens; false (and nothing taken) when there are not that many. */
  take(amount: number, now: number): boolean {
    if (now > this.last) {
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) * this.capacity) / this.windowMs);
      this.last = now;
    }
    if (this.tokens < amount) return false;
    this.tokens -= amount;
    return true;
  }
}

export type BudgetExceeded = { over: 'messages' | 'bytes' | 'sync_replies'; reason: string };

export class SocketBudget {
  private readonly messages: TokenBucket;
  private readonly bytes: TokenBucket;
  private readonly syncReplies: TokenBucket;

  constructor(
    private readonly limits: SocketBudgetLimits,
    now: number = Date.now(),
  ) {
    this.messages = new TokenBucket(limits.messagesPer10s, 10_000, now);
    this.bytes = new TokenBucket(limits.bytesPer10s, 10_000, now);
    this.syncReplies = new TokenBucket(limits.syncRepliesPerMinute, 60_000, now);
  }

  /** One incoming frame of `byteLength` bytes; null while within the budget. */
  message(byteLength: number, now: number = Date.now()): BudgetExceeded | null {
    if (!this.messages.take(1, now)) {
      return { over: 'messages', reason: `more than ${this.limits.messagesPer10s} messages in 10 seconds; reload to reconnect` };
    }
    if (!this.bytes.take(byteLength, now)) {
      return { over: 'bytes', reason: `more than ${this.limits.bytesPer10s} bytes in 10 seconds; reload to reconnect` };
    }
    return null;
  }

  /** One request for a costly reply (the document since a state vector, or everyone's presence). */
  syncReply(now: number = Date.now()): BudgetExceeded | null {
    if (this.syncReplies.take(1, now)) return null;
    return { over: 'sync_replies', reason: `more than ${this.limits.syncRepliesPerMinute} sync requests in a minute; reload to reconnect` };
  }
}
