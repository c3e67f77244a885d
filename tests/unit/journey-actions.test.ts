import { describe, expect, it } from 'vitest';
import { actionCountsByTouchpoint, actionsOf, isOverdue, localDate } from '../../lib/journey/actions';
import { figuresSinceReview, reviewState } from '../../lib/journey/review';
import type { Action } from '../../lib/journey/types';
import { journeyMap, stage, touchpoint } from './annotations-factory';

function action(id: string, touchpointId: string, status: Action['status'], due: string | null, createdAt = 0): Action {
  return { id, touchpointId, painPointId: null, title: id, ownerTeam: null, due, status, doneAt: status === 'done' ? 1 : null, createdAt };
}

const TODAY = '2026-12-02';

describe('actions on the canvas', () => {
  it('an open action past its due date is overdue; due today, done, dropped or undated is not', () => {
    expect(isOverdue(action('a', 't', 'proposed', '2026-12-01'), TODAY)).toBe(true);
    expect(isOverdue(action('a', 't', 'doing', '2026-11-30'), TODAY)).toBe(true);
    expect(isOverdue(action('a', 't', 'doing', TODAY), TODAY)).toBe(false);
    expect(isOverdue(action('a', 't', 'done', '2026-01-01'), TODAY)).toBe(false);
    expect(isOverdue(action('a', 't', 'dropped', '2026-01-01'), TODAY)).toBe(false);
    expect(isOverdue(action('a', 't', 'proposed', null), TODAY)).toBe(false);
  });

  it("counts open and overdue actions per touchpoint, and lists a touchpoint's overdue first, then open by due date, then done, then dropped", () => {
    const map = journeyMap({ stages: [stage('s')], touchpoints: [touchpoint('t', 's'), touchpoint('v', 's')] });
    map.actions = {
      late: action('late', 't', 'doing', '2026-11-01'),
      soon: action('soon', 't', 'proposed', '2026-12-20'),
      open: action('open', 't', 'proposed', null),
      done: action('done', 't', 'done', '2026-10-01'),
      dropped: action('dropped', 't', 'dropped', null),
      other: action('other', 'v', 'done', null),
    };
    expect(Object.fromEntries(actionCountsByTouchpoint(map, TODAY))).toEqual({ t: { open: 3, overdue: 1 } });
    expect(actionsOf(map, 't', TODAY).map((a) => a.id)).toEqual(['late', 'soon', 'open', 'done', 'dropped']);
  });

  it("localDate is the person's own calendar date", () => {
    expect(localDate(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });
});

describe('review', () => {
  const DAY = 24 * 60 * 60 * 1000;
  const now = Date.UTC(2026, 11, 2, 12);
  it('a map never reviewed, reviewed 89 days ago, and 90 days ago', () => {
    expect(reviewState({ reviewedAt: null, reviewedBy: null }, now)).toEqual({ kind: 'never' });
    expect(reviewState({ reviewedAt: now - 89 * DAY, reviewedBy: 'Lena' }, now)).toEqual({ kind: 'fresh', at: now - 89 * DAY, by: 'Lena', days: 89 });
    expect(reviewState({ reviewedAt: now - 90 * DAY, reviewedBy: 'Lena' }, now)).toMatchObject({ kind: 'due', days: 90 });
    // A clock behind the reviewer's is not a negative age.
    expect(reviewState({ reviewedAt: now + DAY, reviewedBy: null }, now)).toMatchObject({ kind: 'fresh', days: 0 });
  });
  it('warns when figures arrived after the last review, not before it, and not for a map never reviewed (that warning is its own)', () => {
    expect(figuresSinceReview({ reviewedAt: now - DAY, figuresAt: now })).toBe(true);
    expect(figuresSinceReview({ reviewedAt: now, figuresAt: now - DAY })).toBe(false);
    expect(figuresSinceReview({ reviewedAt: now, figuresAt: now })).toBe(false);
    expect(figuresSinceReview({ reviewedAt: now })).toBe(false);
    expect(figuresSinceReview({ reviewedAt: null, figuresAt: now })).toBe(false);
  });
});
