/**
 * A big map in Chromium (issue 6 §6, "render only what is visible"): 600
 * touchpoints in 20 stages, laid out as bench:canvas lays out its 2,000. It
 * opens readable on its first stages; zoomed out past reading it becomes one
 * picture (the overview), where a click on a card selects it and zooms in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARD_HEIGHT, CARD_WIDTH, READABLE_ZOOM } from '../../lib/journey/layout';
import { bigMap, storeMap, type BigMap } from '../bench/canvas/big-map';
import { Workshop } from './support/workshop';

const SOON = { timeout: 10_000 };

let workshop: Workshop;
let model: BigMap;
let mapId: string;

beforeAll(async () => {
  workshop = await Workshop.open(['alice', 'bob']);
  model = bigMap(600);
  mapId = await storeMap(workshop.server.dataDir, model, workshop.person('alice').id, [workshop.person('bob').id]);
});

afterAll(async () => {
  await workshop?.close();
});

function touchpoint(stageIndex: number, row: number) {
  const stageId = model.map.stages[stageIndex]?.id;
  const cards = Object.values(model.map.touchpoints)
    .filter((tp) => tp.kind === 'touchpoint' && tp.stageId === stageId)
    .sort((a, b) => a.y - b.y);
  const tp = cards[row];
  if (!tp) throw new Error(`no card ${row} in stage ${stageIndex}`);
  return tp;
}

describe('a map of 600 touchpoints', () => {
  it('opens on its first stages at a readable zoom, drawing only the cards in view', async () => {
    const alice = await workshop.join('alice', mapId, { asOpened: true });

    const view = await alice.viewport();
    expect(view.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    await expect(alice.page.getByRole('textbox', { name: 'Stage name: Stage 1', exact: true }).isVisible()).resolves.toBe(true);
    const first = touchpoint(0, 0);
    expect(await alice.card(first.id)).toContain(first.label);
    const drawn = await alice.cardsDrawn();
    expect(drawn).toBeGreaterThan(0);
    expect(drawn).toBeLessThan(100);
    await workshop.leave();
  });

  it("shows the whole map as an overview with Bob's pointer on it; a click on a card there selects it and zooms in to read it, with Bob's edit", async () => {
    const [alice, bob] = await Promise.all([workshop.join('alice', mapId, { asOpened: true }), workshop.join('bob', mapId, { asOpened: true })]);
    const target = touchpoint(2, 2);

    await alice.fitView();
    expect((await alice.viewport()).zoom).toBeLessThan(READABLE_ZOOM);
    await alice.page.getByTestId('overview-hint').waitFor(SOON);
    await alice.page.getByTestId('canvas-overview').waitFor(SOON);
    expect(await alice.cardsDrawn()).toBe(0);

    // Bob renames the card meanwhile; Alice's overview does not need to show text, her inspector will.
    await bob.edit(target.id, { Label: 'Renamed by Bob' });
    // Bob's pointer shows on Alice's overview at its usual size, not shrunk to a dot with the map.
    await bob.pointAt(target.id);
    const cursor = alice.cursorOf(bob.person);
    await cursor.waitFor(SOON);
    expect((await alice.box(cursor)).height).toBeGreaterThan(12);

    const at = await alice.pageAt({ x: target.x + CARD_WIDTH / 2, y: target.y + CARD_HEIGHT / 2 });
    const paneCursor = () => alice.page.locator('.react-flow__pane').evaluate((pane) => getComputedStyle(pane).cursor);
    await alice.page.mouse.move(at.x, at.y);
    await expect.poll(paneCursor, SOON).toBe('pointer');
    await alice.page.mouse.click(at.x, at.y);
    await alice.settle();

    expect((await alice.viewport()).zoom).toBeCloseTo(1, 1);
    await expect.poll(() => alice.field('Label').inputValue(), SOON).toBe('Renamed by Bob');
    expect(await alice.card(target.id)).toContain('Renamed by Bob');
    await expect(alice.page.getByTestId('overview-hint').count()).resolves.toBe(0);
    await workshop.leave();
  });
});
