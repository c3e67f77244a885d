/**
 * Issue 14 §3 with the real server: REDIS_URL=redis://… turns on the Redis
 * fan-out, and /api/health says so. Two processes on one PostgreSQL schema
 * and one Redis serve the same map: an edit or a cursor a stock y-websocket
 * client makes on one reaches a client of the other, both ways, with no
 * sticky sessions, also after a process's link to Redis was cut.
 * A REDIS_URL that is wrong or cannot be reached stops the start with a
 * sentence, not a stack or a hang.
 */
import net from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { readMap, updateTouchpoint } from '../../lib/journey/schema';
import { TEST_REDIS_URL, announceRedisSkip, redisSkipReason } from '../support/redis';
import { announceSkips, postgresSkipReason } from './store-contract/engines';
import { dropPostgresWorkspaces, seedPostgresWorkspace } from './support/postgres-workspace';
import { destroyAllClients, joinSynced, mapRoom } from './support/clients';
import { waitFor } from '../support/wait';
import { TestServer, startExpectingExit, stopAllServers } from '../support/server';
import { USERS } from './support/workspace';

announceRedisSkip('Redis server');
announceSkips('Redis server');
const skipTwoProcesses = redisSkipReason ?? postgresSkipReason;

afterAll(async () => {
  destroyAllClients();
  await stopAllServers();
  await dropPostgresWorkspaces();
});


describe('REDIS_URL that is no Redis URL', () => {
  it('stops the start at once with exit code 2 and a sentence naming the variable', async () => {
    const { code, stderr } = await startExpectingExit({ REDIS_URL: 'http://:hunter2@cache:6379' });
    expect(code).toBe(2);
    expect(stderr).toMatch(/REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(stderr).not.toContain('hunter2');
  });
});

describe('a Redis server that is not there', () => {
  it('a port nobody listens on: exit code 1 and one sentence, no stack, no password', async () => {
    const { code, stderr, stdout } = await startExpectingExit({ REDIS_URL: 'redis://:hunter2@127.0.0.1:1/0' });
    expect(code).toBe(1);
    expect(stderr).toContain('Could not reach the Redis server of REDIS_URL (127.0.0.1:1/0):');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr + stdout).not.toMatch(/\n\s+at /);
    expect(stderr + stdout).not.toContain('hunter2');
    expect(stdout).not.toContain('JourneyHub listening');
  });

  it('a port that accepts and never answers: the connect deadline ends the start, not a hang', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const { code, stderr } = await startExpectingExit({ REDIS_URL: `redis://127.0.0.1:${port}` });
      expect(code).toBe(1);
      expect(stderr).toContain(`Could not reach the Redis server of REDIS_URL (127.0.0.1:${port}):`);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe.skipIf(redisSkipReason !== null)('the server with REDIS_URL', () => {
  it('names the Redis fan-out in /api/health; without REDIS_URL the local one', async () => {
    const withRedis = await TestServer.start({ web: false, env: { REDIS_URL: TEST_REDIS_URL } });
    expect((await withRedis.health()).fanout).toBe('redis');
    expect(await withRedis.stop()).toEqual({ code: 0, signal: null });
    const alone = await TestServer.start({ web: false });
    expect((await alone.health()).fanout).toBe('local');
    expect(await alone.stop()).toEqual({ code: 0, signal: null });
  });
});

describe.skipIf(skipTwoProcesses !== null)('two processes on one PostgreSQL and one Redis', () => {
  it('an edit on either process reaches a client of the other', async () => {
    const { url, mapId } = await seedPostgresWorkspace();
    const env = { DATABASE_URL: url, REDIS_URL: TEST_REDIS_URL };
    const [one, two] = await Promise.all([TestServer.start({ web: false, env }), TestServer.start({ web: false, env })]);

    const onOne = await joinSynced(one, mapRoom(mapId), 'editor', mapId);
    const onTwo = await joinSynced(two, mapRoom(mapId), 'owner', mapId);
    updateTouchpoint(onOne.doc, 'tp-first-bill', { label: 'Edited on process one' }, onOne.origin);
    await onTwo.until((doc) => readMap(doc).touchpoints['tp-first-bill']?.label === 'Edited on process one');
    updateTouchpoint(onTwo.doc, 'tp-ivr', { label: 'Edited on process two' }, onTwo.origin);
    await onOne.until((doc) => readMap(doc).touchpoints['tp-ivr']?.label === 'Edited on process two');

    // Presence too: a cursor on process one shows at process two, under the name the token gives.
    onOne.provider.awareness.setLocalState({ cursor: { x: 3, y: 4 } });
    await waitFor(() => onTwo.provider.awareness.getStates().has(onOne.doc.clientID), { message: 'the cursor from process one at process two' }, (wake) => {
      onTwo.provider.awareness.on('change', wake);
      return () => onTwo.provider.awareness.off('change', wake);
    });
    expect(onTwo.provider.awareness.getStates().get(onOne.doc.clientID)).toMatchObject({ cursor: { x: 3, y: 4 }, user: { id: USERS.editor.id } });

    // A client that joins later, on either process, loads both edits.
    const late = await joinSynced(two, mapRoom(mapId), 'viewer', mapId);
    expect(readMap(late.doc).touchpoints['tp-first-bill']?.label).toBe('Edited on process one');
    expect(readMap(late.doc).touchpoints['tp-ivr']?.label).toBe('Edited on process two');

    // Process two's listening link is cut (only that connection: the Redis is shared): it
    // reconnects, listens to the room again, says so, and edits from process one reach it again.
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
    await two.waitForLog((line) => line.msg.startsWith('the Redis link dropped and is back'));
    updateTouchpoint(onOne.doc, 'tp-first-bill', { label: 'Edited after the cut' }, onOne.origin);
    await onTwo.until((doc) => readMap(doc).touchpoints['tp-first-bill']?.label === 'Edited after the cut');
    expect(await one.stop()).toEqual({ code: 0, signal: null });
    expect(await two.stop()).toEqual({ code: 0, signal: null });
  });
});
