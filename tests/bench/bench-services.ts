/**
 * The services of the CLI's kind (no collaboration server: every read goes to
 * the store) on a fresh SQLite file, and one signed-up person, for the benches
 * that call the services in process.
 */
import crypto from 'node:crypto';
import { SqliteAccountStore } from '../../server/accounts/sqlite-account-store';
import type { SqliteDatabase } from '../../server/db/sqlite';
import { loadPdfRenderer } from '../../server/exchange/load-pdf-renderer';
import type { Actor, ServiceContext } from '../../server/services/context';
import { NO_LIVE_CHANGES } from '../../server/services/live-changes';
import { memoryRateLimits } from '../../server/services/rate-limits';
import { SqliteDocStore } from '../../server/store/sqlite-doc-store';
import { SqliteHistoryStore } from '../../server/store/sqlite-history-store';
import { SqliteMeasurementStore } from '../../server/store/sqlite-measurement-store';

export async function benchServices(db: SqliteDatabase): Promise<{ ctx: ServiceContext; actor: Actor }> {
  const ctx: ServiceContext = {
    store: new SqliteDocStore(db),
    accounts: new SqliteAccountStore(db),
    history: new SqliteHistoryStore(db),
    measurements: new SqliteMeasurementStore(db),
    secret: crypto.randomBytes(32).toString('hex'),
    collab: null,
    live: NO_LIVE_CHANGES,
    rateLimits: memoryRateLimits(),
    renderPdfReport: loadPdfRenderer,
  };
  const actor = { id: crypto.randomUUID(), email: 'lead@example.com', name: 'Lea Lead' };
  await ctx.accounts.createUser({ ...actor, passwordHash: null, emailVerified: true });
  return { ctx, actor };
}
