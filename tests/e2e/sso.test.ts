/**
 * Issue 12 §4, single sign-on end to end, in Chromium on the production
 * build, against a real OpenID Connect provider started here (oidc-provider
 * on http://127.0.0.1, code flow with PKCE and state, the email claims on the
 * userinfo endpoint as most providers serve them):
 * - a first sign-in creates the account, a second (another browser) matches it;
 * - an email the provider has not verified does not take over the password
 *   account that has it, nor creates one: the login page says why, and no
 *   session is made;
 * - with SIGNUP=off the sign-in page offers no sign-up and says how to get in;
 *   with SIGNUP=domains:… it names the domains and shows the server's refusal.
 */
import path from 'node:path';
import os from 'node:os';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/api-client';
import { TestServer, stopAllServers } from '../support/server';
import { launchChromium } from '../support/chromium';
import { cliOk, runCli } from '../support/cli';
import { PASSWORD, Team } from '../support/people';
import { Dashboard, LoginPage } from '../support/ui';
import { TestIdp } from './support/oidc-idp';

const TIMEOUT = 20_000;
const NOT_VERIFIED =
  'Your identity provider has not verified your email address, and JourneyHub signs people in only with a verified one. Sign in with your password if you have one here, or ask your identity provider to verify the address.';

let idp: TestIdp;
let server: TestServer;
let browser: Browser;
let team: Team;
const contexts: BrowserContext[] = [];

async function newPage(): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  return context.newPage();
}

/** From the app's sign-in page through the provider's own sign-in and consent pages, and back. */
async function continueWithSso(page: Page, login: string): Promise<void> {
  await page.getByRole('button', { name: 'Continue with Acme SSO' }).click();
  await page.waitForURL((url) => url.origin === idp.issuer, { timeout: TIMEOUT });
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password: the test provider takes any');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  // Consent, on the first sign-in of each browser.
  await page.getByRole('button', { name: 'Continue' }).click({ timeout: TIMEOUT });
  await page.waitForURL((url) => url.origin === server.url, { timeout: TIMEOUT });
}

async function sessionEmail(page: Page): Promise<string | null> {
  const session = (await (await page.request.get(new URL('/api/auth/session', server.url).toString())).json()) as { user?: { email?: string } };
  return session.user?.email ?? null;
}

beforeAll(async () => {
  idp = await TestIdp.listen();
  [server, browser] = await Promise.all([TestServer.start({ env: { ...idp.env('Acme SSO'), SIGNUP: 'off' } }), launchChromium()]);
  idp.register(server.url);
  team = new Team(server);
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await stopAllServers();
  await idp?.close();
});

