/**
 * JourneyHub's own server, started as `npm start` starts it (node
 * dist/server/index.js, compiled by scripts/build-server.mjs) with the web UI off, on a fresh copy of the bench DATA_DIR.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mintCollabToken } from '../../../../server/collab/collab-token';
import { SERVER_ARGS } from '../../../support/built-server';
import { WRITER_USER, freshDataDir, readerUser } from '../fixture';
import { freePort, readPeakRss, spawnServer, type SpawnedServer } from './process';
import type { ClientRole, ServerUnderTest } from './types';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const SECRET = 'bench-sync-secret-0123456789abcdef0123456789abcdef';

/** BENCH_SERVER_ENV='NAME=value NAME=value': more environment for our server (a setting to compare, say). */
function serverEnv(): Record<string, string> {
  const pairs = (process.env.BENCH_SERVER_ENV ?? '').split(' ').filter(Boolean);
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new Error(`BENCH_SERVER_ENV takes NAME=value pairs separated by spaces (got ${pair})`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

/**
 * One process of ours on `port`. `env` adds to the defaults (DATABASE_URL,
 * REDIS_URL, REDIS_PREFIX for several processes).
 */
export function spawnOurs(port: number, dataDir: string, env: Record<string, string> = {}): Promise<SpawnedServer> {
  return spawnServer({
    // BENCH_CPU_PROF=dir: a V8 CPU profile of each run of our server (written when it stops).
    args: [
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      // BENCH_NODE_FLAGS='--trace-gc': more flags for our server (its output goes to BENCH_SERVER_LOG).
      ...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean),
      ...SERVER_ARGS,
    ],
    cwd: projectRoot,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      AUTH_SECRET: SECRET,
      // BENCH_WEB=on: the whole app, Next.js too (needs npm run build), for its memory.
      WEB: process.env.BENCH_WEB === 'on' ? 'on' : 'off',
      SEED_DEMO: 'off',
      LOG_LEVEL: 'warn',
      ...serverEnv(),
      ...env,
    },
    port,
    readyPath: '/api/health',
  });
}

/**
 * The collaboration token of connection `index` on map `mapId`, minted once
 * and kept: signing is not what is measured. Every process shares SECRET.
 */
export function tokenMinter(mapId: string): (index: number, role: ClientRole) => string {
  const tokens = new Map<string, string>();
  return (index, role) => {
    const key = `${role}:${index}`;
    let value = tokens.get(key);
    if (!value) {
      const userId = role === 'writer' ? WRITER_USER : readerUser(index);
      value = mintCollabToken(SECRET, { userId, userName: userId, mapId, role: role === 'writer' ? 'editor' : 'viewer' }, { ttlSeconds: 3600 }).token;
      tokens.set(key, value);
    }
    return value;
  };
}

export const collabUrl = (port: number, mapId: string, token: string): string =>
  `ws://127.0.0.1:${port}/collab/${encodeURIComponent(mapId)}?token=${encodeURIComponent(token)}`;

export const ours: ServerUnderTest = {
  name: 'journeyhub',
  description: `this repo: node ${SERVER_ARGS.join(' ')}, as npm start runs it (WEB=${process.env.BENCH_WEB === 'on' ? 'on' : 'off'}, SQLite in a fresh DATA_DIR)`,
  async start(fixture, label) {
    const port = await freePort();
    const server = await spawnOurs(port, freshDataDir(fixture, label));
    const token = tokenMinter(fixture.mapId);
    return {
      pid: server.pid,
      port,
      metricsPort: port,
      wire: { kind: 'y-websocket' },
      url: (index, role) => collabUrl(port, fixture.mapId, token(index, role)),
      peakRss: () => readPeakRss(server.pid),
      stop: server.stop,
      stderr: server.output,
    };
  },
};
