/**
 * PostgreSQL restarted mid-session (issue 14 §2, §4): three processes behind
 * nginx on a PostgreSQL cluster of this test's own (initdb into a temp dir;
 * an immediate shutdown, then started again on the same port, replaying its
 * WAL; the shared PostgreSQL is never touched) and a fresh prefix of the
 * shared Redis.
 *
 * While the database is down nothing can be stored, so nothing is
 * acknowledged: a writer's edit closes its socket with 1011 (DESIGN.md: log
 * before broadcast), and it keeps the edit. Once the database is back every
 * client resyncs, its edits are stored, and every client and a fresh joiner
 * on each process converge, with nothing any client had received missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, clusterSkipReason } from '../support/cluster';
import { PrivatePostgres, privatePostgresSkipReason } from '../support/private-postgres';
import { stopAllServers } from '../support/server';
import { waitFor } from '../support/wait';
import { destroyAllClients } from './support/clients';
import { ClusterSession, seedFrom } from './support/cluster-session';
import { createPostgresMap, seedPostgresUsers } from './support/pg-workspace';

const skip = clusterSkipReason() ?? privatePostgresSkipReason();
if (skip) console.warn(`[cluster: PostgreSQL restart] skipped: ${skip}`);
if (skip && process.env.CI === 'true') throw new Error(`CI=true but the PostgreSQL restart suite cannot run: ${skip}`);

const FILE = 'tests/integration/cluster-postgres-restart.test.ts';
const seed = seedFrom('CLUSTER_SEED');

let postgres: PrivatePostgres | null = null;
let cluster: Cluster | null = null;

beforeAll(async () => {
  if (skip) return;
  postgres = await PrivatePostgres.start();
  const url = postgres.url;
  cluster = await Cluster.start({ databaseUrl: url, seed: seedPostgresUsers });
});

afterAll(async () => {
  destroyAllClients();
  await cluster?.stop();
  await stopAllServers();
  await postgres?.destroy();
});

describe.skipIf(skip !== null)('PostgreSQL restarted mid-session', () => {
  it(`writers are closed with 1011 while it is down; nothing acknowledged is lost; everyone resyncs and converges (CLUSTER_SEED=${seed})`, async () => {
    if (!cluster || !postgres) throw new Error('the cluster did not start');
    const session = new ClusterSession(cluster, await createPostgresMap(cluster.databaseUrl), seed);
    try {
      await session.joinAll();
      await session.randomSteps('before', 40);
      for (const member of session.members) if (!member.client.provider.shouldConnect) member.client.provider.connect();
      await Promise.all(session.members.map((member) => member.client.whenSynced()));

      await postgres.crash();
      session.note('PostgreSQL stopped (immediate shutdown)');
      session.recordSeen('the PostgreSQL crash');
      const before = new Map(session.members.map((member) => [member, member.client.closes.length]));
      session.everyoneEdits('down');
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
      throw session.failure(error, 'CLUSTER_SEED', FILE);
    } finally {
      session.destroy();
    }
  });
});
