/**
 * The contact center's figures on the map (issue 13 §2–3), in Chromium on the
 * production build: Alice (owner) and Bob (editor) have the demo map open
 * while figures are pushed through the API; both canvases show them without
 * a reload — on the cards beside the estimate, in the stage headers, in the
 * Insights panel and in the touchpoint's panel with what customers said — a
 * period picker shows another month, the review warns that figures arrived
 * since, and an action marked done shows its outcome.
 */
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { monthIndexOfMs, periodOfIndex } from '../../lib/measurements/period';
import type { Canvas } from './support/canvas-driver';
import { Workshop } from './support/workshop';

const SOON = { timeout: 10_000 };

let workshop: Workshop;

beforeAll(async () => {
  workshop = await Workshop.open(['alice', 'bob']);
});

afterEach(async () => {
  await workshop?.leave();
});

afterAll(async () => {
  await workshop?.close();
});

/** The month `k` months from this one (UTC), as the API takes it. */
const month = (k: number): string => periodOfIndex(monthIndexOfMs(Date.now()) + k);

const text = (person: Canvas, testId: string) => person.page.getByTestId(testId).first().innerText().catch(() => '');

async function push(mapId: string, period: string, rows: unknown[]): Promise<void> {
  await workshop.api('PUT', `/api/maps/${mapId}/metrics`, { period, rows });
}

describe('figures pushed while the map is open', () => {
  it('reach both canvases without a reload: cards, stage headers, Insights, verbatims; the review warns; a period picker shows another month', async () => {
    const mapId = await workshop.newMap();
    const [alice, bob] = await Promise.all([workshop.join('alice', mapId), workshop.join('bob', mapId)]);
    await bob.page.getByRole('button', { name: 'Mark reviewed' }).click();
    await expect.poll(() => text(alice, 'review-status'), SOON).toMatch(/^Last reviewed/);
    expect(await alice.page.getByLabel("Month of the contact center's figures").count()).toBe(0);

    const pushedAt = Date.now();
    await push(mapId, month(2), [
      {
        touchpointId: 'tp-first-bill',
        contacts: 2100,
        csat: { responses: 50, satisfied: 20 },
        nps: { promoters: 1, passives: 1, detractors: 2 },
        verbatims: [{ text: 'The bill was twice what the shop told me', score: 1 }],
      },
      { touchpointId: 'tp-router-delivery', contacts: 100, ces: { responses: 10, mean: 4 } },
    ]);
    const seenAfter: number[] = [];
    for (const person of [alice, bob]) {
      await expect.poll(() => text(person, 'measured-tp-first-bill'), SOON).toMatch(/2,100 measured\s*CSAT 40%/);
      seenAfter.push(Date.now() - pushedAt);
    }
    // Informational (issue 13: "within two seconds of a push"); a timing is never a pass/fail here.
    console.log(`figures on both canvases ${seenAfter.join(' ms, ')} ms after the push answered`);

    for (const person of [alice, bob]) {
      // The Use stage pools its two rows: 2,200 contacts; its CSAT and NPS are First bill's alone.
      await expect.poll(() => text(person, 'stage-measured-stage-use'), SOON).toMatch(/☎ 2,200\s*CSAT 40%\s*CES 4\.0\s*NPS −25/);
      await expect.poll(() => text(person, 'review-new-figures'), SOON).toMatch(/^New figures arrived/);
      const above = person.page.getByRole('list', { name: 'More contacts than estimated' });
      await expect.poll(() => above.innerText().catch(() => ''), SOON).toContain('First bill');
      expect(await above.innerText()).toContain('+750');
    }
    // The card keeps the workshop's estimate beside what was measured.
    expect(await alice.card('tp-first-bill')).toContain('1,350/mo');

    await alice.edit('tp-first-bill', {});
    const measured = alice.inspector.getByRole('region', { name: 'Measured by the contact center' });
    await expect.poll(() => measured.innerText().catch(() => ''), SOON).toContain('The bill was twice what the shop told me');
    expect(await measured.innerText()).toMatch(/CSAT\s*40%\s*50 responses/);
    if (process.env.SCREENSHOT_DIR) {
      await alice.page.screenshot({ path: path.join(process.env.SCREENSHOT_DIR, 'canvas-figures.png') });
      await bob.page.screenshot({ path: path.join(process.env.SCREENSHOT_DIR, 'canvas-figures-insights.png') });
      const close = await workshop.join('alice', mapId, { asOpened: true, viewport: { width: 2200, height: 1250 } });
      await close.page.getByTestId('measured-tp-first-bill').waitFor(SOON);
      await close.page.screenshot({ path: path.join(process.env.SCREENSHOT_DIR, 'canvas-figures-100.png') });
    }

    // A second month: the latest shows by default; Alice picks the earlier one, Bob stays on the latest.
    await push(mapId, month(1), [{ touchpointId: 'tp-first-bill', contacts: 900 }]);
    const picker = alice.page.getByLabel("Month of the contact center's figures");
    await expect.poll(() => picker.locator('option').count(), SOON).toBe(2);
    await picker.selectOption(month(1));
    await expect.poll(() => text(alice, 'measured-tp-first-bill'), SOON).toContain('900 measured');
    expect(await text(alice, 'measured-tp-first-bill')).not.toContain('CSAT');
    await expect.poll(() => measured.innerText().catch(() => ''), SOON).toContain('No verbatims for');
    expect(await measured.innerText()).toMatch(/900\s*estimate 1,350/);
    expect(await text(bob, 'measured-tp-first-bill')).toContain('2,100 measured');
  });

  it('an action marked done shows its outcome: contacts and CSAT in the three months before and after, for everyone', async () => {
    const mapId = await workshop.newMap();
    const [alice, bob] = await Promise.all([workshop.join('alice', mapId), workshop.join('bob', mapId)]);
    const before = { contacts: 1500, csat: { responses: 100, satisfied: 30 } };
    const after = { contacts: 600, csat: { responses: 100, satisfied: 80 } };
    for (const k of [-3, -2, -1]) await push(mapId, month(k), [{ touchpointId: 'tp-first-bill', ...before }]);
    for (const k of [1, 2, 3]) await push(mapId, month(k), [{ touchpointId: 'tp-first-bill', ...after }]);

    const title = 'Explain the first bill in the welcome mail';
    await alice.edit('tp-first-bill', {});
    const form = alice.inspector.getByRole('form', { name: 'Add an action' });
    await form.getByLabel('New action', { exact: true }).fill(title);
    await form.getByRole('button', { name: 'Add action' }).click();
    await alice.inspector.getByLabel(`Status of ${title}`).selectOption('done');

    await bob.edit('tp-first-bill', {});
    for (const person of [alice, bob]) {
      const outcome = person.inspector.getByRole('listitem', { name: `Action: ${title}` }).getByTestId('action-outcome');
      await expect.poll(() => outcome.innerText().catch(() => ''), SOON).toBe('Outcome: contacts 1,500 → 600 a month · CSAT 30% → 80%');
    }
  });
});
