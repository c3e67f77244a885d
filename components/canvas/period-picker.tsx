'use client';

import { periodLabel } from '../../lib/measurements/touchpoint-figures';

/** Which month of the contact center's figures the map shows; the latest unless someone picks another. Hidden until there are figures. */
export function PeriodPicker({ periods, period, onPick }: { periods: readonly string[]; period: string | null; onPick: (period: string) => void }) {
  if (periods.length === 0 || period === null) return null;
  return (
    <label className="flex shrink-0 items-center gap-1 text-sm whitespace-nowrap text-slate-600" title="The month of the contact center's figures shown on the cards, the stages and the insights">
      Figures
      <select value={period} onChange={(e) => onPick(e.target.value)} aria-label="Month of the contact center's figures" className="rounded-md border border-slate-300 bg-white px-1.5 py-1 text-sm text-slate-900">
        {periods.map((p, i) => (
          <option key={p} value={p}>
            {periodLabel(p)}
            {i === 0 ? ' (latest)' : ''}
          </option>
        ))}
      </select>
    </label>
  );
}
