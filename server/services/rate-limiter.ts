const MAX_KEYS = 10_000;

/**
 * Counts failures per key in a sliding window; `blocked` once a key reaches
 * the limit. In memory: a restart forgets, which errs towards letting people in.
 */
export class RateLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  private recent(key: string, now: number): number[] {
    const kept = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }

  blocked(key: string, now: number = Date.now()): boolean {
    return this.recent(key, now).length >= this.limit;
  }

  fail(key: string, now: number = Date.now()): void {
    this.failures.set(key, [...this.recent(key, now), now]);
    // Keys are attacker-chosen (emails, addresses): forget the expired ones before they pile up.
    if (this.failures.size > MAX_KEYS) for (const old of [...this.failures.keys()]) this.recent(old, now);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }
}
