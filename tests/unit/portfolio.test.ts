/** The portfolio's rows (issue 13 §4) on hand-made maps (portfolio-fixtures.ts); every figure computed by hand. */
import { describe, expect, it } from 'vitest';
import { preparePortfolioMap } from '../../lib/portfolio/portfolio-map';
import { damagedRow, portfolioRow, staleReasons, type PortfolioEntry, type PortfolioRow } from '../../lib/portfolio/portfolio-row';
import { PORTFOLIO_SORT } from '../../lib/portfolio/portfolio-sort';
import { headerLink, parseSort, sortRows } from '../../lib/portfolio/table-sort';
import { BROADBAND_ROWS, DAY, NOW, TODAY, broadband, preparedMaps } from './portfolio-fixtures';

describe('portfolioRow', () => {
  it('Broadband: hotspot Install (pain 16 + 4), one gap, 680 estimated, 100 measured in 2026-11, CSAT 50, 3 open / 1 overdue, new figures since the review', () => {
    const [a] = preparedMaps();
    if (a === undefined) throw new Error('fixture');
    const row = portfolioRow(a, NOW, TODAY);
    expect(row).toEqual<PortfolioRow>({
      id: 'map-a',
      title: 'Broadband',
      role: 'owner',
      updatedAt: NOW,
      damaged: false,
      stages: 3,
      hotspot: { stageId: 's2', name: 'Install', pain: 20 },
      ownershipGaps: 1,
      // 100 + 10 + 200 + 50 + 300 + 20; the unstaged card's 999 counts nowhere.
      estimatedContacts: 680,
      measuredPeriod: '2026-11',
      // t1 40 + t3 60; the unstaged card's 1,000 and October's row count nowhere.
      measuredContacts: 100,
      // 100 × (8 + 2) / (10 + 10)
      csat: 50,
      // a1 doing, a2 proposed, a4 proposed; a3 done and a5 dropped are not open.
      openActions: 3,
      // a1 due 2026-11-01; a5's past due date does not count, it was dropped.
      overdueActions: 1,
      review: { kind: 'fresh', at: NOW - 10 * DAY, by: 'Lea', days: 10 },
      figuresAt: NOW - DAY,
      stale: ['figures-since-review'],
    });
  });

  it('Mobile: never reviewed, no figures: measured and CSAT are null, not 0', () => {
    const [, b] = preparedMaps();
    if (b === undefined) throw new Error('fixture');
    const row = portfolioRow(b, NOW, TODAY);
    expect(row).toMatchObject({ hotspot: { stageId: 'u1', name: 'Sign up', pain: 6 }, ownershipGaps: 0, estimatedContacts: 5, measuredPeriod: null, measuredContacts: null, csat: null, openActions: 0, overdueActions: 0 });
    expect(row.stale).toEqual(['never-reviewed']);
  });

  it('reads only the latest month it is given: passing October too changes nothing', () => {
    const all = preparePortfolioMap({ id: 'map-a', title: 'Broadband', role: 'owner', updatedAt: NOW, map: broadband(), rows: BROADBAND_ROWS });
    const [november] = preparedMaps();
    if (november === undefined) throw new Error('fixture');
    expect(portfolioRow(all, NOW, TODAY)).toEqual(portfolioRow(november, NOW, TODAY));
  });

  it('a map with no pain anywhere has no hotspot', () => {
    const map = broadband();
    for (const t of Object.values(map.touchpoints)) t.painPoints = [];
    const row = portfolioRow(preparePortfolioMap({ id: 'x', title: 'Calm', role: 'viewer', updatedAt: 0, map, rows: [] }), NOW, TODAY);
    expect(row.hotspot).toBeNull();
  });
});

