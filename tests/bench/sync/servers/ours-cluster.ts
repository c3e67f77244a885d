/**
 * Our server as P processes on P ports (bench:sync --processes): SQLite with
 * the in-process fan-out for one process (the default deployment), or
 * PostgreSQL (a fresh schema per run) and Redis (a fresh REDIS_PREFIX per
 * run) for any number. Clients connect to the processes' ports directly,
 * round robin (connection i to process i % P): any process serves any room,
 * so no proxy is needed to spread them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { freshDataDir } from '../fixture';
import { benchDatabaseUrl, benchRedisUrl, clearRedisPrefix, freshPgRoom, freshRedisPrefix } from '../pg-redis';
import { collabUrl, spawnOurs, tokenMinter } from './ours';
import { freePort, readPeakRss, type SpawnedServer } from './process';
import type { ServerUnderTest } from './types';
import { clusterName, ENGINE_TITLE, type ClusterConfig } from '../cluster-config';

export function oursCluster(config: ClusterConfig): ServerUnderTest {
  const { processes, engine } = config;
  if (engine === 'sqlite' && processes !== 1) throw new Error('SQLite with the in-process fan-out is one process; several need PostgreSQL + Redis');
  return {
    name: clusterName(config),
    description: `this repo, ${processes} process${processes === 1 ? '' : 'es'} (WEB=off), ${ENGINE_TITLE[engine]}`,
    async start(fixture, label) {
      let mapId = fixture.mapId;
      let env: Record<string, string> = {};
      const cleanups: Array<() => Promise<void>> = [];
      const servers: SpawnedServer[] = [];
      const ports: number[] = [];
      const stop = async (): Promise<void> => {
        await Promise.all(servers.map((server) => server.stop()));
        for (const cleanup of cleanups.splice(0)) await cleanup().catch((error: unknown) => console.error(`      ! cleanup after ${label}: ${String(error)}`));
      };
      try {
        if (engine === 'postgres') {
          const room = await freshPgRoom(benchDatabaseUrl(), fixture.touchpointIds.length, fixture.readers);
          cleanups.push(room.drop);
          const redisUrl = benchRedisUrl();
          const prefix = freshRedisPrefix();
          cleanups.push(() => clearRedisPrefix(redisUrl, prefix));
          mapId = room.mapId;
          env = { DATABASE_URL: room.url, REDIS_URL: redisUrl, REDIS_PREFIX: prefix };
        }
        for (let p = 0; p < processes; p++) ports.push(await freePort());
        // Started together: with PostgreSQL every process migrates at start (a no-op here, under the schema's lock).
        const started = await Promise.allSettled(
          ports.map((port, p) => {
            // SQLite: a copy of the prepared DATA_DIR; PostgreSQL: an empty one (the figures of the metrics API stay in SQLite).
            const dataDir = engine === 'sqlite' ? freshDataDir(fixture, label) : fs.mkdtempSync(path.join(fixture.workDir, `${label}-p${p + 1}-`));
            return spawnOurs(port, dataDir, env);
          }),
        );
        for (const outcome of started) if (outcome.status === 'fulfilled') servers.push(outcome.value);
        const failed = started.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
        if (failed) throw failed.reason;
      } catch (error) {
        await stop();
        throw error;
      }
      const token = tokenMinter(mapId);
      const first = servers[0] as SpawnedServer;
      const portOf = (index: number): number => ports[index % processes] ?? 0;
      return {
        pid: first.pid,
        port: ports[0] ?? 0,
        wire: { kind: 'y-websocket' },
        url: (index, role) => collabUrl(portOf(index), mapId, token(index, role)),
        peakRss: () => readPeakRss(first.pid),
        stop,
        stderr: () => servers.map((server, p) => `--- process ${p + 1} ---\n${server.output()}`).join('\n'),
        processes: servers.map((server, p) => ({ pid: server.pid, port: ports[p] ?? 0, peakRss: () => readPeakRss(server.pid) })),
      };
    },
  };
}
