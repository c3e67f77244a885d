/**
 * The test users and demo maps they are members of, in PostgreSQL: what the
 * suites that run several processes on one database start from. Either a
 * fresh schema of TEST_DATABASE_URL with one map (`seedPostgresWorkspace`,
 * dropped by `dropPostgresWorkspaces`), or the users (`seedPostgresUsers`)
 * and then maps (`createPostgresMap`) in a database a test brings (a cluster's
 * schema, a private PostgreSQL). Safe while servers run on that database:
 * they read maps and members from it.
 */
import type { TemplateName } from '../../../lib/journey/templates';
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
  await seedPostgresUsers(url);
  return { url, mapId: await createPostgresMap(url) };
}

/** Drops every schema seeded so far (call it in afterAll, after the servers stopped). */
export async function dropPostgresWorkspaces(): Promise<void> {
  for (const drop of drops.splice(0)) await drop();
}

/** The test users, in the database at `url` (its schema migrated on the way). */
export async function seedPostgresUsers(url: string): Promise<void> {
  const pool = await openPostgres(url);
  try {
    const accounts = new PgAccountStore(pool);
    for (const user of Object.values(USERS)) await accounts.createUser({ id: user.id, email: `${user.id}@journeyhub.test`, name: user.name, passwordHash: null });
  } finally {
    await pool.end();
  }
}

/** A map from the template, every seeded user a member in the role they are named for; its id. */
export async function createPostgresMap(url: string, template: TemplateName = 'demo'): Promise<string> {
  const pool = await openPostgres(url);
  try {
    const accounts = new PgAccountStore(pool);
    const { id } = await createMapFromTemplate(new PgDocStore(pool, { ownsPool: false }), { template });
    for (const user of Object.values(USERS)) if (user.role) await accounts.setMember(id, user.id, user.role, null);
    return id;
  } finally {
    await pool.end();
  }
}
