/**
 * Issue 5 end to end, in Chromium on the production build: a contact-center
 * lead signs up, creates a map and invites a stakeholder as a commenter; the
 * stakeholder signs up in a second browser and sees the map without edit
 * controls (DESIGN.md "Roles": a commenter reads the map, never writes it).
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppServer, stopAllAppServers } from '../support/app-server';
import { launchChromium } from '../support/chromium';
import { PASSWORD, Team } from '../support/people';
import { LoginPage } from '../support/ui';

let server: AppServer;
let browser: Browser;
let team: Team;
const contexts: BrowserContext[] = [];

async function newBrowserContext(): Promise<BrowserContext> {
  const context = await browser.newContext();
  contexts.push(context);
  return context;
}

beforeAll(async () => {
  [server, browser] = await Promise.all([AppServer.start(), launchChromium()]);
  team = new Team(server);
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await stopAllAppServers();
});

describe('sharing a map', () => {
  it('Roles: the owner invites a commenter by email; the commenter signs up in another browser and sees the map without edit controls', async () => {
    const leadEmail = team.emailFor('Lena');
    const stakeholderEmail = team.emailFor('Sam');
    const title = 'Moving house with FiberNet';

    // The contact-center lead, in the first browser.
    const lead = await newBrowserContext();
    const leadPage = await lead.newPage();
    const dashboard = await (await new LoginPage(leadPage).open(server.url)).signUp('Lena Lead', leadEmail, PASSWORD);
    await dashboard.createMap(title, 'demo');
    expect(await dashboard.roleOn(title)).toBe('owner');

    const members = await dashboard.openMembers(title);
    const notice = await members.invite(stakeholderEmail, 'commenter');
    expect(notice).toBe(`${stakeholderEmail} has no account yet: they join as commenter when they sign up.`);
    await members.members().filter({ hasText: stakeholderEmail }).filter({ hasText: 'Invited — joins on sign-up' }).waitFor();

    // The owner's own view of the map has the edit controls (what the commenter must not have).
    await leadPage.goto(server.url);
    const leadMap = await (await dashboard.ready()).openMap(title);
    expect(await leadMap.role()).toBe('owner');
    expect(await leadMap.editControls().count()).toBe(3);

    // The stakeholder, in a second browser with its own cookies.
    const stakeholder = await newBrowserContext();
    const stakeholderPage = await stakeholder.newPage();
    const theirDashboard = await (await new LoginPage(stakeholderPage).open(server.url)).signUp('Sam Stakeholder', stakeholderEmail, PASSWORD);
    expect(await theirDashboard.roleOn(title)).toBe('commenter');
    const card = theirDashboard.card(title);
    expect(await card.getByRole('button', { name: /^(Rename|Delete)$/ }).count()).toBe(0);

    const theirMap = await theirDashboard.openMap(title);
    expect(await theirMap.role()).toBe('commenter');
    expect(await theirMap.editControls().count()).toBe(0);
    // The journey itself is there: the demo's touchpoints are on the canvas (it opens on its first stages; the hub is further down).
    await stakeholderPage.getByTestId('rf__node-tp-social-ads').waitFor();
  });

  it('the sign-in form answers an unknown email like a wrong password, and after 5 wrong passwords says "Too many failed sign-ins…"', async () => {
    const owner = await team.signUp('Rita');
    const context = await newBrowserContext();
    const login = await new LoginPage(await context.newPage()).open(server.url);

    expect(await login.signInFails(team.emailFor('Nobody'), 'whatever it is')).toBe('Email or password is incorrect');
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      expect(await login.signInFails(owner.email, `wrong password ${attempt}`), `attempt ${attempt}`).toBe('Email or password is incorrect');
    }
    expect(await login.signInFails(owner.email, 'wrong password 6')).toBe('Too many failed sign-ins. Wait 15 minutes and try again.');
    expect(await login.signInFails(owner.email, owner.password)).toBe('Too many failed sign-ins. Wait 15 minutes and try again.');
  });
});
