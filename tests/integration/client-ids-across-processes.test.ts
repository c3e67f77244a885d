/**
 * A Yjs client id belongs to the first user who writes with it in a room
 * (DESIGN.md, "Authorship"), on every process: whoever connects to another
 * process than the id's owner is refused it (4403) as on the owner's own, and
 * the owner goes on writing with it through any process. Found by running
 * the integration suites on three processes (issue 14): a second process
 * learnt nothing of the first one's claims, so an editor there could write
 * under a colleague's id and make the colleague's next edits vanish.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMap, updateTouchpoint } from '../../lib/journey/schema';
import { CLIENT_ID_TAKEN } from '../../server/collab/client-id-owners';
import { CloseCode } from '../../server/collab/close-codes';
import { encodeAwarenessEntries } from '../../server/collab/protocol';
import { TEST_REDIS_URL, announceRedisSkip, redisSkipReason } from '../support/redis';
import { TestServer, stopAllServers } from '../support/server';
import { announceSkips, postgresSkipReason } from './store-contract/engines';
import { RawClient, destroyAllClients, mapRoom, tokenFor } from './support/clients';
import { dropPostgresWorkspaces, seedPostgresWorkspace } from './support/postgres-workspace';
import { USERS, type UserKey } from './support/workspace';

announceRedisSkip('client ids across processes');
announceSkips('client ids across processes');
const skip = redisSkipReason ?? postgresSkipReason;

let one: TestServer;
let two: TestServer;
let mapId: string;

beforeAll(async () => {
  if (skip) return;
  const workspace = await seedPostgresWorkspace();
  mapId = workspace.mapId;
  // No polling of the store: what process two knows of process one's claims comes with the updates that made them.
  const env = { DATABASE_URL: workspace.url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: `jh-test-${crypto.randomBytes(4).toString('hex')}:`, COLLAB_CATCH_UP_POLL_MS: '0' };
  [one, two] = await Promise.all([TestServer.start({ web: false, env }), TestServer.start({ web: false, env })]);
}, 120_000);

afterAll(async () => {
  destroyAllClients();
  await stopAllServers();
  await dropPostgresWorkspaces();
});

async function join(server: TestServer, who: UserKey): Promise<RawClient> {
  const client = await RawClient.connect(server, mapRoom(mapId), tokenFor(who, mapId));
  await client.sync();
  return client;
}

/** `who` on `server` sends, under `clientId`, an edit of the touchpoint's label. */
async function relabel(server: TestServer, who: UserKey, clientId: number, label: string): Promise<RawClient> {
  const client = await join(server, who);
  client.doc.clientID = clientId;
  client.sendUpdate(client.craft((doc) => updateTouchpoint(doc, 'tp-ivr', { label }, { userId: USERS[who].id, kind: 'local' })));
  return client;
}

const labelIs = (label: string) => (client: RawClient) => readMap(client.doc).touchpoints['tp-ivr']?.label === label;

describe.skipIf(skip !== null)('client ids on two processes', () => {
  it("an id Eddie wrote with on process one is refused to Erin on process two, and Eddie's next edit with it through process two is stored", async () => {
    const eddieId = 700_000_001;
    const watcherOnTwo = await join(two, 'viewer');
    await relabel(one, 'editor', eddieId, 'IVR (Eddie)');
    await watcherOnTwo.waitUntil(() => labelIs('IVR (Eddie)')(watcherOnTwo), { message: "Eddie's edit at process two" });

    const erin = await relabel(two, 'editor2', eddieId, 'IVR (Erin under Eddie’s id)');
    expect(await erin.closed()).toEqual({ code: CloseCode.Forbidden, reason: CLIENT_ID_TAKEN });

    const eddieOnTwo = await relabel(two, 'editor', eddieId, 'IVR (Eddie, through two)');
    const watcherOnOne = await join(one, 'viewer');
    await watcherOnOne.waitUntil(() => labelIs('IVR (Eddie, through two)')(watcherOnOne), { message: "Eddie's edit through process two at process one" });
    expect(eddieOnTwo.close).toBeNull();
  });

  it('an id whose presence Eddie set on process one, before he wrote, is refused to Erin writing on process two', async () => {
    const eddieId = 700_000_002;
    const eddie = await join(one, 'editor');
    eddie.sendAwareness(encodeAwarenessEntries([{ clientId: eddieId, clock: 1, state: { cursor: { x: 1, y: 1 } } }]));
    const watcherOnTwo = await join(two, 'viewer');
    await watcherOnTwo.waitUntil(() => watcherOnTwo.messages.some((m) => m.type === 'awareness'), { message: "Eddie's presence at process two" });

    const erin = await relabel(two, 'editor2', eddieId, 'IVR (Erin first, under Eddie’s id)');
    expect(await erin.closed()).toEqual({ code: CloseCode.Forbidden, reason: CLIENT_ID_TAKEN });
  });
});