describe('staleReasons (not reviewed for 90 days, or figures arrived since the review)', () => {
  const review = (daysAgo: number) => ({ kind: daysAgo >= 90 ? ('due' as const) : ('fresh' as const), at: NOW - daysAgo * DAY, by: 'Lea', days: daysAgo });
  it('never reviewed is stale, whatever the figures', () => {
    expect(staleReasons({ kind: 'never' }, null)).toEqual(['never-reviewed']);
    expect(staleReasons({ kind: 'never' }, NOW)).toEqual(['never-reviewed']);
  });
  it('reviewed 89 days ago with no figures since: not stale; 90 days: due', () => {
    expect(staleReasons(review(89), NOW - 100 * DAY)).toEqual([]);
    expect(staleReasons(review(90), null)).toEqual(['review-due']);
  });
  it('figures after the review, also with the review due: both reasons', () => {
    expect(staleReasons(review(5), NOW - 4 * DAY)).toEqual(['figures-since-review']);
    expect(staleReasons(review(120), NOW - DAY)).toEqual(['review-due', 'figures-since-review']);
  });
  it('figures at the very moment of the review are not "since"', () => {
    expect(staleReasons(review(5), NOW - 5 * DAY)).toEqual([]);
  });
});

describe('sorting the portfolio', () => {
  const rows = (): PortfolioEntry[] => {
    const [a, b] = preparedMaps();
    if (a === undefined || b === undefined) throw new Error('fixture');
    return [
      portfolioRow(a, NOW, TODAY),
      damagedRow({ id: 'map-d', title: 'Appointments', role: 'owner', updatedAt: NOW, damaged: true, damagedMessage: 'cannot be read' }),
      portfolioRow(b, NOW, TODAY),
    ];
  };
  const order = (sort: unknown, dir?: unknown) => sortRows(PORTFOLIO_SORT, rows(), parseSort(PORTFOLIO_SORT, { sort, dir })).map((r) => r.title);

  it('by title (the default), case-insensitive, damaged maps among the others', () => {
    expect(order(undefined)).toEqual(['Appointments', 'Broadband', 'Mobile']);
    expect(order('title', 'desc')).toEqual(['Mobile', 'Broadband', 'Appointments']);
  });

  it('by a figure: no figure (null) and damaged maps last in both directions', () => {
    expect(order('csat', 'asc')).toEqual(['Broadband', 'Mobile', 'Appointments']);
    expect(order('csat', 'desc')).toEqual(['Broadband', 'Mobile', 'Appointments']);
    expect(order('estimated')).toEqual(['Broadband', 'Mobile', 'Appointments']);
    expect(order('estimated', 'asc')).toEqual(['Mobile', 'Broadband', 'Appointments']);
  });

  it('by last review: never reviewed is the oldest', () => {
    expect(order('reviewed', 'asc')).toEqual(['Mobile', 'Broadband', 'Appointments']);
  });

  it('a hostile or unknown query reads as the default, never throws', () => {
    for (const query of [null, undefined, 7, 'sort=gaps', { sort: ['gaps', 'title'] }, { sort: '__proto__' }, { sort: 'constructor' }, { sort: 'GAPS' }, { sort: 'x'.repeat(10_000) }, { dir: { $gt: '' } }]) {
      expect(parseSort(PORTFOLIO_SORT, query)).toEqual({ sort: 'title', dir: 'asc' });
    }
    expect(parseSort(PORTFOLIO_SORT, { sort: 'gaps', dir: ['asc'] })).toEqual({ sort: 'gaps', dir: 'desc' });
    expect(parseSort(PORTFOLIO_SORT, { sort: 'gaps', dir: 'asc' })).toEqual({ sort: 'gaps', dir: 'asc' });
  });

  it('a header links to the other direction of the current column, else to the column\'s first direction', () => {
    expect(headerLink(PORTFOLIO_SORT, { sort: 'title', dir: 'asc' }, 'title')).toEqual({ sort: 'title', dir: 'desc' });
    expect(headerLink(PORTFOLIO_SORT, { sort: 'title', dir: 'asc' }, 'overdue')).toEqual({ sort: 'overdue', dir: 'desc' });
  });
});
