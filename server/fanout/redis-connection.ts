import type { Redis } from 'ioredis';

/** A Redis server that does not answer at start: the process stops with this sentence. */
export class RedisUnavailableError extends Error {}

/** How long a start waits for Redis before it gives up: a wrong REDIS_URL stops the process, it never hangs. */
export const REDIS_CONNECT_DEADLINE_MS = 5_000;

/** Where the URL points, without its password: safe for logs and error messages. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const db = parsed.pathname && parsed.pathname !== '/' ? parsed.pathname : '';
    return `${parsed.hostname || 'localhost'}:${parsed.port || '6379'}${db}`;
  } catch {
    return 'an unreadable URL';
  }
}

export interface OpenRedisOptions {
  /** Shows in CLIENT LIST, so that an operator can tell the connections apart. */
  name: string;
  deadlineMs?: number;
  onError?: (error: Error) => void;
}

/**
 * One connection, ready to use, or RedisUnavailableError within the
 * deadline. Once open, ioredis reconnects by itself whenever the link drops.
 */
export async function openRedis(url: string, options: OpenRedisOptions): Promise<Redis> {
  const deadlineMs = options.deadlineMs ?? REDIS_CONNECT_DEADLINE_MS;
  // Loaded here, not at start: a process without REDIS_URL never holds the client (~28 MB).
  const { Redis: RedisClient } = await import('ioredis');
  const client = new RedisClient(url, {
    lazyConnect: true,
    connectionName: options.name,
    connectTimeout: deadlineMs,
    // Retries quickly at first, then every 2 s: a restarted Redis is back in use within seconds.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  });
  // Without a listener a dropped link would end the process; ioredis reconnects on its own.
  let lastError: Error | null = null;
  client.on('error', (error: Error) => {
    lastError = error;
    options.onError?.(error);
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${deadlineMs / 1000} s`)), deadlineMs);
      }),
    ]);
    return client;
  } catch (error) {
    client.disconnect();
    // "Connection is closed" says less than the socket's own error (ECONNREFUSED, ENOTFOUND, a refused password).
    const reason = (lastError ?? (error as Error)).message;
    throw new RedisUnavailableError(`Could not reach the Redis server of REDIS_URL (${describeRedisUrl(url)}): ${reason}`);
  } finally {
    clearTimeout(timer);
  }
}
