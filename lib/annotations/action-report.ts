import { isOpen } from '../journey/actions';
import type { Action, JourneyMap } from '../journey/types';
import type { ActionOutcome } from './types';

/**
 * The report's actions (issue 13 §5): what was done, with what it changed
 * (DESIGN.md, "Measured data and outcomes": `actionOutcomes`), and what is
 * still open. Names are looked up here so that a gone touchpoint or stage
 * reads as null rather than as an id.
 */

export type OutcomeFigures = Omit<ActionOutcome, 'actionId'>;

interface ActionPlace {
  actionId: string;
  title: string;
  /** The touchpoint's label; null when the touchpoint is gone. */
  touchpoint: string | null;
  /** The touchpoint's stage's name; null when it is in no stage (or gone). */
  stage: string | null;
  ownerTeam: string | null;
}

export interface DoneActionRow extends ActionPlace {
  doneAt: number | null;
  outcome: OutcomeFigures;
}

export interface OpenActionRow extends ActionPlace {
  status: Action['status'];
  due: string | null;
}

const NO_OUTCOME: OutcomeFigures = { contactsBefore: null, contactsAfter: null, csatBefore: null, csatAfter: null };

/** Done actions newest first; open ones (proposed, in progress) by due date, undated last. */
export function actionReport(map: JourneyMap, outcomes: readonly ActionOutcome[]): { done: DoneActionRow[]; open: OpenActionRow[] } {
  const stageNames = new Map(map.stages.map((stage) => [stage.id, stage.name]));
  const outcomeOf = new Map(outcomes.map(({ actionId, ...figures }) => [actionId, figures]));
  const place = (action: Action): ActionPlace => {
    const touchpoint = Object.hasOwn(map.touchpoints, action.touchpointId) ? map.touchpoints[action.touchpointId] : undefined;
    const stage = touchpoint?.stageId == null ? undefined : stageNames.get(touchpoint.stageId);
    return { actionId: action.id, title: action.title, touchpoint: touchpoint?.label ?? null, stage: stage ?? null, ownerTeam: action.ownerTeam };
  };
  const actions = Object.values(map.actions);
  const done = actions
    .filter((action) => action.status === 'done')
    .sort((a, b) => (b.doneAt ?? 0) - (a.doneAt ?? 0) || compare(a.id, b.id))
    .map((action): DoneActionRow => ({ ...place(action), doneAt: action.doneAt, outcome: outcomeOf.get(action.id) ?? NO_OUTCOME }));
  const open = actions
    .filter(isOpen)
    .sort((a, b) => compare(a.due ?? '9999-99-99', b.due ?? '9999-99-99') || a.createdAt - b.createdAt || compare(a.id, b.id))
    .map((action): OpenActionRow => ({ ...place(action), status: action.status, due: action.due }));
  return { done, open };
}

/** after − before; null unless both are figures. */
export function change(before: number | null, after: number | null): number | null {
  return before === null || after === null ? null : after - before;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
