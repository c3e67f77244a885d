/**
 * Issue 12 §4 end to end, in Chromium on the production build: access tokens
 * with a scope and an expiry made on the settings page, "sign out everywhere"
 * and the password change page, each seen from a second browser with its own
 * cookies. SCREENSHOT_DIR=… keeps a screenshot of each settings page there.
 */
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expiryDate } from '../../lib/permissions/account-input';
import { ApiClient, type ErrorBody } from '../support/api-client';
import { TestServer, stopAllServers } from '../support/server';
import { launchChromium } from '../support/chromium';
import { PASSWORD, Team } from '../support/people';
import { Dashboard, LoginPage } from '../support/ui';
import { ensureBuild } from './support/build';

const TIMEOUT = 20_000;
const DAY_MS = 24 * 60 * 60 * 1000;

let server: TestServer;
let browser: Browser;
let team: Team;
const contexts: BrowserContext[] = [];

async function newPage(): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  return context.newPage();
}

/** Signs in with the login form's "Sign in" tab and waits for the dashboard. */
async function signIn(page: Page, email: string, password: string): Promise<Dashboard> {
  const login = await new LoginPage(page).open(server.url);
  await login.page.getByLabel('Email').fill(email);
  await login.page.getByLabel('Password').fill(password);
  await login.page.getByRole('button', { name: 'Sign in' }).click();
  return new Dashboard(page).ready();
}

/** True when the page, opened anew, lands on the sign-in form (the session has ended). */
async function isSignedOut(page: Page): Promise<boolean> {
  await page.goto(new URL('/', server.url).toString());
  await Promise.race([page.getByRole('tab', { name: 'Sign in' }).waitFor({ timeout: TIMEOUT }), new Dashboard(page).ready()]);
  return /\/login/.test(page.url());
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: path.join(process.env.SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  ensureBuild();
  [server, browser] = await Promise.all([TestServer.start(), launchChromium()]);
  team = new Team(server);
}, 600_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await stopAllServers();
});

describe('access tokens on the settings page', () => {
  it('a read-only token made on the page reads through the API and is refused a write; the list shows its scope and expiry', async () => {
    const page = await newPage();
    await (await new LoginPage(page).open(server.url)).signUp('Rosa Reader', team.emailFor('Rosa'), PASSWORD);
    await page.goto(new URL('/settings/tokens', server.url).toString());
    await page.getByRole('heading', { name: 'Personal access tokens' }).waitFor({ timeout: TIMEOUT });

    await page.getByLabel('Token name').fill('Weekly report');
    await page.getByLabel('Access').selectOption('read');
    await page.getByLabel('Expires after').selectOption('30');
    const before = Date.now();
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = ((await page.getByTestId('new-token').textContent({ timeout: TIMEOUT })) ?? '').trim();
    expect(token).toMatch(/^jhp_/);

    const row = page.getByTestId('token-row').filter({ hasText: 'Weekly report' });
    await row.waitFor({ timeout: TIMEOUT });
    expect(await row.getByTestId('token-scope').textContent()).toBe('Read only');
    const expiry = (await row.getByTestId('token-expiry').textContent()) ?? '';
    expect([`expires ${expiryDate(before + 30 * DAY_MS)}`, `expires ${expiryDate(Date.now() + 30 * DAY_MS)}`]).toContain(expiry);

    // The token, as a script uses it.
    const script = ApiClient.withToken(server.url, token);
    expect((await script.get('/api/maps')).status).toBe(200);
    const write = await script.post<ErrorBody>('/api/maps', { title: 'Written by a reader', template: 'blank' });
    expect({ status: write.status, error: write.body.error }).toEqual({
      status: 403,
      error: 'This access token can only read: create a token with the write scope to make changes',
    });

    // A custom expiry out of range is explained on the page; a valid one is made.
    await page.getByLabel('Token name').fill('Nightly sync');
    await page.getByLabel('Access').selectOption('write');
    await page.getByLabel('Expires after').selectOption('custom');
    await page.getByRole('spinbutton', { name: 'Number of days' }).fill('400');
    await page.getByRole('button', { name: 'Create token' }).click();
    expect(await page.getByRole('main').getByRole('alert').textContent({ timeout: TIMEOUT })).toBe(
      'Choose how long the token lasts: a whole number of days from 1 to 365.',
    );
    await page.getByRole('spinbutton', { name: 'Number of days' }).fill('7');
    await page.getByRole('button', { name: 'Create token' }).click();
    const nightly = page.getByTestId('token-row').filter({ hasText: 'Nightly sync' });
    await nightly.waitFor({ timeout: TIMEOUT });
    expect(await nightly.getByTestId('token-scope').textContent()).toBe('Read and write');
    expect(await nightly.getByTestId('token-expiry').textContent()).toMatch(/^expires \d{4}-\d{2}-\d{2}$/);
    await screenshot(page, 'settings-tokens');
  });
});

