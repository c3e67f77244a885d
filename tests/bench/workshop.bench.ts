/**
 * `npm run bench:workshop`: what a workshop's reads cost the server on a
 * 2,000-touchpoint master (WORKSHOP_BENCH_TOUCHPOINTS), in process on a real
 * SQLite file. Each read below runs on the event loop, so for as long as it
 * takes, every socket of the process waits: opening the copy's page
 * (workshopInfo, once per participant), its diff, and the scratch copy a
 * merge's edit is made on (editMap, with an edit that changes nothing, so the
 * map stays the same from run to run). Medians of 7 runs after 2 to warm up.
 * Informational: no target, and no test asserts a timing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openSqlite } from '../../server/db/sqlite';
import { createMapFromPlain } from '../../server/maps/create-map';
import { editMap } from '../../server/services/versions';
import { diffWorkshop, startWorkshop, workshopInfo } from '../../server/services/workshops';
import { generateMap } from './generate-map';
import { benchServices } from './bench-services';
import { median } from './stats';

const TOUCHPOINTS = Number(process.env.WORKSHOP_BENCH_TOUCHPOINTS ?? 2000);
const WARMUP = 2;
const RUNS = 7;

async function timed(work: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < WARMUP; i++) await work();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return median(times);
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyhub-workshop-bench-'));
const db = openSqlite(dataDir);
try {
  const { ctx, actor } = await benchServices(db);
  const { map, discussion } = generateMap(TOUCHPOINTS);
  const master = await createMapFromPlain(ctx.store, { title: 'Master', map, discussion, template: 'blank' });
  await ctx.accounts.setMember(master.id, actor.id, 'owner', null);
  await ctx.history.setMaster(master.id, true);
  const copy = await startWorkshop(ctx, actor, master.id, { title: 'Workshop', withComments: true });

  const rows: Array<[string, number]> = [
    ["opening the copy's page (workshopInfo)", await timed(() => workshopInfo(ctx, actor, copy.id))],
    ['the diff (diffWorkshop)', await timed(() => diffWorkshop(ctx, actor, copy.id))],
    ["a merge's scratch copy of the master (editMap, no change)", await timed(() => editMap(ctx, master.id, () => undefined))],
  ];
  console.log(`a workshop of a ${TOUCHPOINTS.toLocaleString('en')}-touchpoint master (load ${os.loadavg()[0]?.toFixed(1)}; medians of ${RUNS} runs, ms)\n`);
  for (const [label, ms] of rows) console.log(`${label.padEnd(60)} ${ms.toFixed(1).padStart(8)}`);
} finally {
  db.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
