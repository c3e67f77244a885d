// The README's picture of a live session, from a fresh app on a free port:
//   node --import tsx scripts/screenshots-live.ts [out-file]
// Alice has "First bill" selected with its comments open; Bob and Cora are on
// the map too, each with a card selected and the mouse somewhere on the canvas.
// Builds first when the build is stale (tests/e2e/support/build.ts).
import path from 'node:path';
import { REPO_ROOT } from '../tests/support/app-server';
import { VIEWPORT, Workshop } from '../tests/e2e/support/workshop';

const out = path.resolve(REPO_ROOT, process.argv[2] ?? 'docs/screenshots/canvas-live.png');

const workshop = await Workshop.open();
try {
  const mapId = await workshop.newMap();
  const [alice, bob, cora] = await Promise.all([workshop.join('alice', mapId), workshop.join('bob', mapId), workshop.join('cora', mapId)]);
  await bob.select('tp-install-booking');
  await cora.select('tp-cancellation');
  await bob.pointAt('tp-order-confirmation');
  await cora.pointAt('tp-help-center');
  await alice.select('tp-first-bill');
  await alice.openTab('Comments');
  // Alice's own pointer is not drawn: park it on the side panel, away from any hover style.
  await alice.page.mouse.move(VIEWPORT.width - 100, VIEWPORT.height - 40);
  await Promise.all([alice.cursorOf(bob.person).waitFor(), alice.cursorOf(cora.person).waitFor(), alice.avatarOf(cora.person).waitFor()]);
  await alice.settle();
  await alice.nextFrames();
  await alice.page.screenshot({ path: out });
  console.log(`wrote ${path.relative(REPO_ROOT, out)} (${VIEWPORT.width}×${VIEWPORT.height})`);
} finally {
  await workshop.close();
}
