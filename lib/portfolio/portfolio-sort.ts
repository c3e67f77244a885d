import type { PortfolioEntry } from './portfolio-row';
import { compareText, type SortSpec, type SortValue } from './table-sort';

export const PORTFOLIO_COLUMNS = ['title', 'hotspot', 'gaps', 'estimated', 'measured', 'csat', 'open', 'overdue', 'reviewed', 'stale'] as const;
export type PortfolioColumn = (typeof PORTFOLIO_COLUMNS)[number];

/**
 * The portfolio's columns. A damaged map has no figures: it sorts last on
 * every column but the title. "Last review" sorts never-reviewed maps as the
 * oldest; "Stale" sorts by how many reasons, then the oldest review.
 */
export const PORTFOLIO_SORT: SortSpec<PortfolioColumn, PortfolioEntry> = {
  columns: PORTFOLIO_COLUMNS,
  defaultSort: 'title',
  firstDir: { title: 'asc', hotspot: 'desc', gaps: 'desc', estimated: 'desc', measured: 'desc', csat: 'asc', open: 'desc', overdue: 'desc', reviewed: 'asc', stale: 'desc' },
  value: portfolioValue,
  sinks: (row, column) => row.damaged && column !== 'title',
  tieBreak: (a, b) => compareText(a.title, b.title) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
};

function portfolioValue(row: PortfolioEntry, column: PortfolioColumn): SortValue {
  if (column === 'title') return row.title;
  if (row.damaged) return null;
  switch (column) {
    case 'hotspot':
      return row.hotspot?.pain ?? 0;
    case 'gaps':
      return row.ownershipGaps;
    case 'estimated':
      return row.estimatedContacts;
    case 'measured':
      return row.measuredContacts;
    case 'csat':
      return row.csat;
    case 'open':
      return row.openActions;
    case 'overdue':
      return row.overdueActions;
    case 'reviewed':
      return row.review.kind === 'never' ? -1 : row.review.at;
    case 'stale':
      // Reasons first; within a count, the older review is the staler (ms since the epoch stay below 1e13).
      return row.stale.length * 1e13 - (row.review.kind === 'never' ? 0 : row.review.at);
  }
}
