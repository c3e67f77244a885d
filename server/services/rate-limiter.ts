const MAX_KEYS = 10_000;

/**
 * Counts failures per key in a window; `blocked` once a key reaches the
 * limit. Asynchronous because with REDIS_URL the count lives in Redis, shared
 * by every process (server/services/redis-rate-limiter.ts).
 */
export interface RateLimiter {
  blocked(key: string): Promise<boolean>;
  fail(key: string): Promise<void>;
  reset(key: string): Promise<void>;
}

/**
 * In memory, a sliding window: one process. A restart forgets, which errs
 * towards letting people in.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(key: string, now: number): number[] {
    const kept = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }

  async blocked(key: string): Promise<boolean> {
    return this.recent(key, this.now()).length >= this.limit;
  }

  async fail(key: string): Promise<void> {
    const now = this.now();
    this.failures.set(key, [...this.recent(key, now), now]);
    // Keys are attacker-chosen (emails, addresses): forget the expired ones before they pile up.
    if (this.failures.size > MAX_KEYS) for (const old of [...this.failures.keys()]) this.recent(old, now);
  }

  async reset(key: string): Promise<void> {
    this.failures.delete(key);
  }
}
