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
