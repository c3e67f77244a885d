/**
 * Issue 12 §1 in Chromium on the production build: a map whose stored state
 * cannot be read shows a "Damaged" badge on the dashboard of everyone on it;
 * its owner follows "Restore a saved version", restores one, and the map opens
 * on its canvas again. An editor sees the badge, the map page that says who
 * can repair it, and no way to restore.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomName } from '../../lib/journey/rooms';
import { SQLITE_FILE } from '../../server/db/sqlite';
import type { MapSummary } from '../../server/services/maps';
import { SESSION_COOKIE } from '../support/api-client';
import { TestServer, stopAllServers } from '../support/server';
import { launchChromium } from '../support/chromium';
import { Team, type Person } from '../support/people';
import { Dashboard, MapPage } from '../support/ui';
import { ensureBuild } from './support/build';

const SOON = { timeout: 20_000 };
const TITLE = 'Claims journey, damaged';

let server: TestServer;
let browser: Browser;
let olga: Person;
let eddie: Person;
let map: MapSummary;
const contexts: BrowserContext[] = [];

/** A browser signed in as `person`, with the session the API signed them in with. */
async function signedIn(person: Person): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  const cookie = person.session.sessionCookie;
  if (!cookie) throw new Error(`${person.name} has no session cookie`);
  await context.addCookies([{ name: SESSION_COOKIE, value: cookie, url: server.url }]);
  return context.newPage();
}

beforeAll(async () => {
  ensureBuild();
  [server, browser] = await Promise.all([TestServer.start(), launchChromium()]);
  const team = new Team(server);
  [olga, eddie] = await Promise.all([team.signUp('Olga'), team.signUp('Eddie')]);
  map = await olga.createMap(TITLE, 'demo');
  await olga.invite(map.id, eddie.email, 'editor');
  expect((await olga.api.post(`/api/maps/${map.id}/versions`, { name: 'Signed off in March' })).status).toBe(201);
  // Nobody has opened the map: its snapshot is all there is, and now it is not a Yjs update.
  const db = new Database(path.join(server.dataDir, SQLITE_FILE));
  try {
    db.prepare<[Uint8Array, string]>('UPDATE doc_snapshots SET state = ? WHERE room = ?').run(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f]), roomName(map.id, 'map'));
  } finally {
    db.close();
  }
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await stopAllServers();
});

describe('a damaged map on the dashboard', () => {
  it('an editor sees the badge and who can repair it, and no way to restore', async () => {
    const page = await signedIn(eddie);
    await page.goto(server.url);
    const dashboard = await new Dashboard(page).ready();
    const card = dashboard.card(TITLE);
    await card.getByTestId(`damaged-${map.id}`).waitFor(SOON);
    expect(await card.getByRole('note', { name: 'Damaged map' }).textContent()).toContain('Its owner can restore a saved version');
    expect(await card.getByRole('link', { name: 'Restore a saved version' }).count()).toBe(0);
    await card.getByRole('link', { name: TITLE }).click();
    await page.getByTestId('damaged-map').waitFor(SOON);
  });

  it('the owner sees the badge, restores a saved version, and the map opens on its canvas', async () => {
    const page = await signedIn(olga);
    await page.goto(server.url);
    const dashboard = await new Dashboard(page).ready();
    const card = dashboard.card(TITLE);
    await card.getByTestId(`damaged-${map.id}`).waitFor(SOON);

    await card.getByRole('link', { name: 'Restore a saved version' }).click();
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor(SOON);
    await page.getByRole('note', { name: 'Damaged map' }).waitFor(SOON);
    const version = page.getByRole('list', { name: 'Versions' }).getByRole('listitem').filter({ hasText: 'Signed off in March' });
    page.once('dialog', (dialog) => void dialog.accept());
    await version.getByRole('button', { name: 'Restore this version' }).click();

    await page.waitForURL(new RegExp(`/maps/${map.id}$`), SOON);
    await new MapPage(page).ready(TITLE);
    await page.getByTestId('rf__node-tp-social-ads').waitFor(SOON);
    await page.goto(server.url);
    await (await new Dashboard(page).ready()).card(TITLE).getByRole('link', { name: 'Open map' }).waitFor(SOON);
    expect(await page.getByTestId(`damaged-${map.id}`).count()).toBe(0);
  });
});
