/**
 * A fresh PostgreSQL schema holding the test users and one demo map they are
 * members of: what the suites that run several processes on one database
 * start from. The schema is dropped by `dropPostgresWorkspaces`.
 */
import { PgAccountStore } from '../../../server/accounts/pg-account-store';
import { openPostgres } from '../../../server/db/postgres';
import { createMapFromTemplate } from '../../../server/maps/create-map';
import { PgDocStore } from '../../../server/store/pg-doc-store';
import { freshSchema } from '../store-contract/engines';
import { USERS } from './workspace';

const drops: Array<() => Promise<void>> = [];

export async function seedPostgresWorkspace(): Promise<{ url: string; mapId: string }> {
  const { url, drop } = await freshSchema();
  drops.push(drop);
  const pool = await openPostgres(url);
  try {
    const accounts = new PgAccountStore(pool);
    for (const user of Object.values(USERS)) await accounts.createUser({ id: user.id, email: `${user.id}@journeyhub.test`, name: user.name, passwordHash: null });
    const mapId = (await createMapFromTemplate(new PgDocStore(pool, { ownsPool: false }), { template: 'demo' })).id;
    for (const user of Object.values(USERS)) if (user.role) await accounts.setMember(mapId, user.id, user.role, null);
    return { url, mapId };
  } finally {
    await pool.end();
  }
}

/** Drops every schema seeded so far (call it in afterAll, after the servers stopped). */
export async function dropPostgresWorkspaces(): Promise<void> {
  for (const drop of drops.splice(0)) await drop();
}
