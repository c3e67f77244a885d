import path from 'node:path';
import { z } from 'zod';
import { SignupPolicySchema, type SignupPolicy } from '../lib/permissions/signup-policy';
import { TrustedProxies } from './auth/client-ip';
import type { SocketBudgetLimits } from './collab/socket-budget';

/**
 * The environment, parsed once at start-up. A wrong value stops the process
 * with a sentence naming the variable, instead of failing later somewhere else.
 */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce
    .number({ error: 'PORT must be a number' })
    .int('PORT must be a whole number')
    .min(0, 'PORT must be between 0 and 65535')
    .max(65535, 'PORT must be between 0 and 65535')
    .default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  /** Unset: SQLite in DATA_DIR. A postgres:// URL moves documents, accounts and history to PostgreSQL. */
  DATABASE_URL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, {
        error: 'DATABASE_URL must be a postgres:// or postgresql:// URL, e.g. postgres://journeyhub:secret@db.example.com:5432/journeyhub (unset: SQLite in DATA_DIR)',
      })
      .optional(),
  ),
  /** With DATABASE_URL: how long one statement may run (a lock wait included) before PostgreSQL cancels it. */
  PG_STATEMENT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100, 'PG_STATEMENT_TIMEOUT_MS must be at least 100')
    .max(600_000, 'PG_STATEMENT_TIMEOUT_MS must be at most 600000 (10 minutes)')
    .default(15_000),
  /** Unset: one process, the in-process fan-out. A redis:// URL shares edits, presence and rate limits between processes. */
  REDIS_URL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .regex(/^rediss?:\/\/\S+$/, {
        error: 'REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://:secret@cache.example.com:6379/0 (unset: one process, nothing shared)',
      })
      .optional(),
  ),
  /** Starts every Redis key and channel of this deployment: two deployments (or test runs) on one Redis stay apart. */
  REDIS_PREFIX: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .regex(/^[A-Za-z0-9:._-]{1,64}$/, { error: 'REDIS_PREFIX must be 1 to 64 letters, digits or : . _ -, e.g. journeyhub:staging:' })
      .default('journeyhub:'),
  ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Serve only the collaboration websocket and the health/metrics endpoints, without Next.js. */
  WEB: z.enum(['on', 'off']).default('on'),
  /** Largest websocket message a client may send (closed with 4413 above it). */
  MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024, 'MAX_MESSAGE_BYTES must be at least 1024').default(8 * 1024 * 1024),
  /** Largest a map document may grow; an update that would pass it is refused (4403). */
  MAX_DOC_BYTES: z.coerce.number().int().min(65_536, 'MAX_DOC_BYTES must be at least 65536').default(16 * 1024 * 1024),
  /** Messages one socket may send per 10 seconds (4429 past it); see server/collab/socket-budget.ts. */
  COLLAB_MESSAGE_BUDGET: z.coerce.number().int().min(100, 'COLLAB_MESSAGE_BUDGET must be at least 100 (messages per 10 seconds)').default(10_000),
  /** Bytes one socket may send per 10 seconds; unset: 32 MiB or twice MAX_MESSAGE_BYTES, whichever is larger. */
  COLLAB_BYTE_BUDGET: z.coerce.number().int().positive('COLLAB_BYTE_BUDGET must be a number of bytes per 10 seconds').optional(),
  /** SyncStep1 answers and presence queries one socket may ask for per minute. */
  COLLAB_SYNC_BUDGET: z.coerce.number().int().min(7, 'COLLAB_SYNC_BUDGET must be at least 7: the browser asks once every 10 seconds').default(12),
  /** What the server may hold unsent for one socket when it has another frame for it: past it the socket is closed as too slow (4503). */
  COLLAB_MAX_BUFFERED_BYTES: z.coerce.number().int().min(65_536, 'COLLAB_MAX_BUFFERED_BYTES must be at least 65536').default(64 * 1024 * 1024),
  /** The largest presence (awareness) state of one client, as JSON. */
  COLLAB_MAX_PRESENCE_BYTES: z.coerce.number().int().min(1024, 'COLLAB_MAX_PRESENCE_BYTES must be at least 1024').default(8 * 1024),
  /** How long a document stays in memory after its last client leaves. */
  COLLAB_IDLE_MS: z.coerce.number().int().min(0, 'COLLAB_IDLE_MS must be 0 or more').default(30_000),
  /** How often open sockets' roles and sessions are checked against the store: the safety net behind the control channel (server/collab/control.ts). */
  COLLAB_ROLE_REFRESH_MS: z.coerce.number().int().min(100, 'COLLAB_ROLE_REFRESH_MS must be at least 100').default(10_000),
  /** Fold a document's log into its snapshot once it holds this many updates (or 4 MiB). */
  COLLAB_COMPACT_AFTER_UPDATES: z.coerce.number().int().min(1, 'COLLAB_COMPACT_AFTER_UPDATES must be at least 1').default(500),
  COLLAB_COMPACT_QUIET_MS: z.coerce.number().int().min(0, 'COLLAB_COMPACT_QUIET_MS must be 0 or more').max(60_000, 'COLLAB_COMPACT_QUIET_MS must be at most 60000').default(1000),
  /**
   * When a send to a room's sockets holds the event loop this long (ms), each stored batch waits for
   * the commit behind it (at most 3 ms) and both go out as one frame; 0: whenever a commit is behind it.
   */
  COLLAB_SLOW_SEND_MS: z.coerce.number().min(0, 'COLLAB_SLOW_SEND_MS must be 0 or more').max(1000, 'COLLAB_SLOW_SEND_MS must be at most 1000').default(2),
  COLLAB_SLOW_COMMIT_MS: z.coerce.number().min(1, 'COLLAB_SLOW_COMMIT_MS must be at least 1').max(60_000, 'COLLAB_SLOW_COMMIT_MS must be at most 60000').default(10),
  /** How often loaded documents compare their last seq with the store's, for writers that publish nothing (the CLI on SQLite); 0: never. */
  COLLAB_CATCH_UP_POLL_MS: z.coerce.number().int().min(0, 'COLLAB_CATCH_UP_POLL_MS must be 0 (never) or more').default(1_000),
  /** Do not create the demo map on first start. */
  SEED_DEMO: z.enum(['on', 'off']).default('on'),
  /** Mail for @mentions goes out through this server; without it, mentions reach only the in-app inbox. */
  SMTP_URL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .url({ protocol: /^smtps?$/, error: 'SMTP_URL must be an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example.com:587' })
      .optional(),
  ),
  /** When set, GET /api/metrics needs `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.preprocess((value) => (value === '' ? undefined : value), z.string().min(16, 'METRICS_TOKEN must be at least 16 characters long').optional()),
  /** Who may create an account with a password: open, off, or domains:a.com,b.org. */
  SIGNUP: SignupPolicySchema.default({ mode: 'open' }),
  /** The reverse proxies (addresses, CIDR ranges) whose X-Forwarded-For names the client; unset, the socket's peer is the client. */
  TRUST_PROXY: z
    .string()
    .default('')
    .transform((value, ctx) => {
      try {
        return TrustedProxies.parse(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `TRUST_PROXY must list the proxies' addresses or CIDR ranges, comma separated, e.g. 10.0.0.5,172.16.0.0/12: ${(error as Error).message}` });
        return z.NEVER;
      }
    }),
  MAIL_FROM: z.string().trim().min(3, 'MAIL_FROM must be a sender address, e.g. JourneyHub <journeyhub@example.com>').default('JourneyHub <journeyhub@localhost>'),
});

