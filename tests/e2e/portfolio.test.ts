/**
 * Issue 13 §4 in Chromium on the production build: the lead's portfolio and
 * teams pages across two maps with different owners, figures and actions.
 * The lead sees both maps, sorts by a column header (a plain link), sees the
 * map whose figures arrived after its review flagged stale, and the teams of
 * both maps; a stakeholder (a commenter on one map) sees that map only —
 * never the other map, nor a stranger's. SCREENSHOT_DIR=… keeps screenshots
 * of both pages there.
 */
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EditOrigin } from '../../lib/journey/origin';
import { addAction, addStage, addTouchpoint, markReviewed, readMap, setStageAccountable } from '../../lib/journey/schema';
import { roomName } from '../../lib/journey/rooms';
import type { MapSummary } from '../../server/services/maps';
import type { PortfolioAnswer } from '../../server/services/portfolio';
import { TestServer, stopAllServers } from '../support/server';
import { launchChromium } from '../support/chromium';
import { Team, type Person } from '../support/people';
import { Dashboard, LoginPage } from '../support/ui';
import { waitFor } from '../support/wait';
import { ensureBuild } from './support/build';
import { VIEWPORT } from './support/workshop';

const TIMEOUT = 20_000;

let server: TestServer;
let browser: Browser;
let lea: Person;
let sam: Person;
let broadband: MapSummary;
let mobile: MapSummary;
let secret: MapSummary;
const contexts: BrowserContext[] = [];

/** Edits a map through the collaboration websocket, as a canvas would, and waits until the portfolio reads them back. */
async function edit(person: Person, mapId: string, work: (doc: Parameters<typeof readMap>[0], origin: EditOrigin) => void, stored: (answer: PortfolioAnswer) => boolean): Promise<void> {
  const client = await person.open(roomName(mapId, 'map'));
  try {
    work(client.doc, { userId: person.email, kind: 'local' });
    await waitFor(async () => stored((await person.api.get<PortfolioAnswer>('/api/portfolio')).body), { timeout: TIMEOUT, message: `${person.name}'s edit of ${mapId} stored` });
  } finally {
    client.destroy();
  }
}

const row = (answer: PortfolioAnswer, id: string) => answer.maps.find((m) => m.id === id);

beforeAll(async () => {
  ensureBuild();
  [server, browser] = await Promise.all([TestServer.start(), launchChromium()]);
  const team = new Team(server);
  [lea, sam] = await Promise.all([team.signUp('Lea Lead', team.emailFor('lea')), team.signUp('Sam Stake', team.emailFor('sam'))]);
  const bruno = await team.signUp('Bruno');
  broadband = await lea.createMap('Broadband switch', 'demo');
  mobile = await lea.createMap('Mobile onboarding', 'blank');
  secret = await bruno.createMap('Bruno secret roadmap', 'demo');
  await lea.invite(mobile.id, sam.email, 'commenter');

  // Broadband: reviewed, then an overdue action for Billing, then figures: they arrived after the review.
  await edit(
    lea,
    broadband.id,
    (doc, origin) => {
      markReviewed(doc, 'Lea Lead', Date.now() - 60_000, origin);
      addAction(doc, { touchpointId: 'tp-first-bill', title: 'Explain the first bill', ownerTeam: 'Billing', due: '2020-01-31', status: 'doing' }, Date.now(), origin);
    },
    (answer) => row(answer, broadband.id)?.damaged === false && (row(answer, broadband.id) as { openActions: number }).openActions === 1,
  );
  const pushed = await lea.api.request('PUT', `/api/maps/${broadband.id}/metrics`, { period: '2026-11', rows: [{ touchpointId: 'tp-first-bill', contacts: 1500, csat: { responses: 10, satisfied: 6 } }] });
  expect(pushed.status, pushed.text).toBe(200);

  // Mobile: its own team, Retail, accountable for its one stage; an action not yet due; reviewed just now.
  await edit(
    lea,
    mobile.id,
    (doc, origin) => {
      const stageId = addStage(doc, { name: 'Activate SIM' }, origin);
      setStageAccountable(doc, stageId, 'Retail', origin);
      const tp = addTouchpoint(doc, { label: 'Activation text', stageId, owner: 'Retail', contactVolume: 40, painPoints: [{ text: 'Code expired', severity: 3, frequency: 2 }] }, origin);
      addAction(doc, { touchpointId: tp, title: 'Longer code lifetime', ownerTeam: 'Retail', due: '2099-01-01' }, Date.now(), origin);
      markReviewed(doc, 'Lea Lead', Date.now(), origin);
    },
    (answer) => (row(answer, mobile.id) as { openActions?: number } | undefined)?.openActions === 1,
  );
}, 600_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await stopAllServers();
});

