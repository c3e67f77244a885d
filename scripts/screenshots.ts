// The scripted walk-through behind the README's screenshots: a fresh app on a
// free port (built first when stale), the workshop's cast (Alice owns the map,
// Bob edits, Cora comments, Vic views), every page and state a person meets,
// at 1280 × 800 and 1440 × 900.
//   npm run screenshots [-- <out-dir>]      (default docs/screenshots)
// Writes <out-dir>/<width>/<name>.png and prints each file.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from '../tests/support/app-server';
import type { Canvas } from '../tests/e2e/support/canvas-driver';
import { Workshop, type Viewport } from '../tests/e2e/support/workshop';

const SCREENS: Viewport[] = [
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
];

const outRoot = path.resolve(REPO_ROOT, process.argv[2] ?? 'docs/screenshots');

const workshop = await Workshop.open();
try {
  for (const screen of SCREENS) {
    const dir = path.join(outRoot, String(screen.width));
    fs.mkdirSync(dir, { recursive: true });
    const shot = async (page: Page, name: string, fullPage = false) => {
      const file = path.join(dir, `${name}.png`);
      await page.screenshot({ path: file, fullPage });
      console.log(`wrote ${path.relative(REPO_ROOT, file)}`);
    };
    /** The canvas at rest: the view settled, the pointer parked on the side panel. */
    const still = async (canvas: Canvas) => {
      await canvas.page.mouse.move(screen.width - 60, screen.height - 20);
      await canvas.settle();
      await canvas.nextFrames();
    };

    // Signed out.
    const anonymous = await workshop.browser.newContext({ baseURL: workshop.server.url, viewport: screen });
    const login = await anonymous.newPage();
    await login.goto('/login');
    await login.getByLabel('Email').waitFor();
    await shot(login, 'login');
    await anonymous.close();

    // The demo map, with Bob and Cora in the room.
    const mapId = await workshop.newMap();
    // Alice sees the map as it opens; the others clicked "fit view" to see it whole.
    const alice = await workshop.join('alice', mapId, { viewport: screen, asOpened: true });
    await still(alice);
    await shot(alice.page, 'canvas');

    const [bob, cora] = await Promise.all([workshop.join('bob', mapId, { viewport: screen }), workshop.join('cora', mapId, { viewport: screen })]);
    await bob.select('tp-sales-chat');
    await cora.select('tp-cancellation');
    await bob.pointAt('tp-order-confirmation');
    await cora.pointAt('tp-store-visit');
    await alice.select('tp-install-booking');
    await alice.openTab('Comments');
    await Promise.all([alice.cursorOf(bob.person).waitFor(), alice.cursorOf(cora.person).waitFor()]);
    await still(alice);
    await shot(alice.page, 'canvas-live');
    await alice.openTab('Details');
    await still(alice);
    await shot(alice.page, 'canvas-details');

    await alice.page.getByRole('button', { name: 'Legend' }).click();
    await alice.page.getByTestId('legend').waitFor();
    await still(alice);
    await shot(alice.page, 'canvas-legend');
    await alice.page.getByRole('button', { name: 'Close the legend' }).click();

    await alice.page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    await alice.page.getByRole('dialog').waitFor();
    await shot(alice.page, 'shortcuts');
    await alice.page.keyboard.press('Escape');

    await shot(cora.page, 'canvas-commenter');

    // The map's other pages.
    for (const page of ['report', 'members', 'history', 'workshops'] as const) {
      await alice.page.goto(`/maps/${mapId}/${page}`);
      await alice.page.getByRole('navigation', { name: 'This map' }).waitFor();
      await shot(alice.page, page, page === 'report');
    }
    await alice.page.goto('/');
    await alice.page.getByRole('list', { name: 'Maps' }).waitFor();
    await shot(alice.page, 'dashboard');

    // A blank map: how to start.
    const blankId = await workshop.newMap('Moving house', 'blank');
    await alice.page.goto(`/maps/${blankId}`);
    await alice.page.locator('[data-testid="connection-state"][data-state="connected"]').waitFor();
    await still(alice);
    await shot(alice.page, 'canvas-blank');

    await workshop.leave();
  }
} finally {
  await workshop.close();
}
