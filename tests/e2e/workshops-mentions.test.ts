/**
 * Issue 11 §5 in Chromium: a workshop copy is named when it is started and
 * brings the master's members (the starter adds participants next); the
 * audit log reads as sentences; an @mention reaches the person mentioned —
 * the bell in their header counts it, the inbox lists it, and its entry
 * opens the map on the thread.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Canvas } from './support/canvas-driver';
import { Workshop } from './support/workshop';

const SOON = { timeout: 10_000 };
/** The bell polls every 15 s: a mention made while a page is open shows within that. */
const POLL = { timeout: 20_000 };

let workshop: Workshop;

beforeAll(async () => {
  workshop = await Workshop.open();
});

afterEach(async () => {
  await workshop?.leave();
});

afterAll(async () => {
  await workshop?.close();
});

async function pageOf(who: 'alice' | 'bob' | 'cora', path: string): Promise<Page> {
  const page = await (await workshop.newContext(who)).newPage();
  await page.goto(path);
  return page;
}

const unreadOf = async (page: Page): Promise<string | null> => {
  const badge = page.getByTestId('inbox-unread');
  return (await badge.count()) === 0 ? null : badge.textContent();
};

describe('starting a workshop copy', () => {
  it('asks for a name (with a default, refusing a blank one), brings the master\'s members and lands on the copy\'s members to add participants', async () => {
    const masterId = await workshop.newMap('Broadband master');
    const page = await pageOf('alice', `/maps/${masterId}/workshops`);
    await page.getByRole('button', { name: 'Mark as master map' }).click();
    await page.getByRole('button', { name: 'Start a workshop copy' }).click();

    const dialog = page.getByRole('dialog', { name: 'Start a workshop copy' });
    const name = dialog.getByLabel('Name of the copy');
    const today = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date());
    expect(await name.inputValue()).toBe(`Workshop ${today}`);
    expect(await dialog.getByLabel("Bring the master's comments").isChecked()).toBe(false);
    await name.fill('   ');
    await dialog.getByRole('button', { name: 'Start the copy' }).click();
    await page.getByRole('alert').getByText('Give the workshop copy a name').waitFor();
    expect(await name.getAttribute('maxlength')).toBe('200');

    await name.fill('Tuesday');
    await dialog.getByRole('button', { name: 'Start the copy' }).click();
    await page.waitForURL(/\/maps\/[^/]+\/members\?started=1$/, SOON);
    const copyId = new URL(page.url()).pathname.split('/')[2] ?? '';
    expect(copyId).not.toBe(masterId);
    await page.getByRole('status').getByText('Workshop copy started.').waitFor();
    // The master's members came along with their roles.
    for (const [person, role] of [['bob@journeyhub.test', 'editor'], ['cora@journeyhub.test', 'commenter'], ['vic@journeyhub.test', 'viewer']] as const) {
      expect(await page.getByLabel(`Role of ${person}`).inputValue()).toBe(role);
    }
    expect(await page.getByTestId('member-alice@journeyhub.test').textContent()).toContain('(you)');

    // Alice adds a participant who is not on the master.
    const invite = page.getByRole('form', { name: 'Invite someone' });
    await invite.getByLabel('Invite by email').fill('dana@journeyhub.test');
    await invite.getByRole('button', { name: 'Invite' }).click();
    await page.getByText('dana@journeyhub.test').first().waitFor(SOON);

    // The audit log of the copy and of the master, in words.
    const audit = page.locator('section[aria-labelledby="audit"]');
    await audit.getByText("Alice Ng started this workshop copy of 'Broadband master'").waitFor(SOON);
    await audit.getByText('Alice Ng invited dana@journeyhub.test as an editor').waitFor(SOON);
    await page.goto(`/maps/${masterId}/members`);
    await page.getByText("Alice Ng started workshop copy 'Tuesday'").waitFor(SOON);
    await page.getByText('Alice Ng made this the master map').waitFor();
    await page.getByText('Alice Ng invited Bob Ortiz as an editor').waitFor();
    await page.getByText('Bob Ortiz accepted the invitation and joined as an editor').waitFor();
    expect(await page.locator('section[aria-labelledby="audit"]').textContent()).not.toMatch(/\b(workshop|member|map)\.[a-z_]+/);
  });

  it('tells an editor who starts a copy that the master\'s owner becomes an editor of it', async () => {
    const masterId = await workshop.newMap('Master for Bob');
    const alice = await pageOf('alice', `/maps/${masterId}/workshops`);
    await alice.getByRole('button', { name: 'Mark as master map' }).click();
    await alice.getByRole('button', { name: 'Stop being a master' }).waitFor();
    const bob = await pageOf('bob', `/maps/${masterId}/workshops`);
    await bob.getByRole('button', { name: 'Start a workshop copy' }).click();
    const dialog = bob.getByRole('dialog', { name: 'Start a workshop copy' });
    await dialog.getByText('Alice Ng, who owns the master, becomes an editor of the copy').waitFor();
    await dialog.getByLabel('Name of the copy').fill("Bob's workshop");
    await dialog.getByRole('button', { name: 'Start the copy' }).click();
    await bob.waitForURL(/\/members\?started=1$/, SOON);
    expect(await bob.getByLabel('Role of alice@journeyhub.test').inputValue()).toBe('editor');
    expect(await bob.getByTestId('member-bob@journeyhub.test').textContent()).toContain('(you)');
  });
});

