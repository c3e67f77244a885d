/**
 * DocStore append and load timings on each engine: `npm run bench:store`
 * (PostgreSQL when TEST_DATABASE_URL is set, in a fresh schema dropped after).
 * Informational: nothing here fails on a slow machine, and no test asserts a timing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openSqlite } from '../../server/db/sqlite';
import { SqliteDocStore } from '../../server/store/sqlite-doc-store';
import { PgDocStore } from '../../server/store/pg-doc-store';
import { openPostgres } from '../../server/db/postgres';
import { freshSchema } from '../integration/store-contract/engines';
import type { DocStore } from '../../server/store/doc-store';

async function bench(name: string, store: DocStore) {
  const update = new Uint8Array(200).fill(7);
  const N = 1000;
  const times: number[] = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    await store.append([{ room: 'bench', update }]);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 8 }, (_, w) => (async () => { for (let i = 0; i < 125; i++) await store.append([{ room: `bench-${w}`, update }]); })()));
  const par = performance.now() - t0;
  const t1 = performance.now();
  for (let i = 0; i < 20; i++) await store.append(Array.from({ length: 50 }, () => ({ room: 'bench-batch', update })));
  const batch = performance.now() - t1;
  const t2 = performance.now();
  const loaded = await store.load('bench');
  const load = performance.now() - t2;
  console.log(`${name} (load ${os.loadavg()[0]?.toFixed(1)}): single append p50 ${times[N / 2]?.toFixed(2)} ms p99 ${times[Math.floor(N * 0.99)]?.toFixed(2)} ms; 1000 appends from 8 concurrent writers ${par.toFixed(0)} ms; 20 batches of 50 ${batch.toFixed(0)} ms; load of ${loaded.updates.length} updates ${load.toFixed(1)} ms`);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jh-bench-'));
const sqlite = new SqliteDocStore(openSqlite(dir));
await bench('sqlite', sqlite);
await sqlite.close();
fs.rmSync(dir, { recursive: true, force: true });
if (!process.env.TEST_DATABASE_URL) {
  console.log('postgres: skipped, TEST_DATABASE_URL is not set');
  process.exit(0);
}
const schema = await freshSchema();
const pool = await openPostgres(schema.url);
await bench('postgres', new PgDocStore(pool, { ownsPool: false }));
await pool.end();
await schema.drop();
