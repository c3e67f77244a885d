/**
 * A presence id belongs to the user who first set it in the room (DESIGN.md,
 * "Websocket protocol"), on every process: a person on another process
 * cannot take over someone's cursor by sending presence for their id, and a
 * removal relayed from another process does not wipe the presence a socket
 * here holds.
 */
import crypto from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../server/collab/close-codes';
import { decodeAwarenessUpdate, encodeAwarenessEntries } from '../../server/collab/protocol';
import { TEST_REDIS_URL, announceRedisSkip, redisSkipReason } from '../support/redis';
import { TestServer, stopAllServers } from '../support/server';
import { announceSkips, postgresSkipReason } from './store-contract/engines';
import { RawClient, destroyAllClients, mapRoom, tokenFor } from './support/clients';
import { dropPostgresWorkspaces, seedPostgresWorkspace } from './support/postgres-workspace';

announceRedisSkip('presence across processes');
announceSkips('presence across processes');
const skip = redisSkipReason ?? postgresSkipReason;

afterAll(async () => {
  destroyAllClients();
  await stopAllServers();
  await dropPostgresWorkspaces();
});

function presencesSeen(client: RawClient): Map<number, unknown> {
  const seen = new Map<number, unknown>();
  for (const message of client.messages) {
    if (message.type !== 'awareness') continue;
    for (const entry of decodeAwarenessUpdate(message.update)) seen.set(entry.clientId, entry.state);
  }
  return seen;
}

const cursorX = (client: RawClient, id: number) => (presencesSeen(client).get(id) as { cursor?: { x: number } } | null | undefined)?.cursor?.x;

describe.skipIf(skip !== null)('presence ids on two processes', () => {
  it("a person on process two cannot set the presence of an id someone set on process one, nor remove it", async () => {
    const { url, mapId } = await seedPostgresWorkspace();
    const env = { DATABASE_URL: url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: `jh-test-${crypto.randomBytes(4).toString('hex')}:` };
    const [one, two] = await Promise.all([TestServer.start({ web: false, env }), TestServer.start({ web: false, env })]);
    const room = mapRoom(mapId);
    const connect = async (server: TestServer, who: 'editor' | 'editor2' | 'viewer') => {
      const client = await RawClient.connect(server, room, tokenFor(who, mapId));
      await client.sync();
      return client;
    };
    const id = 5_000_001;
    const owner = await connect(one, 'editor');
    const watcherOnOne = await connect(one, 'viewer');
    const watcherOnTwo = await connect(two, 'viewer');
    owner.sendAwareness(encodeAwarenessEntries([{ clientId: id, clock: 1, state: { cursor: { x: 1, y: 1 } } }]));
    await watcherOnTwo.waitUntil(() => cursorX(watcherOnTwo, id) === 1, { message: "the owner's cursor at process two" });

    // Another editor on process two sends presence for that id, with a newer clock.
    const thief = await connect(two, 'editor2');
    thief.sendAwareness(encodeAwarenessEntries([{ clientId: id, clock: 9, state: { cursor: { x: 666, y: 666 } } }]));
    const close = await thief.closed();
    expect(close.code).toBe(CloseCode.Forbidden);
    expect(close.reason).toMatch(/only its own presence/);

    // A removal of it, as if relayed from process two, by a thief whose first frame was the removal.
    const remover = await connect(two, 'editor2');
    remover.sendAwareness(encodeAwarenessEntries([{ clientId: id, clock: 10, state: null }]));
    await remover.closed();

    // The owner moves; everyone everywhere sees the owner's cursor, never the thief's.
    owner.sendAwareness(encodeAwarenessEntries([{ clientId: id, clock: 2, state: { cursor: { x: 2, y: 2 } } }]));
    await watcherOnTwo.waitUntil(() => cursorX(watcherOnTwo, id) === 2, { message: "the owner's move at process two" });
    await watcherOnOne.waitUntil(() => cursorX(watcherOnOne, id) === 2, { message: "the owner's move at process one" });
    for (const watcher of [watcherOnOne, watcherOnTwo]) {
      const xs = watcher.messages.flatMap((m) => (m.type === 'awareness' ? decodeAwarenessUpdate(m.update) : [])).filter((e) => e.clientId === id);
      expect(xs.some((e) => (e.state as { cursor?: { x: number } } | null)?.cursor?.x === 666)).toBe(false);
      expect(xs.some((e) => e.state === null)).toBe(false);
    }
  });
});