describe('an @mention', () => {
  it("Cora mentions Bob on a card; Bob's bell counts it, the inbox lists it, and its entry opens the thread; then nothing is unread", async () => {
    const mapId = await workshop.newMap('Mentions map');
    const bobPage = await pageOf('bob', '/');
    await bobPage.getByTestId('inbox-link').waitFor();
    expect(await unreadOf(bobPage)).toBeNull();

    const cora = await workshop.join('cora', mapId);
    await cora.mention('tp-phone-support', 'Bob Ortiz', 'can you check this?');
    await cora.inspector.getByText('can you check this?').waitFor(SOON);
    expect(await cora.inspector.textContent()).toContain('@Bob Ortiz can you check this?');

    // Bob's dashboard has been open all along: the bell picks it up by itself.
    await expect.poll(() => unreadOf(bobPage), POLL).toBe('1');
    expect(await bobPage.getByTestId('inbox-link').getAttribute('aria-label')).toBe('Inbox, 1 unread');
    // Cora is not told of her own mention.
    expect(await unreadOf(cora.page)).toBeNull();

    await bobPage.getByTestId('inbox-link').click();
    await bobPage.waitForURL(/\/inbox$/);
    const entry = bobPage.getByRole('list', { name: 'Notifications' }).getByRole('listitem').first();
    await entry.getByText('Cora Lee mentioned you on Phone support').waitFor();
    expect(await entry.textContent()).toContain('Mentions map');
    expect(await entry.textContent()).toContain('“@Bob Ortiz can you check this?”');
    expect(await entry.getAttribute('data-read')).toBe('false');

    await entry.getByRole('link').click();
    await bobPage.waitForURL(new RegExp(`/maps/${mapId}\\?touchpoint=tp-phone-support&thread=`), SOON);
    const bob = new Canvas(bobPage, workshop.person('bob'), null);
    await bobPage.locator('[data-testid="connection-state"][data-state="connected"]').waitFor(SOON);
    await bobPage.locator('.react-flow__node.selected[data-id="tp-phone-support"]').waitFor(SOON);
    await bobPage.getByRole('tab', { name: /^comments$/i, selected: true }).waitFor();
    const threadId = new URL(bobPage.url()).searchParams.get('thread') ?? '';
    await bob.inspector.getByTestId(`thread-${threadId}`).getByText('can you check this?').waitFor();
    await expect.poll(() => unreadOf(bobPage), SOON).toBeNull();
    expect(await bob.inboxLink.getAttribute('aria-label')).toBe('Inbox');

    await bobPage.goto('/inbox');
    expect(await bobPage.getByRole('list', { name: 'Notifications' }).getByRole('listitem').first().getAttribute('data-read')).toBe('true');
    await bobPage.getByText('All read.').waitFor();
  });
});
