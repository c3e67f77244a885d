// The stage and map-details states of the canvas (issue 11 §3, §4), at 1280 × 800 and 1440 × 900,
// from a fresh app on a free port: node --import tsx scripts/screenshots-stages.ts [out-dir]
// Writes stages-<state>-<width>.png. Builds first when the build is stale (tests/e2e/support/build.ts).
import path from 'node:path';
import { REPO_ROOT } from '../tests/support/app-server';
import { Canvas } from '../tests/e2e/support/canvas-driver';
import { Workshop } from '../tests/e2e/support/workshop';

const out = path.resolve(REPO_ROOT, process.argv[2] ?? 'docs/screenshots');
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
];

const workshop = await Workshop.open(['alice']);
try {
  const demo = await workshop.newMap();
  const blank = await workshop.newBlankMap();
  for (const size of SIZES) {
    const context = await workshop.newContext('alice');
    const page = await context.newPage();
    await page.setViewportSize(size);
    const alice = new Canvas(page, workshop.person('alice'), null);
    const shot = async (state: string) => {
      await alice.nextFrames();
      await page.screenshot({ path: path.join(out, `stages-${state}-${size.width}.png`) });
    };

    await alice.open(demo);
    await page.getByRole('button', { name: 'Stage menu: Choose', exact: true }).click();
    await shot('menu');
    await page.getByRole('menuitem', { name: 'Delete stage…' }).click();
    await alice.deleteStageDialog.getByRole('radio', { name: 'Delete them too' }).check();
    await shot('delete-dialog');
    await alice.deleteStageDialog.getByRole('button', { name: 'Cancel' }).click();

    const handle = await alice.box(alice.lane('Buy').getByRole('button', { name: 'Drag to reorder stage Buy' }));
    const choose = await alice.box(alice.lane('Choose'));
    await page.mouse.move(handle.x + 5, handle.y + 5);
    await page.mouse.down();
    await page.mouse.move(choose.x + 6, handle.y + 30, { steps: 8 });
    await shot('drag');
    await page.keyboard.press('Escape');
    await page.mouse.up();
    await alice.open(demo);

    await page.getByRole('button', { name: 'Map details', exact: true }).click();
    await shot('map-details');
    await page.getByRole('dialog', { name: 'Map details' }).getByRole('button', { name: 'Cancel' }).click();

    await alice.open(blank);
    await shot('blank');
    await context.close();
  }

  // The same blank map with its stages deleted: where a journey starts.
  const context = await workshop.newContext('alice');
  const page = await context.newPage();
  const alice = new Canvas(page, workshop.person('alice'), null);
  await alice.open(blank);
  for (const name of await alice.stageNames()) await alice.deleteStage(name, 'empty');
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await alice.nextFrames();
    await page.screenshot({ path: path.join(out, `stages-empty-${size.width}.png`) });
  }
  console.log(`wrote stages-*.png to ${path.relative(REPO_ROOT, out)}`);
} finally {
  await workshop.close();
}