export interface ServerConfig {
  dev: boolean;
  port: number;
  host: string;
  dataDir: string;
  /** Where documents, accounts, history and measured figures are kept. */
  database: DatabaseConfig;
  /** Null: one process; the fan-out and the rate limits stay in memory. */
  redisUrl: string | null;
  /** REDIS_PREFIX: channels are `<prefix>room:<room>`, rate-limit keys `<prefix>limit:<name>…`. */
  redisPrefix: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  web: boolean;
  maxMessageBytes: number;
  maxDocBytes: number;
  /** Per-socket limits (server/collab/socket-budget.ts, presence-guard.ts). */
  socketBudget: SocketBudgetLimits;
  maxBufferedBytes: number;
  maxPresenceBytes: number;
  idleMs: number;
  roleRefreshMs: number;
  compactAfterUpdates: number;
  compactQuietMs: number;
  slowSendMs: number;
  /** SQLite: a commit on the event loop this slow (ms) means a slow disk: the writer thread takes every commit for 10 s. */
  slowCommitMs: number;
  catchUpPollMs: number;
  seedDemo: boolean;
  /** Null: /api/metrics is open, as behind a private network. */
  metricsToken: string | null;
  signup: SignupPolicy;
  trustedProxies: TrustedProxies;
  /** Null: no mail is sent. */
  mail: { smtpUrl: string; from: string } | null;
}

export type DatabaseConfig = { engine: 'sqlite' } | { engine: 'postgres'; url: string; statementTimeoutMs?: number };

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = process.argv): ServerConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid environment:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const bytesPer10s = e.COLLAB_BYTE_BUDGET ?? Math.max(32 * 1024 * 1024, 2 * e.MAX_MESSAGE_BYTES);
  if (bytesPer10s < e.MAX_MESSAGE_BYTES) {
    throw new ConfigError(`Invalid environment:\n  COLLAB_BYTE_BUDGET must be at least MAX_MESSAGE_BYTES (${e.MAX_MESSAGE_BYTES}), or the largest message is always refused`);
  }
  return {
    dev: argv.includes('--dev') || e.NODE_ENV === 'development',
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    database: e.DATABASE_URL ? { engine: 'postgres', url: e.DATABASE_URL, statementTimeoutMs: e.PG_STATEMENT_TIMEOUT_MS } : { engine: 'sqlite' },
    redisUrl: e.REDIS_URL ?? null,
    redisPrefix: e.REDIS_PREFIX,
    logLevel: e.LOG_LEVEL,
    web: e.WEB === 'on',
    maxMessageBytes: e.MAX_MESSAGE_BYTES,
    maxDocBytes: e.MAX_DOC_BYTES,
    socketBudget: { messagesPer10s: e.COLLAB_MESSAGE_BUDGET, bytesPer10s, syncRepliesPerMinute: e.COLLAB_SYNC_BUDGET },
    maxBufferedBytes: e.COLLAB_MAX_BUFFERED_BYTES,
    maxPresenceBytes: e.COLLAB_MAX_PRESENCE_BYTES,
    idleMs: e.COLLAB_IDLE_MS,
    roleRefreshMs: e.COLLAB_ROLE_REFRESH_MS,
    compactAfterUpdates: e.COLLAB_COMPACT_AFTER_UPDATES,
    compactQuietMs: e.COLLAB_COMPACT_QUIET_MS,
    slowSendMs: e.COLLAB_SLOW_SEND_MS,
    slowCommitMs: e.COLLAB_SLOW_COMMIT_MS,
    catchUpPollMs: e.COLLAB_CATCH_UP_POLL_MS,
    seedDemo: e.SEED_DEMO === 'on',
    metricsToken: e.METRICS_TOKEN ?? null,
    signup: e.SIGNUP,
    trustedProxies: e.TRUST_PROXY,
    mail: e.SMTP_URL ? { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM } : null,
  };
}
