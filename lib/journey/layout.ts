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

/** Where a new touchpoint goes in a stage: below the lowest card already there. */
export function nextSlot(map: JourneyMap, stageId: string): { x: number; y: number } {
  const index = Math.max(0, map.stages.findIndex((s) => s.id === stageId));
  let bottom = LANE_HEADER_HEIGHT;
  for (const tp of Object.values(map.touchpoints)) {
    if (tp.kind === 'touchpoint' && tp.stageId === stageId) bottom = Math.max(bottom, tp.y + CARD_HEIGHT);
  }
  return { x: laneLeft(index) + 30, y: bottom + 24 };
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
  const top = EMOTION_CURVE_TOP - 16;
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
