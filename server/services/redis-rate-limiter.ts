import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { RateLimiter } from './rate-limiter';
import { createRateLimits, type RateLimits } from './rate-limits';

export const DEFAULT_LIMIT_PREFIX = 'journeyhub:limit:';

/**
 * A rate limit kept in Redis (rate-limiter-flexible), so that every process
 * counts against one budget: without it a guesser spreading attempts over N
 * processes would get N times the tries. The window is fixed, from the first
 * failure (Redis expires the count), where the memory one slides: the same
 * number of tries per window either way.
 *
 * While Redis cannot be reached each process counts in memory instead, so a
 * Redis outage neither fails sign-ins nor lifts the limits.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly counter: RateLimiterRedis;

  constructor(
    client: Redis,
    name: string,
    private readonly limit: number,
    windowMs: number,
    prefix = DEFAULT_LIMIT_PREFIX,
  ) {
    const duration = Math.ceil(windowMs / 1000);
    this.counter = new RateLimiterRedis({
      storeClient: client,
      keyPrefix: `${prefix}${name}`,
      points: limit,
      duration,
      // Errors at once while the link is down, so that the memory counter answers instead of a request waiting on reconnects.
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ points: limit, duration }),
    });
  }

  async blocked(key: string): Promise<boolean> {
    const counted = await this.counter.get(key);
    return counted !== null && counted.consumedPoints >= this.limit;
  }

  async fail(key: string): Promise<void> {
    await this.counter.penalty(key, 1);
  }

  async reset(key: string): Promise<void> {
    await this.counter.delete(key);
  }
}

/** Several processes: every limit counted in Redis. */
export const redisRateLimits = (client: Redis, prefix = DEFAULT_LIMIT_PREFIX): RateLimits =>
  createRateLimits((name, limit, windowMs) => new RedisRateLimiter(client, name, limit, windowMs, prefix));