describe('single sign-on (OpenID Connect)', () => {
  it('the first sign-in creates the account; a second, in another browser, matches the same account', async () => {
    const email = team.emailFor('Ida');
    idp.accounts.set('ida', { email, emailVerified: true, name: 'Ida Iverson' });

    const first = await newPage();
    await new LoginPage(first).open(server.url);
    await continueWithSso(first, 'ida');
    const dashboard = await new Dashboard(first).ready();
    expect(await sessionEmail(first)).toBe(email);
    await dashboard.createMap('Ida’s onboarding journey', 'blank');

    const second = await newPage();
    await new LoginPage(second).open(server.url);
    await continueWithSso(second, 'ida');
    const again = await new Dashboard(second).ready();
    expect(await sessionEmail(second)).toBe(email);
    await again.card('Ida’s onboarding journey').waitFor({ timeout: TIMEOUT });
    expect(await again.roleOn('Ida’s onboarding journey')).toBe('owner');
  });

  it('an email the provider has not verified does not take over the password account that has it: the sign-in page says why, and no session is made', async () => {
    const email = team.emailFor('Pat');
    cliOk(await runCli(server.dataDir, ['user', 'add', '--email', email, '--name', 'Pat Password', '--password', PASSWORD, '--json']));
    // Someone whose provider account claims Pat's address without having proved it.
    idp.accounts.set('mallory', { email, emailVerified: false, name: 'Mallory' });

    const page = await newPage();
    await new LoginPage(page).open(server.url);
    await continueWithSso(page, 'mallory');
    await page.waitForURL(/\/login\?/, { timeout: TIMEOUT });
    const alert = page.getByRole('main').getByRole('alert');
    await alert.waitFor({ timeout: TIMEOUT });
    expect((await alert.textContent())?.trim()).toBe(NOT_VERIFIED);
    expect(await sessionEmail(page)).toBeNull();
    await page.screenshot({ path: path.join(os.tmpdir(), 'h12-signin-sso-unverified.png'), fullPage: true });

    // Pat's account is Pat's: the password signs in, and the map list is Pat's own (empty).
    const pat = ApiClient.anonymous(server.url);
    expect((await pat.signIn(email, PASSWORD)).ok).toBe(true);
    expect((await pat.get<{ maps: unknown[] }>('/api/maps')).body).toEqual({ maps: [] });
  });

  it('an unverified email that has no account here does not create one either (it could be anybody\'s, and would hold that address\'s invitations)', async () => {
    const email = team.emailFor('Newt');
    idp.accounts.set('newt', { email, emailVerified: false, name: 'Newt' });
    const page = await newPage();
    await new LoginPage(page).open(server.url);
    await continueWithSso(page, 'newt');
    await page.waitForURL(/\/login\?/, { timeout: TIMEOUT });
    const alert = page.getByRole('main').getByRole('alert');
    await alert.waitFor({ timeout: TIMEOUT });
    expect((await alert.textContent())?.trim()).toBe(NOT_VERIFIED);
    expect(await sessionEmail(page)).toBeNull();
    // No account was made: an operator can still create it for its real owner.
    cliOk(await runCli(server.dataDir, ['user', 'add', '--email', email, '--name', 'Newt Owner', '--password', PASSWORD, '--json']));
  });

  it('SIGNUP=off: the sign-in page has no "Create account" tab and says how to get an account; single sign-on is still offered', async () => {
    const page = await newPage();
    await new LoginPage(page).open(server.url);
    await expect(page.getByRole('tab', { name: 'Create account' }).count()).resolves.toBe(0);
    await page.getByText('Sign-up is closed on this server: ask an owner of a map to invite you, or an operator to create your account.').waitFor({ timeout: TIMEOUT });
    await page.getByRole('button', { name: 'Continue with Acme SSO' }).waitFor({ timeout: TIMEOUT });
    await page.screenshot({ path: path.join(os.tmpdir(), 'h12-signin-signup-off.png'), fullPage: true });
  });
});

describe('SIGNUP=domains:… on the sign-in page', () => {
  it('the "Create account" tab names the domains, and an address of another domain gets the server\'s sentence; one of them signs up', async () => {
    const domains = await TestServer.start({ env: { SIGNUP: 'domains:example.com,example.org' } });
    const page = await newPage();
    const login = await new LoginPage(page).open(domains.url);
    await page.getByRole('tab', { name: 'Create account' }).click();
    await page.getByText('An address at example.com or example.org.').waitFor({ timeout: TIMEOUT });
    await page.getByLabel('Name').fill('Mallory');
    await page.getByLabel('Email').fill('mallory@evil.example.net');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    const alert = page.getByRole('main').getByRole('alert');
    await alert.waitFor({ timeout: TIMEOUT });
    expect((await alert.textContent())?.trim()).toBe('Only addresses at example.com or example.org can sign up here.');
    await page.screenshot({ path: path.join(os.tmpdir(), 'h12-signin-signup-domains.png'), fullPage: true });

    await page.getByRole('tab', { name: 'Sign in' }).click();
    await login.signUp('Dora Domain', new Team(domains).emailFor('Dora'), PASSWORD);
  });
});
