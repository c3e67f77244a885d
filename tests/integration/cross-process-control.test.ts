/**
 * Issue 14 §3: role changes, removals, sign-outs, deletions and restores
 * reach the sockets of every process at once. Two real server processes on
 * one PostgreSQL schema and one Redis prefix of their own; process one
 * serves the HTTP API (and the web app), process two the websocket the
 * clients are on. COLLAB_ROLE_REFRESH_MS is an hour, so that only the control
 * channel (server/collab/control.ts) can explain a socket of process two
 * closing after a change made through process one or the CLI.
 *
 * Rules checked (DESIGN.md, "Websocket protocol"; issue 14 §3):
 * - CTL-1 a downgrade closes the member's sockets everywhere with RoleChanged; the reconnect has the new role;
 * - CTL-2 a removal closes them with 4403, a deleted map with 4404, "sign out everywhere" with 4401;
 * - CTL-3 a repair from a version replaces the room everywhere: sockets reconnect to the restored state,
 *   and no process keeps (or compacts) the state it held;
 * - CTL-4 the CLI's `member remove` and `user signout` with REDIS_URL reach a running process's sockets;
 *   a Redis that is down does not fail a CLI command that succeeded in the store;
 * - CTL-5 a hostile frame on the control channel changes nothing, and the process keeps serving.
 */
import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../lib/collab/close-codes';
import { roomName } from '../../lib/journey/rooms';
import { readMap, setPersona, updateTouchpoint } from '../../lib/journey/schema';
import { openPostgres } from '../../server/db/postgres';
import { CONTROL_CHANNEL, MAX_CONTROL_BYTES } from '../../server/fanout/control-message';
import { encodeFrame, SENDER_ID_BYTES } from '../../server/fanout/fanout-frame';
import { PgDocStore } from '../../server/store/pg-doc-store';
import type { MapSummary } from '../../server/services/maps';
import { applyStoredDoc } from '../../server/store/apply-stored';
import { cliOk, runCli } from '../support/cli';
import { CollabClient, destroyAllCollabClients } from '../support/collab-client';
import { Team, type Person } from '../support/people';
import { TEST_REDIS_URL, announceRedisSkip, redisSkipReason, uniquePrefix } from '../support/redis';
import { TestServer, stopAllServers } from '../support/server';
import { waitFor } from '../support/wait';
import { announceSkips, postgresSkipReason, freshSchema } from './store-contract/engines';

announceRedisSkip('cross-process control');
announceSkips('cross-process control');
const skip = redisSkipReason ?? postgresSkipReason;

/** Far longer than any test here: a close on process two can only come from the control channel. */
const ROLE_REFRESH_MS = '3600000';
/** Generous: a control message takes milliseconds; the deadline only keeps a broken run from hanging. */
const AT_ONCE = { timeout: 5_000 };

let one: TestServer;
let two: TestServer;
let pgUrl: string;
let dropSchema: (() => Promise<void>) | null = null;
let redisPrefix: string;
let shared: Record<string, string>;
let team: Team;
let olga: Person;
let eddie: Person;
let cora: Person;

beforeAll(async () => {
  if (skip) return;
  const schema = await freshSchema();
  pgUrl = schema.url;
  dropSchema = schema.drop;
  redisPrefix = uniquePrefix('control');
  // No look at the store either (COLLAB_CATCH_UP_POLL_MS=0): what the CLI writes must come by its message.
  shared = { DATABASE_URL: pgUrl, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: redisPrefix, COLLAB_ROLE_REFRESH_MS: ROLE_REFRESH_MS, COLLAB_CATCH_UP_POLL_MS: '0' };
  // Process two keeps rooms in memory for the server's default 30 s (the restore must make it let go),
  // and compacts after every stored update: a room it held on to would be folded over a restored state at once.
  [one, two] = await Promise.all([TestServer.start({ env: shared }), TestServer.start({ web: false, env: { ...shared, COLLAB_COMPACT_AFTER_UPDATES: '1' } })]);
  team = new Team(one);
  [olga, eddie, cora] = await Promise.all([team.signUp('Olga'), team.signUp('Eddie'), team.signUp('Cora')]);
}, 120_000);

afterAll(async () => {
  destroyAllCollabClients();
  await stopAllServers();
  await dropSchema?.();
});

/** The person's socket on process two, with a token from process one (both share AUTH_SECRET and the store). */
async function openOnTwo(person: Person, room: string): Promise<CollabClient> {
  const { token } = await person.collabToken(room.split('.', 1)[0] ?? room);
  return CollabClient.open(two.collabUrl, room, token, undefined, { id: person.email, name: person.name });
}

