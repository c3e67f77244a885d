/**
 * The whole JourneyHub app (Next.js production build + HTTP API + websocket)
 * as a child process, the way `npm start` runs it: `node --import tsx
 * server/index.ts`, one pid, PORT=0, a fresh DATA_DIR. `npm run build` must
 * have run. The port is read from the pino line "JourneyHub listening on …".
 *
 * Every server a test file starts is stopped by `stopAllAppServers()` (call
 * it in afterAll), so that a failing test leaks no process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { untilDeadline } from './deadline';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A fixed 40-character AUTH_SECRET, shared with the CLI runs of a test. */
export const APP_TEST_SECRET = 'journeyhub-app-test-secret-0123456789abc';

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

export interface AppLogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface AppServerOptions {
  /** Create the demo user and map on first start (SEED_DEMO=on); the password is then in `demoPassword`. */
  seedDemo?: boolean;
  /** Extra environment. */
  env?: Record<string, string>;
}

const running = new Set<AppServer>();

export class AppServer {
  readonly logs: AppLogLine[] = [];
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private hasExited = false;
  private port_ = 0;
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly child: ChildProcess,
    readonly dataDir: string,
  ) {
    running.add(this);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.hasExited = true;
        running.delete(this);
        this.notify();
        resolve({ code, signal });
      });
    });
    let pending = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      this.stdout += chunk;
      pending += chunk;
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        try {
          this.logs.push(JSON.parse(line) as AppLogLine);
        } catch {
          // Not a log line.
        }
      }
      this.notify();
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
  }

  /** The environment the server runs with; the CLI needs the same DATA_DIR and AUTH_SECRET. */
  static environment(dataDir: string, options: AppServerOptions = {}): Record<string, string> {
    return {
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      AUTH_SECRET: APP_TEST_SECRET,
      LOG_LEVEL: 'info',
      SEED_DEMO: options.seedDemo ? 'on' : 'off',
      COLLAB_IDLE_MS: '200',
      ...options.env,
    };
  }

  static async start(options: AppServerOptions = {}): Promise<AppServer> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyhub-app-'));
    const env: NodeJS.ProcessEnv = { ...process.env, ...AppServer.environment(dataDir, options) };
    delete env.NEXTAUTH_URL;
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const server = new AppServer(child, dataDir);
    try {
      const line = await server.waitForLog((l) => l.msg.startsWith('JourneyHub listening'), START_TIMEOUT_MS);
      if (typeof line.port !== 'number') throw new Error(`the listening line has no port: ${JSON.stringify(line)}`);
      server.port_ = line.port;
      return server;
    } catch (error) {
      child.kill('SIGKILL');
      await server.exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`the app did not start: ${(error as Error).message}\nstdout:\n${server.stdout.slice(-4000)}\nstderr:\n${server.stderr}`);
    }
  }

  get port(): number {
    return this.port_;
  }

  /** http://localhost:<port>: next-auth's NEXTAUTH_URL is localhost, so cookies and redirects match. */
  get url(): string {
    return `http://localhost:${this.port_}`;
  }

  /** What a WebsocketProvider takes as its server URL (it appends `/<room>`). */
  get collabUrl(): string {
    return `ws://localhost:${this.port_}/collab`;
  }

  /** The demo user's password: with SEED_DEMO=on and stdout not a terminal (as here), written to DATA_DIR/demo-credentials.txt on first start. */
  get demoPassword(): string | null {
    let text: string;
    try {
      text = fs.readFileSync(path.join(this.dataDir, 'demo-credentials.txt'), 'utf8');
    } catch {
      return null;
    }
    return /^password: (\S+)$/m.exec(text)?.[1] ?? null;
  }

  private notify(): void {
    for (const wake of this.waiters) wake();
  }

  /** The first log line, past or future, that matches; fails at the deadline or when the process exits first. */
  async waitForLog(predicate: (line: AppLogLine) => boolean, timeoutMs = 10_000): Promise<AppLogLine> {
    return untilDeadline<AppLogLine>(timeoutMs, 'a matching log line', (resolve, reject) => {
      const check = () => {
        const found = this.logs.find(predicate);
        if (found) resolve(found);
        else if (this.hasExited) reject(new Error(`the server exited first; stderr:\n${this.stderr}`));
      };
      this.waiters.add(check);
      check();
      return () => this.waiters.delete(check);
    });
  }

  /** SIGTERM, then wait for the process to exit (it flushes and closes the database; SIGKILL past the deadline), then remove DATA_DIR. */
  async stop(): Promise<void> {
    if (!this.hasExited) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      try {
        await this.exited;
      } finally {
        clearTimeout(timer);
      }
    }
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Stops every server this test file started. */
export async function stopAllAppServers(): Promise<void> {
  await Promise.all([...running].map((s) => s.stop()));
}
