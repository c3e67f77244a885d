import { formatMonth } from './format';

/** Chooses the month the charts end with; a plain GET form, so it works before (and without) JavaScript. */
export function PeriodPicker({ months, current }: { months: string[]; current: string }) {
  // A month asked for in the address that has no rows is still the one shown.
  const choices = months.includes(current) ? months : [current, ...months].sort().reverse();
  return (
    <form method="get" className="flex items-center gap-2 text-sm print:hidden">
      <label htmlFor="report-period" className="text-slate-700">
        Ending with
      </label>
      <select id="report-period" name="period" defaultValue={current} className="rounded-md border border-slate-300 bg-white px-2 py-1 text-slate-900">
        {choices.map((month) => (
          <option key={month} value={month}>
            {formatMonth(month)}
          </option>
        ))}
      </select>
      <button type="submit" className="rounded-md border border-slate-300 bg-white px-2.5 py-1 font-medium text-slate-700 hover:bg-slate-50">
        Show
      </button>
    </form>
  );
}
