/**
 * The data a test server starts on. Written into DATA_DIR before the server
 * process starts (never while it runs): users, maps from the templates, and
 * every test user as a member of every map with the role they are named for.
 * In the postgres+redis run (tests/support/engine.ts) they go to the DATA_DIR's
 * PostgreSQL schema, where the servers started on that DATA_DIR look for them.
 * Read back, while the server runs, through ./database.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Role } from '../../../lib/permissions/roles';
import type { TemplateName } from '../../../lib/journey/templates';
import { openStores } from '../../../server/db/open-stores';
import { createMapFromTemplate } from '../../../server/maps/create-map';
import { engineDatabaseUrl, prepareEngine } from '../../support/engine';
import { withServerDatabase } from './database';

export interface TestUser {
  id: string;
  name: string;
  /** The user's role on every seeded map; null: a signed-up user who is a member of none. */
  role: Role | null;
}

export const USERS = {
  owner: { id: 'user-olivia', name: 'Olivia Owner', role: 'owner' },
  editor: { id: 'user-eddie', name: 'Eddie Editor', role: 'editor' },
  editor2: { id: 'user-erin', name: 'Erin Editor', role: 'editor' },
  editor3: { id: 'user-emil', name: 'Emil Editor', role: 'editor' },
  editor4: { id: 'user-esme', name: 'Esme Editor', role: 'editor' },
  commenter: { id: 'user-cora', name: 'Cora Commenter', role: 'commenter' },
  commenter2: { id: 'user-carl', name: 'Carl Commenter', role: 'commenter' },
  viewer: { id: 'user-vic', name: 'Vic Viewer', role: 'viewer' },
  stranger: { id: 'user-sam', name: 'Sam Stranger', role: null },
} as const satisfies Record<string, TestUser>;

export type UserKey = keyof typeof USERS;

export interface Workspace {
  dataDir: string;
  /** Map ids, in the order of the templates asked for. */
  mapIds: string[];
}

/** A fresh DATA_DIR holding the test users and one map per template. */
export async function seedWorkspace(templates: TemplateName[]): Promise<Workspace> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyhub-it-'));
  await prepareEngine(dataDir);
  const url = engineDatabaseUrl(dataDir);
  const stores = await openStores(url ? { engine: 'postgres', url } : { engine: 'sqlite' }, dataDir);
  try {
    const { store, accounts } = stores;
    for (const user of Object.values(USERS)) {
      await accounts.createUser({ id: user.id, email: `${user.id}@journeyhub.test`, name: user.name, passwordHash: null });
    }
    const mapIds: string[] = [];
    for (const template of templates) {
      const map = await createMapFromTemplate(store, { template });
      for (const user of Object.values(USERS)) {
        if (user.role) await accounts.setMember(map.id, user.id, user.role, null);
      }
      mapIds.push(map.id);
    }
    return { dataDir, mapIds };
  } finally {
    await stores.close();
  }
}

export interface RoomStorage {
  /** Rows in the room's update log. */
  logRows: number;
  /** seq of the room's snapshot (0: the initial one written with the map), null without one. */
  snapshotSeq: number | null;
}

/** What the store holds for the room, on the DATA_DIR's engine (SQLite or PostgreSQL). */
export function roomStorage(dataDir: string, room: string): Promise<RoomStorage> {
  return withServerDatabase(dataDir, async (db) => {
    const logRows = (await db.get<{ n: number }>('SELECT count(*) AS n FROM doc_updates WHERE room = ?', [room]))?.n ?? 0;
    const snapshot = await db.get<{ seq: number }>('SELECT seq FROM doc_snapshots WHERE room = ?', [room]);
    return { logRows, snapshotSeq: snapshot?.seq ?? null };
  });
}
