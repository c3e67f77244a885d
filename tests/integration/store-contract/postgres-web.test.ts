/**
 * Issue 14 §2 through the web app (the production build: `next build` first):
 * with DATABASE_URL=postgres://… a person signs up, creates a map and edits it
 * over y-websocket; a second server on another, empty DATA_DIR and the same
 * database then signs them in and serves the edit. Nothing of it was in DATA_DIR.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readMap, updateTouchpoint } from '../../../lib/journey/schema';
import { roomName } from '../../../lib/journey/rooms';
import { ApiClient } from '../../support/api-client';
import { TestServer, stopAllServers } from '../../support/server';
import { CollabClient, destroyAllCollabClients } from '../../support/collab-client';
import { PASSWORD, Team } from '../../support/people';
import { ENGINES, announceSkips, freshSchema } from './engines';

announceSkips('PostgreSQL web app');
const postgres = ENGINES.find((engine) => engine.name === 'postgres');
const skipReason = postgres ? postgres.skipReason : 'no postgres engine in ENGINES';

const drops: Array<() => Promise<void>> = [];
afterAll(async () => {
  destroyAllCollabClients();
  await stopAllServers();
  for (const drop of drops) await drop();
});

describe.skipIf(skipReason !== null)('the web app on PostgreSQL', () => {
  it('sign up, create a map, edit it over y-websocket; another server on an empty DATA_DIR signs in and has the edit', async () => {
    const { url, drop } = await freshSchema();
    drops.push(drop);
    const first = await TestServer.start({ env: { DATABASE_URL: url } });
    const health = (await (await fetch(`${first.url}/api/health`)).json()) as { store: string };
    expect(health.store).toBe('postgres');
    const olga = await new Team(first).signUp('Olga');
    const map = await olga.createMap('Moving house, on PostgreSQL', 'demo');
    const room = roomName(map.id, 'map');
    const editor = await olga.open(room);
    updateTouchpoint(editor.doc, 'tp-first-bill', { label: 'Edited through the web app' }, { userId: 'olga', kind: 'local' });
    const watcher = await olga.open(room);
    await watcher.until((doc) => readMap(doc).touchpoints['tp-first-bill']?.label === 'Edited through the web app', 'the edit to reach a second client');
    destroyAllCollabClients();
    await first.stop();

    const second = await TestServer.start({ env: { DATABASE_URL: url } });
    expect(second.dataDir).not.toBe(first.dataDir);
    const session = ApiClient.anonymous(second.url);
    expect((await session.signIn(olga.email, PASSWORD)).ok).toBe(true);
    const maps = await session.get<{ maps: Array<{ id: string; title: string }> }>('/api/maps');
    expect(maps.body.maps.map((m) => m.title)).toContain('Moving house, on PostgreSQL');
    const { body } = await session.post<{ token: string }>(`/api/maps/${map.id}/collab-token`);
    const fresh = await CollabClient.open(second.collabUrl, room, body.token);
    expect(readMap(fresh.doc).touchpoints['tp-first-bill']?.label).toBe('Edited through the web app');
  });
});
