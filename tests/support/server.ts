/**
 * The JourneyHub server as a child process, the way production runs it:
 * `node dist/server/index.js`, compiled from server/index.ts (one pid, so that stopping it stops
 * everything), PORT=0, a DATA_DIR of its own. Either the whole app (`web`,
 * the default: the Next.js production build, which `next build` must have
 * made) or the HTTP API and websocket alone (`web: false`, WEB=off). The port
 * is read from the pino line "JourneyHub listening on …" (its `port` field).
 *
 * Every server a test file starts is stopped by `stopAllServers()` (call it in
 * afterAll), which then removes their DATA_DIRs, so that a failing test leaks
 * no process and no directory.
 *
 * In the postgres+redis run (tests/support/engine.ts) a server is several
 * processes, as issue 14 asks of the integration suites: the one started here
 * (HTTP, logs, metrics, the port) and TEST_PROCESSES - 1 siblings (WEB=off) on
 * the same DATA_DIR, database and Redis prefix. `collabUrl` hands out the
 * processes in turn, so two clients of a test are on two processes and every
 * edit, refusal and role change crosses Redis. A test about what one process
 * counts (its health, metrics or log lines after a client's visit) uses
 * `ownCollabUrl`, or starts with `alone: true`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_ARGS } from './built-server';
import { TEST_PROCESSES, dropEngineSchemas, engineEnvironment, prepareEngine, usesTestEngine } from './engine';
import { waitFor } from './wait';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A fixed 40-character AUTH_SECRET: tests mint their own collaboration tokens with it, and the CLI runs of a test share it. */
export const TEST_SECRET = 'journeyhub-integration-test-secret-40chr';

