/**
 * The room every server holds: a map created the way the app creates one
 * (createMapFromTemplate, template 'blank'), then one stored update that adds
 * 2,000 touchpoints. Built once per bench process: ours copies the prepared
 * DATA_DIR, the peers load the same document state from a file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import type { AccountStore } from '../../../server/accounts/account-store';
import { SqliteAccountStore } from '../../../server/accounts/sqlite-account-store';
import { openSqlite } from '../../../server/db/sqlite';
import { createMapFromTemplate } from '../../../server/maps/create-map';
import { applyStoredDoc } from '../../../server/store/apply-stored';
import type { DocStore } from '../../../server/store/doc-store';
import { SqliteDocStore } from '../../../server/store/sqlite-doc-store';
import { addTouchpoint, getStageIds } from '../../../lib/journey/schema';
import type { EditOrigin } from '../../../lib/journey/origin';
import { CHANNELS } from '../../../lib/journey/types';
import { seededRandom } from '../../support/seeded-random';

const ORIGIN: EditOrigin = { userId: 'bench', kind: 'system' };
const TEAMS = ['Sales', 'Marketing', 'IT', 'Billing', 'Logistics', 'Operations', 'Legal', 'Product'] as const;

export interface Fixture {
  /** Scratch directory of this bench process; removed at the end. */
  workDir: string;
  mapId: string;
  /** A DATA_DIR holding the map (SQLite), to be copied for each run of our server. */
  dataDirTemplate: string;
  /** The whole document as one Yjs update, for the peers (same content as the DATA_DIR). */
  stateFile: string;
  stateBytes: number;
  touchpointIds: string[];
  /** Readers that are members of the map (the largest size of the bench). */
  readers: number;
}

const random = seededRandom;

/** Adds `count` realistic touchpoints (owners, emotions, 0–3 pain points) to a map document. */
export function addBenchTouchpoints(doc: Y.Doc, count: number, seed = 42): string[] {
  const next = random(seed);
  const int = (below: number): number => Math.floor(next() * below);
  const stages = getStageIds(doc);
  const ids: string[] = [];
  doc.transact(() => {
    for (let i = 0; i < count; i++) {
      const stageIndex = int(stages.length);
      const painCount = int(4);
      const id = addTouchpoint(
        doc,
        {
          id: `tp-${i}`,
          label: `Touchpoint ${i + 1}`,
          stageId: stages[stageIndex] ?? null,
          channel: CHANNELS[int(CHANNELS.length)] ?? 'other',
          owner: next() < 0.1 ? null : (TEAMS[int(TEAMS.length)] ?? null),
          emotion: next() < 0.2 ? null : int(5) - 2,
          contactVolume: int(5000),
          x: stageIndex * 280 + 40,
          y: 80 + (i % 40) * 140,
          painPoints: Array.from({ length: painCount }, (_, p) => ({
            id: `pp-${i}-${p}`,
            text: `Pain point ${p + 1} of touchpoint ${i + 1}`,
            severity: 1 + int(5),
            frequency: 1 + int(5),
          })),
        },
        ORIGIN,
      );
      ids.push(id);
    }
  }, ORIGIN);
  return ids;
}

/** The user ids behind the bench's tokens: our server lets only a map's members in. */
export const WRITER_USER = 'bench-writer';
export const readerUser = (index: number): string => `bench-reader-${index}`;

/** The bench's map in a store: what both engines' fixtures hold. */
export interface PopulatedMap {
  mapId: string;
  touchpointIds: string[];
}

/**
 * Creates the bench's map in `store` (the blank template, then one stored
 * update adding `touchpoints` touchpoints, as if one client had added them
 * all) and makes the writer an editor and each of `maxConnections` readers a
 * viewer of it. The same on SQLite and PostgreSQL.
 */
export async function populateMap(store: DocStore, accounts: AccountStore, touchpoints: number, maxConnections: number): Promise<PopulatedMap> {
  const doc = new Y.Doc();
  try {
    const map = await createMapFromTemplate(store, { template: 'blank', title: `Bench map (${touchpoints} touchpoints)` });
    // One editor who writes, and a viewer per connection, each a member of the map.
    const members: Array<{ id: string; role: 'editor' | 'viewer' }> = [{ id: WRITER_USER, role: 'editor' }];
    for (let i = 0; i < maxConnections; i++) members.push({ id: readerUser(i), role: 'viewer' });
    for (const member of members) {
      await accounts.createUser({ id: member.id, email: `${member.id}@bench.invalid`, name: member.id, passwordHash: null });
      await accounts.setMember(map.id, member.id, member.role, null);
    }
    applyStoredDoc(doc, await store.load(map.id));
    const before = Y.encodeStateVector(doc);
    const touchpointIds = addBenchTouchpoints(doc, touchpoints);
    await store.append([{ room: map.id, update: Y.encodeStateAsUpdate(doc, before) }]);
    return { mapId: map.id, touchpointIds };
  } finally {
    doc.destroy();
  }
}

export async function buildFixture(touchpoints: number, maxConnections: number): Promise<Fixture> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sync-'));
  const dataDirTemplate = path.join(workDir, 'data-template');
  const db = openSqlite(dataDirTemplate);
  // A throwaway database: no fsync per statement while filling it.
  db.pragma('synchronous = OFF');
  const store = new SqliteDocStore(db);
  const accounts = new SqliteAccountStore(db);
  try {
    const { mapId, touchpointIds } = await populateMap(store, accounts, touchpoints, maxConnections);

    // The peers get exactly what our server will load from its store.
    const check = new Y.Doc();
    applyStoredDoc(check, await store.load(mapId));
    const state = Y.encodeStateAsUpdate(check);
    check.destroy();
    const stateFile = path.join(workDir, 'state.bin');
    fs.writeFileSync(stateFile, state);
    return { workDir, mapId, dataDirTemplate, stateFile, stateBytes: state.byteLength, touchpointIds, readers: maxConnections };
  } finally {
    await store.close();
  }
}

/** A fresh DATA_DIR for one run of our server: a copy of the template (the database is closed, so its files are whole). */
export function freshDataDir(fixture: Fixture, label: string): string {
  const dir = fs.mkdtempSync(path.join(fixture.workDir, `${label}-`));
  for (const file of fs.readdirSync(fixture.dataDirTemplate)) {
    fs.copyFileSync(path.join(fixture.dataDirTemplate, file), path.join(dir, file));
  }
  return dir;
}

export function removeFixture(fixture: Fixture): void {
  fs.rmSync(fixture.workDir, { recursive: true, force: true });
}

/** A personal access token of WRITER_USER in the DATA_DIR's database (closed again), for a bench that calls the HTTP API. */
export async function createBenchToken(dataDir: string, scope: 'write' | 'metrics', name: string): Promise<string> {
  const token = `jhp_${crypto.randomBytes(24).toString('base64url')}`;
  const db = openSqlite(dataDir);
  try {
    await new SqliteAccountStore(db).createToken({
      id: crypto.randomUUID(),
      userId: WRITER_USER,
      name,
      tokenHash: crypto.createHash('sha256').update(token).digest('hex'),
      scope,
      expiresAt: null,
    });
  } finally {
    db.close();
  }
  return token;
}
