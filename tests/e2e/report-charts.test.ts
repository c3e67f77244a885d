/**
 * Issue 13 §5 in Chromium on the production build: the report of a map with
 * no figures says how they arrive; after a year of figures is pushed through
 * PUT /api/maps/:id/metrics and an action is done on a touchpoint, the report
 * charts contacts and CSAT per stage (an SVG naming every stage), shows the
 * action's contacts and CSAT before → after, marks an overdue open action,
 * and prints without the app bar. SCREENSHOT_DIR=… keeps screenshots (1440
 * wide) and REPORT_PDF=… the printed PDF.
 */
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAction, readMap } from '../../lib/journey/schema';
import { demoMap } from '../../lib/journey/templates';
import { shiftPeriod } from '../../lib/measurements/period';
import type { MapSummary } from '../../server/services/maps';
import { SESSION_COOKIE } from '../support/api-client';
import { TestServer, stopAllServers } from '../support/server';
import { launchChromium } from '../support/chromium';
import { destroyAllCollabClients } from '../support/collab-client';
import { Team, type Person } from '../support/people';
import { ensureBuild } from './support/build';

const SOON = { timeout: 20_000 };
const DEMO = demoMap().map;
const STAGE_NAMES = DEMO.stages.map((stage) => stage.name);
/** Two touchpoints with external keys, in different stages. */
const KEYED = Object.values(DEMO.touchpoints).filter((t) => t.kind === 'touchpoint' && t.externalKey !== null);
const FIRST = KEYED[0];
const OTHER = KEYED.find((t) => t.stageId !== FIRST?.stageId);
const MONTHS = Array.from({ length: 12 }, (_, i) => shiftPeriod('2025-12', i)); // December 2025 … November 2026
const DONE_AT = Date.UTC(2026, 5, 15); // June 2026: before is March–May, after July–September
const BEFORE = new Set(['2026-03', '2026-04', '2026-05']);
const AFTER = new Set(['2026-07', '2026-08', '2026-09']);

let server: TestServer;
let browser: Browser;
let owner: Person;
let map: MapSummary;
const contexts: BrowserContext[] = [];

async function signedIn(person: Person): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  contexts.push(context);
  const cookie = person.session.sessionCookie;
  if (!cookie) throw new Error(`${person.name} has no session cookie`);
  await context.addCookies([{ name: SESSION_COOKIE, value: cookie, url: server.url }]);
  return context.newPage();
}

/** FIRST's contacts: 120 a month before the action, 90 after; CSAT 40 % before, 60 % after. */
function firstRow(period: string) {
  if (BEFORE.has(period)) return { contacts: 120, csat: { responses: 10, satisfied: 4 } };
  if (AFTER.has(period)) return { contacts: 90, csat: { responses: 10, satisfied: 6 } };
  return { contacts: 100 + Number(period.slice(5)), csat: { responses: 20, satisfied: 10 } };
}

beforeAll(async () => {
  if (!FIRST?.externalKey || !OTHER?.externalKey) throw new Error('the demo map has no two keyed touchpoints in different stages');
  ensureBuild();
  [server, browser] = await Promise.all([TestServer.start(), launchChromium()]);
  owner = await new Team(server).signUp('Rosa');
  map = await owner.createMap('Broadband, measured', 'demo');
}, 600_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  destroyAllCollabClients();
  await stopAllServers();
});

