/**
 * Maps in and out at the size of a large contact center: `npm run bench:exchange`.
 * 5,000 touchpoints (tests/bench/generate-map.ts): every export format and the
 * imports in-process (lib/exchange and what renders beside it), then through
 * the routes of the real server (production build, `npm run build` first) on a
 * real SQLite file: GET /api/maps/:id/export for each format and
 * POST /api/maps/import of the 5,000-row CSV. Issue 16's targets: each export
 * under 2 s, the import of 5,000 rows under 2 s. Medians of the runs;
 * informational, nothing here fails on a slow machine.
 */
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { annotateMap } from '../../lib/annotations';
import { exportCsv, importCsv } from '../../lib/exchange/csv';
import { EXPORT_FORMATS, IMPORT_FORMATS, type ExportFormat } from '../../lib/exchange/formats';
import { buildMap } from '../../lib/exchange/imported-journey';
import { exportJson, importJson } from '../../lib/exchange/json';
import { exportMermaid, importMermaid } from '../../lib/exchange/mermaid';
import { exportXlsx, importXlsx } from '../../lib/exchange/xlsx';
import { renderPdfReport } from '../../server/exchange/pdf-report';
import { TestServer } from '../support/server';
import { generateMap } from './generate-map';
import { median } from './stats';
import { buildFixture, createBenchToken, freshDataDir, removeFixture } from './sync/fixture';

const TOUCHPOINTS = 5_000;
const TARGET_MS = 2_000;
const RUNS = Number(process.env.EXCHANGE_BENCH_RUNS ?? 5);

interface Row {
  what: string;
  ms: number;
  bytes?: number;
}

async function measure(what: string, run: () => unknown, runs = RUNS): Promise<Row> {
  let bytes: number | undefined;
  await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const out = await run();
    times.push(performance.now() - start);
    if (typeof out === 'string') bytes = Buffer.byteLength(out);
    else if (out instanceof Uint8Array) bytes = out.byteLength;
  }
  return { what, ms: median(times), ...(bytes === undefined ? {} : { bytes }) };
}

const print = (rows: readonly Row[]) => {
  for (const row of rows) {
    const size = row.bytes === undefined ? '' : `${(row.bytes / 1024).toFixed(0).padStart(7)} KiB`;
    const verdict = row.ms < TARGET_MS ? 'under 2 s' : 'OVER 2 s';
    console.log(`${row.what.padEnd(52)} median ${row.ms.toFixed(1).padStart(8)} ms ${size}   ${verdict}`);
  }
};

console.log(`bench:exchange — ${TOUCHPOINTS.toLocaleString('en-US')} touchpoints, ${RUNS} runs each (medians); target: every export and the 5,000-row import under ${TARGET_MS} ms`);
console.log(`machine: ${availableParallelism()} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

// In-process: the format code alone.
const { map, discussion } = generateMap(TOUCHPOINTS);
const csv = exportCsv(map, discussion);
const json = exportJson(map, discussion, new Date());
const mermaid = exportMermaid(map);
const annotations = annotateMap(map, discussion);
const workbook = await exportXlsx(map, discussion, undefined, annotations);
console.log('\nin-process (lib/exchange)');
print([
  await measure('export JSON', () => exportJson(map, discussion, new Date())),
  await measure('export CSV', () => exportCsv(map, discussion)),
  await measure('export XLSX (three sheets)', () => exportXlsx(map, discussion, undefined, annotations)),
  await measure('export Mermaid', () => exportMermaid(map)),
  await measure('export PDF report', () => renderPdfReport({ map, annotations, generatedAt: new Date() }), 3),
  await measure('annotateMap (what XLSX and PDF add)', () => annotateMap(map, discussion)),
  await measure('import JSON (parse and check both documents)', () => importJson(json)),
  await measure('import CSV, 5,000 rows (parse, check, lay out)', () => buildMap(importCsv(csv, { title: 'Bench' }))),
  await measure('import XLSX, 5,000 rows', async () => buildMap(await importXlsx(workbook, { title: 'Bench' }))),
  await measure('import Mermaid, 5,000 tasks', () => buildMap(importMermaid(mermaid, { title: 'Bench' }))),
]);

// Through the routes: what a person waits for, the store's read and the HTTP round trip included.
if (process.env.EXCHANGE_BENCH_HTTP !== '0') {
  const fixture = await buildFixture(TOUCHPOINTS, 0);
  const dataDir = freshDataDir(fixture, 'exchange');
  const token = await createBenchToken(dataDir, 'write', 'bench exchange');
  const server = await TestServer.start({ env: { DATA_DIR: dataDir, COLLAB_IDLE_MS: '30000' } });
  const auth = { authorization: `Bearer ${token}` };
  try {
    const download = async (format: ExportFormat): Promise<Uint8Array> => {
      const res = await fetch(new URL(`/api/maps/${fixture.mapId}/export?format=${format}`, server.url), { headers: auth });
      const body = new Uint8Array(await res.arrayBuffer());
      if (res.status !== 200) throw new Error(`export ${format} answered ${res.status}: ${Buffer.from(body).toString('utf8').slice(0, 300)}`);
      return body;
    };
    const rows: Row[] = [];
    for (const format of EXPORT_FORMATS) rows.push(await measure(`GET /api/maps/:id/export?format=${format}`, () => download(format)));
    const file = await download('csv');
    const xlsx = await download('xlsx');
    const uploadXlsx = async (): Promise<string> => {
      const res = await fetch(new URL('/api/maps/import?format=xlsx&title=Bench', server.url), { method: 'POST', headers: { ...auth, 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }, body: Buffer.from(xlsx) });
      const text = await res.text();
      if (res.status !== 201) throw new Error(`import answered ${res.status}: ${text.slice(0, 300)}`);
      return text;
    };
    const upload = async (): Promise<string> => {
      const res = await fetch(new URL('/api/maps/import?format=csv&title=Bench', server.url), { method: 'POST', headers: { ...auth, 'content-type': 'text/csv' }, body: Buffer.from(file) });
      const text = await res.text();
      if (res.status !== 201) throw new Error(`import answered ${res.status}: ${text.slice(0, 300)}`);
      return text;
    };
    const imports = await measure(`POST /api/maps/import?format=csv (${(file.byteLength / 1024).toFixed(0)} KiB)`, upload);
    rows.push({ what: imports.what, ms: imports.ms });
    const xlsxImports = await measure(`POST /api/maps/import?format=xlsx (${(xlsx.byteLength / 1024).toFixed(0)} KiB)`, uploadXlsx);
    rows.push({ what: xlsxImports.what, ms: xlsxImports.ms });
    console.log(`\nthrough the routes (production build, SQLite; import formats: ${IMPORT_FORMATS.join(', ')})`);
    print(rows);
  } finally {
    await server.stop();
    removeFixture(fixture);
  }
}
