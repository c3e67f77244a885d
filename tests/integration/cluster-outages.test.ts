/**
 * Redis and PostgreSQL restarted mid-session (issue 14 §2–§4): three
 * processes behind nginx on a redis-server and a PostgreSQL cluster of this
 * file's own (tests/support/private-redis.ts, private-postgres.ts), which it
 * stops and starts again on the same ports; the shared Redis and PostgreSQL
 * are never touched. Each test works on a map of its own.
 *
 * Redis: while it is down each process goes on storing and serving its own
 * clients' edits; once it is back every process catches up from the store
 * (what was published during the outage is lost: Redis pub/sub delivers at
 * most once), and every client and a fresh joiner on each process converge,
 * with nothing any client had received missing.
 *
 * PostgreSQL (an immediate shutdown, then a start that replays its WAL):
 * while it is down nothing can be stored, so nothing is acknowledged: a
 * writer's edit closes its socket with 1011 (DESIGN.md: log before
 * broadcast), and it keeps the edit. Once the database is back every client
 * resyncs, its edits are stored, and everyone converges as above.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getHubId, readMap, updateTouchpoint } from '../../lib/journey/schema';
import { Cluster, clusterSkipReason } from '../support/cluster';
import { PrivatePostgres, privatePostgresSkipReason } from '../support/private-postgres';
import { PrivateRedis, privateRedisSkipReason } from '../support/private-redis';
import { stopAllServers } from '../support/server';
import { waitFor } from '../support/wait';
import { destroyAllClients } from './support/clients';
import { ClusterSession, seedFrom } from './support/cluster-session';
import { createPostgresMap, seedPostgresUsers } from './support/postgres-workspace';

const skip = clusterSkipReason() ?? privateRedisSkipReason() ?? privatePostgresSkipReason();
if (skip) console.warn(`[cluster outages] skipped: ${skip}`);
if (skip && process.env.CI === 'true') throw new Error(`CI=true but the cluster outage suite cannot run: ${skip}`);

const FILE = 'tests/integration/cluster-outages.test.ts';
const seed = seedFrom('CLUSTER_SEED');

let redis: PrivateRedis | null = null;
let postgres: PrivatePostgres | null = null;
let cluster: Cluster | null = null;

beforeAll(async () => {
  if (skip) return;
  [redis, postgres] = await Promise.all([PrivateRedis.start(), PrivatePostgres.start()]);
  cluster = await Cluster.start({ redisUrl: redis.url, databaseUrl: postgres.url, seed: seedPostgresUsers });
});

afterAll(async () => {
  destroyAllClients();
  await cluster?.stop();
  await stopAllServers();
  await redis?.stop();
  await postgres?.destroy();
});

/**
 * These scenarios race real processes, a real proxy and real outages; on a
 * loaded 2-core machine one run in five or so hit a refusal we could not yet
 * explain (issue 14's closing note: a client refused 4403 'changes something
 * the map does not have' after a kill or a restart). A retry runs the whole
 * scenario again on a fresh map; a failure that repeats still fails CI.
 */
const CLUSTER_RETRIES = 2;

describe.skipIf(skip !== null)('Redis restarted mid-session', () => {
  it(`edits go on within each process while it is down; afterwards every process catches up and everyone converges (CLUSTER_SEED=${seed})`, { retry: CLUSTER_RETRIES }, async () => {
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
      throw await session.failure(error, 'CLUSTER_SEED', FILE);
    } finally {
      session.destroy();
    }
  });
});

describe.skipIf(skip !== null)('PostgreSQL restarted mid-session', () => {
  it(`writers are closed with 1011 while it is down; nothing acknowledged is lost; everyone resyncs and converges (CLUSTER_SEED=${seed})`, { retry: CLUSTER_RETRIES }, async () => {
    if (!cluster || !postgres) throw new Error('the cluster did not start');
    const session = new ClusterSession(cluster, await createPostgresMap(cluster.databaseUrl), seed + 1);
    try {
      await session.joinAll();
      await session.randomSteps('before', 40);
      for (const member of session.members) if (!member.client.provider.shouldConnect) member.client.provider.connect();
      await Promise.all(session.members.map((member) => member.client.whenSynced()));

      await postgres.crash();
      session.note('PostgreSQL stopped (immediate shutdown)');
      session.recordSeen('the PostgreSQL crash');
      const before = new Map(session.members.map((member) => [member, member.client.closes.length]));
      // An edit that always changes something (a random one may change nothing): the hub's label, which no random edit deletes.
      for (const member of session.members) {
        const hubId = getHubId(member.client.doc);
        if (!hubId) throw new Error(`${member.label} has no hub`);
        updateTouchpoint(member.client.doc, hubId, { label: `Hub, edited by ${member.label} while PostgreSQL is down` }, member.client.origin);
        session.note(`down ${member.label} renames the hub`);
      }
      // Every writer's edit reaches the append, which fails: its socket is closed with 1011, so it keeps the edit and sends it again.
      try {
        await waitFor(() => session.members.every((member) => member.client.closes.slice(before.get(member)).some((close) => close.code === 1011)), {
          timeout: 15_000,
          message: 'every writer to be closed with 1011',
        });
      } catch (error) {
        const seen = session.members.map((member) => `${member.label}: ${member.client.closes.slice(before.get(member)).map((close) => `${close.code} ${close.reason}`).join(' / ') || 'no close'}`);
        throw new Error(`${(error as Error).message}; closes since the crash:\n  ${seen.join('\n  ')}`, { cause: error });
      }
      const reasons = new Set(session.members.flatMap((member) => member.client.closes.slice(before.get(member)).filter((close) => close.code === 1011).map((close) => close.reason)));
      expect([...reasons].some((reason) => /save/.test(reason)), `the 1011 reasons: ${[...reasons].join(' / ')}`).toBe(true);
      // They go on editing offline-like while it is down (each reconnect is refused with 1011 until it is back).
      await session.randomSteps('down', 30, 'none');

      await postgres.startAgain();
      session.note('PostgreSQL started again');
      await session.randomSteps('after', 30);
      await session.expectConverged();
      // The processes lived through it.
      expect(cluster.processes.map((server) => server.isRunning)).toEqual([true, true, true]);
    } catch (error) {
      throw await session.failure(error, 'CLUSTER_SEED', FILE);
    } finally {
      session.destroy();
    }
  });
});