/** A map of Olga's with the person as a member, opened by them on process two. */
async function memberOnTwo(title: string, person: Person, role: 'editor' | 'commenter' | 'viewer'): Promise<{ map: MapSummary; client: CollabClient }> {
  const map = await olga.createMap(title, 'demo');
  await olga.invite(map.id, person.email, role);
  return { map, client: await openOnTwo(person, roomName(map.id, 'map')) };
}

/** What a controlled process logged when it refused something on the control channel. */
const refusals = (server: TestServer): number => server.logs.filter((line) => line.msg === 'refused a control message').length;

describe.skipIf(skip !== null)('changes made through process one reach sockets on process two at once', () => {
  it('CTL-1 a downgrade closes the socket on process two with RoleChanged; the reconnect is a viewer and her write is refused', async () => {
    const { map, client } = await memberOnTwo('Downgraded elsewhere', eddie, 'editor');
    const close = client.nextClose(AT_ONCE);
    await olga.setRole(map.id, eddie.email, 'viewer');
    expect(await close).toEqual({ code: CloseCode.RoleChanged, reason: 'your role on this map changed; reconnect' });
    await client.whenSynced();
    setPersona(client.doc, 'Written by a viewer', client.origin);
    expect(await client.closed(AT_ONCE)).toEqual({ code: CloseCode.Forbidden, reason: 'a viewer may not change the map' });
  });

  it('CTL-2 a removal closes the socket on process two with 4403', async () => {
    const { map, client } = await memberOnTwo('Removed elsewhere', eddie, 'commenter');
    await olga.remove(map.id, eddie.email);
    expect(await client.closed(AT_ONCE)).toEqual({ code: CloseCode.Forbidden, reason: 'you are no longer a member of this map' });
  });

  it('CTL-2 a deleted map closes every socket on it on process two with 4404', async () => {
    const { map, client } = await memberOnTwo('Deleted elsewhere', eddie, 'editor');
    const discussion = await openOnTwo(olga, roomName(map.id, 'discussion'));
    expect((await olga.api.delete(`/api/maps/${map.id}`)).status).toBe(204);
    for (const socket of [client, discussion]) expect(await socket.closed(AT_ONCE)).toEqual({ code: CloseCode.NotFound, reason: 'this map was deleted' });
  });

  it('CTL-2 "sign out everywhere" closes the person\'s sockets on process two with 4401, and nobody else\'s', async () => {
    const { map, client } = await memberOnTwo('Signed out elsewhere', cora, 'editor');
    const other = await openOnTwo(olga, roomName(map.id, 'map'));
    expect((await cora.session.delete('/api/account/sessions')).status).toBe(204);
    expect(await client.closed(AT_ONCE)).toEqual({ code: CloseCode.Unauthorized, reason: 'you were signed out; sign in again' });
    // Olga's socket on the same map and process still carries edits.
    setPersona(other.doc, 'Still here', other.origin);
    const reader = await openOnTwo(olga, roomName(map.id, 'map'));
    await reader.until((doc) => readMap(doc).meta.persona === 'Still here');
    expect(other.closes).toEqual([]);
  });
});

/**
 * CTL-3: a map that process two holds, with an edit made after a saved version, becomes
 * unreadable in the store; `restore` repairs it from the version elsewhere. Process two's
 * clients reconnect to the restored state, and what process two stores later holds nothing
 * of the state it had in memory.
 */
