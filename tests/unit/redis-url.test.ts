/**
 * REDIS_URL (issue 14 §3): unset is one process with the in-process fan-out;
 * a redis:// or rediss:// URL turns on the Redis fan-out and rate limits;
 * anything else stops the start with a sentence naming the variable and
 * never echoes the value (it may hold a password).
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';
import { describeRedisUrl } from '../../server/fanout/redis-connection';

const config = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env }, []);

describe('REDIS_URL', () => {
  it('unset or empty: no Redis', () => {
    expect(config({}).redisUrl).toBeNull();
    expect(config({ REDIS_URL: '' }).redisUrl).toBeNull();
  });

  it('redis:// and rediss:// turn it on', () => {
    expect(config({ REDIS_URL: 'redis://:pw@cache:6379/2' }).redisUrl).toBe('redis://:pw@cache:6379/2');
    expect(config({ REDIS_URL: 'rediss://cache.example.com' }).redisUrl).toBe('rediss://cache.example.com');
  });

  it.each(['http://cache:6379', 'cache:6379', 'redis://', 'redis://a b@cache', ' redis://cache', 'REDIS://cache', 'unix:///tmp/hunter2.sock'])(
    'refuses %j with a sentence naming the variable, without the value',
    (value) => {
      let error: unknown;
      try {
        config({ REDIS_URL: value });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toMatch(/REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
      if (value.trim().length > 8) expect(message).not.toContain(value.trim());
    },
  );

  it('REDIS_PREFIX starts every key and channel; journeyhub: by default', () => {
    expect(config({}).redisPrefix).toBe('journeyhub:');
    expect(config({ REDIS_PREFIX: '' }).redisPrefix).toBe('journeyhub:');
    expect(config({ REDIS_PREFIX: 'journeyhub:staging:' }).redisPrefix).toBe('journeyhub:staging:');
    for (const bad of [' ', 'a b', 'x*', 'x?', 'room[1]', 'ü', 'x'.repeat(65)]) {
      expect(() => config({ REDIS_PREFIX: bad }), bad).toThrow(/REDIS_PREFIX must be 1 to 64 letters/);
    }
  });

  it('describes where it points without the password', () => {
    expect(describeRedisUrl('redis://user:hunter2@cache.example.com:6380/3')).toBe('cache.example.com:6380/3');
    expect(describeRedisUrl('rediss://cache')).toBe('cache:6379');
    expect(describeRedisUrl('not a url')).toBe('an unreadable URL');
  });
});
