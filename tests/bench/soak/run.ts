/**
 * `npm run soak` (issue 12 §7): the server process under a steady load for a
 * long time — stock y-websocket clients on several maps making 200 edits/s,
 * clients leaving and joining all the time (so that documents unload and
 * load again) — and, each minute, what /api/metrics says of the server:
 * resident memory, heap, loaded documents, sockets, event-loop delay (p99 and
 * max over that minute: prom-client resets its histogram at every scrape).
 * The last line says whether memory, documents and event-loop delay stayed
 * flat (the first minute is the warm-up and the baseline).
 *
 *   npm run soak                      30 minutes
 *   npm run soak -- --minutes 3       a short run
 *   npm run soak -- --rate 200 --maps 5 --clients 20
 *
 * The load is steady on purpose: edits overwrite fields, and touchpoints and
 * pain points are added and removed in balance, so a map does not grow
 * without bound and a rising line is the server's, not the workload's.
 * A benchmark, not a test: nothing is asserted, the exit code is 0 unless
 * the server dies.
 */
import { parseArgs } from 'node:util';
import * as prng from 'lib0/prng';
import type * as Y from 'yjs';
import type { EditOrigin } from '../../../lib/journey/origin';
import { addPainPoint, addTouchpoint, deleteTouchpoint, getHubId, getStageIds, readMap, removePainPoint, renameStage, updateTouchpoint } from '../../../lib/journey/schema';
import { CollabClient, mapRoom, tokenFor } from '../../integration/support/clients';
import { TestServer, readMetric, stopAllServers } from '../../support/server';
import { USERS, seedWorkspace, type UserKey } from '../../integration/support/workspace';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    rate: { type: 'string', default: '200' },
    maps: { type: 'string', default: '5' },
    clients: { type: 'string', default: '20' },
    seed: { type: 'string' },
  },
});

function positiveNumber(name: string, raw: string | undefined): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`--${name} must be a positive number (got ${raw}); e.g. npm run soak -- --${name} 3`);
    process.exit(2);
  }
  return value;
}

const MINUTES = positiveNumber('minutes', args.minutes);
const RATE = positiveNumber('rate', args.rate);
const MAPS = Math.round(positiveNumber('maps', args.maps));
const CLIENTS = Math.round(positiveNumber('clients', args.clients));
const SEED = args.seed ? Number(args.seed) : Math.floor(Math.random() * 2 ** 31);
const SAMPLE_MS = 60_000;
/** Edits go out in ticks of this length, RATE/s in all. */
const TICK_MS = 50;
/** One client leaves and another joins this often. */
const CHURN_MS = 1_000;
/** A map keeps at most this many touchpoints and pain points the soak added; past it, it removes them. */
const MAX_ADDED = 15;
const WRITERS: UserKey[] = ['owner', 'editor', 'editor2', 'editor3', 'editor4'];

const gen = prng.create(SEED);

interface Member {
  client: CollabClient;
  mapId: string;
}

/** One steady-state edit: mostly overwrites; additions and removals in balance. */
function steadyEdit(doc: Y.Doc, origin: EditOrigin): void {
  const map = readMap(doc);
  const hub = getHubId(doc);
  const ids = Object.keys(map.touchpoints).filter((id) => id !== hub).sort();
  const added = ids.filter((id) => map.touchpoints[id]?.label.startsWith('soak '));
  const roll = prng.int32(gen, 0, 99);
  const id = ids.length > 0 ? prng.oneOf(gen, ids) : undefined;
  if (roll < 70 && id) {
    const field = prng.int32(gen, 0, 2);
    if (field === 0) updateTouchpoint(doc, id, { x: prng.int32(gen, 0, 2000), y: prng.int32(gen, 0, 1200) }, origin);
    else if (field === 1) updateTouchpoint(doc, id, { contactVolume: prng.int32(gen, 0, 5000) }, origin);
    else updateTouchpoint(doc, id, { label: `${added.includes(id) ? 'soak' : 'label'} ${prng.word(gen, 3, 10)}` }, origin);
  } else if (roll < 80) {
    if (added.length < MAX_ADDED) addTouchpoint(doc, { label: `soak ${prng.word(gen, 3, 8)}`, stageId: getStageIds(doc)[0] ?? null, x: prng.int32(gen, 0, 2000) }, origin);
    else deleteTouchpoint(doc, prng.oneOf(gen, added), origin);
  } else if (roll < 90 && id) {
    const pains = map.touchpoints[id]?.painPoints ?? [];
    if (pains.length < 3) addPainPoint(doc, id, { text: `pain ${prng.word(gen, 3, 12)}`, severity: prng.int32(gen, 1, 5), frequency: prng.int32(gen, 1, 5) }, origin);
    else removePainPoint(doc, id, prng.oneOf(gen, pains).id, origin);
  } else {
    const stages = getStageIds(doc);
    if (stages.length > 0) renameStage(doc, prng.oneOf(gen, stages), `Stage ${prng.word(gen, 3, 8)}`, origin);
  }
}