async function repairedWhileProcessTwoHoldsIt(title: string, restore: (mapId: string, versionId: string) => Promise<void>): Promise<void> {
  const map = await olga.createMap(title, 'demo');
  await olga.invite(map.id, eddie.email, 'viewer');
  const room = roomName(map.id, 'map');
  const saved = await olga.api.post<{ id: string }>(`/api/maps/${map.id}/versions`, { name: 'Before the break' });
  expect(saved.status, saved.text).toBe(201);
  const original = (doc: Y.Doc) => readMap(doc).touchpoints['tp-first-bill']?.label;

  // Process two holds the room, with an edit made after the version.
  const writer = await openOnTwo(olga, room);
  const watcher = await openOnTwo(eddie, room);
  const before = original(watcher.doc);
  updateTouchpoint(writer.doc, 'tp-first-bill', { label: 'Edited after the version' }, writer.origin);
  await watcher.until((doc) => original(doc) === 'Edited after the version');
  // Stored before it was sent, and compacted into the snapshot (the log empties). Then the stored state cannot be read (a damaged disk).
  const pool = await openPostgres(pgUrl);
  try {
    const logged = async () => (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM doc_updates WHERE room = $1', [room])).rows[0]?.n;
    await waitFor(async () => (await logged()) === 0, { message: 'process two to compact the edit into the snapshot' });
    const broken = await pool.query('UPDATE doc_snapshots SET state = $1 WHERE room = $2', [Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x07, 0x01]), room]);
    expect(broken.rowCount).toBe(1);
  } finally {
    await pool.end();
  }

  // A browser reloads the restored map; a stock client would send back what it held (its old state) on reconnect.
  for (const client of [writer, watcher]) client.provider.on('connection-close', () => (client.provider.shouldConnect = false));
  const closes = [writer.nextClose(AT_ONCE), watcher.nextClose(AT_ONCE)];
  await restore(map.id, saved.body.id);
  for (const close of await Promise.all(closes)) expect(close).toEqual({ code: CloseCode.RoleChanged, reason: 'this map was restored from a version; reconnect' });

  const back = await openOnTwo(eddie, room);
  expect(original(back.doc)).toBe(before);
  // Process two writes on the restored state, and what is stored is the version plus that write: nothing of the old state.
  const owner = await openOnTwo(olga, room);
  setPersona(owner.doc, 'Written after the repair', owner.origin);
  await back.until((doc) => readMap(doc).meta.persona === 'Written after the repair');
  const storedPool = await openPostgres(pgUrl);
  try {
    const stored = await new PgDocStore(storedPool, { ownsPool: false }).load(room);
    const doc = new Y.Doc();
    applyStoredDoc(doc, stored);
    expect(original(doc)).toBe(before);
    expect(readMap(doc).meta.persona).toBe('Written after the repair');
  } finally {
    await storedPool.end();
  }
}

describe.skipIf(skip !== null)('a repair from a version replaces the room on every process', () => {
  it('CTL-3 repaired through process one: clients on process two reconnect to the restored state; process two keeps nothing of what it held', async () => {
    await repairedWhileProcessTwoHoldsIt('Repaired elsewhere', async (mapId, versionId) => {
      const restored = await olga.api.post<{ repaired: string[] }>(`/api/maps/${mapId}/versions/${versionId}/restore`);
      expect(restored.status, restored.text).toBe(200);
      expect(restored.body.repaired).toEqual(['map']);
    });
  });

  it('CTL-3, CTL-4 repaired by the CLI\'s `version restore`: the same', async () => {
    await repairedWhileProcessTwoHoldsIt('Repaired by an operator', async (mapId, versionId) => {
      const restored = cliOk(await runCli(one.dataDir, ['version', 'restore', '--map', mapId, '--id', versionId, '--email', olga.email, '--json'], shared));
      expect(restored.repaired).toEqual(['map']);
    });
  });
});

