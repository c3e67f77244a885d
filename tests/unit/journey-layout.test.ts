import { describe, expect, it } from 'vitest';
import {
  CARD_HEIGHT,
  CARD_WIDTH,
  EMOTION_CURVE_TOP,
  LANE_HEADER_HEIGHT,
  LANE_WIDTH,
  OPENING_ZOOM,
  READABLE_ZOOM,
  displayPosition,
  cardCover,
  freeSlot,
  labelSpot,
  laneLeft,
  mapBounds,
  openingViewport,
  stageIndexOf,
  type Viewport,
} from '../../lib/journey/layout';
import { demoMap } from '../../lib/journey/templates';
import type { JourneyMap } from '../../lib/journey/types';
import { hub, journeyMap, stage, touchpoint } from './annotations-factory';

const PANE = { width: 1100, height: 800 };

/** Where a flow-coordinate rectangle lands on the pane. */
function onScreen(view: Viewport, r: { x: number; y: number; width: number; height: number }) {
  return { left: r.x * view.zoom + view.x, top: r.y * view.zoom + view.y, right: (r.x + r.width) * view.zoom + view.x, bottom: (r.y + r.height) * view.zoom + view.y };
}

const inside = (s: ReturnType<typeof onScreen>) => s.left >= 0 && s.top >= 0 && s.right <= PANE.width && s.bottom <= PANE.height;
const overlaps = (s: ReturnType<typeof onScreen>) => s.right > 0 && s.bottom > 0 && s.left < PANE.width && s.top < PANE.height;

function cardRects(map: JourneyMap) {
  const stageIndex = stageIndexOf(map);
  return Object.values(map.touchpoints).map((tp) => ({ id: tp.id, ...displayPosition(tp, stageIndex, map.stages.length), width: CARD_WIDTH, height: CARD_HEIGHT }));
}

/** `stages` columns of `rows` cards each, one under another, and a hub below them. */
function gridMap(stages: number, rows: number): JourneyMap {
  const cards = [];
  for (let s = 0; s < stages; s++) {
    for (let r = 0; r < rows; r++) cards.push(touchpoint(`t${s}-${r}`, `s${s}`, { x: laneLeft(s) + 30, y: LANE_HEADER_HEIGHT + 24 + r * 140 }));
  }
  const h = { ...hub(), x: (stages * LANE_WIDTH) / 2, y: LANE_HEADER_HEIGHT + 24 + rows * 140 };
  return journeyMap({ stages: Array.from({ length: stages }, (_, s) => stage(`s${s}`)), touchpoints: [...cards, h] });
}

describe('mapBounds', () => {
  it('spans the emotion curve above the headers, every column, and a hub placed past the last column', () => {
    const map = gridMap(3, 2);
    const farHub = map.touchpoints.hub;
    if (!farHub) throw new Error('no hub');
    farHub.x = laneLeft(5);
    const b = mapBounds(map);
    expect(b.y).toBeLessThanOrEqual(EMOTION_CURVE_TOP);
    expect(b.x).toBe(0);
    expect(b.x + b.width).toBe(laneLeft(5) + CARD_WIDTH);
    expect(b.y + b.height).toBeGreaterThan(farHub.y);
  });
});

