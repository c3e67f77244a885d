/**
 * Issue 14 §3: every published update carries its seq in the store and the
 * seq before it in its room; a process that misses one (Redis lost it, its
 * link was cut, it was loading the room) reads what it lacks from the store
 * before it applies anything newer, and a document update that the store did
 * not number (a sync reply relayed as an edit: Hocuspocus #1151) is never
 * applied. A writer that publishes nothing (the CLI) still reaches a running
 * process's clients through the store.
 */
import { Redis } from 'ioredis';
import crypto from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readMap, updateTouchpoint } from '../../lib/journey/schema';
import { encodeFrame, SENDER_ID_BYTES } from '../../server/fanout/fanout-frame';
import { cliOk, runCli } from '../support/cli';
import type { CollabClient } from '../support/collab-client';
import { TEST_REDIS_URL, announceRedisSkip, redisSkipReason } from '../support/redis';
import { TestServer, stopAllServers } from '../support/server';
import { announceSkips, postgresSkipReason } from './store-contract/engines';
import { dropPostgresWorkspaces, seedPostgresWorkspace } from './support/postgres-workspace';
import { destroyAllClients, joinSynced, mapRoom } from './support/clients';
import { USERS, seedWorkspace } from './support/workspace';

announceRedisSkip('catch-up between processes');
announceSkips('catch-up between processes');
const skipTwoProcesses = redisSkipReason ?? postgresSkipReason;

afterAll(async () => {
  destroyAllClients();
  await stopAllServers();
  await dropPostgresWorkspaces();
});

const seedPostgres = seedPostgresWorkspace;

const prefix = () => `jh-test-${crypto.randomBytes(4).toString('hex')}:`;
const label = (client: CollabClient, id = 'tp-first-bill') => readMap(client.doc).touchpoints[id]?.label;
const state = (client: CollabClient) => JSON.stringify(readMap(client.doc));

