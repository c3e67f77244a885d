/**
 * The two servers a user would pick instead, each as a plain `node` process
 * running a small entry file here, loaded with the same document state.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, readPeakRss, spawnServer } from './process';
import type { ServerUnderTest } from './types';

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, '../../../..');

function peer(name: string, description: string, entry: string, wire: 'y-websocket' | 'hocuspocus'): ServerUnderTest {
  return {
    name,
    description,
    async start(fixture) {
      const port = await freePort();
      const server = await spawnServer({
        args: [path.join(here, entry)],
        cwd: projectRoot,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NODE_ENV: 'production',
          PORT: String(port),
          BENCH_DOC: fixture.mapId,
          BENCH_STATE_FILE: fixture.stateFile,
        },
        port,
        readyPath: '/',
      });
      return {
        pid: server.pid,
        port,
        wire: wire === 'hocuspocus' ? { kind: 'hocuspocus', documentName: fixture.mapId, token: 'bench' } : { kind: 'y-websocket' },
        url: () => (wire === 'hocuspocus' ? `ws://127.0.0.1:${port}` : `ws://127.0.0.1:${port}/${encodeURIComponent(fixture.mapId)}`),
        peakRss: () => readPeakRss(server.pid),
        stop: server.stop,
        stderr: server.output,
      };
    },
  };
}

export const reference = peer(
  'y-websocket-server',
  '@y/websocket-server 0.1.1: setupWSConnection (node reference-server.mjs)',
  'reference-server.mjs',
  'y-websocket',
);

/** Not a peer: a floor for this machine and this bench (opt-in, BENCH_SERVERS=…,bare-relay). */
export const bareRelay = peer(
  'bare-relay',
  'calibration: ws, one cached full-state frame, one merged update frame per tick (node relay-server.mjs)',
  'relay-server.mjs',
  'y-websocket',
);

export const hocuspocus = peer('hocuspocus', '@hocuspocus/server 4.7.0 defaults (node hocuspocus-server.mjs)', 'hocuspocus-server.mjs', 'hocuspocus');
