/**
 * Issue 11 §2, "the screen tells the truth", in Chromium on the production
 * build: a role changed, a removal or a deletion while the map is open
 * reaches that screen at once and says what happened; offline shows as soon
 * as the browser knows; typed text is written as it is typed; a merged
 * workshop copy says it is read-only and offers nothing to edit.
 * Alice owns the demo map, Bob edits, Cora comments, Vic views.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Canvas } from './support/canvas-driver';
import { Workshop } from './support/workshop';

const SOON = { timeout: 10_000 };

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

/** Every state the connection pill shows from now on, in order (it may unmount and come back). */
async function recordPillStates(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { pillStates: string[] }).pillStates = seen;
    const note = () => {
      const state = document.querySelector('[data-testid="connection-state"]')?.getAttribute('data-state');
      if (state && seen.at(-1) !== state) seen.push(state);
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
    note();
  });
  return () => page.evaluate(() => (window as unknown as { pillStates: string[] }).pillStates);
}

const badge = (canvas: Canvas) => canvas.page.getByTestId('role-badge');
const commentBox = (canvas: Canvas) => canvas.inspector.getByRole('textbox', { name: 'Start a thread… (@ to mention)' });
const locked = (canvas: Canvas) => canvas.page.getByTestId('map-locked');

describe('a role changed while the map is open', () => {
  it('Cora, a commenter made viewer, loses the comment box at once, her badge says viewer, a sentence says why, and nothing says "Reconnecting"', async () => {
    const mapId = await workshop.newMap();
    const cora = await workshop.join('cora', mapId);
    await cora.select('tp-sales-chat');
    await cora.openTab('Comments');
    await commentBox(cora).waitFor();
    const pillStates = await recordPillStates(cora.page);

    await workshop.setRole('cora', mapId, 'viewer');

    await cora.page.getByTestId('role-notice').filter({ hasText: 'Alice Ng made you a viewer: you can read the map and its comments.' }).waitFor(SOON);
    expect(await badge(cora).textContent()).toBe('viewer');
    await cora.page.locator('[data-testid="connection-state"][data-state="connected"]').waitFor(SOON);
    await cora.select('tp-sales-chat');
    await cora.openTab('Comments');
    expect(await commentBox(cora).count()).toBe(0);
    expect(await pillStates()).not.toContain('reconnecting');
    expect(await cora.page.getByText('edits are kept').count()).toBe(0);
    expect(await cora.page.getByText('The server refused').count()).toBe(0);
  });

  it('Vic, a viewer made editor, gets the edit controls at once and can add a touchpoint that Alice sees', async () => {
    const mapId = await workshop.newMap();
    const [alice, vic] = await Promise.all([workshop.join('alice', mapId), workshop.join('vic', mapId)]);
    expect(await vic.addTouchpointButton.count()).toBe(0);

    await workshop.setRole('vic', mapId, 'editor');
    await vic.addTouchpointButton.waitFor(SOON);
    expect(await badge(vic).textContent()).toBe('editor');
    await vic.page.getByTestId('role-notice').filter({ hasText: 'Alice Ng made you an editor: you can change the map and comment.' }).waitFor();

    const id = await vic.addTouchpoint('Added by Vic');
    await expect.poll(() => alice.card(id).catch(() => ''), SOON).toContain('Added by Vic');
  });
});

describe('removed, or the map deleted, while it is open', () => {
  it('Bob, removed by Alice, sees his canvas lock with "You no longer have access"; reloading tells him the same, not that the map does not exist', async () => {
    const mapId = await workshop.newMap();
    const bob = await workshop.join('bob', mapId);
    await bob.select('tp-sales-chat');

    await workshop.asAlice('DELETE', `/api/maps/${mapId}/members`, { email: workshop.person('bob').email });

    await locked(bob).getByText('You no longer have access to this map: Alice Ng removed you on', { exact: false }).waitFor(SOON);
    expect(await bob.page.getByText('edits are kept').count()).toBe(0);
    expect(await bob.connectionState()).toBe('closed');
    // Nothing on the canvas can be changed any more: no edit controls, the inspector's fields are off.
    expect(await bob.addTouchpointButton.count()).toBe(0);

    await bob.page.reload();
    await bob.page.getByTestId('no-longer-access').waitFor(SOON);
    expect(await bob.page.getByRole('heading', { level: 1 }).textContent()).toBe('You no longer have access to this map');
    expect(await bob.page.getByTestId('no-longer-access').textContent()).toContain('Alice Ng removed you');
    expect(await bob.page.getByText(/does not exist|not found/i).count()).toBe(0);
  });

  it('when Alice deletes the map, Bob and Cora see "This map was deleted by Alice Ng"', async () => {
    const mapId = await workshop.newMap();
    const [bob, cora] = await Promise.all([workshop.join('bob', mapId), workshop.join('cora', mapId)]);

    await workshop.asAlice('DELETE', `/api/maps/${mapId}`);

    for (const person of [bob, cora]) {
      await locked(person).getByText('This map was deleted by Alice Ng on', { exact: false }).waitFor(SOON);
      expect(await person.page.getByText('edits are kept').count()).toBe(0);
    }
    await bob.page.reload();
    expect(await bob.page.getByTestId('no-longer-access').textContent()).toContain('This map was deleted by Alice Ng');
  });
});

