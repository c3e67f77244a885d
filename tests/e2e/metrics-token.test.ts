/**
 * Issue 13 §2 in Chromium on the production build: a "push measured figures
 * only" token made on the settings page pushes a month of figures to the
 * person's map and is refused everything else. SCREENSHOT_DIR=… keeps a
 * screenshot of the settings page there.
 */
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoMap } from '../../lib/journey/templates';
import { ApiClient, type ErrorBody } from '../support/api-client';
import { TestServer, stopAllServers } from '../support/server';
import { launchChromium } from '../support/chromium';
import { Team } from '../support/people';
import { Dashboard, LoginPage } from '../support/ui';
import { ensureBuild } from './support/build';

const TIMEOUT = 20_000;

let server: TestServer;
let browser: Browser;
let team: Team;
let context: BrowserContext | null = null;

beforeAll(async () => {
  ensureBuild();
  [server, browser] = await Promise.all([TestServer.start(), launchChromium()]);
  team = new Team(server);
}, 600_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stopAllServers();
});

describe('a metrics token made on the settings page', () => {
  it('pushes figures to the person\'s map, and is refused every other route', async () => {
    const mia = await team.signUp('Mia');
    const map = await mia.createMap('Nightly figures', 'demo');
    context = await browser.newContext();
    const page: Page = await context.newPage();
    const login = await new LoginPage(page).open(server.url);
    await login.page.getByLabel('Email').fill(mia.email);
    await login.page.getByLabel('Password').fill(mia.password);
    await login.page.getByRole('button', { name: 'Sign in' }).click();
    await new Dashboard(page).ready();

    await page.goto(new URL('/settings/tokens', server.url).toString());
    await page.getByRole('heading', { name: 'Personal access tokens' }).waitFor({ timeout: TIMEOUT });
    await page.getByLabel('Token name').fill('Contact center feed');
    await page.getByLabel('Access').selectOption('metrics');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = ((await page.getByTestId('new-token').textContent({ timeout: TIMEOUT })) ?? '').trim();
    expect(token).toMatch(/^jhp_/);
    const row = page.getByTestId('token-row').filter({ hasText: 'Contact center feed' });
    await row.waitFor({ timeout: TIMEOUT });
    expect(await row.getByTestId('token-scope').textContent()).toBe('Push measured figures only');
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: path.join(process.env.SCREENSHOT_DIR, 'settings-tokens-metrics.png'), fullPage: true });

    const feed = ApiClient.withToken(server.url, token);
    const key = Object.values(demoMap().map.touchpoints).find((t) => t.externalKey !== null)?.externalKey;
    const pushed = await feed.request('PUT', `/api/maps/${map.id}/metrics`, { period: '2026-11', rows: [{ externalKey: key, contacts: 42 }] });
    expect(pushed.status, pushed.text).toBe(200);
    const refused = await feed.get<ErrorBody>('/api/maps');
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatch(/^This access token can only read and push measured figures/);
  });
});