async function signIn(person: Person): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  contexts.push(context);
  const page = await context.newPage();
  const login = await new LoginPage(page).open(server.url);
  await login.page.getByLabel('Email').fill(person.email);
  await login.page.getByLabel('Password').fill(person.password);
  await login.page.getByRole('button', { name: 'Sign in' }).click();
  await new Dashboard(page).ready();
  return page;
}

async function titlesInOrder(page: Page): Promise<string[]> {
  const rows = page.getByRole('table', { name: 'Maps in your portfolio' }).locator('tbody tr th a:first-child');
  return (await rows.allTextContents()).map((t) => t.trim());
}

describe('the portfolio and teams pages', () => {
  it('the lead sees both maps, sorts by a column, sees the stale flag, and the teams of both maps', async () => {
    const page = await signIn(lea);
    await page.getByRole('banner').getByRole('link', { name: 'Portfolio' }).click();
    await page.getByRole('heading', { name: 'Portfolio' }).waitFor({ timeout: TIMEOUT });
    expect(await titlesInOrder(page)).toEqual(['Broadband switch', 'Mobile onboarding']);

    // Figures arrived after Broadband's review: stale. Mobile was reviewed after its last change and has no figures.
    const broadbandRow = page.getByTestId(`portfolio-row-${broadband.id}`);
    expect(await page.getByTestId(`stale-${broadband.id}`).textContent()).toContain('New figures since the review');
    expect(await page.getByTestId(`stale-${mobile.id}`).count()).toBe(0);
    expect(await broadbandRow.textContent()).toContain('1,500');
    expect(await broadbandRow.textContent()).toContain('60%');

    // Sorting is a link: estimated contacts, largest first (the demo map's thousands before Mobile's 40), then the other way.
    await page.getByTestId('sort-estimated').click();
    await page.waitForURL(/sort=estimated&dir=desc/, { timeout: TIMEOUT });
    expect(await titlesInOrder(page)).toEqual(['Broadband switch', 'Mobile onboarding']);
    await page.getByTestId('sort-estimated').click();
    await page.waitForURL(/sort=estimated&dir=asc/, { timeout: TIMEOUT });
    expect(await titlesInOrder(page)).toEqual(['Mobile onboarding', 'Broadband switch']);
    expect(await page.locator('th[aria-sort="ascending"]').textContent()).toContain('Est. contacts');
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: path.join(process.env.SCREENSHOT_DIR, 'portfolio.png'), fullPage: true });
    expect(await page.content()).not.toContain(secret.title);

    await page.getByRole('banner').getByRole('link', { name: 'Teams' }).click();
    await page.getByRole('heading', { name: 'Teams across your maps' }).waitFor({ timeout: TIMEOUT });
    const billing = page.getByTestId('team-row-billing');
    expect(await billing.locator('td').last().textContent()).toBe('1');
    expect(await page.getByTestId('team-row-retail').count()).toBe(1);
    expect(await page.getByTestId('nobody').textContent()).toContain('Renew or leave');
    const retail = page.getByTestId('team-retail');
    expect(await retail.textContent()).toContain('Mobile onboarding › Activate SIM');
    expect(await retail.getByTestId('team-action').textContent()).toContain('Longer code lifetime');
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: path.join(process.env.SCREENSHOT_DIR, 'teams.png'), fullPage: true });
    expect(await page.content()).not.toContain(secret.title);
  });

  it('a stakeholder (a commenter on Mobile) sees only Mobile: never Broadband, never a stranger\'s map', async () => {
    const page = await signIn(sam);
    await page.goto(new URL('/portfolio', server.url).toString());
    await page.getByRole('heading', { name: 'Portfolio' }).waitFor({ timeout: TIMEOUT });
    expect(await titlesInOrder(page)).toEqual(['Mobile onboarding']);
    const html = await page.content();
    for (const hidden of [broadband.title, broadband.id, secret.title, secret.id]) expect(html).not.toContain(hidden);

    await page.goto(new URL('/teams?sort=team&dir=asc', server.url).toString());
    await page.getByRole('heading', { name: 'Teams across your maps' }).waitFor({ timeout: TIMEOUT });
    const teamsHtml = await page.content();
    expect(await page.getByTestId('team-row-retail').count()).toBe(1);
    // Billing and the rest are Broadband's teams (and Bruno's demo map's).
    expect(await page.getByTestId('team-row-billing').count()).toBe(0);
    for (const hidden of [broadband.title, broadband.id, secret.title, secret.id, 'Explain the first bill']) expect(teamsHtml).not.toContain(hidden);
  });
});
