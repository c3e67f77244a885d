import { change, type DoneActionRow } from '../../lib/annotations/action-report';
import { formatContacts, formatCsat, formatUtcDate } from './format';

/**
 * Each done action beside its touchpoint's figures in the three months before
 * and the three after the month it was done (DESIGN.md, `actionOutcomes`).
 */
export function OutcomesTable({ rows }: { rows: DoneActionRow[] }) {
  if (rows.length === 0) {
    return <p className="text-sm text-slate-600">No action is done yet: when one is, its touchpoint’s contacts and CSAT before and after show here.</p>;
  }
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm print:overflow-visible print:shadow-none">
      <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="outcomes-table">
        <caption className="sr-only">Done actions and their outcomes: contacts a month and CSAT in the three months before and after the month each was done</caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase">
          <tr>
            <th scope="col" className="px-3 py-2">Action</th>
            <th scope="col" className="px-3 py-2">Touchpoint · stage</th>
            <th scope="col" className="px-3 py-2">Owner team</th>
            <th scope="col" className="px-3 py-2">Done</th>
            <th scope="col" className="px-3 py-2 text-right">Contacts / month before → after</th>
            <th scope="col" className="px-3 py-2 text-right">CSAT before → after</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.actionId} className="break-inside-avoid" data-testid={`outcome-${row.actionId}`}>
              <th scope="row" className="px-3 py-2 text-left font-medium text-slate-900">{row.title}</th>
              <td className="px-3 py-2 text-slate-700">
                {row.touchpoint ?? <span className="text-slate-500 italic">touchpoint deleted</span>}
                <span className="block text-xs text-slate-500">{row.stage ?? 'no stage'}</span>
              </td>
              <td className="px-3 py-2 text-slate-700">{row.ownerTeam ?? '–'}</td>
              <td className="px-3 py-2 whitespace-nowrap text-slate-700">{formatUtcDate(row.doneAt)}</td>
              <td className="px-3 py-2 text-right">
                <BeforeAfter before={row.outcome.contactsBefore} after={row.outcome.contactsAfter} format={formatContacts} />
                <Change value={change(row.outcome.contactsBefore, row.outcome.contactsAfter)} base={row.outcome.contactsBefore} better="down" />
              </td>
              <td className="px-3 py-2 text-right">
                <BeforeAfter before={row.outcome.csatBefore} after={row.outcome.csatAfter} format={formatCsat} />
                <Change value={change(row.outcome.csatBefore, row.outcome.csatAfter)} better="up" unit="points" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function BeforeAfter({ before, after, format }: { before: number | null; after: number | null; format: (value: number | null) => string }) {
  return (
    <span className="whitespace-nowrap tabular-nums text-slate-900">
      <span className={before === null ? 'text-slate-500' : undefined}>{format(before)}</span>
      <span aria-label=" then "> → </span>
      <span className={after === null ? 'text-slate-500' : undefined}>{format(after)}</span>
    </span>
  );
}

/** The change in words and colour: fewer contacts and a higher CSAT are better. */
function Change({ value, base = null, better, unit }: { value: number | null; base?: number | null; better: 'up' | 'down'; unit?: 'points' }) {
  if (value === null) return <span className="block text-xs text-slate-500">no change to show</span>;
  const rounded = Math.round(value);
  const sign = rounded > 0 ? '+' : rounded < 0 ? '−' : '±';
  const percent = unit === undefined && base !== null && base > 0 ? ` (${sign}${Math.abs(Math.round((100 * value) / base))}%)` : '';
  const good = rounded === 0 ? null : (rounded < 0) === (better === 'down');
  const tone = good === null ? 'text-slate-600' : good ? 'text-emerald-700' : 'text-red-700';
  return (
    <span className={`block text-xs font-medium tabular-nums ${tone}`}>
      {sign}
      {Math.abs(rounded).toLocaleString('en-US')}
      {unit === 'points' ? ' points' : ''}
      {percent}
      {good === null ? '' : good ? ' better' : ' worse'}
    </span>
  );
}
