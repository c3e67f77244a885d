// The README's picture of a big map's overview, from a fresh app on a free port:
//   node --import tsx scripts/screenshots-big-map.ts [out-file]
// bench:canvas's 2,000-touchpoint map, zoomed out with the mouse wheel about
// its top-left corner until it is drawn as the overview.
import path from 'node:path';
import { REPO_ROOT } from '../tests/support/server';
import { bigMap, storeMap } from '../tests/bench/canvas/big-map';
import { VIEWPORT, Workshop } from '../tests/e2e/support/workshop';

const out = path.resolve(REPO_ROOT, process.argv[2] ?? 'docs/screenshots/canvas-overview.png');
const ZOOM = 0.22;

const workshop = await Workshop.open(['alice']);
try {
  const mapId = await storeMap(workshop.server.dataDir, bigMap(2000), workshop.person('alice').id);
  const alice = await workshop.join('alice', mapId, { asOpened: true });
  const pane = await alice.box(alice.page.locator('.react-flow'));
  await alice.page.mouse.move(pane.x + 30, pane.y + 30);
  while ((await alice.viewport()).zoom > ZOOM) {
    await alice.page.mouse.wheel(0, 200);
    await alice.settle();
  }
  await alice.page.getByTestId('canvas-overview').waitFor();
  await alice.page.mouse.move(VIEWPORT.width - 100, VIEWPORT.height - 40);
  await alice.nextFrames();
  await alice.page.screenshot({ path: out });
  console.log(`wrote ${path.relative(REPO_ROOT, out)} at zoom ${(await alice.viewport()).zoom.toFixed(2)} (${VIEWPORT.width}×${VIEWPORT.height})`);
} finally {
  await workshop.close();
}
