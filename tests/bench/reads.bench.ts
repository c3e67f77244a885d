/**
 * `npm run bench:reads`: what reading a large map as stored costs the people
 * editing it. The real app (`npm run build` first) on SQLite, a
 * 2,000-touchpoint map imported through the API (READS_BENCH_TOUCHPOINTS),
 * and for each read (its annotations, its canvas page, a workshop copy's
 * diff):
 *
 * - the answer's time, the map closed (read from the store) and open (its
 *   map and discussion open, as the canvas opens them: read off the rooms);
 * - what a person editing meanwhile feels: an edit sent 5 ms after the
 *   request, timed until the other socket has it (the read holds the event
 *   loop, and every socket of the process with it, for as long as it takes).
 *
 * Medians of 7 runs after 2 to warm up. Informational: no target, and no test
 * asserts a timing.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import * as Y from 'yjs';
import { exportJson } from '../../lib/exchange/json';
import { roomName } from '../../lib/journey/rooms';
import { updateTouchpoint } from '../../lib/journey/schema';
import type { MapSummary } from '../../server/services/maps';
import { RawBody } from '../support/api-client';
import { destroyAllCollabClients } from '../support/collab-client';
import { Team, type Person } from '../support/people';
import { TestServer, readMetric, stopAllServers } from '../support/server';
import { generateMap } from './generate-map';
import { median } from './stats';

const TOUCHPOINTS = Number(process.env.READS_BENCH_TOUCHPOINTS ?? 2000);
const WARMUP = 2;
const RUNS = 7;

interface Read {
  label: string;
  run: () => Promise<{ status: number }>;
}

async function timed(read: Read): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const started = performance.now();
    const answer = await read.run();
    if (answer.status !== 200) throw new Error(`${read.label} answered ${answer.status}`);
    if (i >= WARMUP) times.push(performance.now() - started);
  }
  return median(times);
}

async function memoryReads(server: TestServer): Promise<number> {
  return readMetric(await (await fetch(`${server.url}/api/metrics`)).text(), 'journeyhub_document_reads_total', { source: 'memory' });
}

const server = await TestServer.start();
try {
  const lea = await new Team(server).signUp('Lea');
  const { map, discussion } = generateMap(TOUCHPOINTS);
  const imported = await lea.api.post<MapSummary>('/api/maps/import?format=json&title=Large%20master', new RawBody(exportJson(map, discussion, new Date()), 'application/json'));
  if (imported.status !== 201) throw new Error(`the import answered ${imported.status}: ${imported.text}`);
  const master = imported.body;
  if ((await lea.api.post(`/api/maps/${master.id}/master`, { master: true })).status !== 200) throw new Error('could not mark the master');
  const started = await lea.api.post<MapSummary>(`/api/maps/${master.id}/workshops`, { title: 'Workshop' });
  if (started.status !== 201) throw new Error(`starting the workshop answered ${started.status}: ${started.text}`);
  const copy = started.body;
  const touchpointId = Object.keys(map.touchpoints).find((id) => map.touchpoints[id]?.kind === 'touchpoint') ?? 'hub';

  const reads: Read[] = [
    { label: 'the annotations (GET /api/maps/:id/annotations)', run: () => lea.api.get(`/api/maps/${master.id}/annotations`) },
    { label: 'the canvas page (GET /maps/:id)', run: () => lea.session.get(`/maps/${master.id}`) },
    { label: "a workshop copy's diff (GET /api/maps/:copy/diff)", run: () => lea.api.get(`/api/maps/${copy.id}/diff`) },
  ];
  // Room idle timers may unload a closed room loaded by a read: none is open yet, and reads load none.
  const closed: number[] = [];
  for (const read of reads) closed.push(await timed(read));

  // As the canvas opens a map: its map and its discussion.
  const [writer, reader, ...others] = await Promise.all([
    lea.open(roomName(master.id, 'map')),
    lea.open(roomName(master.id, 'map')),
    lea.open(roomName(master.id, 'discussion')),
    lea.open(roomName(copy.id, 'map')),
    lea.open(roomName(copy.id, 'discussion')),
  ]);
  const memoryBefore = await memoryReads(server);
  const open: number[] = [];
  for (const read of reads) open.push(await timed(read));
  const fromMemory = (await memoryReads(server)) - memoryBefore;

  // The one card's label, straight off the document: reading the whole map on every update would be the bench's own time.
  const labelAt = (doc: Y.Doc): unknown => {
    const card = doc.getMap<unknown>('touchpoints').get(touchpointId);
    return card instanceof Y.Map ? card.get('label') : undefined;
  };
  let edit = 0;
  const editDuring = async (read: Read | null): Promise<number> => {
    const times: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const label = `Edit ${++edit}`;
      const request = read?.run();
      await sleep(5);
      const arrived = new Promise<number>((resolve) => {
        const check = () => {
          if (labelAt(reader.doc) !== label) return;
          reader.doc.off('update', check);
          resolve(performance.now());
        };
        reader.doc.on('update', check);
      });
      const sent = performance.now();
      updateTouchpoint(writer.doc, touchpointId, { label }, writer.origin);
      const at = await arrived;
      if (i >= WARMUP) times.push(at - sent);
      await request;
    }
    return median(times);
  };
  const quiet = await editDuring(null);
  const during: number[] = [];
  for (const read of reads) during.push(await editDuring(read));

  console.log(`reads of a ${TOUCHPOINTS.toLocaleString('en')}-touchpoint map (medians of ${RUNS} runs, ms; ${fromMemory} reads of a document came from memory while it was open)\n`);
  console.log(`${'read'.padEnd(52)} ${'closed'.padStart(8)} ${'open'.padStart(8)}  open ÷ closed   an edit meanwhile (quiet: ${quiet.toFixed(1)})`);
  reads.forEach((read, i) => {
    const [c, o, d] = [closed[i] ?? NaN, open[i] ?? NaN, during[i] ?? NaN];
    console.log(`${read.label.padEnd(52)} ${c.toFixed(1).padStart(8)} ${o.toFixed(1).padStart(8)}  ${(o / c).toFixed(2).padStart(12)}×   ${d.toFixed(1).padStart(8)}`);
  });
  for (const client of [writer, reader, ...others]) client.destroy();
} finally {
  destroyAllCollabClients();
  await stopAllServers();
}
