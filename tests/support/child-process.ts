/**
 * A service the tests start themselves (nginx, a private redis-server or
 * PostgreSQL) as a child process in the foreground: its output kept for
 * failure messages, killed when the test runner exits however it exits.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import type { Exit } from './server';

/** How much of a child's output a failure message quotes. */
const OUTPUT_TAIL_CHARS = 3000;

const CHILDREN = Symbol.for('journeyhub.tests.service-children');
const children: Set<ChildProcess> = ((globalThis as { [CHILDREN]?: Set<ChildProcess> })[CHILDREN] ??= killOnExit(new Set()));

export class ServiceProcess {
  output = '';
  readonly exited: Promise<Exit>;
  private exit: Exit | null = null;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    children.add(child);
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        this.output = (this.output + chunk).slice(-OUTPUT_TAIL_CHARS);
      });
    }
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        children.delete(child);
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
  }

  static spawn(name: string, command: string, args: readonly string[], options: SpawnOptions = {}): ServiceProcess {
    return new ServiceProcess(name, spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options }));
  }

  get isRunning(): boolean {
    return this.exit === null;
  }

  /** Throws with the child's output when it has exited: for a wait that must fail fast. */
  assertRunning(): void {
    if (this.exit) throw new Error(`${this.name} exited (${JSON.stringify(this.exit)}):\n${this.output}`);
  }

  /** `signal` (SIGTERM by default: a clean stop), then waits for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> {
    if (this.exit) return this.exit;
    this.child.kill(signal);
    return this.exited;
  }
}

function killOnExit(set: Set<ChildProcess>): Set<ChildProcess> {
  process.once('exit', () => {
    for (const child of set) child.kill('SIGKILL');
  });
  return set;
}
