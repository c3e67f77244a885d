import type { JourneyMap, Touchpoint } from './types';

/**
 * Where things are drawn on the canvas. Stages are columns of equal width in
 * their order; a touchpoint's stored x is absolute, and within its stage's
 * column only its offset counts, so that reordering stages moves their
 * touchpoints with them without rewriting every x.
 */
export const LANE_WIDTH = 280;
export const LANE_HEADER_HEIGHT = 150;
export const CARD_WIDTH = 220;
export const CARD_HEIGHT = 112;
const LANE_PADDING = 16;

export const laneLeft = (index: number): number => index * LANE_WIDTH;

const offsetInLane = (x: number): number => {
  const offset = ((x % LANE_WIDTH) + LANE_WIDTH) % LANE_WIDTH;
  return Math.min(Math.max(offset, LANE_PADDING), LANE_WIDTH - CARD_WIDTH - LANE_PADDING / 2);
};

/** Each stage's index (its column) by stage id: what displayPosition needs. */
export function stageIndexOf(map: Pick<JourneyMap, 'stages'>): Map<string, number> {
  return new Map(map.stages.map((s, i) => [s.id, i]));
}

/** The drawn position of a touchpoint, given the index of each stage. */
export function displayPosition(touchpoint: Touchpoint, stageIndex: ReadonlyMap<string, number>, stageCount: number): { x: number; y: number } {
  if (touchpoint.kind === 'hub') return { x: touchpoint.x, y: touchpoint.y };
  const index = touchpoint.stageId === null ? undefined : stageIndex.get(touchpoint.stageId);
  // Unstaged touchpoints gather in a column of their own after the last stage.
  const lane = index ?? stageCount;
  return { x: laneLeft(lane) + offsetInLane(touchpoint.x), y: Math.max(touchpoint.y, LANE_HEADER_HEIGHT + LANE_PADDING) };
}

/** The stage whose column holds the point x (a card's centre), or null past the last one. */
export function stageAtX(map: Pick<JourneyMap, 'stages'>, x: number): string | null {
  const index = Math.floor(x / LANE_WIDTH);
  return map.stages[index]?.id ?? null;
}

/** The space kept between two cards of a column, and the left margin of a new card in its column (as the templates lay them out). */
const SLOT_GAP = 28;
const SLOT_LEFT = 30;
const FIRST_SLOT_Y = LANE_HEADER_HEIGHT + 24;

const overlap = (a: Rect, b: Rect): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/**
 * Where a new touchpoint goes in a stage's column: at `nearY` (the top the
 * person asked for) when no card or hub is there, otherwise in the free row of
 * the column closest to it; without `nearY`, the topmost free row. Rows are
 * the templates' grid (a card and a gap), so a card never lands on another.
 */
export function freeSlot(map: JourneyMap, stageId: string, nearY?: number): { x: number; y: number } {
  const index = Math.max(0, map.stages.findIndex((s) => s.id === stageId));
  const stageIndex = stageIndexOf(map);
  const x = laneLeft(index) + SLOT_LEFT;
  const taken: Rect[] = [];
  let bottom = FIRST_SLOT_Y;
  for (const tp of Object.values(map.touchpoints)) {
    const at = displayPosition(tp, stageIndex, map.stages.length);
    const height = tp.kind === 'hub' ? HUB_HEIGHT : CARD_HEIGHT;
    // The gap belongs to the card: a new one keeps it on both sides.
    const box = { x: at.x, y: at.y - SLOT_GAP / 2, width: CARD_WIDTH, height: height + SLOT_GAP };
    if (box.x < x + CARD_WIDTH && x < box.x + box.width) {
      taken.push(box);
      bottom = Math.max(bottom, box.y + box.height);
    }
  }
  const free = (y: number) => !taken.some((box) => overlap(box, { x, y, width: CARD_WIDTH, height: CARD_HEIGHT }));
  const wanted = nearY === undefined ? undefined : Math.max(Math.round(nearY), FIRST_SLOT_Y);
  if (wanted !== undefined && free(wanted)) return { x, y: wanted };
  const rows: number[] = [];
  for (let y = FIRST_SLOT_Y; y <= bottom + CARD_HEIGHT + SLOT_GAP; y += CARD_HEIGHT + SLOT_GAP) rows.push(y);
  // Every card ends above `bottom`, so the last row is always free.
  const open = rows.filter(free);
  if (wanted === undefined) return { x, y: open[0] ?? bottom + SLOT_GAP };
  open.sort((a, b) => Math.abs(a - wanted) - Math.abs(b - wanted) || a - b);
  return { x, y: open[0] ?? bottom + SLOT_GAP };
}

