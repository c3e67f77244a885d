/**
 * Issue 5 end to end, in Chromium on the production build: a contact-center
 * lead signs up, creates a map and invites a stakeholder as a commenter; the
 * stakeholder signs up in a second browser and sees the map without edit
 * controls (DESIGN.md "Roles": a commenter reads the map, never writes it).
 * Issue 12 §4: the invitation is a link with an expiry that the stakeholder
 * accepts after confirming their address from the mail (a real SMTP server
 * in this process); the owner copies or revokes pending links.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer, stopAllServers } from '../support/server';
import { launchChromium } from '../support/chromium';
import { linkIn, Mailbox } from '../support/mailbox';
import { PASSWORD, Team } from '../support/people';
import { LoginPage, MapPage } from '../support/ui';

const SCREENSHOTS = process.env.SCREENSHOT_DIR;

let server: TestServer;
let mailbox: Mailbox;
let browser: Browser;
let team: Team;
const contexts: BrowserContext[] = [];

async function newBrowserContext(options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  contexts.push(context);
  return context;
}

beforeAll(async () => {
  mailbox = await Mailbox.start();
  [server, browser] = await Promise.all([TestServer.start({ env: { SMTP_URL: mailbox.smtpUrl } }), launchChromium()]);
  team = new Team(server, { confirmationLink: async (email) => linkIn(await mailbox.waitFor(email, /confirm your email/i), '/verify-email/') });
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await stopAllServers();
  await mailbox?.close();
});

describe('sharing a map', () => {
  it('Roles: the owner invites a commenter by email; the commenter signs up in another browser, confirms the address from the mail, accepts and sees the map without edit controls', async () => {
    const leadEmail = team.emailFor('Lena');
    const stakeholderEmail = team.emailFor('Sam');
    const title = 'Moving house with FiberNet';

    // The contact-center lead, in the first browser (copying a link needs the clipboard).
    const lead = await newBrowserContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    const leadPage = await lead.newPage();
    leadPage.on('dialog', (dialog) => void dialog.accept());
    const dashboard = await (await new LoginPage(leadPage).open(server.url)).signUp('Lena Lead', leadEmail, PASSWORD);
    // Told to check their mail after signing up.
    await leadPage.getByText(`Check your mail: confirm ${leadEmail}.`).waitFor();
    await dashboard.createMap(title, 'demo');
    expect(await dashboard.roleOn(title)).toBe('owner');

    const members = await dashboard.openMembers(title);
    const notice = await members.invite(stakeholderEmail, 'commenter');
    expect(notice).toBe(`We mailed ${stakeholderEmail} an invitation link. They join as a commenter once they accept it with a confirmed address.`);
    const pending = leadPage.getByTestId(`invitation-${stakeholderEmail}`);
    await pending.getByText('Invited — the link works once, expires in 7 days').waitFor();
    const link = await pending.getByLabel(`Invitation link for ${stakeholderEmail}`).inputValue();
    await pending.getByRole('button', { name: 'Copy link' }).click();
    await pending.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await leadPage.evaluate(() => navigator.clipboard.readText())).toBe(link);
    if (SCREENSHOTS) await leadPage.screenshot({ path: `${SCREENSHOTS}/members-pending.png`, fullPage: true });
    // The same link went out by mail.
    expect(linkIn(await mailbox.waitFor(stakeholderEmail, /invited you/), '/invitations/')).toBe(link);

    // The stakeholder, in a second browser with its own cookies, opens the link: sign-in first, then the invitation.
    const stakeholder = await newBrowserContext();
    const stakeholderPage = await stakeholder.newPage();
    await stakeholderPage.goto(link);
    await stakeholderPage.waitForURL(/\/login\?callbackUrl=/);
    await stakeholderPage.getByRole('tab', { name: 'Create account' }).click();
    await stakeholderPage.getByLabel('Name').fill('Sam Stakeholder');
    await stakeholderPage.getByLabel('Email').fill(stakeholderEmail);
    await stakeholderPage.getByLabel('Password').fill(PASSWORD);
    await stakeholderPage.getByRole('button', { name: 'Create account' }).click();
    await stakeholderPage.waitForURL(/\/invitations\//);
    await stakeholderPage.getByText('Confirm your email address first.').waitFor();
    expect(await stakeholderPage.getByRole('button', { name: /^Accept/ }).count()).toBe(0);
    if (SCREENSHOTS) await stakeholderPage.screenshot({ path: `${SCREENSHOTS}/invitation-unconfirmed.png`, fullPage: true });

    // The confirmation mail's link, then the invitation again.
    await stakeholderPage.goto(linkIn(await mailbox.waitFor(stakeholderEmail, /confirm your email/i), '/verify-email/'));
    await stakeholderPage.getByRole('heading', { name: 'Email address confirmed' }).waitFor();
    await stakeholderPage.goto(link);
    if (SCREENSHOTS) await stakeholderPage.screenshot({ path: `${SCREENSHOTS}/invitation-open.png`, fullPage: true });
    await stakeholderPage.getByRole('button', { name: `Accept and open "${title}"` }).click();
    await stakeholderPage.waitForURL(/\/maps\/[^/]+$/);
    const theirMap = await new MapPage(stakeholderPage).ready(title);
    expect(await theirMap.role()).toBe('commenter');
    expect(await theirMap.editControls().count()).toBe(0);
    // The journey itself is there: the demo's touchpoints are on the canvas (it opens on its first stages; the hub is further down).
    await stakeholderPage.getByTestId('rf__node-tp-social-ads').waitFor();

    // The link worked once.
    await stakeholderPage.goto(link);
    await stakeholderPage.getByRole('heading', { name: 'This invitation cannot be used' }).waitFor();

    // The owner sees a member now, no pending invitation; a second invitation is revoked and its link is dead.
    await leadPage.reload();
    await members.members().filter({ hasText: stakeholderEmail }).waitFor();
    expect(await pending.count()).toBe(0);
    const other = team.emailFor('Otto');
    await members.invite(other, 'viewer');
    const otherLink = await leadPage.getByLabel(`Invitation link for ${other}`).inputValue();
    await leadPage.getByTestId(`invitation-${other}`).getByRole('button', { name: 'Revoke' }).click();
    await leadPage.getByRole('status').filter({ hasText: `The invitation of ${other} was revoked.` }).waitFor();
    await leadPage.getByTestId(`invitation-${other}`).waitFor({ state: 'detached' });
    await stakeholderPage.goto(otherLink);
    await stakeholderPage.getByRole('heading', { name: 'This invitation cannot be used' }).waitFor();
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
