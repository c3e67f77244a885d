import type { Votes } from './types';

/**
 * Dot voting's one budget (DESIGN.md, "Authorship"): a person's dots across
 * the whole map, on every touchpoint that has a tally, counted the same by
 * the toolbar that shows what is left and by the server that enforces it.
 */
export function dotsUsedBy(votes: Votes, userId: string): number {
  let used = 0;
  for (const tally of Object.values(votes)) used += tally[userId] ?? 0;
  return used;
}

/**
 * Why a change of `userId`'s dots from `before` to `after` (their totals) is
 * refused, or null when it is allowed. Taking dots back is always allowed
 * (also after a vote ended, or when a new one gives fewer); placing them only
 * while a vote runs, up to its dots per person (null: no vote is running).
 */
export function dotsRefusal(before: number, after: number, dotsPerPerson: number | null): string | null {
  if (after <= before) return null;
  if (dotsPerPerson === null) return 'no vote is running: dots can only be taken back';
  if (after > dotsPerPerson) return `you have ${dotsPerPerson} dots in this vote (this change would make it ${after})`;
  return null;
}
