/**
 * Redis restarted mid-session (issue 14 §3, §4): three processes behind nginx
 * on a redis-server of this test's own (SIGKILL, then started again on the
 * same port; the shared Redis is never touched) and a fresh PostgreSQL schema.
 *
 * While Redis is down each process goes on storing and serving its own
 * clients' edits; once it is back every process catches up from the store
 * (updates published during the outage were lost: Redis pub/sub delivers at
 * most once), and every client and a fresh joiner on each process converge,
 * with nothing any client had received missing.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { getHubId, readMap, updateTouchpoint } from '../../lib/journey/schema';
import { Cluster, clusterSkipReason } from '../support/cluster';
import { PrivateRedis, privateRedisSkipReason } from '../support/private-redis';
import { stopAllServers } from '../support/server';
import { destroyAllClients } from './support/clients';
import { ClusterSession, seedFrom } from './support/cluster-session';
import { createPostgresMap, seedPostgresUsers } from './support/pg-workspace';

const skip = clusterSkipReason() ?? privateRedisSkipReason();
if (skip) console.warn(`[cluster: Redis restart] skipped: ${skip}`);
if (skip && process.env.CI === 'true') throw new Error(`CI=true but the Redis restart suite cannot run: ${skip}`);

const FILE = 'tests/integration/cluster-redis-restart.test.ts';
const seed = seedFrom('CLUSTER_SEED');

let redis: PrivateRedis | null = null;
let cluster: Cluster | null = null;

beforeAll(async () => {
  if (skip) return;
  redis = await PrivateRedis.start();
  cluster = await Cluster.start({ redisUrl: redis.url, seed: seedPostgresUsers });
});

afterAll(async () => {
  destroyAllClients();
  await cluster?.stop();
  await stopAllServers();
  await redis?.stop();
});

describe.skipIf(skip !== null)('Redis restarted mid-session', () => {
  it(`edits go on within each process while it is down; afterwards every process catches up and everyone converges (CLUSTER_SEED=${seed})`, async () => {
    if (!cluster || !redis) throw new Error('the cluster did not start');
    const session = new ClusterSession(cluster, await createPostgresMap(cluster.databaseUrl), seed);
    try {
      await session.joinAll();
      await session.randomSteps('before', 40);

      await redis.kill();
      session.note('Redis killed with SIGKILL');
      // Each process still stores its clients' edits and sends them to its other clients.
      for (const [i] of cluster.processes.entries()) {
        const [writer, reader] = session.members.filter((member) => member.via === i);
        if (!writer || !reader) throw new Error(`two direct clients on process ${i} expected`);
        if (!writer.client.provider.shouldConnect) writer.client.provider.connect();
        if (!reader.client.provider.shouldConnect) reader.client.provider.connect();
        await Promise.all([writer.client.whenSynced(), reader.client.whenSynced()]);
        const label = `written on process ${i} while Redis is down`;
        // The hub: the one touchpoint no random edit deletes.
        const hubId = getHubId(writer.client.doc);
        if (!hubId) throw new Error('the map has no hub');
        updateTouchpoint(writer.client.doc, hubId, { label }, writer.client.origin);
        await reader.client.until((doc) => readMap(doc).touchpoints[hubId]?.label === label, `${reader.label} to see "${label}"`);
        session.note(`${reader.label} saw "${label}"`);
      }
      await session.randomSteps('down', 40, 'same-process');
      session.recordSeen('the end of the Redis outage');

      await redis.startAgain();
      session.note('Redis started again');
      await Promise.all(cluster.processes.map((server) => server.waitForLog((line) => line.msg.startsWith('the Redis link dropped and is back'), 20_000)));
      await session.randomSteps('after', 30);
      await session.expectConverged();
    } catch (error) {
      throw session.failure(error, 'CLUSTER_SEED', FILE);
    } finally {
      session.destroy();
    }
  });
});
