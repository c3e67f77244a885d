import type { Ownership, PainLevel } from '../../lib/annotations/types';

export const PAIN_STYLES: Record<PainLevel, { label: string; className: string }> = {
  none: { label: 'No pain', className: 'bg-slate-100 text-slate-600 ring-slate-200' },
  low: { label: 'Low', className: 'bg-yellow-100 text-yellow-900 ring-yellow-300' },
  medium: { label: 'Medium', className: 'bg-orange-100 text-orange-900 ring-orange-300' },
  high: { label: 'High', className: 'bg-red-100 text-red-900 ring-red-300' },
  critical: { label: 'Critical', className: 'bg-red-700 text-white ring-red-800' },
};

export const OWNERSHIP_STYLES: Record<Ownership, { label: string; className: string }> = {
  owned: { label: 'Owned', className: 'bg-emerald-50 text-emerald-800 ring-emerald-200' },
  fragmented: { label: 'Fragmented', className: 'bg-amber-50 text-amber-900 ring-amber-300' },
  unowned: { label: 'Unowned', className: 'bg-rose-50 text-rose-800 ring-rose-300' },
  empty: { label: 'No touchpoints', className: 'bg-slate-50 text-slate-500 ring-slate-200' },
};

const integer = new Intl.NumberFormat('en-US');

export const formatCount = (n: number): string => integer.format(n);

export const formatPercent = (ratio: number | null): string => (ratio === null ? '–' : `${Math.round(ratio * 100)}%`);

export function formatEmotion(emotion: number | null): string {
  if (emotion === null) return '–';
  const rounded = Math.round(emotion * 10) / 10;
  return rounded > 0 ? `+${rounded}` : `${rounded}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 'YYYY-MM' as "Jun 2026" (the period is a UTC calendar month: no time zone applies). */
export function formatMonth(period: string): string {
  const [year, month] = period.split('-');
  return `${MONTHS[Number(month) - 1] ?? month} ${year}`;
}

/** A measured figure: contacts rounded to whole contacts, "no data" when absent. */
export const formatContacts = (value: number | null): string => (value === null ? 'no data' : integer.format(Math.round(value)));

/** CSAT on its 0–100 scale. */
export const formatCsat = (value: number | null): string => (value === null ? 'no data' : `${Math.round(value)}%`);

const utcDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** A moment as its UTC date, the calendar actionOutcomes counts months in. */
export const formatUtcDate = (ms: number | null): string => (ms === null ? '–' : utcDate.format(ms));
