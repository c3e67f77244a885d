/**
 * A PostgreSQL statement that never returns (a lock held by someone else, a
 * database that stopped answering) must not hold the process's update
 * pipeline: every room's edits queue behind one append. PG_STATEMENT_TIMEOUT_MS
 * ends it; the writer is closed with 1011 like any failed append, reconnects
 * and sends its edit again, which lands once the database moves.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { readMap, updateTouchpoint } from '../../lib/journey/schema';
import { ADVISORY_LOCK } from '../../server/db/postgres';
import { roomLockKey } from '../../server/store/pg-doc-store';
import { announceSkips, postgresSkipReason } from './store-contract/engines';
import { dropPostgresWorkspaces, seedPostgresWorkspace } from './support/postgres-workspace';
import { destroyAllClients, joinSynced, mapRoom } from './support/clients';
import { TestServer, stopAllServers } from '../support/server';

announceSkips('PostgreSQL statement timeout');
const skip = postgresSkipReason;

afterAll(async () => {
  destroyAllClients();
  await stopAllServers();
  await dropPostgresWorkspaces();
});

describe.skipIf(skip !== null)('an append that PostgreSQL does not answer', () => {
  it('is given up after PG_STATEMENT_TIMEOUT_MS: the writer is closed with 1011, and its edit is stored once the lock is let go', async () => {
    const { url, mapId } = await seedPostgresWorkspace();
    const server = await TestServer.start({ web: false, env: { DATABASE_URL: url, PG_STATEMENT_TIMEOUT_MS: '1500' } });
    const room = mapRoom(mapId);
    const writer = await joinSynced(server, room, 'editor', mapId);
    const id = Object.keys(readMap(writer.doc).touchpoints).sort()[0] ?? 'hub';

    // Someone else holds the room's lock: the append waits for it.
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1, $2)', [ADVISORY_LOCK.room, roomLockKey(room)]);
      const started = Date.now();
      updateTouchpoint(writer.doc, id, { label: 'Written while the lock was held' }, writer.origin);
      const close = await writer.nextClose({ timeout: 15_000 });
      expect(close.code).toBe(1011);
      expect(Date.now() - started).toBeLessThan(10_000);
      await holder.query('COMMIT');
    } finally {
      await holder.end();
    }
    // The client reconnected and sent its edit again: stored, and a newcomer has it.
    const reader = await joinSynced(server, room, 'viewer', mapId);
    await reader.until((doc) => readMap(doc).touchpoints[id]?.label === 'Written while the lock was held', { timeout: 20_000 });
  }, 60_000);
});