describe('sessions on the account page', () => {
  it('"Sign out everywhere" in one browser ends the session of the other browser too', async () => {
    const email = team.emailFor('Sven');
    const laptop = await newPage();
    await (await new LoginPage(laptop).open(server.url)).signUp('Sven', email, PASSWORD);
    const phone = await newPage();
    await signIn(phone, email, PASSWORD);

    await laptop.goto(new URL('/settings/account', server.url).toString());
    await laptop.getByRole('heading', { name: 'Account' }).waitFor({ timeout: TIMEOUT });
    await screenshot(laptop, 'settings-account');
    laptop.once('dialog', (dialog) => void dialog.accept());
    await laptop.getByRole('button', { name: 'Sign out everywhere' }).click();
    await laptop.waitForURL(/\/login/, { timeout: TIMEOUT });

    expect(await isSignedOut(phone)).toBe(true);
    expect(await isSignedOut(laptop)).toBe(true);
    // Signing in again works.
    await signIn(phone, email, PASSWORD);
  });

  it('the password change page explains what is wrong, then changes it: this browser stays signed in, the other is signed out', async () => {
    const email = team.emailFor('Paula');
    const NEW_PASSWORD = 'paula changed it today';
    const here = await newPage();
    await (await new LoginPage(here).open(server.url)).signUp('Paula', email, PASSWORD);
    const elsewhere = await newPage();
    await signIn(elsewhere, email, PASSWORD);

    await here.goto(new URL('/settings/account', server.url).toString());
    const form = here.getByRole('main');
    /** Fills the form and sends it; resolves once the page says `expected` (an earlier answer may still be on show until then). */
    const submit = async (current: string, next: string, repeat: string, expected: string): Promise<void> => {
      await form.getByLabel('Current password').fill(current);
      await form.getByLabel('New password', { exact: true }).fill(next);
      await form.getByLabel('New password again').fill(repeat);
      await form.getByRole('button', { name: 'Change password' }).click();
      const answer = form.getByRole('alert').or(form.getByRole('status')).first();
      await expect.poll(async () => ((await answer.textContent({ timeout: TIMEOUT })) ?? '').trim(), { timeout: TIMEOUT }).toBe(expected);
    };

    await submit('not my password', NEW_PASSWORD, NEW_PASSWORD, 'Your current password is not correct');
    await submit(PASSWORD, NEW_PASSWORD, 'a different one', 'The two new passwords differ: type the same one twice.');
    await submit(PASSWORD, 'short', 'short', 'The new password must be at least 8 characters.');
    await submit(PASSWORD, NEW_PASSWORD, NEW_PASSWORD, 'Password changed. Your other sessions are signed out.');
    await screenshot(here, 'settings-account-password-changed');

    expect(await isSignedOut(elsewhere)).toBe(true);
    expect(await isSignedOut(here)).toBe(false);
    const login = await new LoginPage(elsewhere).open(server.url);
    expect(await login.signInFails(email, PASSWORD)).toBe('Email or password is incorrect');
    await signIn(elsewhere, email, NEW_PASSWORD);
  });
});
