/**
 * Issue 7 end to end, in Chromium on the production build: the contact-center
 * lead reviews a workshop copy of the master map, settles a conflict, previews
 * the annotations and merges; a client on the master sees the outcome live.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAction, deleteAction, readMap, setStageAccountable, updateAction, updateTouchpoint } from '../../lib/journey/schema';
import { TestServer, stopAllServers } from '../support/server';
import { launchChromium } from '../support/chromium';
import { destroyAllCollabClients } from '../support/collab-client';
import { PASSWORD, Team } from '../support/people';
import { LoginPage } from '../support/ui';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([TestServer.start(), launchChromium()]);
});

afterAll(async () => {
  destroyAllCollabClients();
  await browser?.close();
  await stopAllServers();
});

const origin = { userId: 'e2e', kind: 'local' } as const;

describe('reviewing a workshop copy', () => {
  it('the lead chooses the copy changes, settles a conflict, sees the annotations before → after, and the master changes live', async () => {
    const team = new Team(server);
    const lead = await team.signUp('Lena');
    const master = await lead.createMap('FiberNet master', 'demo');
    expect((await lead.api.post(`/api/maps/${master.id}/master`, { master: true })).status).toBe(200);
    const copy = await lead.api.post<{ id: string }>(`/api/maps/${master.id}/workshops`, { title: 'March workshop' });
    expect(copy.status).toBe(201);
    const copyId = copy.body.id;

    // The workshop decides: Sales is accountable for "Choose" (the fragmented stage), and the first bill gets a new name.
    const onCopy = await lead.open(copyId);
    setStageAccountable(onCopy.doc, 'stage-choose', 'Sales', origin);
    updateTouchpoint(onCopy.doc, 'tp-first-bill', { label: 'First bill, explained' }, origin);
    // Meanwhile the master renames the same touchpoint: a conflict.
    const onMaster = await lead.open(master.id);
    updateTouchpoint(onMaster.doc, 'tp-first-bill', { label: 'First bill (new layout)' }, origin);
    // Stored once the server has them: the diff reads the store.
    await expect
      .poll(async () => (await lead.api.get<{ changes: Array<{ conflict: boolean }> }>(`/api/maps/${copyId}/diff`)).body.changes.filter((c) => c.conflict).length, { timeout: 10_000 })
      .toBe(1);

    const page = await (await browser.newContext()).newPage();
    await new LoginPage(page).open(server.url, `/maps/${copyId}/merge`);
    await page.getByLabel('Email').fill(lead.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).last().click();
    await page.waitForURL(/\/merge$/);

    const preview = page.getByTestId('merge-preview');
    await expect.poll(() => preview.textContent()).toContain('Ownership gaps2 → 1');
    const conflict = page.locator('[data-testid^="conflict-"]');
    await expect.poll(() => conflict.count()).toBe(1);
    expect(await conflict.textContent()).toContain('First bill (new layout)');
    expect(await conflict.textContent()).toContain('First bill, explained');
    const merge = page.getByRole('button', { name: /Merge \d+ changes? into the master/ });
    await conflict.getByRole('checkbox').check();
    expect(await merge.isDisabled()).toBe(true);
    await conflict.getByLabel(/Keep the copy/).check();
    await merge.click();
    await page.getByRole('status').filter({ hasText: 'Merged' }).waitFor();

    // The master's open client sees the outcome without reconnecting.
    await onMaster.until((doc) => {
      const map = readMap(doc);
      return map.stages.find((s) => s.id === 'stage-choose')?.accountable === 'Sales' && map.touchpoints['tp-first-bill']?.label === 'First bill, explained';
    }, 'the master to show the merge');
    const audit = await lead.audit(master.id);
    expect(audit.some((e) => e.action === 'workshop.merged' && e.actorEmail === lead.email)).toBe(true);
  });

  it('actions are in the review (issue 13): an added one and a status change to tick, an edit against a removal shown by its title, not as data', async () => {
    const team = new Team(server);
    const lead = await team.signUp('Ada');
    const master = await lead.createMap('FiberNet master', 'demo');
    expect((await lead.api.post(`/api/maps/${master.id}/master`, { master: true })).status).toBe(200);
    const onMaster = await lead.open(master.id);
    addAction(onMaster.doc, { id: 'a-ivr', touchpointId: 'tp-ivr', title: 'Cut the phone menu to four options', status: 'doing' }, Date.UTC(2026, 10, 2), origin);
    addAction(onMaster.doc, { id: 'a-slots', touchpointId: 'tp-install-booking', title: 'Offer evening slots' }, Date.UTC(2026, 10, 2), origin);
    const masterWatcher = await lead.open(master.id);
    await masterWatcher.until((doc) => Object.keys(readMap(doc).actions).length === 2, "the master's actions, stored");
    const copy = await lead.api.post<{ id: string }>(`/api/maps/${master.id}/workshops`, { title: 'Actions workshop' });
    const copyId = copy.body.id;
    const onCopy = await lead.open(copyId);
    addAction(onCopy.doc, { id: 'a-chat', touchpointId: 'tp-support-chat', title: 'Keep the chat open in the background' }, Date.UTC(2026, 10, 20), origin);
    updateAction(onCopy.doc, 'a-ivr', { status: 'done' }, Date.UTC(2026, 10, 21), origin);
    deleteAction(onCopy.doc, 'a-slots', origin);
    updateAction(onMaster.doc, 'a-slots', { title: 'Offer evening and weekend slots' }, Date.UTC(2026, 10, 22), origin);
    await expect
      .poll(async () => (await lead.api.get<{ changes: unknown[] }>(`/api/maps/${copyId}/diff`)).body.changes.length, { timeout: 10_000 })
      .toBe(3);

    const page = await (await browser.newContext()).newPage();
    await new LoginPage(page).open(server.url, `/maps/${copyId}/merge`);
    await page.getByLabel('Email').fill(lead.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).last().click();
    await page.waitForURL(/\/merge$/);

    const added = page.getByRole('checkbox', { name: 'Added action "Keep the chat open in the background" to touchpoint "Support chat"' });
    const done = page.getByRole('checkbox', { name: 'Changed the status of action "Cut the phone menu to four options" from in progress to done' });
    await Promise.all([added.waitFor(), done.waitFor()]);
    expect(await added.isChecked()).toBe(true);
    expect(await done.isChecked()).toBe(true);
    const conflict = page.locator('[data-testid^="conflict-"]');
    await expect.poll(() => conflict.count()).toBe(1);
    const keepMaster = conflict.locator('label').filter({ hasText: /Keep the master/ });
    expect(await keepMaster.textContent()).toContain('Offer evening and weekend slots');
    expect(await conflict.textContent()).not.toContain('"touchpointId"');

    await page.getByRole('button', { name: 'Merge 2 changes into the master' }).click();
    await page.getByRole('status').filter({ hasText: 'Merged' }).waitFor();
    await masterWatcher.until((doc) => readMap(doc).actions['a-chat'] !== undefined && readMap(doc).actions['a-ivr']?.status === 'done', 'the merged actions at the master');
    expect(readMap(masterWatcher.doc).actions['a-ivr']?.doneAt).toBe(Date.UTC(2026, 10, 21));
    expect(readMap(masterWatcher.doc).actions['a-slots']?.title).toBe('Offer evening and weekend slots');
  });
});
