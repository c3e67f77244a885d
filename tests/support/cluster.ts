/**
 * Several JourneyHub processes behind a real nginx (issue 14 §4): N (default
 * 3) servers on one PostgreSQL and one Redis, each on its own port and
 * DATA_DIR, with the same AUTH_SECRET (a token minted for one works on all),
 * and Debian's nginx in front of them on a fourth port, configured from
 * deploy/nginx/journeyhub.conf.template (round robin, no sticky sessions).
 *
 * A test reaches a process directly (`collabUrl(i)`) or through the proxy
 * (`collabUrl('proxy')`, where each connection may land on any process), kills
 * one with SIGKILL and brings it back on the same port, as an operator's
 * supervisor would: its direct clients then reconnect by themselves.
 *
 * The database is a fresh schema of TEST_DATABASE_URL (dropped at the end)
 * unless the test gives its own URL (a private PostgreSQL it restarts); Redis
 * is TEST_REDIS_URL with a fresh REDIS_PREFIX unless the test gives its own.
 */
import { freshSchema } from '../integration/store-contract/engines';
import { CollabClient, type ClientUser } from './collab-client';
import { freePort } from './free-port';
import { NginxProxy, findNginx } from './nginx';
import { TEST_REDIS_URL, redisSkipReason, uniquePrefix } from './redis';
import { TestServer, type Exit } from './server';

export interface ClusterOptions {
  /** How many processes (default 3). */
  processes?: number;
  /** A PostgreSQL URL; default: a fresh schema of TEST_DATABASE_URL. */
  databaseUrl?: string;
  /** A Redis URL; default: TEST_REDIS_URL. A fresh REDIS_PREFIX either way. */
  redisUrl?: string;
  /** Writes the test's users and maps into the database before any process starts. */
  seed?: (databaseUrl: string) => Promise<void>;
  /** Extra environment for every process. */
  env?: Record<string, string>;
}

/** A process by its index, or the proxy. */
export type Via = number | 'proxy';

/** Why the cluster cannot run here (null: it can). With CI=true the suites fail instead of skipping. */
export function clusterSkipReason(): string | null {
  if (!process.env.TEST_DATABASE_URL) return 'TEST_DATABASE_URL is not set (scripts/test-all.sh sets it when pg_isready answers on 127.0.0.1)';
  if (redisSkipReason) return redisSkipReason;
  if (!findNginx()) return "nginx is not installed (scripts/test-all.sh installs Debian's nginx-light as root)";
  return null;
}

if (process.env.CI === 'true' && clusterSkipReason() !== null) {
  throw new Error(`CI=true but the cluster suites cannot run: ${clusterSkipReason()}`);
}

export class Cluster {
  private constructor(
    readonly processes: TestServer[],
    readonly proxy: NginxProxy,
    readonly databaseUrl: string,
    readonly redisUrl: string,
    readonly redisPrefix: string,
    private readonly dropSchema: (() => Promise<void>) | null,
  ) {}

  static async start(options: ClusterOptions = {}): Promise<Cluster> {
    const count = options.processes ?? 3;
    const schema = options.databaseUrl ? null : await freshSchema();
    const databaseUrl = options.databaseUrl ?? schema?.url ?? '';
    const redisUrl = options.redisUrl ?? TEST_REDIS_URL;
    const redisPrefix = uniquePrefix('cluster');
    const processes: TestServer[] = [];
    try {
      await options.seed?.(databaseUrl);
      const env = { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, REDIS_PREFIX: redisPrefix, ...options.env };
      // Each on a port chosen up front, which it comes back on after a restart: nginx and its direct clients find it again.
      const ports = await distinctFreePorts(count);
      const started = await Promise.allSettled(ports.map((port) => TestServer.start({ web: false, env: { ...env, PORT: String(port) } })));
      for (const result of started) if (result.status === 'fulfilled') processes.push(result.value);
      const failed = started.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
      const proxy = await NginxProxy.start(processes.map((server) => server.port));
      return new Cluster(processes, proxy, databaseUrl, redisUrl, redisPrefix, schema?.drop ?? null);
    } catch (error) {
      await Promise.all(processes.map((server) => server.stop().catch(() => server.kill9())));
      await schema?.drop();
      throw error;
    }
  }

  /** The process behind index `i`. */
  process(i: number): TestServer {
    const server = this.processes[i];
    if (!server) throw new Error(`the cluster has ${this.processes.length} processes, not ${i + 1}`);
    return server;
  }

  /** What a WebsocketProvider takes as its server URL: one process's, or the proxy's. */
  collabUrl(via: Via): string {
    return via === 'proxy' ? this.proxy.collabUrl : this.process(via).collabUrl;
  }

  /** A stock client on `room` through one process or the proxy, connecting (await `whenSynced()` for a synced one). */
  client(via: Via, room: string, user: ClientUser, token: string): CollabClient {
    return new CollabClient(this.collabUrl(via), room, user, token);
  }

  /** A crash of one process: SIGKILL, no flush; resolves once it has exited. */
  async kill9(i: number): Promise<Exit> {
    const server = this.process(i);
    server.kill9();
    return server.exited;
  }

  /** Brings a stopped or killed process back on its port. */
  async restart(i: number): Promise<TestServer> {
    this.processes[i] = await this.process(i).restart();
    return this.process(i);
  }

  /** For afterAll: nginx, then every process; the schema is dropped when the cluster made it. */
  async stop(): Promise<void> {
    await this.proxy.stop();
    await Promise.all(this.processes.map((server) => server.stop().catch(() => server.kill9())));
    await this.dropSchema?.();
  }
}

async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}