describe('openingViewport', () => {
  // The canvas pane of a 1280 × 800 and a 1440 × 900 screen: less the side panel (340 px) and the toolbar (issue 11 §4).
  for (const screen of [
    { width: 1280, height: 800 },
    { width: 1440, height: 900 },
  ]) {
    it(`opens the demo map readable on a ${screen.width} × ${screen.height} screen: at 100 %, where 11 px text is 11 px, from its first stage`, () => {
      const pane = { width: screen.width - 340, height: screen.height - 60 };
      const map = demoMap().map;
      const view = openingViewport(map, pane);
      expect(view.zoom).toBe(OPENING_ZOOM);
      const firstHeader = onScreen(view, { x: 0, y: EMOTION_CURVE_TOP, width: LANE_WIDTH, height: LANE_HEADER_HEIGHT - EMOTION_CURVE_TOP });
      expect(firstHeader.left).toBeGreaterThanOrEqual(0);
      expect(firstHeader.top).toBeGreaterThanOrEqual(0);
      expect(firstHeader.right).toBeLessThanOrEqual(pane.width);
    });
  }

  it('shows a map whole, centred, when it fits at 100 %', () => {
    const map = gridMap(3, 2);
    const large = { width: 1600, height: 1200 };
    const view = openingViewport(map, large);
    expect(view.zoom).toBe(OPENING_ZOOM);
    const s = onScreen(view, mapBounds(map));
    expect(s.left).toBeGreaterThanOrEqual(0);
    expect(s.right).toBeLessThanOrEqual(large.width);
    expect(s.left).toBeCloseTo(large.width - s.right, 6);
  });

  it('never magnifies a small map beyond 100 %, and centres it', () => {
    const map = gridMap(1, 1);
    const large = { width: 2400, height: 1600 };
    const view = openingViewport(map, large);
    expect(view.zoom).toBe(1);
    const s = onScreen(view, mapBounds(map));
    expect(s.left).toBeCloseTo(large.width - s.right, 6);
    expect(s.top).toBeCloseTo(large.height - s.bottom, 6);
  });

  it('opens a map too big to read whole on its first stages, from the top, with a few dozen cards in view', () => {
    const map = gridMap(20, 100);
    const view = openingViewport(map, PANE);
    expect(view.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    const firstHeader = onScreen(view, { x: 0, y: EMOTION_CURVE_TOP, width: LANE_WIDTH, height: LANE_HEADER_HEIGHT - EMOTION_CURVE_TOP });
    expect(inside(firstHeader)).toBe(true);
    const cards = cardRects(map);
    const first = cards.find((c) => c.id === 't0-0');
    expect(first && inside(onScreen(view, first))).toBe(true);
    const inView = cards.filter((c) => overlaps(onScreen(view, c))).length;
    expect(inView).toBeGreaterThan(4);
    expect(inView).toBeLessThan(60);
  });

  it('gives an empty map a sensible view (no division by zero)', () => {
    const view = openingViewport(journeyMap({}), PANE);
    expect(Number.isFinite(view.x) && Number.isFinite(view.y) && Number.isFinite(view.zoom)).toBe(true);
    expect(view.zoom).toBeGreaterThan(0);
  });
});

describe('freeSlot', () => {
  const boxOf = (slot: { x: number; y: number }) => ({ ...slot, width: CARD_WIDTH, height: CARD_HEIGHT });
  const apart = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
    a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;

  it('keeps the place asked for when it is clear of every card', () => {
    const map = gridMap(2, 2);
    expect(freeSlot(map, 's1', 900)).toEqual({ x: laneLeft(1) + 30, y: 900 });
  });

  it('moves a card asked for between two others to the free row nearest to that place, on top of none', () => {
    const map = gridMap(2, 4);
    // Half-way down the gap between the first two cards: both rows are taken, so is every other.
    const slot = freeSlot(map, 's0', LANE_HEADER_HEIGHT + 24 + CARD_HEIGHT);
    expect(slot.x).toBe(laneLeft(0) + 30);
    for (const box of cardRects(map)) expect(apart(boxOf(slot), box), box.id).toBe(true);
  });

  it('fills a hole left in a column before going below it, and never lands on the hub', () => {
    const map = gridMap(3, 3);
    delete map.touchpoints['t1-1'];
    expect(freeSlot(map, 's1')).toEqual({ x: laneLeft(1) + 30, y: LANE_HEADER_HEIGHT + 24 + 140 });
    const below = freeSlot(map, 's0');
    const hubBox = cardRects(map).find((r) => r.id === 'hub');
    if (!hubBox) throw new Error('no hub');
    expect(apart(boxOf(below), { ...hubBox, height: 130 })).toBe(true);
    for (const box of cardRects(map)) expect(apart(boxOf(below), box), box.id).toBe(true);
  });

  it('puts a card of the demo map in a free row of its stage wherever it is asked for', () => {
    const map = demoMap().map;
    for (const wanted of [undefined, 0, 200, 333, 500, 1000, 1100]) {
      const slot = freeSlot(map, 'stage-buy', wanted);
      for (const box of cardRects(map)) expect(apart(boxOf(slot), { ...box, height: box.id === 'hub' ? 130 : CARD_HEIGHT }), `${wanted}: ${box.id}`).toBe(true);
    }
  });
});

describe('labelSpot and cardCover', () => {
  it("puts a connection's label on its curve where it covers no card, the middle when it can", () => {
    const map = gridMap(2, 3);
    const covered = cardCover(map);
    const size = { width: 80, height: 20 };
    // Straight down the middle of the first column, from above its first card to below its third: the middle is on the second card.
    const [top, bottom] = [LANE_HEADER_HEIGHT, LANE_HEADER_HEIGHT + 24 + 3 * 140 + 40];
    const x = laneLeft(0) + 30 + CARD_WIDTH / 2;
    const line = (from: number, to: number) => [{ x, y: from }, { x, y: from + (to - from) / 3 }, { x, y: from + (2 * (to - from)) / 3 }, { x, y: to }] as const;
    const middle = (top + bottom) / 2;
    expect(covered({ x: x - 40, y: middle - 10, ...size })).toBe(true);
    const spot = labelSpot(line(top, bottom), size, covered);
    expect(spot.y).not.toBeCloseTo(middle);
    expect(covered({ x: spot.x - 40, y: spot.y - 10, ...size })).toBe(false);

    const open = [{ x: 0, y: 2000 }, { x: 100, y: 2000 }, { x: 300, y: 2000 }, { x: 400, y: 2000 }] as const;
    expect(labelSpot(open, size, covered)).toEqual({ x: 200, y: 2000 });
  });
});