/** Height the stage columns are drawn to: past the lowest card. */
export function laneHeight(map: JourneyMap): number {
  let bottom = LANE_HEADER_HEIGHT + 4 * (CARD_HEIGHT + 24);
  for (const tp of Object.values(map.touchpoints)) if (tp.kind === 'touchpoint') bottom = Math.max(bottom, tp.y + CARD_HEIGHT + 40);
  return bottom;
}

/** The emotion curve is drawn in this band above the stage headers (flow coordinates). */
export const EMOTION_CURVE_TOP = -96;
export const EMOTION_CURVE_HEIGHT = 80;
/** The hub's card is taller than a touchpoint's and sized by its content: an estimate, for bounds and the overview's edges. */
export const HUB_HEIGHT = 130;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What the canvas draws of a map, in flow coordinates: emotion curve, columns, cards and the hub. */
export function mapBounds(map: JourneyMap): Rect {
  const stageIndex = stageIndexOf(map);
  let right = laneLeft(Math.max(1, map.stages.length));
  let bottom = laneHeight(map);
  let left = 0;
  // Room above the curve for its caption (journey-canvas.tsx).
  const top = EMOTION_CURVE_TOP - 32;
  for (const tp of Object.values(map.touchpoints)) {
    const at = displayPosition(tp, stageIndex, map.stages.length);
    left = Math.min(left, at.x);
    right = Math.max(right, at.x + CARD_WIDTH);
    bottom = Math.max(bottom, at.y + (tp.kind === 'hub' ? HUB_HEIGHT : CARD_HEIGHT));
  }
  return { x: left, y: top, width: right - left, height: bottom - top };
}

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

/** Below this zoom a card's text is too small to read (13 px at 1 becomes 6 px): the canvas turns into the overview. */
export const READABLE_ZOOM = 0.45;
/**
 * The zoom a map opens at, at most: the smallest text on the canvas is 11 px,
 * and at 100 % it is 11 px on screen too. A map shown whole at 60 % looks
 * complete and cannot be read; the minimap and "fit view" show the whole.
 */
export const OPENING_ZOOM = 1;
const VIEW_PADDING = 24;

/**
 * Where a map opens on a pane of the given size: the whole map, centred, when
 * it fits at a zoom its text can be read at; otherwise the start of the
 * journey (its first stages, from the top) at that zoom. Besides being what a
 * person reads first, that keeps the cards on screen, which are all the canvas
 * renders, to a few dozen however big the map is.
 */
export function openingViewport(map: JourneyMap, pane: { width: number; height: number }): Viewport {
  const bounds = mapBounds(map);
  const room = { width: Math.max(1, pane.width - 2 * VIEW_PADDING), height: Math.max(1, pane.height - 2 * VIEW_PADDING) };
  const fit = Math.min(room.width / bounds.width, room.height / bounds.height);
  if (fit >= OPENING_ZOOM) {
    const zoom = OPENING_ZOOM;
    return { x: (pane.width - bounds.width * zoom) / 2 - bounds.x * zoom, y: (pane.height - bounds.height * zoom) / 2 - bounds.y * zoom, zoom };
  }
  return { x: VIEW_PADDING - bounds.x * OPENING_ZOOM, y: VIEW_PADDING - bounds.y * OPENING_ZOOM, zoom: OPENING_ZOOM };
}

export interface Point {
  x: number;
  y: number;
}

/** A cubic Bézier curve: start, two control points, end (as React Flow draws a connection). */
export type Cubic = readonly [Point, Point, Point, Point];

function cubicAt([p0, c1, c2, p1]: Cubic, t: number): Point {
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const c = 3 * u * t * t;
  const d = t * t * t;
  return { x: a * p0.x + b * c1.x + c * c2.x + d * p1.x, y: a * p0.y + b * c1.y + c * c2.y + d * p1.y };
}

/** Where along a connection its label is tried: the middle first, then ever further from it, in steps fine enough to find the gap between two cards. */
const LABEL_STEPS: readonly number[] = [0.5, ...Array.from({ length: 20 }, (_, i) => [0.48 - 0.02 * i, 0.52 + 0.02 * i]).flat()];

/**
 * Where a connection's label is centred: the point of its curve nearest to
 * the middle where a label of `size` covers no card, or the middle when every
 * such point would (it is drawn above the cards then, never under them).
 */
