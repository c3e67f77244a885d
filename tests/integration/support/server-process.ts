/**
 * The JourneyHub server as a child process, the way it runs in production:
 * `node --import tsx server/index.ts` (one pid, so that stopping it stops
 * everything), WEB=off, PORT=0. The port is read from the pino log line
 * "JourneyHub listening on http://localhost:<port>" (its `port` field).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** A fixed 40-character secret: tests mint their own collaboration tokens with it. */
export const TEST_SECRET = 'journeyhub-integration-test-secret-40chr';

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface ServerOptions {
  /** Reused on restart; a fresh mkdtemp directory when omitted. */
  dataDir?: string;
  /** Extra environment (MAX_MESSAGE_BYTES, COLLAB_IDLE_MS, SEED_DEMO …). LOG_LEVEL must stay info or lower: the port is read from an info line. */
  env?: Record<string, string>;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Health {
  ok: boolean;
  version: string;
  store: string;
  /** 'local' (one process) or 'redis' (REDIS_URL). */
  fanout: string;
  docsLoaded: number;
  connections: number;
}

/** Every server started by this test file, so that a failing test still tears them down. */
const running = new Set<ServerProcess>();
/** Every DATA_DIR a server of this file ran on, removed at the end unless JOURNEYHUB_KEEP_DATA is set. */
const dataDirs = new Set<string>();

export class ServerProcess {
  readonly logs: LogLine[] = [];
  /** Everything on stdout, log lines and the rest. */
  stdout = '';
  stderr = '';
  readonly exited: Promise<Exit>;
  private exit: Exit | null = null;

  private constructor(
    readonly child: ChildProcess,
    readonly dataDir: string,
    readonly options: ServerOptions,
    private port_ = 0,
  ) {
    running.add(this);
    this.exited = new Promise<Exit>((resolve) => {
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        running.delete(this);
        resolve(this.exit);
      });
    });
    let buffered = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      this.stdout += chunk;
      buffered += chunk;
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
        if (!line.startsWith('{')) continue;
        try {
          this.logs.push(JSON.parse(line) as LogLine);
        } catch {
          // Not a log line (the demo workspace banner); nothing to parse.
        }
      }
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
  }

  static async start(options: ServerOptions = {}): Promise<ServerProcess> {
    const level = options.env?.LOG_LEVEL;
    if (level !== undefined && !['info', 'debug', 'trace'].includes(level)) {
      throw new Error(`LOG_LEVEL=${level} hides the info line that tells the port; use info (or debug, trace)`);
    }
    const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'journeyhub-it-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        WEB: 'off',
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        AUTH_SECRET: TEST_SECRET,
        SEED_DEMO: 'off',
        LOG_LEVEL: 'info',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    dataDirs.add(dataDir);
    const server = new ServerProcess(child, dataDir, options);
    try {
      const line = await server.waitForLog((l) => l.msg.startsWith('JourneyHub listening on'), START_TIMEOUT_MS);
      if (typeof line.port !== 'number') throw new Error(`the listening line has no port: ${JSON.stringify(line)}`);
      server.port_ = line.port;
      return server;
    } catch (error) {
      server.kill9();
      await server.exited;
      throw new Error(`the server did not start: ${(error as Error).message}\nstderr:\n${server.stderr}`);
    }
  }

  get port(): number {
    return this.port_;
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What a WebsocketProvider takes as its server URL (it appends `/<room>`). */
  get collabUrl(): string {
    return `ws://127.0.0.1:${this.port}/collab`;
  }

  get isRunning(): boolean {
    return this.exit === null;
  }

  /** The first log line (past or future) that matches; rejects when the process exits first. */
  async waitForLog(predicate: (line: LogLine) => boolean, timeout = 10_000): Promise<LogLine> {
    let found: LogLine | undefined;
    await waitFor(
      () => {
        found = this.logs.find(predicate);
        if (found) return true;
        if (this.exit) throw new Error(`the server exited (${JSON.stringify(this.exit)}) before the expected log line`);
        return false;
      },
      { timeout, message: 'a log line that never came' },
    );
    if (!found) throw new Error('unreachable: waitFor resolved without a line');
    return found;
  }

  async health(): Promise<Health> {
    const res = await fetch(`${this.httpUrl}/api/health`);
    if (res.status !== 200) throw new Error(`/api/health answered ${res.status}`);
    return (await res.json()) as Health;
  }

  async metricsText(): Promise<string> {
    const res = await fetch(`${this.httpUrl}/api/metrics`);
    if (res.status !== 200) throw new Error(`/api/metrics answered ${res.status}`);
    return res.text();
  }

  /** The value of one sample of /api/metrics, e.g. metric('journeyhub_refused_total', { reason: 'read_only' }); 0 when absent. */
  async metric(name: string, labels: Record<string, string> = {}): Promise<number> {
    return readMetric(await this.metricsText(), name, labels);
  }

  /** SIGTERM, then waits for the exit. */
  async stop(): Promise<Exit> {
    if (this.exit) return this.exit;
    this.child.kill('SIGTERM');
    const exit = await Promise.race([this.exited, delay(STOP_TIMEOUT_MS).then(() => null)]);
    if (exit) return exit;
    this.kill9();
    const killed = await this.exited;
    throw new Error(`the server did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM (killed: ${JSON.stringify(killed)})`);
  }

  kill9(): void {
    if (!this.exit) this.child.kill('SIGKILL');
  }

  /** A new process on the same DATA_DIR and environment (the old one must have exited). */
  async restart(env: Record<string, string> = {}): Promise<ServerProcess> {
    if (this.exit === null) throw new Error('restart: stop or kill the server first');
    return ServerProcess.start({ dataDir: this.dataDir, env: { ...this.options.env, ...env } });
  }
}

/**
 * For afterAll: stops every server this file started (SIGKILL when SIGTERM
 * does not do it), then removes their data directories.
 */
export async function stopAllServers(): Promise<void> {
  await Promise.all(
    Array.from(running, async (server) => {
      try {
        await server.stop();
      } catch {
        server.kill9();
        await server.exited;
      }
    }),
  );
  if (process.env.JOURNEYHUB_KEEP_DATA) return;
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  dataDirs.clear();
}

// A test runner that dies without afterAll must not leave servers behind.
process.once('exit', () => {
  for (const server of running) server.kill9();
});

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export function readMetric(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels);
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = new Map<string, string>();
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) present.set(pair[1] ?? '', pair[2] ?? '');
    if (wanted.every(([key, value]) => present.get(key) === value)) return Number(match[3]);
  }
  return 0;
}
