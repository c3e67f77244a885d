/**
 * Issue 12 §1, against the real app over raw HTTP and a real SQLite file:
 *
 * - Loading survives a bad stored update: it is set aside, KEPT in its own
 *   table (`doc_updates_set_aside`: room, seq, data, reason, set_aside_at) for
 *   an operator, removed from the live log so that no later load replays it,
 *   and counted in /api/metrics.
 * - One broken map never fails a list: a map whose stored state cannot be read
 *   at all (a snapshot that is not a Yjs update; a snapshot cut short, which
 *   throws while it is applied) is listed as damaged by `GET /api/maps`, the dashboard, a
 *   master's workshops (API and page); the annotations and versions of other
 *   maps and the inbox answer as before; its owner (only) restores a saved
 *   version, after which it opens normally.
 *
 * The broken rows are written straight into the store, as an older server or a
 * damaged disk would have left them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomName } from '../../lib/journey/rooms';
import { readMap } from '../../lib/journey/schema';
import type { MapSummary } from '../../server/services/maps';
import type { WorkshopSummary } from '../../server/services/workshops';
import { TestServer, readMetric, stopAllServers } from '../support/server';
import { CollabClient, destroyAllCollabClients } from '../support/collab-client';
import { Team, type Person } from '../support/people';
import { withServerDatabase } from './support/database';
import { poisonedUpdates } from './support/poisoned-updates';

let server: TestServer;
let olga: Person;
let eddie: Person;
let healthy: MapSummary;
let poisoned: MapSummary;
let broken: MapSummary;
let master: MapSummary;
let copy: MapSummary;
let versionId: string;
let poison: Uint8Array[];

interface SetAsideRow {
  room: string;
  seq: number;
  data: Buffer;
  reason: string;
  set_aside_at: number;
}

function setAsideRows(room: string): Promise<SetAsideRow[]> {
  return withServerDatabase(server.dataDir, (db) => db.all<SetAsideRow>('SELECT room, seq, data, reason, set_aside_at FROM doc_updates_set_aside WHERE room = ? ORDER BY seq', [room]));
}

async function breakSnapshot(room: string, state: Uint8Array): Promise<void> {
  const changed = await withServerDatabase(server.dataDir, (db) => db.run('UPDATE doc_snapshots SET state = ? WHERE room = ?', [state, room]));
  if (changed !== 1) throw new Error(`no snapshot row for ${room}`);
}

const seqsOf = (room: string): Promise<number[]> =>
  withServerDatabase(server.dataDir, async (db) => (await db.all<{ seq: number }>('SELECT seq FROM doc_updates WHERE room = ? ORDER BY seq', [room])).map((r) => r.seq));

async function metrics(): Promise<string> {
  const res = await fetch(`${server.url}/api/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

function listed(maps: MapSummary[], id: string): MapSummary {
  const found = maps.find((m) => m.id === id);
  if (!found) throw new Error(`map ${id} is not in the list: ${JSON.stringify(maps.map((m) => m.id))}`);
  return found;
}

beforeAll(async () => {
  server = await TestServer.start();
  const team = new Team(server);
  [olga, eddie] = await Promise.all([team.signUp('Olga'), team.signUp('Eddie')]);
  healthy = await olga.createMap('Healthy map', 'demo');
  poisoned = await olga.createMap('Poisoned log', 'demo');
  broken = await olga.createMap('Broken beyond reading', 'demo');
  master = await olga.createMap('Master map', 'demo');
  for (const map of [healthy, broken, master]) await olga.invite(map.id, eddie.email, 'editor');
  const saved = await olga.api.post<{ id: string }>(`/api/maps/${broken.id}/versions`, { name: 'Before the break' });
  expect(saved.status).toBe(201);
  versionId = saved.body.id;
  expect((await olga.api.post(`/api/maps/${master.id}/master`, { master: true })).status).toBe(200);
  const started = await olga.api.post<MapSummary>(`/api/maps/${master.id}/workshops`, { title: 'Workshop copy, broken' });
  expect(started.status).toBe(201);
  copy = started.body;

  // Nobody has opened these rooms: what the store holds is all there is.
  poison = poisonedUpdates('poison');
  await withServerDatabase(server.dataDir, async (db) => {
    for (const update of poison) await db.run('INSERT INTO doc_updates (room, data, created_at) VALUES (?, ?, ?)', [roomName(poisoned.id, 'map'), update, Date.now()]);
  });
  // Not a Yjs update at all.
  await breakSnapshot(roomName(broken.id, 'map'), Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x07, 0x01]));
  // A Yjs update cut short: it starts well and throws while it is applied.
  const whole = (await withServerDatabase(server.dataDir, (db) => db.get<{ state: Buffer }>('SELECT state FROM doc_snapshots WHERE room = ?', [roomName(copy.id, 'map')])))?.state;
  if (!whole) throw new Error('the copy has no snapshot');
  await breakSnapshot(roomName(copy.id, 'map'), new Uint8Array(whole.subarray(0, Math.floor(whole.byteLength / 2))));
});

afterAll(async () => {
  destroyAllCollabClients();
  await stopAllServers();
});

describe('Loading survives a bad stored update: set aside, kept, counted', () => {
  it('the update that throws moves to doc_updates_set_aside (room, seq, data, reason, time) and leaves the live log', async () => {
    const room = roomName(poisoned.id, 'map');
    const seqs = await seqsOf(room);
    expect(seqs).toHaveLength(poison.length);
    const annotations = await olga.api.get(`/api/maps/${poisoned.id}/annotations`);
    expect(annotations.status).toBe(200);

    const kept = await setAsideRows(room);
    expect(kept).toHaveLength(1);
    const [row] = kept;
    expect(row?.seq).toBe(seqs.at(-1));
    expect(Buffer.compare(row?.data ?? Buffer.alloc(0), Buffer.from(poison.at(-1) ?? []))).toBe(0);
    expect(row?.reason).toMatch(/\w{3,}/);
    expect(row?.set_aside_at).toBeGreaterThan(Date.now() - 60_000);
    const live = await seqsOf(room);
    expect(live).not.toContain(row?.seq);
  });

  it('/api/metrics counts what was set aside and what is kept; a later load replays nothing more', async () => {
    const before = await metrics();
    expect(readMetric(before, 'journeyhub_stored_updates_set_aside_total')).toBe(1);
    expect(readMetric(before, 'journeyhub_stored_updates_kept_aside')).toBe(1);
    // The room opens over the websocket, and the API reads the map again: nothing is set aside a second time.
    const client = await olga.open(roomName(poisoned.id, 'map'));
    expect(readMap(client.doc).meta.title).toBe('Poisoned log');
    expect((await olga.api.get(`/api/maps/${poisoned.id}/annotations`)).status).toBe(200);
    const after = await metrics();
    expect(readMetric(after, 'journeyhub_stored_updates_set_aside_total')).toBe(1);
    expect(readMetric(after, 'journeyhub_stored_updates_kept_aside')).toBe(1);
    expect(await setAsideRows(roomName(poisoned.id, 'map'))).toHaveLength(1);
    expect(server.logs.filter((l) => l.msg === 'set aside a stored update that cannot be applied')).toHaveLength(1);
  });
});

describe('One broken map never fails a list', () => {
  it('GET /api/maps answers 200 for the owner and for an editor, with the broken map marked damaged and the others as before', async () => {
    for (const person of [olga, eddie]) {
      const list = await person.api.get<{ maps: MapSummary[] }>('/api/maps');
      expect(list.status, list.text).toBe(200);
      const damaged = listed(list.body.maps, broken.id);
      expect(damaged).toMatchObject({ title: 'Broken beyond reading', damaged: true, summary: null });
      expect(damaged.damagedMessage).toMatch(person === olga ? /restore a saved version/i : /owner can restore/i);
      expect(listed(list.body.maps, healthy.id)).toMatchObject({ damaged: false, damagedMessage: null });
      expect(listed(list.body.maps, healthy.id).summary?.failureDemand).toBeGreaterThan(0);
    }
    const one = await eddie.api.get<MapSummary>(`/api/maps/${broken.id}`);
    expect(one.status).toBe(200);
    expect(one.body.damaged).toBe(true);
  });

  it('the dashboard page answers 200 and shows the damaged badge and what to do', async () => {
    const page = await olga.session.get('/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Broken beyond reading');
    expect(page.text).toContain('Healthy map');
    expect(page.text).toContain(`data-testid="damaged-${broken.id}"`);
    expect(page.text).toMatch(/Restore a saved version/);
    const theirs = await eddie.session.get('/');
    expect(theirs.status).toBe(200);
    expect(theirs.text).toContain(`data-testid="damaged-${broken.id}"`);
  });

  it("a master's workshops (API and page) list the broken copy as damaged", async () => {
    const list = await olga.api.get<{ workshops: WorkshopSummary[] }>(`/api/maps/${master.id}/workshops`);
    expect(list.status, list.text).toBe(200);
    const entry = list.body.workshops.find((w) => w.id === copy.id);
    expect(entry).toMatchObject({ title: 'Workshop copy, broken', damaged: true, copyChanges: null });
    const page = await eddie.session.get(`/maps/${master.id}/workshops`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`data-testid="damaged-${copy.id}"`);
    const copyPage = await olga.session.get(`/maps/${copy.id}/workshops`);
    expect(copyPage.status).toBe(200);
  });

  it('the annotations and versions of other maps, and the inbox, answer as before', async () => {
    for (const person of [olga, eddie]) {
      expect((await person.api.get(`/api/maps/${healthy.id}/annotations`)).status).toBe(200);
      expect((await person.api.get(`/api/maps/${healthy.id}/versions`)).status).toBe(200);
      expect((await person.api.get(`/api/maps/${master.id}/annotations`)).status).toBe(200);
      expect((await person.api.get('/api/notifications')).status).toBe(200);
      expect((await person.session.get('/inbox')).status).toBe(200);
    }
    expect((await eddie.api.post(`/api/maps/${healthy.id}/versions`, { name: 'Still fine' })).status).toBe(201);
    expect((await olga.api.get(`/api/maps/${broken.id}/versions`)).status).toBe(200);
  });

  it('what needs the broken map itself answers 409 with a sentence, never 500; its pages answer 200', async () => {
    for (const url of [`/api/maps/${broken.id}/annotations`, `/api/maps/${copy.id}/diff`]) {
      const answer = await olga.api.get(url);
      expect(answer.status, `${url}: ${answer.text}`).toBe(409);
      expect(answer.body.error).toMatch(/damaged.*restore/i);
    }
    // (The copy's room is still in memory since its start, from before the break: it would open. The broken map's never was.)
    const { token } = await olga.collabToken(broken.id);
    // On the process whose log is read.
    const client = CollabClient.connect(server.ownCollabUrl, roomName(broken.id, 'map'), token);
    const refusal = await server.waitForLog((l) => l.msg === 'socket refused' && l.room === roomName(broken.id, 'map'));
    client.destroy();
    expect(refusal).toMatchObject({ code: 1011, reason: 'this map is damaged; its owner can restore a saved version' });
    // The operator reading the log is sent to the TypeScript line, not to the compiled bundle (Next loaded, as in npm start).
    const logged = server.logs.find((l) => l.msg === 'could not load the document' && l.room === roomName(broken.id, 'map'));
    const stack = String((logged?.err as { stack?: unknown } | undefined)?.stack);
    expect(stack).toMatch(/at RoomRegistry\.read \(\/\S+\/server\/collab\/room-registry\.ts:\d+:\d+\)/);
    expect(stack).not.toMatch(/dist\/server\//);
    for (const url of [`/maps/${broken.id}`, `/maps/${broken.id}/report`, `/maps/${broken.id}/history`, `/maps/${broken.id}/history/${versionId}`]) {
      const page = await olga.session.get(url);
      expect(page.status, url).toBe(200);
      expect(page.text, url).toMatch(/damaged/i);
    }
  });

  it('only the owner restores a version of a damaged map; then it opens and lists normally, and the broken state is kept aside', async () => {
    const refused = await eddie.api.post(`/api/maps/${broken.id}/versions/${versionId}/restore`);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatch(/owner/i);
    expect((await eddie.session.get('/')).text).not.toMatch(/Restore a saved version/);

    const restored = await olga.api.post<{ repaired: string[] }>(`/api/maps/${broken.id}/versions/${versionId}/restore`);
    expect(restored.status, restored.text).toBe(200);
    expect(restored.body.repaired).toEqual(['map']);
    const one = await olga.api.get<MapSummary>(`/api/maps/${broken.id}`);
    expect(one.body).toMatchObject({ damaged: false, damagedMessage: null });
    expect(one.body.summary?.failureDemand).toBeGreaterThan(0);
    expect((await olga.api.get(`/api/maps/${broken.id}/annotations`)).status).toBe(200);
    const kept = await setAsideRows(roomName(broken.id, 'map'));
    expect(kept.map((r) => Array.from(r.data))).toContainEqual([0xff, 0xff, 0xff, 0xff, 0x0f, 0x07, 0x01]);

    const client = await eddie.open(roomName(broken.id, 'map'));
    const map = readMap(client.doc);
    expect(map.meta.title).toBe('Broken beyond reading');
    expect(Object.keys(map.touchpoints).length).toBeGreaterThan(1);
    expect((await olga.session.get('/')).text).not.toContain(`data-testid="damaged-${broken.id}"`);

    const copyRefused = await eddie.api.get<{ workshops: WorkshopSummary[] }>(`/api/maps/${master.id}/workshops`);
    expect(copyRefused.body.workshops.find((w) => w.id === copy.id)?.damaged).toBe(true);
  });
});