export function labelSpot(curve: Cubic, size: { width: number; height: number }, covered: (box: Rect) => boolean): Point {
  for (const t of LABEL_STEPS) {
    const at = cubicAt(curve, t);
    if (!covered({ x: at.x - size.width / 2, y: at.y - size.height / 2, width: size.width, height: size.height })) return at;
  }
  return cubicAt(curve, 0.5);
}

/** Whether a box covers any card or the hub of the map, with the cards indexed by column (a big map has thousands). */
export function cardCover(map: JourneyMap): (box: Rect) => boolean {
  const stageIndex = stageIndexOf(map);
  const columns = new Map<number, Rect[]>();
  for (const tp of Object.values(map.touchpoints)) {
    const at = displayPosition(tp, stageIndex, map.stages.length);
    const rect = { x: at.x, y: at.y, width: CARD_WIDTH, height: tp.kind === 'hub' ? HUB_HEIGHT : CARD_HEIGHT };
    for (let column = Math.floor(rect.x / LANE_WIDTH); column <= Math.floor((rect.x + rect.width) / LANE_WIDTH); column++) {
      const list = columns.get(column) ?? [];
      list.push(rect);
      columns.set(column, list);
    }
  }
  return (box) => {
    for (let column = Math.floor(box.x / LANE_WIDTH); column <= Math.floor((box.x + box.width) / LANE_WIDTH); column++) {
      if (columns.get(column)?.some((rect) => overlap(rect, box))) return true;
    }
    return false;
  };
}

/** At least this many rows of cards above the hub, so that it clears a short map (as the templates place it). */
const MIN_ROWS_ABOVE_HUB = 3;

/**
 * "Tidy up", and where an imported map's cards go: each stage's touchpoints in
 * a column of their own, in the order they are drawn now (top to bottom),
 * one card per row of the templates' grid, so that no two overlap; the
 * touchpoints of no stage in the column after the last stage; the hub
 * centred below the tallest column. Returns the new position of every
 * touchpoint (the hub's included).
 */
export function tidyPositions(map: JourneyMap): Map<string, { x: number; y: number }> {
  const stageIndex = stageIndexOf(map);
  const columns = new Map<number, Array<{ tp: Touchpoint; at: { x: number; y: number } }>>();
  let hub: Touchpoint | null = null;
  for (const tp of Object.values(map.touchpoints)) {
    if (tp.kind === 'hub') {
      hub = tp;
      continue;
    }
    const lane = (tp.stageId === null ? undefined : stageIndex.get(tp.stageId)) ?? map.stages.length;
    let column = columns.get(lane);
    if (!column) columns.set(lane, (column = []));
    column.push({ tp, at: displayPosition(tp, stageIndex, map.stages.length) });
  }
  const positions = new Map<string, { x: number; y: number }>();
  let rows = 0;
  for (const [lane, column] of columns) {
    // A stable sort: cards at one place keep the map's order (an import's, the file's).
    column.sort((a, b) => a.at.y - b.at.y || a.at.x - b.at.x);
    column.forEach(({ tp }, row) => positions.set(tp.id, { x: laneLeft(lane) + SLOT_LEFT, y: FIRST_SLOT_Y + row * (CARD_HEIGHT + SLOT_GAP) }));
    rows = Math.max(rows, column.length);
  }
  if (hub) {
    positions.set(hub.id, {
      x: (Math.max(1, map.stages.length) * LANE_WIDTH - CARD_WIDTH) / 2,
      y: FIRST_SLOT_Y + Math.max(rows, MIN_ROWS_ABOVE_HUB) * (CARD_HEIGHT + SLOT_GAP),
    });
  }
  return positions;
}

/** Around the map in a picture of it, so that no card or shadow touches the edge. */
const PICTURE_MARGIN = 24;
/** Chromium draws no canvas past 32,767 px a side; well inside that, a big map's picture is scaled down to fit. */
const PICTURE_MAX_SIDE = 12_000;

/** What a picture of the whole map shows (flow coordinates, margin included), the zoom it is drawn at (100 % or less), and its size in pixels. */
export function pictureFrame(map: JourneyMap): { bounds: Rect; zoom: number; width: number; height: number } {
  const inner = mapBounds(map);
  const bounds = { x: inner.x - PICTURE_MARGIN, y: inner.y - PICTURE_MARGIN, width: inner.width + 2 * PICTURE_MARGIN, height: inner.height + 2 * PICTURE_MARGIN };
  const zoom = Math.min(1, PICTURE_MAX_SIDE / bounds.width, PICTURE_MAX_SIDE / bounds.height);
  return { bounds, zoom, width: Math.ceil(bounds.width * zoom), height: Math.ceil(bounds.height * zoom) };
}
