/**
 * A redis-server of one test's own, on a free port, that the test may stop
 * and start again on the same port (the shared Redis on 6379 is never
 * restarted: other suites use it). Nothing is kept on disk, as on the shared one.
 */
import fs from 'node:fs';
import { ServiceProcess } from './child-process';
import { accepts, freePort } from './free-port';
import { waitFor } from './wait';

const REDIS_SERVER = '/usr/bin/redis-server';

export function privateRedisSkipReason(): string | null {
  return fs.existsSync(REDIS_SERVER) ? null : `${REDIS_SERVER} is not installed ('apt-get install redis-server')`;
}

export class PrivateRedis {
  private process: ServiceProcess | null = null;

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.startAgain();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts redis-server on this port (after a stop). */
  async startAgain(): Promise<void> {
    if (this.process?.isRunning) throw new Error('the private Redis is running already');
    const child = ServiceProcess.spawn('redis-server', REDIS_SERVER, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
    this.process = child;
    await waitFor(
      async () => {
        child.assertRunning();
        return accepts(this.port);
      },
      { timeout: 10_000, message: `the private redis-server to listen on ${this.port}`, interval: 20 },
    );
  }

  /** SIGKILL: the server is gone at once, as in a crash, and every connection to it drops. */
  async kill(): Promise<void> {
    await this.process?.stop('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.process?.stop('SIGTERM');
  }
}
