/**
 * The map explains itself (issue 11 §4), in Chromium at the screen sizes a
 * facilitator's laptop has: text readable at the opening zoom, a toolbar of
 * one row, the legend one click away, a minimap that never covers a card, and
 * every page of a map a click away from its canvas.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Canvas } from './support/canvas-driver';
import { Workshop, type Viewport } from './support/workshop';

const SOON = { timeout: 10_000 };
const LAPTOPS: Viewport[] = [
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
];

/**
 * Every piece of text on screen whose glyphs are drawn under 11 px: its CSS
 * font size times the canvas zoom when it is on the canvas. A string, as page
 * scripts are (see canvas-driver.ts).
 */
const SMALL_TEXT = `(() => {
  const zoomOf = (el) => {
    const viewport = el.closest('.react-flow__viewport');
    if (!viewport) return 1;
    const m = /scale\\(([\\d.]+)\\)/.exec(viewport.style.transform);
    return m ? Number(m[1]) : 1;
  };
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.width === 0 || box.bottom <= 0 || box.right <= 0 || box.top >= innerHeight || box.left >= innerWidth) continue;
    const size = parseFloat(getComputedStyle(el).fontSize) * zoomOf(el);
    if (size < 10.95) small.push(text.slice(0, 40) + ' (' + size.toFixed(1) + ' px)');
  }
  return small;
})()`;

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

/** The toolbar as laid out: whether its controls sit on one row (their middles level) and none is cut off. */
async function toolbarLayout(canvas: Canvas): Promise<{ oneRow: boolean; clipped: boolean }> {
  return canvas.page.getByTestId('toolbar').evaluate((toolbar) => {
    const middles = [...toolbar.querySelectorAll('a, button, h1, input, [role="status"]')]
      .map((el) => el.getBoundingClientRect())
      .filter((box) => box.width > 0)
      .map((box) => box.top + box.height / 2);
    return { oneRow: Math.max(...middles) - Math.min(...middles) < 12, clipped: toolbar.scrollWidth > toolbar.clientWidth };
  });
}

describe('readable on a laptop', () => {
  for (const screen of LAPTOPS) {
    it(`opens the demo map on a ${screen.width} × ${screen.height} screen with no text under 11 px, the first stage in view`, async () => {
      const mapId = await workshop.newMap();
      const alice = await workshop.join('alice', mapId, { viewport: screen, asOpened: true });
      expect((await alice.viewport()).zoom).toBe(1);
      await expect(alice.page.getByRole('textbox', { name: 'Stage name: Discover', exact: true }).isVisible()).resolves.toBe(true);
      expect(await alice.page.evaluate(SMALL_TEXT)).toEqual([]);
    });
  }

  it('keeps the toolbar to one row at 1280 px for the owner of a master map with a vote running, and for an editor', async () => {
    const mapId = await workshop.newMap('Switching to FiberNet broadband — the master map of the contact center');
    await workshop.api('POST', `/api/maps/${mapId}/master`, { master: true });
    const alice = await workshop.join('alice', mapId, { viewport: LAPTOPS[0] });
    expect(await toolbarLayout(alice)).toEqual({ oneRow: true, clipped: false });
    await alice.page.getByRole('button', { name: 'Start vote' }).click();
    await alice.page.getByTestId('dots-left').waitFor();
    const bob = await workshop.join('bob', mapId, { viewport: LAPTOPS[0] });
    await bob.page.getByTestId('dots-left').waitFor();
    expect(await toolbarLayout(alice)).toEqual({ oneRow: true, clipped: false });
    expect(await toolbarLayout(bob)).toEqual({ oneRow: true, clipped: false });
    // Nothing was pushed out of sight: the last control, the people here, is on screen.
    const avatars = await alice.box(alice.page.getByLabel(/^Here now/));
    expect(avatars.x + avatars.width).toBeLessThanOrEqual(LAPTOPS[0]?.width ?? 0);
  });
});

describe('the map explains itself', () => {
  it('shows the legend one click away, and in the shortcuts dialog', async () => {
    const alice = await workshop.join('alice', await workshop.newMap());
    await alice.page.getByRole('button', { name: 'Legend' }).click();
    const legend = alice.page.getByRole('region', { name: 'Legend' });
    for (const heading of ['Pain (stage header colour)', 'Ownership (stage header)', 'The contact center (hub)', 'A touchpoint card', 'Emotion curve']) {
      await legend.getByRole('heading', { name: heading }).waitFor(SOON);
    }
    await expect(legend.getByText('severity × frequency').count()).resolves.toBe(1);
    await alice.page.getByRole('button', { name: 'Close the legend' }).click();
    await expect(legend.count()).resolves.toBe(0);

    await alice.page.locator('body').press('?');
    const dialog = alice.page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.getByRole('heading', { name: 'Ownership (stage header)' }).waitFor(SOON);
    // The emotion curve on the canvas says what it is.
    await expect(alice.page.locator('.react-flow__viewport').getByText('Emotion curve').count()).resolves.toBe(1);
  });

  it('keeps the minimap in the side panel, clear of every card, folded away when asked and remembered', async () => {
    const mapId = await workshop.newMap();
    const alice = await workshop.join('alice', mapId);
    const minimap = await alice.box(alice.page.getByTestId('minimap'));
    const pane = await alice.box(alice.page.locator('.react-flow'));
    expect(minimap.x).toBeGreaterThanOrEqual(pane.x + pane.width);

    await alice.page.getByRole('button', { name: 'Minimap' }).click();
    await expect(alice.page.getByTestId('minimap').count()).resolves.toBe(0);
    await alice.page.reload();
    await alice.page.locator('[data-testid="connection-state"][data-state="connected"]').waitFor();
    await expect(alice.page.getByRole('button', { name: 'Minimap' }).getAttribute('aria-expanded')).resolves.toBe('false');
  });
});

describe('a map and its pages', () => {
  it('leads back to the canvas from the report, history, workshops and members pages', async () => {
    const mapId = await workshop.newMap();
    const alice = await workshop.join('alice', mapId);
    await alice.page.getByRole('button', { name: 'Map ▾' }).click();
    await alice.page.getByRole('link', { name: /Annotations report/ }).click();
    await alice.page.waitForURL(/\/report$/);
    for (const page of ['report', 'history', 'workshops', 'members']) {
      await alice.page.goto(`/maps/${mapId}/${page}`);
      await alice.page.getByRole('link', { name: '← Back to the canvas' }).click();
      await alice.page.waitForURL((url) => url.pathname === `/maps/${mapId}`);
      await alice.page.locator('[data-testid="connection-state"][data-state="connected"]').waitFor();
    }
  });

  it('opens a map as soon as it is created from the list', async () => {
    const context = await workshop.newContext('bob');
    const page = await context.newPage();
    await page.goto('/');
    const form = page.getByRole('form', { name: 'Create a map' });
    await form.getByLabel('New map title').fill('Moving house');
    await form.getByRole('button', { name: 'Create map' }).click();
    await page.waitForURL(/\/maps\/[^/]+$/);
    await page.locator('[data-testid="connection-state"][data-state="connected"]').waitFor();
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Moving house');
  });
});