describe.skipIf(skipTwoProcesses !== null)('two processes on one PostgreSQL and Redis', () => {
  it('that never hear each other (their Redis prefixes differ) still converge: each reads what it lacks from the store', async () => {
    const { url, mapId } = await seedPostgres();
    const [one, two] = await Promise.all([
      TestServer.start({ web: false, env: { DATABASE_URL: url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix() } }),
      TestServer.start({ web: false, env: { DATABASE_URL: url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix() } }),
    ]);
    const onOne = await joinSynced(one, mapRoom(mapId), 'editor', mapId);
    const onTwo = await joinSynced(two, mapRoom(mapId), 'owner', mapId);

    // Only one side writes: process two learns of it from the store alone.
    updateTouchpoint(onOne.doc, 'tp-first-bill', { label: 'Written on one' }, onOne.origin);
    await onTwo.until((doc) => readMap(doc).touchpoints['tp-first-bill']?.label === 'Written on one', undefined, 8_000);

    // Both write at once: each process's next append names the other's update before it (a gap), and it catches up.
    for (let i = 0; i < 20; i++) {
      updateTouchpoint(onOne.doc, 'tp-first-bill', { label: `one ${i}` }, onOne.origin);
      updateTouchpoint(onTwo.doc, 'tp-ivr', { label: `two ${i}` }, onTwo.origin);
    }
    await onTwo.until((doc) => readMap(doc).touchpoints['tp-first-bill']?.label === 'one 19', undefined, 8_000);
    await onOne.until((doc) => readMap(doc).touchpoints['tp-ivr']?.label === 'two 19', undefined, 8_000);
    expect(state(onOne)).toBe(state(onTwo));
    expect(await two.metric('journeyhub_catch_ups_total', { reason: 'gap' }) + (await two.metric('journeyhub_catch_ups_total', { reason: 'poll' }))).toBeGreaterThan(0);
  });

  it('a listening link cut while the other process writes: what was published meanwhile reaches the cut process, in order', async () => {
    const { url, mapId } = await seedPostgres();
    const env = { DATABASE_URL: url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix(), COLLAB_CATCH_UP_POLL_MS: '0' };
    const [one, two] = await Promise.all([TestServer.start({ web: false, env }), TestServer.start({ web: false, env })]);
    const writer = await joinSynced(one, mapRoom(mapId), 'editor', mapId);
    const reader = await joinSynced(two, mapRoom(mapId), 'viewer', mapId);

    const admin = new Redis(TEST_REDIS_URL);
    try {
      const name = `journeyhub-fanout-sub-${two.child.pid}`;
      const listed = String(await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub'));
      const id = listed.split('\n').find((line) => line.includes(` name=${name} `))?.match(/^id=(\d+) /)?.[1];
      expect(id, `a connection named ${name}`).toBeDefined();
      expect(await admin.client('KILL', 'ID', id ?? '')).toBe(1);
    } finally {
      admin.disconnect();
    }
    // Written while process two hears nothing: one label after another, each depending on the one before.
    for (let i = 0; i < 40; i++) {
      updateTouchpoint(writer.doc, 'tp-first-bill', { label: `during the cut ${i}` }, writer.origin);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await two.waitForLog((line) => line.msg.startsWith('the Redis link dropped and is back'));
    await reader.until((doc) => readMap(doc).touchpoints['tp-first-bill']?.label === 'during the cut 39', undefined, 8_000);
    expect(await two.metric('journeyhub_catch_ups_total', { reason: 'reconnect' })).toBeGreaterThan(0);
    expect(state(reader)).toBe(state(writer));
  });

  it('a room loaded on one process while another writes a burst: every client of it ends with the writer’s state', async () => {
    const { url, mapId } = await seedPostgres();
    const env = { DATABASE_URL: url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix(), COLLAB_CATCH_UP_POLL_MS: '0' };
    const [one, two] = await Promise.all([TestServer.start({ web: false, env }), TestServer.start({ web: false, env })]);
    const writer = await joinSynced(one, mapRoom(mapId), 'editor', mapId);
    const joiners: Array<Promise<CollabClient>> = [];
    for (let i = 0; i < 200; i++) {
      updateTouchpoint(writer.doc, 'tp-first-bill', { label: `burst ${i}` }, writer.origin);
      // Clients of process two join mid-burst: the first loads the room there while the writes go on.
      if (i % 50 === 10) joiners.push(joinSynced(two, mapRoom(mapId), 'viewer', mapId));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const readers = await Promise.all(joiners);
    for (const reader of readers) await reader.until((doc) => readMap(doc).touchpoints['tp-first-bill']?.label === 'burst 199', undefined, 8_000);
    for (const reader of readers) expect(state(reader)).toBe(state(writer));
  });

  it('a document update published on Redis without the store’s seqs (a relayed sync reply) is never applied', async () => {
    const { url, mapId } = await seedPostgres();
    const channelPrefix = prefix();
    const env = { DATABASE_URL: url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: channelPrefix };
    const [one, two] = await Promise.all([TestServer.start({ web: false, env }), TestServer.start({ web: false, env })]);
    const writer = await joinSynced(one, mapRoom(mapId), 'editor', mapId);
    const reader = await joinSynced(two, mapRoom(mapId), 'viewer', mapId);

    // An update no client sent through the pipeline, as a stale replica's sync reply would carry it.
    const stale = new Y.Doc();
    Y.applyUpdate(stale, Y.encodeStateAsUpdate(writer.doc));
    const before = Y.encodeStateVector(stale);
    updateTouchpoint(stale, 'tp-first-bill', { label: 'HACKED' }, writer.origin);
    const forged = Y.encodeStateAsUpdate(stale, before);
    const publisher = new Redis(TEST_REDIS_URL);
    try {
      const frame = encodeFrame({ kind: 'doc', sender: crypto.randomBytes(SENDER_ID_BYTES), payload: forged });
      expect(await publisher.publish(`${channelPrefix}room:${mapRoom(mapId)}`, frame)).toBe(2);
      // Its seqs backwards: no stored update either.
      const backwards = encodeFrame({ kind: 'doc', sender: crypto.randomBytes(SENDER_ID_BYTES), seq: 3, prevSeq: 9, payload: forged });
      expect(await publisher.publish(`${channelPrefix}room:${mapRoom(mapId)}`, backwards)).toBe(2);
    } finally {
      publisher.disconnect();
    }
    updateTouchpoint(writer.doc, 'tp-ivr', { label: 'A real edit after it' }, writer.origin);
    await reader.until((doc) => readMap(doc).touchpoints['tp-ivr']?.label === 'A real edit after it');
    expect(label(reader)).not.toBe('HACKED');
    expect(label(writer)).not.toBe('HACKED');
    expect(await two.metric('journeyhub_fanout_refused_total', { reason: 'unsequenced' })).toBe(2);
    expect(await one.metric('journeyhub_fanout_refused_total', { reason: 'unsequenced' })).toBe(2);
    // And a client joining later loads no trace of it.
    const late = await joinSynced(two, mapRoom(mapId), 'viewer', mapId);
    expect(label(late)).not.toBe('HACKED');
  });
});

describe.skipIf(postgresSkipReason !== null)('one process on PostgreSQL', () => {
  it('an editor typing fast: an edit that builds on one still being stored is accepted, not refused', async () => {
    const { url, mapId } = await seedPostgres();
    const server = await TestServer.start({ web: false, env: { DATABASE_URL: url } });
    const typist = await joinSynced(server, mapRoom(mapId), 'editor', mapId);
    // Each keystroke replaces the label the one before wrote: it names that item, which is in flight to PostgreSQL.
    for (let i = 0; i < 120; i++) {
      updateTouchpoint(typist.doc, 'tp-first-bill', { label: `keystroke ${i}` }, typist.origin);
      if (i % 3 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const watcher = await joinSynced(server, mapRoom(mapId), 'viewer', mapId);
    await watcher.until((doc) => readMap(doc).touchpoints['tp-first-bill']?.label === 'keystroke 119', undefined, 8_000);
    expect(typist.closedWith).toBeNull();
    expect(await server.metric('journeyhub_refused_total', { reason: 'shape' })).toBe(0);
  });
});

describe('one process on SQLite and the operator’s CLI', () => {
  it('a version restored by the CLI while the server runs reaches the open canvas within the poll', async () => {
    const { dataDir, mapIds } = await seedWorkspace(['demo']);
    const mapId = mapIds[0] ?? '';
    const server = await TestServer.start({ web: false, dataDir });
    const client = await joinSynced(server, mapRoom(mapId), 'owner', mapId);
    const email = `${USERS.owner.id}@journeyhub.test`;
    const saved = cliOk(await runCli(dataDir, ['version', 'save', '--map', mapId, '--email', email, '--name', 'before', '--json']));
    updateTouchpoint(client.doc, 'tp-first-bill', { label: 'Changed after the version' }, client.origin);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const original = readMap(client.doc).touchpoints['tp-ivr']?.label;
    cliOk(await runCli(dataDir, ['version', 'restore', '--map', mapId, '--email', email, '--id', String(saved.id), '--json']));
    await client.until((doc) => readMap(doc).touchpoints['tp-first-bill']?.label !== 'Changed after the version', undefined, 8_000);
    expect(readMap(client.doc).touchpoints['tp-ivr']?.label).toBe(original);
    // A client that joins now sees the same.
    const late = await joinSynced(server, mapRoom(mapId), 'viewer', mapId);
    expect(state(late)).toBe(state(client));
  });
});
