/**
 * What a durable commit costs on this disk: `npm run bench:commit`.
 *
 * Every edit is on disk before anyone sees it, so a commit's time is part of
 * every fan-out latency `bench:sync` reports. This measures it the way the
 * server meets it: one edit every 5 ms (bench:sync's 200 edits/s), the disk
 * idle in between, against the same commits back to back. Two layers:
 *
 * - the disk alone: a 4 KB write into a file whose blocks are allocated, then
 *   fdatasync (what SQLite's WAL commit comes down to once the WAL is reused);
 * - the store: SqliteDocStore.appendNow, one 200-byte update per commit, on
 *   the event loop as the server commits a quiet room's edit.
 *
 * Informational: nothing here fails on a slow machine, and no test asserts a timing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { openSqlite } from '../../server/db/sqlite';
import { SqliteDocStore } from '../../server/store/sqlite-doc-store';
import { quantile } from './stats';

const COMMITS = 1000;
const WARMUP = 50;
/** bench:sync's edit spacing (200 edits/s). */
const IDLE_GAP_MS = 5;
const BLOCK = 4096;

interface Row {
  label: string;
  times: number[];
}

async function timed(commit: (i: number) => void, gapMs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + COMMITS; i++) {
    // Back to back still yields to the loop, as the server does between batches.
    if (gapMs > 0) await sleep(gapMs);
    else await new Promise<void>((resolve) => setImmediate(resolve));
    const started = performance.now();
    commit(i);
    if (i >= WARMUP) times.push(performance.now() - started);
  }
  return times;
}

async function diskAlone(dir: string, gapMs: number): Promise<number[]> {
  const file = path.join(dir, `blocks-${gapMs}`);
  const fd = fs.openSync(file, 'w+');
  try {
    // Allocated and synced first: an fdatasync that also commits the file's new size costs more, and SQLite reuses its WAL.
    fs.writeSync(fd, Buffer.alloc(BLOCK * (WARMUP + COMMITS)));
    fs.fsyncSync(fd);
    const block = Buffer.alloc(BLOCK, 7);
    return await timed((i) => {
      fs.writeSync(fd, block, 0, BLOCK, i * BLOCK);
      fs.fdatasyncSync(fd);
    }, gapMs);
  } finally {
    fs.closeSync(fd);
  }
}

async function storeOnLoop(dir: string, gapMs: number): Promise<number[]> {
  const db = openSqlite(path.join(dir, `store-${gapMs}`));
  const store = new SqliteDocStore(db, { writerThread: true, slowLoopCommitMs: Number.POSITIVE_INFINITY });
  try {
    await store.createMap({ id: 'bench', title: 'bench', template: 'blank' }, {});
    const update = new Uint8Array(200).fill(7);
    return await timed(() => {
      if (!store.appendNow([{ room: 'bench', update }])) throw new Error('the store declined a commit on the event loop: is another process writing to the file?');
    }, gapMs);
  } finally {
    await store.close();
    db.close();
  }
}

const ms = (value: number): string => value.toFixed(3).padStart(8);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jh-commit-'));
const rows: Row[] = [];
try {
  for (const [layer, run] of [
    ['disk: 4 KB write + fdatasync', diskAlone],
    ['store: appendNow (SQLite WAL, synchronous=FULL)', storeOnLoop],
  ] as const) {
    rows.push({ label: `${layer}, back to back`, times: await run(dir, 0) });
    rows.push({ label: `${layer}, one every ${IDLE_GAP_MS} ms`, times: await run(dir, IDLE_GAP_MS) });
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

console.log(`durable commits in ${os.tmpdir()} (${COMMITS} each after ${WARMUP} to warm up; load ${os.loadavg()[0]?.toFixed(1)}; ms)\n`);
console.log(`${'commit'.padEnd(68)}     p50      p95      p99      max  over 2 ms`);
for (const { label, times } of rows) {
  const over = times.filter((t) => t > 2).length;
  console.log(`${label.padEnd(68)}${ms(quantile(times, 0.5))} ${ms(quantile(times, 0.95))} ${ms(quantile(times, 0.99))} ${ms(Math.max(...times))}  ${String(over).padStart(9)}`);
}
for (let i = 0; i + 1 < rows.length; i += 2) {
  const [busy, idle] = [rows[i], rows[i + 1]];
  if (!busy || !idle) continue;
  const ratio = (q: number) => (quantile(idle.times, q) / quantile(busy.times, q)).toFixed(2);
  console.log(`${idle.label} ÷ back to back: p50 ${ratio(0.5)}×, p95 ${ratio(0.95)}×, p99 ${ratio(0.99)}×`);
}
