import type { ReviewState } from '../../lib/journey/review';

export { formatCount } from '../report/format';

export const formatCsat = (csat: number | null): string => (csat === null ? '–' : `${Math.round(csat)}%`);

export function formatReview(review: ReviewState): string {
  if (review.kind === 'never') return 'Never';
  const when = review.days === 0 ? 'today' : review.days === 1 ? 'yesterday' : `${review.days} days ago`;
  return review.by ? `${when}, ${review.by}` : when;
}

/** 'YYYY-MM' as "Nov 2026"; anything else as given. */
export function formatPeriod(period: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(period);
  if (!match) return period;
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][Number(match[2]) - 1];
  return month === undefined ? period : `${month} ${match[1]}`;
}
