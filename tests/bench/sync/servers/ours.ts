/**
 * JourneyHub's own server, started as `npm start` starts it (node --import tsx
 * server/index.ts) with the web UI off, on a fresh copy of the bench DATA_DIR.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mintCollabToken } from '../../../../server/collab/collab-token';
import { WRITER_USER, freshDataDir, readerUser } from '../fixture';
import { freePort, readPeakRss, spawnServer } from './process';
import type { ServerUnderTest } from './types';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const SECRET = 'bench-sync-secret-0123456789abcdef0123456789abcdef';

export const ours: ServerUnderTest = {
  name: 'journeyhub',
  description: 'this repo: node --import tsx server/index.ts (WEB=off, SQLite in a fresh DATA_DIR)',
  async start(fixture, label) {
    const port = await freePort();
    const dataDir = freshDataDir(fixture, label);
    const server = await spawnServer({
      // BENCH_CPU_PROF=dir: a V8 CPU profile of each run of our server (written when it stops).
      args: [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []), '--import', 'tsx', 'server/index.ts'],
      cwd: projectRoot,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        AUTH_SECRET: SECRET,
        WEB: 'off',
        SEED_DEMO: 'off',
        LOG_LEVEL: 'warn',
      },
      port,
      readyPath: '/api/health',
    });
    // Tokens are minted up front: signing is not what is measured.
    const tokens = new Map<string, string>();
    const token = (index: number, role: 'writer' | 'reader'): string => {
      const key = `${role}:${index}`;
      let value = tokens.get(key);
      if (!value) {
        const userId = role === 'writer' ? WRITER_USER : readerUser(index);
        value = mintCollabToken(SECRET, { userId, userName: userId, mapId: fixture.mapId, role: role === 'writer' ? 'editor' : 'viewer' }, { ttlSeconds: 3600 }).token;
        tokens.set(key, value);
      }
      return value;
    };
    return {
      pid: server.pid,
      port,
      wire: { kind: 'y-websocket' },
      url: (index, role) => `ws://127.0.0.1:${port}/collab/${encodeURIComponent(fixture.mapId)}?token=${encodeURIComponent(token(index, role))}`,
      peakRss: () => readPeakRss(server.pid),
      stop: server.stop,
      stderr: server.output,
    };
  },
};