describe('the report with measured figures', () => {
  it('says how figures arrive while there are none', async () => {
    const page = await signedIn(owner);
    await page.goto(new URL(`/maps/${map.id}/report`, server.url).toString());
    const empty = page.getByTestId('no-figures');
    await empty.waitFor(SOON);
    expect(await empty.textContent()).toMatch(/nightly push/);
    expect(await empty.getByRole('link').getAttribute('href')).toBe('/settings/tokens');
    expect(await page.locator('.recharts-surface').count()).toBe(0);
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: path.join(process.env.SCREENSHOT_DIR, 'report-no-figures.png'), fullPage: true });
  });

  it('charts contacts and CSAT per stage, shows a done action before → after, marks an overdue one, and prints without the app bar', async () => {
    if (!FIRST?.externalKey || !OTHER?.externalKey) throw new Error('no keyed touchpoints');
    for (const [index, period] of MONTHS.entries()) {
      const rows = [
        { externalKey: FIRST.externalKey, ...firstRow(period) },
        // A month without OTHER's figures leaves a gap in its stage's lines.
        ...(index === 4 ? [] : [{ externalKey: OTHER.externalKey, contacts: 300 + 20 * index, csat: { responses: 40, satisfied: 20 + index } }]),
      ];
      const pushed = await owner.session.request('PUT', `/api/maps/${map.id}/metrics`, { period, rows });
      expect(pushed.status, pushed.text).toBe(200);
    }
    const collab = await owner.open(map.id);
    const origin = { userId: 'e2e', kind: 'local' as const };
    addAction(collab.doc, { touchpointId: FIRST.id, title: 'Explain the first bill before it arrives', ownerTeam: 'Billing', status: 'done' }, DONE_AT, origin);
    addAction(collab.doc, { touchpointId: OTHER.id, title: 'Call back within a day', ownerTeam: 'Care', due: '2026-01-15' }, DONE_AT, origin);
    // The server stores an update before it passes it on: a second client that has both actions has them stored.
    const reader = await owner.open(map.id);
    await reader.until((doc) => Object.keys(readMap(doc).actions).length === 2, 'both actions to reach another client', 20_000);

    const page = await signedIn(owner);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(new URL(`/maps/${map.id}/report`, server.url).toString());
    const contacts = page.getByTestId('chart-contacts');
    await contacts.locator('svg.recharts-surface').waitFor(SOON);
    // One line per stage, named in the SVG's description and in the legend.
    expect(await contacts.locator('.recharts-line').count()).toBe(STAGE_NAMES.length);
    const description = (await contacts.locator('svg.recharts-surface desc').textContent()) ?? '';
    for (const name of STAGE_NAMES) expect(description).toContain(name);
    const legend = (await page.getByRole('list', { name: 'Contacts per stage: stages' }).textContent()) ?? '';
    for (const name of STAGE_NAMES) expect(legend).toContain(name);
    await page.getByTestId('chart-csat').locator('svg.recharts-surface').waitFor(SOON);
    expect(await page.getByRole('heading', { name: /Measured figures/ }).textContent()).toContain('Dec 2025 – Nov 2026');

    // The stage table gains the latest month's measured figures: the last points of the lines.
    const firstStage = page.getByTestId(`stage-row-${FIRST.stageId}`);
    expect(await firstStage.getByTestId('measured-contacts').textContent()).toBe('111');
    expect(await firstStage.getByTestId('measured-csat').textContent()).toBe('50%');

    const done = page.getByTestId('outcomes-table').getByRole('row', { name: /Explain the first bill/ });
    const doneText = (await done.textContent()) ?? '';
    expect(doneText).toContain('120 → 90');
    expect(doneText).toContain('40% → 60%');
    expect(doneText).toContain('−30 (−25%) better');
    expect(doneText).toContain('+20 points better');
    expect(doneText).toContain(FIRST.label);
    const open = page.getByTestId('open-actions').getByRole('listitem').filter({ hasText: 'Call back within a day' });
    // Overdue by the reader's own date, judged once the page is live in the browser.
    await open.getByText('Overdue: due 2026-01-15').waitFor(SOON);
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: path.join(process.env.SCREENSHOT_DIR, 'report-figures.png'), fullPage: true });
    if (process.env.SCREENSHOT_DIR) {
      await contacts.scrollIntoViewIfNeeded();
      const box = await contacts.locator('svg.recharts-surface').boundingBox();
      if (box) await page.mouse.move(box.x + box.width * 0.62, box.y + box.height * 0.5, { steps: 8 });
      await contacts.locator('.recharts-tooltip-wrapper').getByText('Jul 2026').waitFor(SOON);
      await contacts.getByText('Contacts per stage: the numbers').click();
      await contacts.screenshot({ path: path.join(process.env.SCREENSHOT_DIR, 'report-chart-hover.png') });
    }
    // Drawn on the server and hydrated without a mismatch.
    expect(errors).toEqual([]);

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header').first().isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
    expect(await contacts.locator('svg.recharts-surface').isVisible()).toBe(true);
    if (process.env.REPORT_PDF) {
      await page.pdf({ path: process.env.REPORT_PDF, format: 'A4', printBackground: true });
      await page.pdf({ path: process.env.REPORT_PDF.replace(/\.pdf$/, '-landscape.pdf'), format: 'A4', landscape: true, printBackground: true });
    }
    await page.emulateMedia({ media: 'screen' });
    expect(await page.locator('header').first().isVisible()).toBe(true);
  });

  it('ends the charts with the month asked for, and ignores a period that is not a month', async () => {
    const page = await signedIn(owner);
    await page.goto(new URL(`/maps/${map.id}/report?period=2026-06`, server.url).toString());
    await page.getByTestId('chart-contacts').locator('svg.recharts-surface').waitFor(SOON);
    expect(await page.getByRole('heading', { name: /Measured figures/ }).textContent()).toContain('Jul 2025 – Jun 2026');
    expect(await page.getByLabel('Ending with').inputValue()).toBe('2026-06');

    for (const bad of ['2026-13', '<script>alert(1)</script>', 'x'.repeat(5000), '2026-06&period=2026-07']) {
      const answer = await page.goto(new URL(`/maps/${map.id}/report?period=${encodeURIComponent(bad)}`, server.url).toString());
      expect(answer?.status(), bad.slice(0, 40)).toBe(200);
      expect(await page.getByRole('heading', { name: /Measured figures/ }).textContent()).toContain('Dec 2025 – Nov 2026');
    }
    const twice = await page.goto(new URL(`/maps/${map.id}/report?period=2026-06&period=2026-07`, server.url).toString());
    expect(twice?.status()).toBe(200);
    expect(await page.getByRole('heading', { name: /Measured figures/ }).textContent()).toContain('Dec 2025 – Nov 2026');
  });
});
