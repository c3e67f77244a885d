/**
 * seedWorkspace (workspace.ts) for PostgreSQL: the test users, and maps from
 * the templates with every test user a member in the role they are named
 * for, written into the database at `url` (its schema migrated on the way).
 * Safe while servers run on that database: they read maps and members from it.
 */
import type { TemplateName } from '../../../lib/journey/templates';
import { PgAccountStore } from '../../../server/accounts/pg-account-store';
import { openPostgres } from '../../../server/db/postgres';
import { createMapFromTemplate } from '../../../server/maps/create-map';
import { PgDocStore } from '../../../server/store/pg-doc-store';
import { USERS } from './workspace';

export async function seedPostgresUsers(url: string): Promise<void> {
  const pool = await openPostgres(url);
  try {
    const accounts = new PgAccountStore(pool);
    for (const user of Object.values(USERS)) await accounts.createUser({ id: user.id, email: `${user.id}@journeyhub.test`, name: user.name, passwordHash: null });
  } finally {
    await pool.end();
  }
}

/** A map from the template, every seeded user a member; its id. */
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
