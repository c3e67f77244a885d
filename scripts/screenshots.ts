// The scripted walk-through behind the README's screenshots: a fresh app on a
// free port (built first when stale), the workshop's cast (Alice owns the map,
// Bob edits, Cora comments, Vic views), every page and state a person meets,
// at 1280 × 800 and 1440 × 900.
//   npm run screenshots [-- <out-dir>]      (default docs/screenshots)
// Writes <out-dir>/<width>/<name>.png and prints each file.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from '../tests/support/server';
import type { Canvas } from '../tests/e2e/support/canvas-driver';
import { Workshop, type Viewport } from '../tests/e2e/support/workshop';
import { demoMap } from '../lib/journey/templates';
import { demoFigures } from '../lib/measurements/demo-figures';
import { monthIndexOfMs, periodOfIndex } from '../lib/measurements/period';

const SCREENS: Viewport[] = [
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
];

/** A team's spreadsheet of its journey, with columns of its own. */
const SPREADSHEET = [
  'Phase,Touchpoint,Team,Feeling,Notes',
  'Discover,Price comparison site,Marketing,1,',
  'Discover,Friends and family,,2,word of mouth',
  'Buy,Online checkout,E-commerce,1,',
  'Buy,Sales hotline,Sales,-1,long queue at 6 pm',
  'Set up,Router installation,Field service,-2,',
  'Get help,Live chat,Customer care,0,',
].join('\n');

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
    // The API described, for a person signed out.
    await login.goto('/docs/api');
    await login.getByRole('heading', { level: 1 }).waitFor();
    await shot(login, 'api-docs');
    await anonymous.close();

    // The demo map, with Bob and Cora in the room, and a year of the contact center's figures pushed through the API as a nightly feed would.
    const mapId = await workshop.newMap();
    for (const { period, rows } of demoFigures(demoMap().map, periodOfIndex(monthIndexOfMs(Date.now())), { lastDay: new Date().getUTCDate() })) {
      await workshop.api('PUT', `/api/maps/${mapId}/metrics`, { period, rows });
    }
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

    // What the contact center measured for a touchpoint, and what customers said.
    // Bob sees the whole map (fit view): the cards' figures, the stage headers' sparklines, First bill's verbatims.
    await bob.select('tp-first-bill');
    await bob.openTab('Details');
    await bob.inspector.getByRole('region', { name: 'Measured by the contact center' }).scrollIntoViewIfNeeded();
    await still(bob);
    await shot(bob.page, 'canvas-figures');

    // Actions on a card, one overdue, and the map's review in Insights.
    await alice.openTab('Details');
    const addAction = alice.inspector.getByRole('form', { name: 'Add an action' });
    for (const [title, due] of [['Text a reminder the day before the visit', '2026-01-31'], ['Offer evening slots', '2027-03-01']] as const) {
      await addAction.getByLabel('New action', { exact: true }).fill(title);
      await addAction.getByLabel('New action owner team').fill('Billing');
      await addAction.getByLabel('New action due date').fill(due);
      await addAction.getByRole('button', { name: 'Add action' }).click();
    }
    await alice.inspector.getByText('Overdue', { exact: true }).scrollIntoViewIfNeeded();
    await still(alice);
    await shot(alice.page, 'canvas-actions');
    await alice.openTab('Insights');
    await alice.page.getByRole('button', { name: 'Mark reviewed' }).click();
    await alice.page.getByTestId('review-status').getByText(/^Last reviewed/).waitFor();
    await alice.openTab('Details');

    await alice.page.getByRole('button', { name: 'Legend' }).click();
    await alice.page.getByTestId('legend').waitFor();
    await still(alice);
    await shot(alice.page, 'canvas-legend');
    await alice.page.getByRole('button', { name: 'Close the legend' }).click();
    await alice.page.getByRole('button', { name: 'Map ▾' }).click();
    await alice.page.getByRole('navigation', { name: "This map's pages" }).waitFor();
    await shot(alice.page, 'map-menu');
    await alice.page.keyboard.press('Escape');

    await alice.page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    await alice.page.getByRole('dialog').waitFor();
    await shot(alice.page, 'shortcuts');
    await alice.page.keyboard.press('Escape');

    await shot(cora.page, 'canvas-commenter');

    // Stages: the stage menu and the delete dialog; the map's details.
    await alice.page.getByRole('button', { name: 'Stage menu: Choose', exact: true }).click();
    await still(alice);
    await shot(alice.page, 'stage-menu');
    await alice.page.getByRole('menuitem', { name: 'Delete stage…', exact: true }).click();
    await alice.deleteStageDialog.waitFor();
    await shot(alice.page, 'stage-delete');
    await alice.deleteStageDialog.getByRole('button', { name: 'Cancel' }).click();
    await alice.page.getByRole('button', { name: 'Map details', exact: true }).click();
    const details = alice.page.getByRole('dialog', { name: 'Map details' });
    await details.getByLabel('Persona', { exact: true }).fill('Sam, 34, moving in with a partner, works from home two days a week');
    await shot(alice.page, 'map-details');
    await details.getByRole('button', { name: 'Save', exact: true }).click();

    // A role changed while the map is open; the network gone; a mention in Bob's inbox.
    await workshop.setRole('cora', mapId, 'viewer');
    await cora.page.getByTestId('role-notice').waitFor();
    await still(cora);
    await shot(cora.page, 'role-changed');
    await workshop.setRole('cora', mapId, 'commenter');
    await cora.page.getByTestId('role-notice').getByText('commenter', { exact: false }).waitFor();
    await bob.page.context().setOffline(true);
    await bob.page.locator('[data-testid="connection-state"][data-state="offline"]').waitFor();
    await still(bob);
    await shot(bob.page, 'offline');
    await bob.page.context().setOffline(false);
    await bob.page.locator('[data-testid="connection-state"][data-state="connected"]').waitFor({ timeout: 20_000 });
    await cora.mention('tp-sales-chat', 'Bob Ortiz', 'could sales own this stage?');
    await bob.page.goto('/inbox');
    await bob.page.getByRole('list', { name: 'Notifications' }).waitFor();
    await shot(bob.page, 'inbox');

    // The map's other pages.
    for (const page of ['report', 'members', 'history', 'workshops'] as const) {
      await alice.page.goto(`/maps/${mapId}/${page}`);
      await alice.page.getByRole('navigation', { name: 'This map' }).waitFor();
      await shot(alice.page, page, page === 'report');
    }
    await alice.page.getByRole('button', { name: 'Mark as master map' }).click();
    await alice.page.getByRole('button', { name: 'Start a workshop copy' }).click();
    const start = alice.page.getByRole('dialog', { name: 'Start a workshop copy' });
    await start.getByLabel('Name of the copy').fill('Tuesday workshop');
    await shot(alice.page, 'workshop-start');
    await start.getByRole('button', { name: 'Start the copy' }).click();
    await alice.page.waitForURL(/\/members\?started=1$/);
    await shot(alice.page, 'workshop-members', true);
    const copyId = new URL(alice.page.url()).pathname.split('/')[2] ?? '';

    // The copy, reviewed and merged: it is read-only from then on.
    const copy = await workshop.join('alice', copyId, { viewport: screen, asOpened: true });
    await copy.renameStage('Choose', 'Compare and choose');
    await copy.page.goto(`/maps/${copyId}/merge`);
    await copy.page.getByRole('button', { name: /^Merge/ }).first().waitFor();
    await shot(copy.page, 'merge-review', true);
    const { changes } = await workshop.asAlice<{ changes: Array<{ id: string; side: string }> }>('GET', `/api/maps/${copyId}/diff`);
    await workshop.asAlice('POST', `/api/maps/${copyId}/merge`, { changes: changes.filter((c) => c.side === 'copy').map((c) => c.id), resolutions: {} });
    await copy.page.goto(`/maps/${copyId}`);
    await copy.page.getByTestId('merged-banner').waitFor();
    await still(copy);
    await shot(copy.page, 'workshop-merged');

    await alice.page.goto('/');
    await alice.page.getByRole('list', { name: 'Maps' }).waitFor();
    await shot(alice.page, 'dashboard');
    // A spreadsheet comes in: its own columns mapped, the first rows previewed; a broken one refused by row.
    const importForm = alice.page.getByRole('form', { name: 'Import a map' });
    await importForm.locator('input[type=file]').setInputFiles({ name: 'Customer journey 2026.csv', mimeType: 'text/csv', buffer: Buffer.from(SPREADSHEET) });
    await importForm.getByLabel('Touchpoint (label)').selectOption('Touchpoint');
    await importForm.getByLabel('Stage').selectOption('Phase');
    await importForm.getByLabel('Owner (team)').selectOption('Team');
    await importForm.getByLabel('Emotion (−2 to 2)').selectOption('Feeling');
    await importForm.scrollIntoViewIfNeeded();
    await shot(alice.page, 'import-mapping', true);
    await importForm.locator('input[type=file]').setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('stage,label,channel,emotion\nBuy,Web shop,web,1\nBuy,,phone,0\nUse,Router setup,fax,7\n') });
    await importForm.getByRole('button', { name: 'Import as a new map' }).click();
    await importForm.getByRole('alert').waitFor();
    await shot(alice.page, 'import-errors', true);
    await alice.page.goto('/');
    // Across maps: the demo map and its workshop copy.
    await alice.page.goto('/portfolio');
    await alice.page.getByRole('table', { name: 'Maps in your portfolio' }).waitFor();
    await shot(alice.page, 'portfolio', true);
    await alice.page.goto('/teams');
    await alice.page.getByRole('table', { name: 'Teams across your maps' }).waitFor();
    await shot(alice.page, 'teams', true);
    await alice.page.goto('/settings/account');
    await alice.page.getByRole('heading', { name: 'Account', exact: true }).waitFor();
    await shot(alice.page, 'account');

    // Removed from the map, then the map deleted, while it is open.
    await workshop.asAlice('DELETE', `/api/maps/${mapId}/members`, { email: workshop.person('bob').email });
    await bob.page.goto(`/maps/${mapId}`);
    await bob.page.getByTestId('no-longer-access').waitFor();
    await shot(bob.page, 'no-longer-access');
    await workshop.asAlice('DELETE', `/api/maps/${mapId}`);
    await cora.page.getByTestId('map-locked').waitFor();
    await shot(cora.page, 'map-deleted');

    // A blank map: how to put on the first touchpoint, and, with no stage left, how to start.
    const blankId = await workshop.newMap('Moving house', 'blank');
    const blank = await workshop.join('alice', blankId, { viewport: screen, asOpened: true });
    await blank.page.getByTestId('touchpoints-empty-state').waitFor();
    await still(blank);
    await shot(blank.page, 'canvas-blank');
    for (const name of await blank.stageNames()) await blank.deleteStage(name, 'empty');
    await blank.page.getByTestId('stages-empty-state').waitFor();
    await still(blank);
    await shot(blank.page, 'canvas-no-stages');

    await workshop.leave();
  }
} finally {
  await workshop.close();
}
