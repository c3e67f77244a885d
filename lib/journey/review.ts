import type { MapMeta } from './types';

/** A map not looked over for this long is due a review (issue 13: "warns when it was not reviewed for 90 days"). */
export const REVIEW_DUE_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

export type ReviewState =
  | { kind: 'never' }
  | { kind: 'due'; at: number; by: string | null; days: number }
  | { kind: 'fresh'; at: number; by: string | null; days: number };

/** Where the map stands on review, `now` ms. */
export function reviewState(meta: Pick<MapMeta, 'reviewedAt' | 'reviewedBy'>, now: number): ReviewState {
  if (meta.reviewedAt === null) return { kind: 'never' };
  const days = Math.max(0, Math.floor((now - meta.reviewedAt) / DAY_MS));
  return { kind: days >= REVIEW_DUE_DAYS ? 'due' : 'fresh', at: meta.reviewedAt, by: meta.reviewedBy, days };
}

/** New figures arrived after the last review: what the map says may no longer match them. */
export function figuresSinceReview(meta: Pick<MapMeta, 'reviewedAt' | 'figuresAt'>): boolean {
  return meta.reviewedAt !== null && typeof meta.figuresAt === 'number' && meta.figuresAt > meta.reviewedAt;
}