describe('offline', () => {
  it('shows "Offline" within two seconds of the browser going offline, and "Live" when it is back', async () => {
    const mapId = await workshop.newMap();
    const bob = await workshop.join('bob', mapId);
    // Only the browser's own offline switch: its open sockets live on (see Cable), as a laptop's do for a while.
    await bob.page.context().setOffline(true);
    await bob.page.locator('[data-testid="connection-state"][data-state="offline"]').waitFor({ timeout: 2_000 });
    expect(await bob.connectionPill.textContent()).toContain('Offline');
    await bob.page.context().setOffline(false);
    await bob.page.locator('[data-testid="connection-state"][data-state="connected"]').waitFor(SOON);
  });
});

describe('typed text is never lost silently', () => {
  it('a label Bob types reaches Alice while he is still in the field, and survives a reload he makes without leaving it', async () => {
    const mapId = await workshop.newMap();
    const [alice, bob] = await Promise.all([workshop.join('alice', mapId), workshop.join('bob', mapId)]);
    await bob.edit('tp-sales-chat', {});
    const label = bob.field('Label');
    await label.click();
    await label.press('Control+a');
    await label.pressSequentially('Sales chat with a bot', { delay: 20 });
    // No Enter, no blur: a pause in typing is enough.
    await expect.poll(() => alice.card('tp-sales-chat'), SOON).toContain('Sales chat with a bot');
    expect(await label.evaluate((el) => el === document.activeElement)).toBe(true);

    await label.pressSequentially(' and a human', { delay: 10 });
    // At once, before the pause: the page going away writes what was typed.
    await bob.page.reload();
    await bob.page.locator('[data-testid="connection-state"][data-state="connected"]').waitFor(SOON);
    await expect.poll(() => alice.card('tp-sales-chat'), SOON).toContain('Sales chat with a bot and a human');
    await bob.page.getByTestId('rf__node-tp-sales-chat').waitFor();
    expect(await bob.card('tp-sales-chat')).toContain('Sales chat with a bot and a human');
  });

  it('Escape still cancels: what the pause had written is taken back', async () => {
    const mapId = await workshop.newMap();
    const [alice, bob] = await Promise.all([workshop.join('alice', mapId), workshop.join('bob', mapId)]);
    const before = await alice.card('tp-sales-chat');
    await bob.edit('tp-sales-chat', {});
    const label = bob.field('Label');
    await label.click();
    await label.press('Control+a');
    await label.pressSequentially('Typed then cancelled', { delay: 20 });
    await expect.poll(() => alice.card('tp-sales-chat'), SOON).toContain('Typed then cancelled');
    await label.press('Escape');
    await expect.poll(() => alice.card('tp-sales-chat'), SOON).toBe(before);
  });
});

describe('a merged workshop copy', () => {
  it('shows a read-only banner with a link to the master and offers nothing to edit, at once for whoever has it open and after a reload', async () => {
    const masterId = await workshop.newMap('FiberNet master');
    await workshop.asAlice('POST', `/api/maps/${masterId}/master`, { master: true });
    const copy = await workshop.asAlice<{ id: string }>('POST', `/api/maps/${masterId}/workshops`, { title: 'Tuesday workshop' });
    const alice = await workshop.join('alice', copy.id);
    await alice.edit('tp-sales-chat', { Label: 'Sales chat, renamed in the workshop' });
    expect(await alice.addTouchpointButton.count()).toBe(1);
    const { changes } = await workshop.asAlice<{ changes: Array<{ id: string; side: string }> }>('GET', `/api/maps/${copy.id}/diff`);

    const merged = workshop.asAlice('POST', `/api/maps/${copy.id}/merge`, { changes: changes.filter((c) => c.side === 'copy').map((c) => c.id), resolutions: {} });
    await merged;

    const banner = alice.page.getByTestId('merged-banner');
    await banner.waitFor(SOON);
    expect(await banner.textContent()).toMatch(/This workshop copy was merged into FiberNet master on .+; it is read-only now\./);
    expect(await banner.getByRole('link', { name: 'FiberNet master' }).getAttribute('href')).toBe(`/maps/${masterId}`);
    await alice.addTouchpointButton.waitFor({ state: 'detached', ...SOON });
    expect(await badge(alice).textContent()).toBe('viewer');

    await alice.page.reload();
    await alice.page.getByTestId('merged-banner').waitFor(SOON);
    expect(await alice.addTouchpointButton.count()).toBe(0);
    await alice.select('tp-sales-chat');
    await alice.openTab('Details');
    expect(await alice.field('Label').isDisabled()).toBe(true);
  });
});
