/**
 * The whole app in one process on one port: Next.js for pages and the HTTP
 * API, and the websocket upgrade on /collab/<room> (server/collab).
 * `npm start` runs this file; `--dev` (or NODE_ENV=development) runs Next in dev mode.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setAppContext } from './app-context';
import { CollabServer } from './collab/collab-server';
import { createCollabMetrics } from './collab/metrics';
import { ConfigError, loadConfig } from './config';
import { ensurePrivateDir } from './data-dir';
import { openStores } from './db/open-stores';
import { DatabaseUnavailableError, describeDatabaseUrl } from './db/postgres';
import { metricsAllowed } from './metrics-auth';
import type { Fanout } from './fanout/fanout';
import { processBus } from './fanout/local-fanout';
import { RedisUnavailableError, describeRedisUrl, openRedis } from './fanout/redis-connection';
import { RedisFanout, channelPrefixOf } from './fanout/redis-fanout';
import { logger } from './logger';
import { CLIENT_IP_HEADER } from './auth/client-ip';
import type { ServiceContext } from './services/context';
import { loadPdfRenderer } from './exchange/load-pdf-renderer';
import { effectiveRole } from './services/access';
import { canWrite } from '../lib/permissions/roles';
import { memoryRateLimits, type RateLimits } from './services/rate-limits';
import { redisRateLimits } from './services/redis-rate-limiter';
import { seedDemoWorkspace } from './services/demo-workspace';
import { SmtpMailer } from './services/mailer';
import { notifyMentions } from './services/notifications';
import { recordVersion } from './services/versions';
import { resolveAuthSecret } from './secret';
import { readVersion } from './version';
import { bodyLimitFor, bodyTooLargeMessage } from '../lib/http/same-origin';
import { securityHeaders } from '../lib/http/security-headers';
import { unreadablePathReason } from '../lib/http/request-path';

/** The folder holding package.json: one up from server/index.ts, two up from its build, dist/server/index.js. */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No package.json above ${from}`);
  }
}

const projectRoot = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> | void;
type UpgradeHandler = (req: http.IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => Promise<void> | void;

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** How long a refused body may keep streaming in, thrown away, before its connection is cut. */
const DISCARD_REFUSED_BODY_MS = 10_000;

/**
 * Answers 413 before reading the body, then reads the rest of it and throws it away (as nginx's
 * lingering close does): cutting the connection while the client still writes makes its HTTP
 * library fail with EPIPE or ECONNRESET instead of reading our answer. A client that is still
 * sending after DISCARD_REFUSED_BODY_MS is cut off.
 */
function refuseOversizedBody(req: http.IncomingMessage, res: http.ServerResponse, limit: number): void {
  sendJson(res, 413, { error: bodyTooLargeMessage(limit) });
  const cutOff = setTimeout(() => req.socket.destroy(), DISCARD_REFUSED_BODY_MS);
  cutOff.unref();
  req.once('close', () => clearTimeout(cutOff));
  req.resume();
}

/** REDIS_URL: the Redis fan-out, so that several processes serve the same rooms; unset, the in-process bus. */
async function openFanout(redisUrl: string | null, prefix: string): Promise<Fanout> {
  if (!redisUrl) return processBus.connect({});
  const log = logger.child({ part: 'fanout', redis: describeRedisUrl(redisUrl) });
  const fanout = await RedisFanout.connect(redisUrl, { channelPrefix: channelPrefixOf(prefix), onError: (error, { room }) => log.warn({ err: error, room }, 'Redis fan-out') });
  log.info('sharing rooms with other processes through Redis');
  return fanout;
}

/** REDIS_URL: the rate limits are counted in Redis, one budget for every process; unset, in memory. */
async function openRateLimits(redisUrl: string | null, prefix: string): Promise<{ rateLimits: RateLimits; close(): Promise<void> }> {
  if (!redisUrl) return { rateLimits: memoryRateLimits(), close: async () => {} };
  const log = logger.child({ part: 'rate-limits', redis: describeRedisUrl(redisUrl) });
  const client = await openRedis(redisUrl, { name: `journeyhub-limits-${process.pid}`, onError: (error) => log.warn({ err: error }, 'Redis for rate limits: counting in memory until it is back') });
  return {
    rateLimits: redisRateLimits(client, `${prefix}limit:`),
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
}

async function main(): Promise<void> {
  // Node still prints the error and stops; this puts it in the log too, its stack mapped to the .ts lines.
  process.on('uncaughtExceptionMonitor', (error, origin) => logger.fatal({ err: error, origin }, 'stopping on an error nothing caught'));
  const config = loadConfig();
  const version = readVersion(projectRoot);
  const { tightenedFrom } = ensurePrivateDir(config.dataDir);
  if (tightenedFrom !== null) logger.warn({ dataDir: config.dataDir, was: `0${tightenedFrom.toString(8)}` }, 'DATA_DIR was open to other accounts: set it to 0700');
  const { secret, source: secretSource } = resolveAuthSecret(process.env, config.dataDir);
  if (secretSource === 'generated') logger.warn({ dataDir: config.dataDir }, 'AUTH_SECRET not set: generated a secret into DATA_DIR');

  // next-auth reads these; the app's secret signs its sessions too. NEXTAUTH_URL
  // is set once the port is known (PORT=0 picks one at listen).
  process.env.NEXTAUTH_SECRET = secret;

  const stores = await openStores(config.database, config.dataDir, {
    onSetAside: (room, { seq, reason }) => {
      metrics.storedUpdatesSetAside.inc();
      logger.error({ room, seq, reason }, 'set aside a stored update that cannot be applied');
    },
    onIdleError: (error) => logger.warn({ err: error }, 'an idle PostgreSQL connection failed; the pool opens another'),
    writerThread: true,
    slowLoopCommitMs: config.slowCommitMs,
  });
  const { store, accounts, history, measurements } = stores;
  logger.info({ engine: store.engine, ...(config.database.engine === 'postgres' ? { database: describeDatabaseUrl(config.database.url) } : {}) }, `storing in ${store.engine}`);
  const fanout = await openFanout(config.redisUrl, config.redisPrefix);
  const limits = await openRateLimits(config.redisUrl, config.redisPrefix);
  const metrics = createCollabMetrics({ keptAside: () => store.countSetAside() });
  const mailer = config.mail ? new SmtpMailer(config.mail.smtpUrl, config.mail.from, logger.child({ part: 'mail' })) : null;
  const baseUrl = () => process.env.NEXTAUTH_URL ?? `http://localhost:${config.port}`;
  const notifyDeps = { mailer, baseUrl, logger: logger.child({ part: 'notifications' }) };
  const collab = new CollabServer({
    store,
    fanout,
    secret,
    logger: logger.child({ part: 'collab' }),
    metrics,
    maxMessageBytes: config.maxMessageBytes,
    maxDocBytes: config.maxDocBytes,
    socketBudget: config.socketBudget,
    maxBufferedBytes: config.maxBufferedBytes,
    maxPresenceBytes: config.maxPresenceBytes,
    idleMs: config.idleMs,
    roleRefreshMs: config.roleRefreshMs,
    compactAfterUpdates: config.compactAfterUpdates,
    compactQuietMs: config.compactQuietMs,
    slowSendMs: config.slowSendMs,
    catchUpPollMs: config.catchUpPollMs,
    currentRole: (mapId, userId) => effectiveRole({ accounts, history }, mapId, userId),
    sessionGeneration: async (userId) => (await accounts.getUserById(userId))?.sessionGeneration ?? 0,
    onLastEditorLeft: (mapId, presentElsewhere) => {
      void (async () => {
        // Someone who may write is still on the map through another process: the session goes on there.
        for (const userId of presentElsewhere) {
          const role = await effectiveRole({ accounts, history }, mapId, userId);
          if (role !== null && canWrite(role, 'map')) return;
        }
        await recordVersion(services, mapId, 'Automatic: after an editing session', 'auto', 'system');
      })().catch((error: unknown) => logger.error({ err: error, mapId }, 'could not keep an automatic version'));
    },
    // Off the update pipeline: notifying (and mail) never delays or fails a websocket message.
    onCommentsStored: (written) =>
      setImmediate(() => {
        notifyMentions(services, written, notifyDeps).catch((error: unknown) => logger.error({ err: error, mapId: written.mapId }, 'could not notify mentions'));
      }),
  });
  const services: ServiceContext = { store, accounts, history, measurements, secret, collab, live: collab, rateLimits: limits.rateLimits, outbox: { mailer, baseUrl, logger: logger.child({ part: 'mail' }) }, renderPdfReport: loadPdfRenderer };
  setAppContext({ version, dataDir: config.dataDir, secret, store, collab, metrics, logger, services, signup: config.signup });

  if (config.seedDemo) {
    await seedDemoWorkspace(services, logger, { dataDir: config.dataDir, terminal: process.stdout.isTTY === true, out: (text) => process.stdout.write(`${text}\n`) });
  }

  const server = http.createServer();
  let nextRequest: RequestHandler | null = null;
  let nextUpgrade: UpgradeHandler | null = null;
  if (config.web) {
    // Loaded only for the web app: with WEB=off the process never holds Next's server code.
    const { default: next } = await import('next');
    // On its first request, Next adds an 'upgrade' listener of its own to the server it is given (or the
    // request's): every /collab socket would then also go through its router, a route match would end it,
    // and an HMR socket would be handled twice. Upgrades are routed below (Next's go to getUpgradeHandler),
    // so Next is given a server that never receives one.
    const app = next({ dev: config.dev, dir: projectRoot, hostname: 'localhost', port: config.port, httpServer: http.createServer() });
    await app.prepare();
    nextRequest = app.getRequestHandler();
    nextUpgrade = app.getUpgradeHandler();
  }

  const headers = securityHeaders(config.dev);
  server.on('request', (req, res) => {
    // Rate limits key on the client's address: the socket's peer, or what a proxy named in
    // TRUST_PROXY forwards. A client cannot set this header itself.
    req.headers[CLIENT_IP_HEADER] = config.trustedProxies.clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for']);
    const pathname = (req.url ?? '/').split('?', 1)[0] ?? '/';
    // Set before Next answers: its own headers join these, on pages, API routes and static files alike.
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    // Next would answer 500 when it decodes the route's parameters.
    const unreadable = unreadablePathReason(pathname);
    if (unreadable) {
      sendJson(res, 400, { error: unreadable });
      return;
    }
    // Refused before anyone reads it; a body without a length is capped while it streams (app/api/_lib/respond.ts).
    const bodyLimit = bodyLimitFor(pathname, req.method ?? 'GET');
    if (pathname.startsWith('/api/') && Number(req.headers['content-length'] ?? '0') > bodyLimit) {
      refuseOversizedBody(req, res, bodyLimit);
      return;
    }
    // Served here rather than by Next so that they answer with WEB=off too.
    if (pathname === '/api/health' && req.method === 'GET') {
      return sendJson(res, 200, { ok: true, version, store: store.engine, fanout: fanout.engine, ...collab.stats() });
    }
    if (pathname === '/api/metrics' && req.method === 'GET') {
      if (!metricsAllowed(config.metricsToken, req.headers.authorization)) {
        res.setHeader('www-authenticate', 'Bearer');
        return sendJson(res, 401, { error: 'The metrics need the header Authorization: Bearer <METRICS_TOKEN>' });
      }
      metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(text);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'metrics failed');
          sendJson(res, 500, { error: 'Could not collect metrics' });
        },
      );
      return;
    }
    if (nextRequest) {
      Promise.resolve(nextRequest(req, res)).catch((error: unknown) => {
        logger.error({ err: error, url: req.url }, 'request failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'Internal server error' });
        else res.end();
      });
      return;
    }
    sendJson(res, 404, { error: `No route for ${req.method} ${pathname} (the web UI is off: WEB=off)` });
  });

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', (error) => logger.debug({ err: error }, 'upgrade socket error'));
    const pathname = (req.url ?? '/').split('?', 1)[0] ?? '/';
    if (pathname.startsWith('/collab/')) return collab.handleUpgrade(req, socket, head);
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
  process.env.NEXTAUTH_URL ??= `http://localhost:${port}`;
  logger.info({ port, dataDir: config.dataDir, dev: config.dev, web: config.web, version }, `JourneyHub listening on http://localhost:${port}`);

  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: no new connections, flushing, closing the database');
    server.close();
    await collab.close();
    await fanout.close();
    await limits.close();
    await stores.close();
    server.closeAllConnections();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', (signal) => void stop(signal));
  process.on('SIGINT', (signal) => void stop(signal));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  if (error instanceof DatabaseUnavailableError || error instanceof RedisUnavailableError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
});
