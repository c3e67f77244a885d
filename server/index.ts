/**
 * The whole app in one process on one port: Next.js for pages and the HTTP
 * API, and the websocket upgrade on /collab/<room> (server/collab).
 * `npm start` runs this file; `--dev` (or NODE_ENV=development) runs Next in dev mode.
 */
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { ConfigError, loadConfig } from './config';
import { logger } from './logger';
import { readVersion } from './version';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> | void;
type UpgradeHandler = (req: http.IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => Promise<void> | void;

async function main(): Promise<void> {
  const config = loadConfig();
  const version = readVersion(projectRoot);
  const server = http.createServer();

  let nextRequest: RequestHandler | null = null;
  let nextUpgrade: UpgradeHandler | null = null;
  if (config.web) {
    const app = next({ dev: config.dev, dir: projectRoot, hostname: 'localhost', port: config.port, httpServer: server });
    await app.prepare();
    nextRequest = app.getRequestHandler();
    nextUpgrade = app.getUpgradeHandler();
  }

  server.on('request', (req, res) => {
    const pathname = (req.url ?? '/').split('?', 1)[0];
    if (pathname === '/api/health' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ ok: true, version, web: config.web }));
      return;
    }
    if (nextRequest) {
      Promise.resolve(nextRequest(req, res)).catch((error: unknown) => {
        logger.error({ err: error, url: req.url }, 'request failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'Internal server error' }));
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: `No route for ${req.method} ${pathname} (web UI is off: WEB=off)` }));
  });

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', (error) => logger.debug({ err: error }, 'upgrade socket error'));
    if (nextUpgrade) {
      Promise.resolve(nextUpgrade(req, socket, head)).catch(() => socket.destroy());
      return;
    }
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ port, dataDir: config.dataDir, dev: config.dev, web: config.web, version }, `JourneyHub listening on http://localhost:${port}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    server.close(() => {
      logger.info('stopped');
      process.exit(0);
    });
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
});
