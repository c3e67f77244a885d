/**
 * Rate limits (issue 14 §3): the same contract in memory and in Redis, and
 * with Redis one budget for every process. Two limiters on two connections
 * play two processes: failures counted on either block both, a reset on
 * either clears both. Keys are attacker-chosen, so odd ones count like any.
 */
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRedis } from '../../server/fanout/redis-connection';
import { MemoryRateLimiter, type RateLimiter } from '../../server/services/rate-limiter';
import { RATE_LIMITS } from '../../server/services/rate-limits';
import { RedisRateLimiter, redisRateLimits } from '../../server/services/redis-rate-limiter';
import { TEST_REDIS_URL, announceRedisSkip, redisSkipReason, uniquePrefix } from '../support/redis';

announceRedisSkip('rate limits');

const LIMIT = 3;
const WINDOW_MS = 60_000;
const ODD_KEYS = ['ann@example.com\n203.0.113.7', '', '*', 'journeyhub:limit:other', 'ü'.repeat(500), '{"$gt":""}'];

interface LimiterEngine {
  name: 'memory' | 'redis';
  skipReason: string | null;
  /** `another()` is a limiter of the same name in another process: it shares the budget only where the engine shares it. */
  open(): Promise<{ limiter: RateLimiter; another(): Promise<RateLimiter>; close(): Promise<void> }>;
}

const memory: LimiterEngine = {
  name: 'memory',
  skipReason: null,
  async open() {
    return { limiter: new MemoryRateLimiter(LIMIT, WINDOW_MS), another: async () => new MemoryRateLimiter(LIMIT, WINDOW_MS), close: async () => {} };
  },
};

const redis: LimiterEngine = {
  name: 'redis',
  skipReason: redisSkipReason,
  async open() {
    const prefix = uniquePrefix('limit');
    const clients: Redis[] = [];
    const make = async () => {
      // Ready before use: until then the limiter counts in memory (its stand-in while Redis is down).
      const client = await openRedis(TEST_REDIS_URL, { name: 'journeyhub-test-limits' });
      clients.push(client);
      return new RedisRateLimiter(client, 'sign-in', LIMIT, WINDOW_MS, prefix);
    };
    return {
      limiter: await make(),
      another: make,
      async close() {
        for (const client of clients) client.disconnect();
      },
    };
  },
};

describe.each([memory, redis])('rate limiter contract: $name', (engine) => {
  describe.skipIf(engine.skipReason !== null)(engine.name, () => {
    let opened: Awaited<ReturnType<LimiterEngine['open']>>;
    beforeEach(async () => {
      opened = await engine.open();
    });
    afterEach(async () => {
      await opened.close();
    });

    it('blocks a key once it reaches the limit, not before', async () => {
      const { limiter } = opened;
      for (let i = 0; i < LIMIT; i++) {
        expect(await limiter.blocked('k')).toBe(false);
        await limiter.fail('k');
      }
      expect(await limiter.blocked('k')).toBe(true);
    });

    it('counts each key apart, odd keys included', async () => {
      const { limiter } = opened;
      for (const key of ODD_KEYS) for (let i = 0; i < LIMIT; i++) await limiter.fail(key);
      for (const key of ODD_KEYS) expect(await limiter.blocked(key)).toBe(true);
      expect(await limiter.blocked('ann@example.com')).toBe(false);
      expect(await limiter.blocked('203.0.113.7')).toBe(false);
    });

    it('reset clears the key', async () => {
      const { limiter } = opened;
      for (let i = 0; i < LIMIT; i++) await limiter.fail('k');
      await limiter.reset('k');
      expect(await limiter.blocked('k')).toBe(false);
      await limiter.reset('never counted');
    });

    it(engine.name === 'redis' ? 'two processes share one budget, and one reset' : 'each process counts alone', async () => {
      const { limiter } = opened;
      const other = await opened.another();
      await limiter.fail('k');
      await other.fail('k');
      await limiter.fail('k');
      expect(await other.blocked('k')).toBe(engine.name === 'redis');
      expect(await limiter.blocked('k')).toBe(engine.name === 'redis');
      await other.reset('k');
      expect(await limiter.blocked('k')).toBe(false);
    });
  });
});

describe.skipIf(redisSkipReason !== null)('rate limits in Redis', () => {
  it('every limit of the app, with its numbers, shared by two processes and apart from the others', async () => {
    const prefix = uniquePrefix('limits');
    const [one, two] = await Promise.all([openRedis(TEST_REDIS_URL, { name: 'journeyhub-test-limits' }), openRedis(TEST_REDIS_URL, { name: 'journeyhub-test-limits' })]);
    try {
      const [a, b] = [redisRateLimits(one, prefix), redisRateLimits(two, prefix)];
      for (const [name, [limit]] of Object.entries(RATE_LIMITS) as Array<[keyof typeof RATE_LIMITS, readonly [number, number]]>) {
        for (let i = 0; i < limit - 1; i++) await (i % 2 === 0 ? a : b)[name].fail('203.0.113.7');
        expect(await b[name].blocked('203.0.113.7')).toBe(false);
        await a[name].fail('203.0.113.7');
        expect(await b[name].blocked('203.0.113.7')).toBe(true);
      }
      // Apart: a blocked sign-in address does not block sign-ups from it (each limit has its own keys).
      const fresh = redisRateLimits(one, uniquePrefix('limits'));
      await fresh.signInPerAddress.fail('x');
      expect(await fresh.signUpPerAddress.blocked('x')).toBe(false);
    } finally {
      one.disconnect();
      two.disconnect();
    }
  });

  it('the counts expire with the window: Redis keeps no key forever', async () => {
    const prefix = uniquePrefix('limits');
    const client = await openRedis(TEST_REDIS_URL, { name: 'journeyhub-test-limits' });
    try {
      await redisRateLimits(client, prefix).signInPerAccountAndAddress.fail('k');
      const keys = await client.keys(`${prefix}*`);
      expect(keys).toHaveLength(1);
      const ttl = await client.pttl(keys[0] ?? '');
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(RATE_LIMITS.signInPerAccountAndAddress[1]);
    } finally {
      client.disconnect();
    }
  });

  it('while Redis cannot be reached, the process counts in memory: no error, the limit still holds', async () => {
    // A client that never connects plays a Redis that is down.
    const client = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null });
    client.on('error', () => {});
    const limiter = new RedisRateLimiter(client, 'sign-in', LIMIT, WINDOW_MS, uniquePrefix('down'));
    for (let i = 0; i < LIMIT; i++) {
      expect(await limiter.blocked('k')).toBe(false);
      await limiter.fail('k');
    }
    expect(await limiter.blocked('k')).toBe(true);
    await limiter.reset('k');
    expect(await limiter.blocked('k')).toBe(false);
    client.disconnect();
  });
});
