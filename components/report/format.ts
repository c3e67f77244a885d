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
