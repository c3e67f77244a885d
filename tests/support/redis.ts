/**
 * The Redis that Redis suites run against: TEST_REDIS_URL (scripts/test-all.sh
 * sets it when redis-cli ping answers). Without it those suites say why they
 * skip; with CI=true they must run, so a missing URL fails the file instead.
 * Every test uses its own key and channel prefix: files and helpers sharing
 * one Redis never see each other's messages.
 */
import crypto from 'node:crypto';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? '';

if (!TEST_REDIS_URL && process.env.CI === 'true') {
  throw new Error('CI=true but TEST_REDIS_URL is not set: the Redis suites must run in CI (scripts/test-all.sh sets it when redis-cli ping answers)');
}

export const redisSkipReason: string | null = TEST_REDIS_URL ? null : 'TEST_REDIS_URL is not set (scripts/test-all.sh sets it when redis-cli ping answers on 127.0.0.1)';

/** Says once per file that a Redis suite is skipped and why: a skipped suite is never silent. */
export function announceRedisSkip(suite: string): void {
  if (redisSkipReason) console.warn(`[${suite}] redis: skipped, ${redisSkipReason}`);
}

export function uniquePrefix(what: string): string {
  return `jh-test:${what}:${crypto.randomBytes(6).toString('hex')}:`;
}
