/**
 * `npm run bench:portfolio`: the portfolio of a person on 50 demo maps
 * (29 touchpoints each, 12 months of figures on every touchpoint), in
 * process on a real SQLite file. Prints the whole load and where the time
 * goes (reading the two stored documents, the figures' query, the
 * annotation), each as a median of 7 runs. Informational: no target.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { shiftPeriod } from '../../lib/measurements/period';
import { preparePortfolioMap } from '../../lib/portfolio/portfolio-map';
import { portfolioRow } from '../../lib/portfolio/portfolio-row';
import { teamsOf } from '../../lib/portfolio/teams';
import { openSqlite } from '../../server/db/sqlite';
import { createMapFromTemplate } from '../../server/maps/create-map';
import { readStoredMap } from '../../server/maps/read-map';
import { loadPortfolioMaps, portfolio, utcDate } from '../../server/services/portfolio';
import type { MeasuredRow } from '../../server/store/measurement-store';
import { benchServices } from './bench-services';
import { median } from './stats';

const MAPS = Number(process.env.PORTFOLIO_BENCH_MAPS ?? 50);
const MONTHS = 12;
const RUNS = 7;

async function timed(work: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyhub-portfolio-bench-'));
  const db = openSqlite(dataDir);
  try {
    const { ctx, actor } = await benchServices(db);
    const mapIds: string[] = [];
    for (let m = 0; m < MAPS; m++) {
      const record = await createMapFromTemplate(ctx.store, { title: `Map ${m}`, template: 'demo' });
      await ctx.accounts.setMember(record.id, actor.id, 'owner', null);
      mapIds.push(record.id);
      const { map } = await readStoredMap(ctx.store, record.id);
      const touchpoints = Object.values(map.touchpoints).filter((t) => t.kind === 'touchpoint');
      for (let month = 0; month < MONTHS; month++) {
        await ctx.measurements.replace(record.id, shiftPeriod('2025-12', month), touchpoints.map((t, i) => ({ touchpointId: t.id, contacts: (i * 37 + month) % 900, csat: { responses: 40, satisfied: (i + month) % 40 } })), Date.now());
      }
    }
    const now = Date.now();
    const today = utcDate(now);

    const whole: number[] = [];
    const read: number[] = [];
    const figures: number[] = [];
    const annotate: number[] = [];
    const sequential: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      whole.push(await timed(() => portfolio(ctx, actor, {}, now)));
      sequential.push(
        await timed(async () => {
          for (const id of mapIds) await readStoredMap(ctx.store, id);
        }),
      );
      const loaded = await Promise.all(mapIds.map((id) => readStoredMap(ctx.store, id)));
      read.push(await timed(() => Promise.all(mapIds.map((id) => readStoredMap(ctx.store, id)))));
      let rows: MeasuredRow[][] = [];
      figures.push(
        await timed(async () => {
          rows = [];
          for (const id of mapIds) {
            const period = await ctx.measurements.latestPeriod(id);
            rows.push(period === null ? [] : await ctx.measurements.list(id, period, period));
          }
        }),
      );
      annotate.push(
        await timed(() => {
          const prepared = loaded.map(({ map }, i) => preparePortfolioMap({ id: mapIds[i] ?? '', title: '', role: 'owner', updatedAt: 0, map, rows: rows[i] ?? [] }));
          for (const p of prepared) portfolioRow(p, now, today);
          teamsOf(prepared, today);
        }),
      );
    }
    const answer = await loadPortfolioMaps(ctx, actor);
    const ms = (values: number[]) => `${median(values).toFixed(1)} ms`;
    console.log(`portfolio of ${MAPS} demo maps (${answer.maps.length} read, ${MONTHS} months of figures each), median of ${RUNS}:`);
    console.log(`  whole service call (GET /api/portfolio without HTTP): ${ms(whole)}`);
    console.log(`  reading the ${MAPS} maps' two documents, concurrently: ${ms(read)}; one after another: ${ms(sequential)}`);
    console.log(`  the latest month's figures of each map: ${ms(figures)}`);
    console.log(`  annotating, the portfolio rows and the teams: ${ms(annotate)}`);
  } finally {
    db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