interface Sample {
  minute: number;
  rssMb: number;
  heapMb: number;
  docs: number;
  connections: number;
  lagP99Ms: number;
  lagMaxMs: number;
  edits: number;
  joins: number;
  leaves: number;
}

async function sample(server: TestServer, minute: number, counts: { edits: number; joins: number; leaves: number }): Promise<Sample> {
  const text = await server.metricsText();
  return {
    minute,
    rssMb: readMetric(text, 'journeyhub_process_resident_memory_bytes') / 2 ** 20,
    heapMb: readMetric(text, 'journeyhub_nodejs_heap_size_used_bytes') / 2 ** 20,
    docs: readMetric(text, 'journeyhub_docs_loaded'),
    connections: readMetric(text, 'journeyhub_connections'),
    lagP99Ms: readMetric(text, 'journeyhub_nodejs_eventloop_lag_p99_seconds') * 1000,
    lagMaxMs: readMetric(text, 'journeyhub_nodejs_eventloop_lag_max_seconds') * 1000,
    ...counts,
    edits: Math.round(counts.edits / (SAMPLE_MS / 1000)),
  };
}

const pad = (value: string | number, width: number): string => String(value).padStart(width);

function printSample(s: Sample): void {
  console.log(
    `${pad(s.minute, 6)} ${pad(s.rssMb.toFixed(1), 8)} ${pad(s.heapMb.toFixed(1), 8)} ${pad(s.docs, 5)} ${pad(s.connections, 6)} ${pad(s.lagP99Ms.toFixed(1), 10)} ${pad(s.lagMaxMs.toFixed(1), 10)} ${pad(s.edits, 7)} ${pad(s.joins, 6)} ${pad(s.leaves, 6)}`,
  );
}

/** Flat: from the warm-up minute to the last, memory within 25 % (+20 MB), documents within the maps, event-loop p99 at most doubled (+20 ms). */
function verdict(samples: Sample[]): string {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (!first || !last || samples.length < 2) return 'not enough minutes to judge (run at least 2)';
  const peakDocs = Math.max(...samples.map((s) => s.docs));
  const problems: string[] = [];
  if (last.rssMb > first.rssMb * 1.25 + 20) problems.push(`RSS grew from ${first.rssMb.toFixed(0)} to ${last.rssMb.toFixed(0)} MB`);
  if (last.heapMb > first.heapMb * 1.25 + 20) problems.push(`heap grew from ${first.heapMb.toFixed(0)} to ${last.heapMb.toFixed(0)} MB`);
  if (peakDocs > MAPS) problems.push(`${peakDocs} documents loaded for ${MAPS} maps`);
  if (last.lagP99Ms > Math.max(first.lagP99Ms * 2, first.lagP99Ms + 20)) problems.push(`event-loop p99 rose from ${first.lagP99Ms.toFixed(1)} to ${last.lagP99Ms.toFixed(1)} ms`);
  const figures = `RSS ${first.rssMb.toFixed(0)} → ${last.rssMb.toFixed(0)} MB, heap ${first.heapMb.toFixed(0)} → ${last.heapMb.toFixed(0)} MB, documents ≤ ${peakDocs} of ${MAPS}, event-loop p99 ${first.lagP99Ms.toFixed(1)} → ${last.lagP99Ms.toFixed(1)} ms`;
  return problems.length === 0 ? `flat: yes (${figures})` : `flat: NO — ${problems.join('; ')} (${figures})`;
}

