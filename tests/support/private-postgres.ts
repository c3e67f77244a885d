/**
 * A PostgreSQL cluster of one test's own (initdb into a temp dir, the server
 * on a free port), that the test may stop and start again on the same port:
 * the shared PostgreSQL on 5432 is never restarted, other suites use it.
 * PostgreSQL refuses to run as root: as root, initdb runs through
 * `runuser -u postgres` and the server as the postgres user's uid.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ServiceProcess } from './child-process';
import { accepts, freePort } from './free-port';
import { waitFor } from './wait';

const BIN = '/usr/lib/postgresql/15/bin';

interface RunAs {
  uid: number;
  gid: number;
}

/** Whom the server runs as: the postgres user when we are root, else ourselves. */
function runAs(): RunAs | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

export function privatePostgresSkipReason(): string | null {
  if (!fs.existsSync(path.join(BIN, 'initdb'))) return `${BIN}/initdb is not installed ('apt-get install postgresql-15')`;
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0) return 'running as root and there is no postgres user to run PostgreSQL as';
  return null;
}

export class PrivatePostgres {
  private process: ServiceProcess | null = null;

  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly user: RunAs | null,
  ) {}

  static async start(): Promise<PrivatePostgres> {
    const user = runAs();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyhub-pg-'));
    if (user) fs.chownSync(dir, user.uid, user.gid);
    const args = ['-D', path.join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync', '--no-instructions'];
    const initdb = user ? spawnSync('runuser', ['-u', 'postgres', '--', path.join(BIN, 'initdb'), ...args], { encoding: 'utf8' }) : spawnSync(path.join(BIN, 'initdb'), args, { encoding: 'utf8' });
    if (initdb.status !== 0) throw new Error(`initdb failed (${initdb.status}):\n${initdb.stdout}\n${initdb.stderr}`);
    const postgres = new PrivatePostgres(dir, await freePort(), user);
    await postgres.startAgain();
    return postgres;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** Starts the server on this cluster and port (after a stop): it replays its WAL, as after a crash. */
  async startAgain(): Promise<void> {
    if (this.process?.isRunning) throw new Error('the private PostgreSQL is running already');
    const args = ['-D', path.join(this.dir, 'data'), '-p', String(this.port), '-k', this.dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=100'];
    const child = ServiceProcess.spawn('postgres', path.join(BIN, 'postgres'), args, this.user ? { uid: this.user.uid, gid: this.user.gid } : {});
    this.process = child;
    await waitFor(
      async () => {
        child.assertRunning();
        if (!(await accepts(this.port))) return false;
        // Accepting is not ready: during recovery it answers "the database system is starting up".
        return spawnSync(path.join(BIN, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(this.port)]).status === 0;
      },
      { timeout: 20_000, message: `the private PostgreSQL to accept connections on ${this.port}`, interval: 50 },
    );
  }

  /** SIGQUIT is PostgreSQL's immediate shutdown: every connection is cut, nothing is flushed (a crash, for what clients see). */
  async crash(): Promise<void> {
    await this.process?.stop('SIGQUIT');
  }

  /** Fast shutdown (SIGINT), then the cluster's directory is removed. */
  async destroy(): Promise<void> {
    await this.process?.stop('SIGINT');
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