// The web app loads the Next.js build before it listens: slower on a loaded machine.
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
/** How much of the output a failure message quotes. */
const LOG_TAIL_CHARS = 4000;

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface ServerOptions {
  /** The Next.js web app too (default), or WEB=off: the HTTP API and the websocket alone. */
  web?: boolean;
  /** Reused on restart; a fresh mkdtemp directory when omitted. */
  dataDir?: string;
  /** Create the demo user and map on first start (SEED_DEMO=on); the password is then in `demoPassword`. */
  seedDemo?: boolean;
  /** Extra environment (DATABASE_URL, MAX_MESSAGE_BYTES, COLLAB_IDLE_MS …); wins over the defaults. LOG_LEVEL must stay info or lower: the port is read from an info line. */
  env?: Record<string, string>;
  /** One process also in the postgres+redis run (no siblings): for a test about one process's own counts. */
  alone?: boolean;
  /** The siblings' ports (a restart brings them back on the ones they had, where their clients reconnect). */
  siblingPorts?: readonly number[];
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

/**
 * Every server started and not yet exited, so that a failing test still tears
 * them down. One set per test process, not per module instance: vitest loads
 * this module anew for each file in the same process, and one exit hook is
 * enough (one per file would pile up listeners on `process`).
 */
const RUNNING = Symbol.for('journeyhub.tests.running-servers');
const running: Set<TestServer> = ((globalThis as { [RUNNING]?: Set<TestServer> })[RUNNING] ??= killOnExit(new Set()));
/** Every DATA_DIR a server of this file ran on, removed at the end unless JOURNEYHUB_KEEP_DATA is set. */
const dataDirs = new Set<string>();

export class TestServer {
  readonly logs: LogLine[] = [];
  /** Everything on stdout, log lines and the rest. */
  stdout = '';
  stderr = '';
  readonly exited: Promise<Exit>;
  private exit: Exit | null = null;
  private port_ = 0;
  /** The other processes of this server in the postgres+redis run (see the module comment). */
  private siblings: TestServer[] = [];
  /** Where the siblings listened, kept for a restart after they stopped. */
  private siblingPorts: number[] = [];
  /** Which process `collabUrl` hands out next. */
  private turn = 0;
  /** Wakes the waits on this server's output or exit. */
  private readonly listeners = new Set<() => void>();

  private constructor(
    readonly child: ChildProcess,
    readonly dataDir: string,
    readonly options: ServerOptions,
  ) {
    running.add(this);
    this.exited = new Promise<Exit>((resolve) => {
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        running.delete(this);
        this.notify();
        resolve(this.exit);
      });
    });
    let buffered = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      this.stdout += chunk;
      buffered += chunk;
      for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (!line.startsWith('{')) continue;
        try {
          this.logs.push(JSON.parse(line) as LogLine);
        } catch {
          // Not a log line (the demo workspace banner); nothing to parse.
        }
      }
      this.notify();
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
  }

  /**
   * The environment a server runs with; the CLI needs the same DATA_DIR and
   * AUTH_SECRET, and in the postgres+redis run the same DATABASE_URL and
   * REDIS_URL (tests/support/engine.ts: await prepareEngine(dataDir) first).
   */
  static environment(dataDir: string, options: ServerOptions = {}): Record<string, string> {
    const web = options.web ?? true;
    return {
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      WEB: web ? 'on' : 'off',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      AUTH_SECRET: TEST_SECRET,
      LOG_LEVEL: 'info',
      SEED_DEMO: options.seedDemo ? 'on' : 'off',
      // The app's tests see rooms unload quickly; the WEB=off tests keep the server's default unless they set it.
      ...(web ? { COLLAB_IDLE_MS: '200' } : {}),
      ...engineEnvironment(dataDir, options.env),
      ...options.env,
    };
  }

  static async start(options: ServerOptions = {}): Promise<TestServer> {
    const level = options.env?.LOG_LEVEL;
    if (level !== undefined && !['info', 'debug', 'trace'].includes(level)) {
      throw new Error(`LOG_LEVEL=${level} hides the info line that tells the port; use info (or debug, trace)`);
    }
    const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'journeyhub-test-'));
    dataDirs.add(dataDir);
    await prepareEngine(dataDir);
    const env: NodeJS.ProcessEnv = { ...process.env, ...TestServer.environment(dataDir, options) };
    // next-auth would take the test runner's own NEXTAUTH_URL instead of the request's host.
    delete env.NEXTAUTH_URL;
    const child = spawn(process.execPath, SERVER_ARGS, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const server = new TestServer(child, dataDir, options);
    try {
      const line = await server.waitForLog((l) => l.msg.startsWith('JourneyHub listening on'), START_TIMEOUT_MS);
      if (typeof line.port !== 'number') throw new Error(`the listening line has no port: ${JSON.stringify(line)}`);
      server.port_ = line.port;
    } catch (error) {
      server.kill9();
      await server.exited;
      throw new Error(`the server did not start: ${(error as Error).message}\n${server.output()}`);
    }
    if (usesTestEngine(options.env) && TEST_PROCESSES > 1 && !options.alone) {
      // WEB=off: they serve sockets only. The main process's COLLAB_IDLE_MS (200 ms for the web app) unless the test sets its own.
      const idle = TestServer.environment(dataDir, options).COLLAB_IDLE_MS;
      const siblingEnv = { ...(idle === undefined ? {} : { COLLAB_IDLE_MS: idle }), ...options.env };
      const started = await Promise.allSettled(
        Array.from({ length: TEST_PROCESSES - 1 }, (_, i) =>
          TestServer.start({ web: false, dataDir, env: { ...siblingEnv, PORT: String(options.siblingPorts?.[i] ?? 0) }, alone: true }),
        ),
      );
      for (const result of started) if (result.status === 'fulfilled') server.siblings.push(result.value);
      const failed = started.find((result) => result.status === 'rejected');
      if (failed) {
        await server.stop().catch(() => server.kill9());
        throw failed.reason;
      }
    }
    return server;
  }

  get port(): number {
    return this.port_;
  }

  /**
   * localhost for the web app: next-auth's URL is localhost, so cookies and
   * redirects match. 127.0.0.1 with WEB=off, where nothing needs the name: the
   * socket-heavy tests (chaos reconnects hundreds of clients) make no lookups.
   */
  get host(): string {
    return (this.options.web ?? true) ? 'localhost' : '127.0.0.1';
  }

  get url(): string {
    return `http://${this.host}:${this.port_}`;
  }

  /** What a WebsocketProvider takes as its server URL (it appends `/<room>`): each call the next of this server's processes. */
  get collabUrl(): string {
    const processes: TestServer[] = [this, ...this.siblings];
    const process = processes[this.turn++ % processes.length] ?? this;
    return process.ownCollabUrl;
  }

  /** This process's collaboration URL, never a sibling's: for a test that then reads this process's health, metrics or logs. */
  get ownCollabUrl(): string {
    return `ws://${this.host}:${this.port_}/collab`;
  }

  /** How many processes this server is: 1, or TEST_PROCESSES in the postgres+redis run. */
  get processCount(): number {
    return 1 + this.siblings.length;
  }

  get isRunning(): boolean {
    return this.exit === null;
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

  /** The tail of stdout and stderr, for a failure message. */
  output(): string {
    return `stdout (tail):\n${this.stdout.slice(-LOG_TAIL_CHARS)}\nstderr:\n${this.stderr.slice(-LOG_TAIL_CHARS)}`;
  }

  /** The first log line (past or future) that matches; fails at the deadline or when the process exits first. */
  waitForLog(predicate: (line: LogLine) => boolean, timeout = 10_000): Promise<LogLine> {
    return waitFor(
      () => {
        const found = this.logs.find(predicate);
        if (found) return found;
        if (this.exit) throw new Error(`the server exited (${JSON.stringify(this.exit)}) before the expected log line; stderr:\n${this.stderr.slice(-LOG_TAIL_CHARS)}`);
        return null;
      },
      { timeout, message: 'a log line that never came' },
      (wake) => {
        this.listeners.add(wake);
        return () => this.listeners.delete(wake);
      },
    );
  }

  async health(): Promise<Health> {
    const res = await fetch(`${this.url}/api/health`);
    if (res.status !== 200) throw new Error(`/api/health answered ${res.status}`);
    return (await res.json()) as Health;
  }

  /** The health of each of this server's processes, this one first. */
  async healthOfEach(): Promise<Health[]> {
    return Promise.all([this, ...this.siblings].map((process) => process.health()));
  }

  async metricsText(): Promise<string> {
    const res = await fetch(`${this.url}/api/metrics`);
    if (res.status !== 200) throw new Error(`/api/metrics answered ${res.status}`);
    return res.text();
  }

  /**
   * The value of one sample of /api/metrics, e.g. metric('journeyhub_refused_total', { reason: 'read_only' }); 0 when absent.
   * Summed over this server's processes (what the server refused, whichever process its client was on).
   */
  async metric(name: string, labels: Record<string, string> = {}): Promise<number> {
    const values = await Promise.all([this, ...this.siblings].map(async (process) => readMetric(await process.metricsText(), name, labels)));
    return values.reduce((sum, value) => sum + value, 0);
  }

  /** SIGTERM (the server flushes and closes its database), then waits for the exit; SIGKILL and an error past the deadline. DATA_DIR stays (for a restart, or the CLI). */
  async stop(): Promise<Exit> {
    await this.stopSiblings();
    if (this.exit) return this.exit;
    this.child.kill('SIGTERM');
    const exit = await Promise.race([this.exited, delay(STOP_TIMEOUT_MS).then(() => null)]);
    if (exit) return exit;
    this.kill9();
    const killed = await this.exited;
    throw new Error(`the server did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM (killed: ${JSON.stringify(killed)})\n${this.output()}`);
  }

  /** A crash: SIGKILL, no flush. Await `exited` before restarting. */
  kill9(): void {
    for (const sibling of this.siblings) sibling.kill9();
    if (!this.exit) this.child.kill('SIGKILL');
  }

  /** A new process on the same DATA_DIR and options, `env` added (the old one must have exited). */
  async restart(env: Record<string, string> = {}): Promise<TestServer> {
    if (this.exit === null) throw new Error('restart: stop or kill the server first');
    // Siblings left running (the main process exited by itself) would hold the rooms across the restart.
    await this.stopSiblings();
    const siblingPorts = this.siblingPorts;
    return TestServer.start({ ...this.options, dataDir: this.dataDir, env: { ...this.options.env, ...env }, siblingPorts });
  }

  private async stopSiblings(): Promise<void> {
    const siblings = this.siblings;
    if (siblings.length > 0) this.siblingPorts = siblings.map((sibling) => sibling.port);
    this.siblings = [];
    await Promise.all(siblings.map((sibling) => sibling.stop().catch(() => sibling.kill9())));
  }

  private notify(): void {
    for (const wake of Array.from(this.listeners)) wake();
  }
}

/**
 * For afterAll: stops every server this file started (SIGKILL when SIGTERM
 * does not do it), then removes their data directories.
 */
/** Servers started to watch them stop by themselves (a refused start): killed by stopAllServers if one hangs after all. */
const expectedToExit = new Set<ChildProcess>();

/** Starts the server as `npm start` does (WEB=off, its own DATA_DIR) and waits for it to exit on its own: a start that must be refused. */
export function startExpectingExit(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyhub-refused-'));
  const child = spawn(process.execPath, SERVER_ARGS, {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_ENV: 'production', WEB: 'off', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, AUTH_SECRET: TEST_SECRET, SEED_DEMO: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  expectedToExit.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      expectedToExit.delete(child);
      fs.rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, stderr, stdout });
    });
  });
}

export async function stopAllServers(): Promise<void> {
  for (const child of expectedToExit) child.kill('SIGKILL');
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
  await dropEngineSchemas();
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  dataDirs.clear();
}

/** A test runner that dies without afterAll must not leave servers behind. */
function killOnExit(servers: Set<TestServer>): Set<TestServer> {
  process.once('exit', () => {
    for (const server of servers) server.kill9();
  });
  return servers;
}

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
