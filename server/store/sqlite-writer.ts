import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ClientIdClaimLost, type AppendedSeq, type AppendedUpdate } from './doc-store';

/**
 * SQLite's appends and compactions on a thread of their own.
 *
 * better-sqlite3 is synchronous: on the event loop, every commit (its fsync,
 * a WAL checkpoint every few hundred commits, a wait for another writer's
 * lock) holds every socket of the process, not only the edit being stored.
 * Profiles of `npm run bench:sync` put a fifth of the event loop's time in
 * appends at 200 connections (docs/collaboration.md). Here the commit runs on
 * a second connection in a worker thread and the event loop goes on sending,
 * relaying presence and accepting the next edits, which the pipeline groups
 * into the next commit. An append still resolves only once its transaction
 * has committed (synchronous=FULL): nothing is shown before it is on disk.
 *
 * Writes run one at a time in the order they were asked for. If the thread
 * dies, what it was doing is refused (the pipeline closes those senders with
 * 1011 and they send again) and the next write starts a new thread.
 */

export interface WriterThreadData {
  file: string;
}

export type WriterRequest =
  | { id: number; op: 'append'; batch: readonly AppendedUpdate[] }
  | { id: number; op: 'compact'; room: string; state: Uint8Array; seq: number }
  | { id: number; op: 'close' };

export type WriterReply =
  | { id: number; ok: true; appended: AppendedSeq[] }
  | { id: number; ok: false; message: string; code?: unknown; claimLost?: { room: string; clientId: number; owner: string } };

interface Pending {
  resolve(appended: AppendedSeq[]): void;
  reject(error: Error): void;
}

/**
 * The thread's entry beside this module: the compiled .js in dist/server;
 * run from the sources (tests, `npm run dev`), the .ts through tsx's require
 * (a worker does not get the parent's `--import tsx` hooks in Node 20).
 */
function startThread(data: WriterThreadData): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./sqlite-writer-thread.js', here), { workerData: data });
  const entry = fileURLToPath(new URL('./sqlite-writer-thread.ts', here));
  const tsx = createRequire(here).resolve('tsx/cjs/api');
  return new Worker(`require(${JSON.stringify(tsx)}).require(${JSON.stringify(entry)}, ${JSON.stringify(entry)});`, { eval: true, workerData: data });
}

export class SqliteWriter {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closing: Promise<void> | null = null;

  constructor(private readonly file: string) {
    // Started now, not at the first edit: a thread takes ~100 ms to boot and open the file.
    this.start();
  }

  /** No write is under way or waiting: everything asked of the thread has committed (or failed) and its answer was taken. */
  get idle(): boolean {
    return this.pending.size === 0 && this.closing === null;
  }

  append(batch: readonly AppendedUpdate[]): Promise<AppendedSeq[]> {
    if (batch.length === 0) return Promise.resolve([]);
    // An update decoded from a socket's frame is a view into ws's receive buffer, and postMessage would
    // copy that whole buffer for every view of it: each is copied out to its own bytes, which move across.
    const own = batch.map((item) => ({ ...item, update: item.update.slice() }));
    return this.request(
      (id) => ({ id, op: 'append', batch: own }),
      own.map((item) => item.update.buffer),
    );
  }

  async compact(room: string, state: Uint8Array, seq: number): Promise<void> {
    await this.request((id) => ({ id, op: 'compact', room, state, seq }));
  }

  /** Waits for the writes asked for so far, then closes the thread's connection and ends it. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const worker = this.worker;
      if (!worker) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      // Held until it has exited: a process with nothing else left would otherwise end before the rest of its shutdown.
      worker.ref();
      // Asked last, so answered after every write before it.
      await this.send(worker, (id) => ({ id, op: 'close' })).catch(() => undefined);
      await exited;
    })();
    return this.closing;
  }

  private request(make: (id: number) => WriterRequest, transfer: ArrayBuffer[] = []): Promise<AppendedSeq[]> {
    if (this.closing) return Promise.reject(new Error('the SQLite writer is closed'));
    return this.send(this.worker ?? this.start(), make, transfer);
  }

  private send(worker: Worker, make: (id: number) => WriterRequest, transfer: ArrayBuffer[] = []): Promise<AppendedSeq[]> {
    const id = this.nextId++;
    return new Promise<AppendedSeq[]>((resolve, reject) => {
      // Held open while a write is under way (a store used without a server must not exit before its commit).
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { resolve, reject });
      worker.postMessage(make(id), transfer);
    });
  }

  private start(): Worker {
    const worker = startThread({ file: this.file });
    // The server's sockets keep the process alive; an idle writer must not.
    worker.unref();
    worker.on('message', (reply: WriterReply) => this.settle(reply));
    worker.on('error', (error) => this.stopped(worker, error));
    worker.on('exit', (code) => this.stopped(worker, new Error(`the SQLite writer thread exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private settle(reply: WriterReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0 && !this.closing) this.worker?.unref();
    if (reply.ok) return pending.resolve(reply.appended);
    const { claimLost } = reply;
    if (claimLost) return pending.reject(new ClientIdClaimLost(claimLost.room, claimLost.clientId, claimLost.owner));
    pending.reject(Object.assign(new Error(reply.message), reply.code === undefined ? {} : { code: reply.code }));
  }

  private stopped(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      pending.reject(new Error(`the SQLite writer stopped before the write was stored: ${error.message}`));
    }
  }
}
