/**
 * The SQLite writer thread (server/store/sqlite-writer.ts) on a real file:
 * what a thread that dies takes with it, and what a close waits for.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../server/db/sqlite';
import { SqliteDocStore } from '../../server/store/sqlite-doc-store';
import { SqliteWriter } from '../../server/store/sqlite-writer';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function freshStore(): { store: SqliteDocStore; writer: SqliteWriter } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyhub-writer-'));
  dirs.push(dir);
  const db = openSqlite(dir);
  return { store: new SqliteDocStore(db), writer: new SqliteWriter(db.name) };
}

const update = (byte: number): Uint8Array => new Uint8Array([byte, byte, byte]);

describe('the SQLite writer thread', () => {
  it('a thread that dies refuses what it was doing with a sentence; the next write starts another and the seqs go on', async () => {
    const { store, writer } = freshStore();
    const [first] = await writer.append([{ room: 'r', update: update(1) }]);
    // The thread ends (a crash, an out-of-memory) while a write is under way.
    const thread = (writer as unknown as { worker: Worker }).worker;
    const lost = writer.append([{ room: 'r', update: update(2) }]);
    await thread.terminate();
    await expect(lost).rejects.toThrow(/the SQLite writer stopped before the write was stored/);

    const [next] = await writer.append([{ room: 'r', update: update(3) }]);
    expect(next?.seq).toBeGreaterThan(first?.seq ?? Infinity);
    const stored = await store.load('r');
    // Whatever the dead thread had committed is there whole; the refused write may or may not be, never in part.
    expect(stored.updates.map((u) => u[0]).filter((b) => b !== 2)).toEqual([1, 3]);
    await writer.close();
    await store.close();
  });

  it('close waits for every write asked before it, then refuses new ones', async () => {
    const { store, writer } = freshStore();
    const writes = Array.from({ length: 20 }, (_, i) => writer.append([{ room: 'r', update: update(i) }]));
    await writer.close();
    const seqs = (await Promise.all(writes)).map((appended) => appended[0]?.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => (a ?? 0) - (b ?? 0)));
    expect((await store.load('r')).updates).toHaveLength(20);
    await expect(writer.append([{ room: 'r', update: update(99) }])).rejects.toThrow('the SQLite writer is closed');
    await store.close();
  });

  it('a write the database refuses is an error in the caller, and the thread goes on', async () => {
    const { store, writer } = freshStore();
    const bad = writer.append([{ room: 'r', update: update(1), claims: { userId: null as unknown as string, clientIds: [7] } }]);
    await expect(bad).rejects.toThrow(/NOT NULL/);
    await expect(writer.append([{ room: 'r', update: update(5) }])).resolves.toHaveLength(1);
    // The refused batch was rolled back whole: its update is not in the log.
    expect((await store.load('r')).updates.map((u) => u[0])).toEqual([5]);
    await writer.close();
    await store.close();
  });
});

describe('an append committed on the event loop (appendNow)', () => {
  /**
   * Never paused by a slow commit unless asked: a first commit on a loaded CI machine can take 10 ms,
   * and the pause that follows (its own test, below) would decline the commits these tests are about.
   */
  function threadStore(options: { slowLoopCommitMs?: number } = {}): { store: SqliteDocStore; file: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyhub-writer-'));
    dirs.push(dir);
    const db = openSqlite(dir);
    return { store: new SqliteDocStore(db, { writerThread: true, slowLoopCommitMs: Number.POSITIVE_INFINITY, ...options }), file: db.name };
  }

  it('commits at once in the caller when the thread has nothing under way, in one order with the thread’s, durable', async () => {
    const { store, file } = threadStore();
    const first = store.appendNow([{ room: 'r', update: update(1) }]);
    expect(first).toHaveLength(1);
    const [second] = await store.append([{ room: 'r', update: update(2) }]);
    const third = store.appendNow([{ room: 'r', update: update(3) }]);
    expect(third?.[0]?.prevSeq).toBe(second?.seq);
    expect(second?.prevSeq).toBe(first?.[0]?.seq);
    // Committed, not only written: another connection reads all three.
    const other = new Database(file, { readonly: true });
    expect(other.prepare('SELECT data FROM doc_updates WHERE room = ? ORDER BY seq').all('r').map((row) => (row as { data: Buffer }).data[0])).toEqual([1, 2, 3]);
    other.close();
    await store.close();
  });

  it('never while the thread has a write under way: that one is stored first', async () => {
    const { store, file } = threadStore();
    const onThread = store.append([{ room: 'r', update: update(1) }]);
    expect(store.appendNow([{ room: 'r', update: update(2) }])).toBeNull();
    await onThread;
    expect((await store.load('r')).updates.map((u) => u[0])).toEqual([1]);
    await store.close();
  });

  it('never waits for another writer’s lock: it declines at once and writes nothing; the thread waits instead', async () => {
    const { store, file } = threadStore();
    const holder = new Database(file);
    holder.exec('BEGIN IMMEDIATE');
    const started = performance.now();
    expect(store.appendNow([{ room: 'r', update: update(1) }])).toBeNull();
    // The store's busy timeout is 5 s; declining must not wait for it.
    expect(performance.now() - started).toBeLessThan(1_000);
    const onThread = store.append([{ room: 'r', update: update(2) }]);
    holder.exec('COMMIT');
    holder.close();
    await onThread;
    expect((await store.load('r')).updates.map((u) => u[0])).toEqual([2]);
    await store.close();
  });

  it('after a slow commit on the loop (a slow disk), declines for a while so that the thread takes the waiting', async () => {
    // Every commit counts as slow here.
    const { store } = threadStore({ slowLoopCommitMs: 0 });
    expect(store.appendNow([{ room: 'r', update: update(1) }])).toHaveLength(1);
    expect(store.appendNow([{ room: 'r', update: update(2) }])).toBeNull();
    await store.append([{ room: 'r', update: update(3) }]);
    expect((await store.load('r')).updates.map((u) => u[0])).toEqual([1, 3]);
    await store.close();
  });

  it('a store writing in the process (no thread) leaves it to append', async () => {
    const { store, writer } = freshStore();
    expect(store.appendNow([{ room: 'r', update: update(1) }])).toBeNull();
    await writer.close();
    await store.close();
  });
});