async function main(): Promise<void> {
  // y-websocket's provider adds a process 'exit' listener per client.
  process.setMaxListeners(CLIENTS * 2 + 10);
  console.log(`soak: ${MINUTES} min at ${RATE} edits/s, ${CLIENTS} clients on ${MAPS} maps, one leaves and one joins every ${CHURN_MS / 1000} s (--seed ${SEED})`);
  const workspace = await seedWorkspace(Array.from({ length: MAPS }, () => 'demo' as const));
  // Rooms unload 5 s after their last client leaves, so that churn loads and unloads documents.
  const server = await TestServer.start({ web: false, dataDir: workspace.dataDir, env: { COLLAB_IDLE_MS: '5000', LOG_LEVEL: 'info' } });
  let exited = false;
  let stopping = false;
  void server.exited.then((exit) => {
    if (stopping) return;
    exited = true;
    console.error(`the server exited during the soak: ${JSON.stringify(exit)}\n${server.stderr.slice(-3000)}`);
  });

  const members: Member[] = [];
  const counts = { edits: 0, joins: 0, leaves: 0 };
  let refusals = 0;
  const join = (): void => {
    const mapId = prng.oneOf(gen, workspace.mapIds);
    const who = prng.oneOf(gen, WRITERS);
    const client = new CollabClient(server.collabUrl, mapRoom(mapId), USERS[who], tokenFor(who, mapId, { ttlSeconds: 24 * 3600 }));
    client.provider.on('connection-close', (event) => {
      if (event && event.code >= 4000) refusals += 1;
    });
    members.push({ client, mapId });
    counts.joins += 1;
  };
  for (let i = 0; i < CLIENTS; i++) join();

  // Edits are owed by the clock, not by the ticks: a late tick catches up (up to a second's worth;
  // beyond that the edits are skipped and counted), so the rate holds while the machine can.
  const started = performance.now();
  let skipped = 0;
  let sent = 0;
  const editTimer = setInterval(() => {
    const ready = members.filter((m) => m.client.provider.synced);
    if (ready.length === 0) return;
    const due = Math.floor(((performance.now() - started) / 1000) * RATE) - sent - skipped;
    const now = Math.min(due, RATE);
    skipped += due - now;
    sent += now;
    for (let i = 0; i < now; i++) {
      const member = prng.oneOf(gen, ready);
      steadyEdit(member.client.doc, member.client.origin);
      counts.edits += 1;
    }
  }, TICK_MS);
  const churnTimer = setInterval(() => {
    const leaving = members.splice(prng.int32(gen, 0, members.length - 1), 1)[0];
    if (leaving) {
      leaving.client.destroy();
      counts.leaves += 1;
    }
    // Now and then a whole map empties for a while, so that its document unloads.
    if (prng.int32(gen, 0, 9) === 0) {
      const emptied = prng.oneOf(gen, workspace.mapIds);
      for (const member of members.filter((m) => m.mapId === emptied)) {
        member.client.destroy();
        counts.leaves += 1;
      }
      members.splice(0, members.length, ...members.filter((m) => m.mapId !== emptied));
    }
    while (members.length < CLIENTS) join();
  }, CHURN_MS);

  console.log(`${pad('minute', 6)} ${pad('RSS MB', 8)} ${pad('heap MB', 8)} ${pad('docs', 5)} ${pad('conns', 6)} ${pad('lag p99 ms', 10)} ${pad('lag max ms', 10)} ${pad('edits/s', 7)} ${pad('joins', 6)} ${pad('leaves', 6)}`);
  const samples: Sample[] = [];
  // The first scrape only resets the event-loop histogram, so that minute 1 covers minute 1.
  await server.metricsText();
  for (let minute = 1; minute <= MINUTES && !exited; minute++) {
    await new Promise<void>((resolve) => setTimeout(resolve, SAMPLE_MS));
    if (exited) break;
    const s = await sample(server, minute, counts);
    counts.edits = 0;
    counts.joins = 0;
    counts.leaves = 0;
    samples.push(s);
    printSample(s);
  }

  clearInterval(editTimer);
  clearInterval(churnTimer);
  for (const member of members) member.client.destroy();
  stopping = true;
  if (skipped > 0) console.log(`this process could not keep up: ${skipped} edits skipped (${((skipped / (sent + skipped)) * 100).toFixed(1)} %)`);
  if (refusals > 0) console.log(`the server refused ${refusals} socket(s) with a 4xxx close code`);
  console.log(exited ? 'flat: NO — the server died' : verdict(samples));
  await stopAllServers();
  process.exit(exited ? 1 : 0);
}

void main();
