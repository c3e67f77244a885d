/**
 * The report's outcomes table (issue 13 §5): each done action with its
 * touchpoint, stage and the before → after figures of actionOutcomes (DESIGN.md,
 * "Measured data and outcomes"), newest first; the open actions by due date.
 */
import { describe, expect, it } from 'vitest';
import type { ActionOutcome } from '../../lib/annotations';
import { actionReport, change } from '../../lib/annotations/action-report';
import type { Action } from '../../lib/journey/types';
import { hub, journeyMap, stage, touchpoint } from './annotations-factory';

function action(id: string, touchpointId: string, fields: Partial<Action> = {}): Action {
  return { id, touchpointId, painPointId: null, title: `Fix ${id}`, ownerTeam: null, due: null, status: 'proposed', doneAt: null, createdAt: 0, ...fields };
}

function fixtureMap() {
  const map = journeyMap({
    stages: [stage('s1', null, 'Pay')],
    touchpoints: [hub(), touchpoint('a', 's1', { label: 'First bill' }), touchpoint('u', null, { label: 'Loose card' })],
  });
  map.actions = {
    d1: action('d1', 'a', { status: 'done', doneAt: Date.UTC(2026, 5, 10), ownerTeam: 'Billing' }),
    d2: action('d2', 'gone', { status: 'done', doneAt: Date.UTC(2026, 7, 1) }),
    d3: action('d3', 'u', { status: 'done', doneAt: Date.UTC(2026, 6, 1) }),
    o1: action('o1', 'a', { status: 'doing', due: '2026-12-01' }),
    o2: action('o2', 'a', { status: 'proposed', due: null }),
    o3: action('o3', 'u', { status: 'proposed', due: '2026-01-15', ownerTeam: 'Web' }),
    x1: action('x1', 'a', { status: 'dropped' }),
  };
  return map;
}

const OUTCOMES: ActionOutcome[] = [
  { actionId: 'd1', contactsBefore: 120, contactsAfter: 90, csatBefore: 40, csatAfter: 55 },
  { actionId: 'd2', contactsBefore: null, contactsAfter: null, csatBefore: null, csatAfter: null },
];

describe('actionReport', () => {
  it('lists done actions newest first with touchpoint, stage and outcome; a gone touchpoint or a missing outcome reads as null', () => {
    const { done } = actionReport(fixtureMap(), OUTCOMES);
    expect(done.map((row) => row.actionId)).toEqual(['d2', 'd3', 'd1']);
    expect(done[2]).toEqual({
      actionId: 'd1',
      title: 'Fix d1',
      touchpoint: 'First bill',
      stage: 'Pay',
      ownerTeam: 'Billing',
      doneAt: Date.UTC(2026, 5, 10),
      outcome: { contactsBefore: 120, contactsAfter: 90, csatBefore: 40, csatAfter: 55 },
    });
    expect(done[0]).toMatchObject({ touchpoint: null, stage: null, outcome: { contactsBefore: null, contactsAfter: null, csatBefore: null, csatAfter: null } });
    expect(done[1]).toMatchObject({ touchpoint: 'Loose card', stage: null, outcome: { contactsBefore: null, csatAfter: null } });
  });

  it('lists open actions (proposed, in progress) by due date, undated last; dropped ones nowhere', () => {
    const { open } = actionReport(fixtureMap(), OUTCOMES);
    expect(open.map((row) => [row.actionId, row.status, row.due])).toEqual([
      ['o3', 'proposed', '2026-01-15'],
      ['o1', 'doing', '2026-12-01'],
      ['o2', 'proposed', null],
    ]);
    expect(open[0]).toMatchObject({ touchpoint: 'Loose card', stage: null, ownerTeam: 'Web' });
  });
});

describe('change', () => {
  it('is after − before, null when either is missing', () => {
    expect(change(120, 90)).toBe(-30);
    expect(change(null, 90)).toBeNull();
    expect(change(40, null)).toBeNull();
  });
});
