import type { Action, JourneyMap } from './types';

/**
 * What the canvas says about actions (DESIGN.md, "Schema v2"): an action is
 * open while proposed or in progress, and overdue when it is open past its due
 * date. `today` is the person's own calendar date, 'YYYY-MM-DD', so that a due
 * date means the day they read it as.
 */

export const ACTION_STATUS_WORDS: Readonly<Record<Action['status'], string>> = {
  proposed: 'Proposed',
  doing: 'In progress',
  done: 'Done',
  dropped: 'Dropped',
};

export function isOpen(action: Action): boolean {
  return action.status === 'proposed' || action.status === 'doing';
}

export function isOverdue(action: Action, today: string): boolean {
  return isOpen(action) && action.due !== null && action.due < today;
}

export interface ActionCounts {
  open: number;
  overdue: number;
}

/** Open and overdue actions per touchpoint id. */
export function actionCountsByTouchpoint(map: JourneyMap, today: string): Map<string, ActionCounts> {
  const counts = new Map<string, ActionCounts>();
  for (const action of Object.values(map.actions)) {
    if (!isOpen(action)) continue;
    let entry = counts.get(action.touchpointId);
    if (entry === undefined) counts.set(action.touchpointId, (entry = { open: 0, overdue: 0 }));
    entry.open++;
    if (isOverdue(action, today)) entry.overdue++;
  }
  return counts;
}

/** The actions on one touchpoint: open ones first (overdue, then by due date), then done, then dropped; each group oldest first. */
export function actionsOf(map: JourneyMap, touchpointId: string, today: string): Action[] {
  const rank = (action: Action): number => (isOverdue(action, today) ? 0 : isOpen(action) ? 1 : action.status === 'done' ? 2 : 3);
  return Object.values(map.actions)
    .filter((action) => action.touchpointId === touchpointId)
    .sort((a, b) => rank(a) - rank(b) || compare(a.due ?? '9999-99-99', b.due ?? '9999-99-99') || a.createdAt - b.createdAt || compare(a.id, b.id));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A person's local calendar date as 'YYYY-MM-DD'. */
export function localDate(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