describe.skipIf(skip !== null)('the CLI with REDIS_URL tells the running processes', () => {
  it('CTL-4 `member remove` closes the member\'s socket on a running process with 4403', async () => {
    const { map, client } = await memberOnTwo('Removed by an operator', eddie, 'editor');
    cliOk(await runCli(one.dataDir, ['member', 'remove', '--map', map.id, '--email', eddie.email, '--json'], shared));
    const exited = Date.now();
    expect(await client.closed(AT_ONCE)).toEqual({ code: CloseCode.Forbidden, reason: 'you are no longer a member of this map' });
    console.info(`[cross-process control] member remove: socket on process two closed ${Date.now() - exited} ms after the CLI exited`);
  });

  it('CTL-4 a version the CLI restores reaches the open canvas on a running process at once, by its stored update', async () => {
    const { map, client } = await memberOnTwo('Restored by an operator', eddie, 'editor');
    const [id, touchpoint] = Object.entries(readMap(client.doc).touchpoints)[0] ?? [];
    if (!id || !touchpoint) throw new Error('the demo map has touchpoints');
    const saved = cliOk(await runCli(one.dataDir, ['version', 'save', '--map', map.id, '--email', olga.email, '--name', 'before', '--json'], shared));
    updateTouchpoint(client.doc, id, { label: 'Changed after the version' }, client.origin);
    // Stored before the CLI reads the map: a second socket sees it come back from the server.
    const watcher = await openOnTwo(olga, roomName(map.id, 'map'));
    await watcher.until((doc) => readMap(doc).touchpoints[id]?.label === 'Changed after the version');
    const restored = cliOk(await runCli(one.dataDir, ['version', 'restore', '--map', map.id, '--id', String(saved.id), '--email', olga.email, '--json'], shared));
    expect(restored.changes).toBeGreaterThan(0);
    const exited = Date.now();
    await client.until((doc) => readMap(doc).touchpoints[id]?.label === touchpoint.label, AT_ONCE);
    console.info(`[cross-process control] version restore: on the canvas at process two ${Date.now() - exited} ms after the CLI exited`);
  });

  it('CTL-4 `user signout` closes the person\'s socket on a running process with 4401', async () => {
    const person = await team.signUp('Sigrid');
    const { client } = await memberOnTwo('Signed out by an operator', person, 'commenter');
    cliOk(await runCli(one.dataDir, ['user', 'signout', '--email', person.email, '--json'], shared));
    const exited = Date.now();
    expect(await client.closed(AT_ONCE)).toEqual({ code: CloseCode.Unauthorized, reason: 'you were signed out; sign in again' });
    console.info(`[cross-process control] user signout: socket on process two closed ${Date.now() - exited} ms after the CLI exited`);
  });

  it('CTL-4 a Redis that is down: the command that succeeded in the store exits 0 and says on stderr that running processes were not told', async () => {
    const map = await olga.createMap('Operator without Redis');
    await olga.invite(map.id, eddie.email, 'viewer');
    const result = await runCli(one.dataDir, ['member', 'remove', '--map', map.id, '--email', eddie.email, '--json'], { ...shared, REDIS_URL: 'redis://:hunter2@127.0.0.1:1' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.json).toMatchObject({ email: eddie.email });
    expect(result.stderr).toMatch(/^Warning: .*running processes/);
    expect(result.stderr).not.toContain('hunter2');
    expect((await olga.members(map.id)).members.map((m) => m.email)).not.toContain(eddie.email);
  });
});

describe.skipIf(skip !== null)('a hostile control frame', () => {
  it('CTL-5 bad JSON, a wrong schema, a huge message, a wrong kind, no frame at all: nothing changes, each is logged, the process serves on', async () => {
    const { map, client } = await memberOnTwo('Under attack', eddie, 'editor');
    const channel = `${redisPrefix}room:${CONTROL_CHANNEL}`;
    const sender = crypto.randomBytes(SENDER_ID_BYTES);
    const control = (text: string) => encodeFrame({ kind: 'control', sender, payload: new TextEncoder().encode(text) });
    const frames: Buffer[] = [
      control('{"type":"map-deleted","mapId":'),
      control(JSON.stringify({ type: 'map-deleted', mapId: map.id, extra: true })),
      control(JSON.stringify({ type: 'role', mapId: map.id, userId: 'x', role: 'emperor' })),
      control(JSON.stringify({ type: 'map-deleted', mapId: '../etc' })),
      control(JSON.stringify({ type: 'room-replaced', room: CONTROL_CHANNEL })),
      control(JSON.stringify({ type: 'map-deleted', mapId: map.id, pad: 'x'.repeat(MAX_CONTROL_BYTES) })),
      control(JSON.stringify({ type: 'map-deleted', mapId: map.id, pad: 'x'.repeat(4 * 1024 * 1024) })),
      encodeFrame({ kind: 'doc', sender, payload: new TextEncoder().encode(JSON.stringify({ type: 'map-deleted', mapId: map.id })) }),
      encodeFrame({ kind: 'control', sender, payload: Uint8Array.of(0xc3, 0x28) }),
    ];
    const hostile = frames.length;
    const before = refusals(two);
    const redis = new Redis(TEST_REDIS_URL);
    try {
      for (const frame of frames) await redis.publish(channel, frame);
      // No frame at all, and a control message on a room's channel (never read as presence or an edit).
      await redis.publish(channel, Buffer.from('not a frame'));
      await redis.publish(`${redisPrefix}room:${roomName(map.id, 'map')}`, control(JSON.stringify({ type: 'map-deleted', mapId: map.id })));
    } finally {
      redis.disconnect();
    }
    await two.waitForLog(() => refusals(two) - before >= hostile);
    await two.waitForLog((line) => line.msg === 'Redis fan-out' && JSON.stringify(line).includes('refused a fan-out frame'));
    // Serving on: an edit from process one reaches Eddie's socket on process two, which never closed.
    const fromOne = await olga.open(roomName(map.id, 'map'));
    updateTouchpoint(fromOne.doc, 'tp-ivr', { label: 'After the attack' }, fromOne.origin);
    await client.until((doc) => readMap(doc).touchpoints['tp-ivr']?.label === 'After the attack');
    expect(client.closes).toEqual([]);
    expect((await two.health()).ok).toBe(true);
    // A real message after the hostile ones is still acted on.
    await olga.remove(map.id, eddie.email);
    expect(await client.closed(AT_ONCE)).toEqual({ code: CloseCode.Forbidden, reason: 'you are no longer a member of this map' });
  });
});
