import Link from 'next/link';
import { STALE_WORDS, type PortfolioEntry, type PortfolioRow } from '../../lib/portfolio/portfolio-row';
import { PORTFOLIO_SORT, type PortfolioColumn } from '../../lib/portfolio/portfolio-sort';
import type { SortState } from '../../lib/portfolio/table-sort';
import { DamagedBadge } from '../ui/damaged-map';
import { RoleBadge } from '../ui/role-badge';
import { formatCount, formatCsat, formatPeriod, formatReview } from './format';
import { SortHeader } from './sort-header';

const COLUMNS: Array<[PortfolioColumn, string, 'left' | 'right', string?]> = [
  ['title', 'Map', 'left'],
  ['hotspot', 'Hotspot', 'left', 'Sort by the hotspot stage\'s pain'],
  ['gaps', 'Ownership gaps', 'right'],
  ['estimated', 'Est. contacts/mo', 'right', 'Sort by the contacts the map estimates a month'],
  ['measured', 'Measured contacts', 'right', 'Sort by the contacts measured in the latest month'],
  ['csat', 'CSAT', 'right'],
  ['open', 'Open actions', 'right'],
  ['overdue', 'Overdue', 'right'],
  ['reviewed', 'Last review', 'left'],
  ['stale', 'Stale', 'left', 'Sort stale maps first'],
];

export function PortfolioTable({ rows, state }: { rows: PortfolioEntry[]; state: SortState<PortfolioColumn> }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm" aria-label="Maps in your portfolio">
        <thead className="bg-slate-50 text-xs font-semibold tracking-wide text-slate-600 uppercase">
          <tr>
            {COLUMNS.map(([column, label, align, title]) => (
              <SortHeader key={column} column={column} label={label} align={align} title={title} state={state} firstDir={PORTFOLIO_SORT.firstDir} basePath="/portfolio" />
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (row.damaged ? <DamagedRow key={row.id} row={row} /> : <MapRow key={row.id} row={row} />))}
        </tbody>
      </table>
    </div>
  );
}

function MapTitle({ id, title, role }: { id: string; title: string; role: PortfolioEntry['role'] }) {
  return (
    <th scope="row" className="max-w-56 px-3 py-3 text-left align-top font-medium text-slate-900">
      <Link href={`/maps/${id}`} className="hover:text-indigo-700 hover:underline">
        {title}
      </Link>
      <div className="mt-1 flex items-center gap-2">
        <RoleBadge role={role} />
        <Link href={`/maps/${id}/report`} className="text-xs font-normal text-indigo-700 hover:underline">
          Report
        </Link>
      </div>
    </th>
  );
}

function MapRow({ row }: { row: PortfolioRow }) {
  const stale = row.stale.length > 0;
  return (
    <tr data-testid={`portfolio-row-${row.id}`} className={stale ? 'bg-amber-50/40' : undefined}>
      <MapTitle id={row.id} title={row.title} role={row.role} />
      <td className="px-3 py-3 align-top">
        {row.hotspot ? (
          <>
            <span className="font-medium text-slate-900">{row.hotspot.name}</span>
            <span className="block text-xs text-slate-500">pain {formatCount(row.hotspot.pain)}</span>
          </>
        ) : (
          <span className="whitespace-nowrap text-slate-500">No pain yet</span>
        )}
      </td>
      <td className={`px-3 py-3 text-right align-top tabular-nums ${row.ownershipGaps > 0 ? 'font-semibold text-amber-800' : 'text-slate-900'}`}>{row.ownershipGaps}</td>
      <td className="px-3 py-3 text-right align-top tabular-nums">{formatCount(row.estimatedContacts)}</td>
      <td className="px-3 py-3 text-right align-top tabular-nums">
        {row.measuredContacts === null ? <span className="text-slate-500">–</span> : formatCount(row.measuredContacts)}
        {row.measuredPeriod ? <span className="block text-xs text-slate-500">{formatPeriod(row.measuredPeriod)}</span> : <span className="block text-xs text-slate-500">no figures</span>}
      </td>
      <td className="px-3 py-3 text-right align-top tabular-nums">{formatCsat(row.csat)}</td>
      <td className="px-3 py-3 text-right align-top tabular-nums">{row.openActions}</td>
      <td className={`px-3 py-3 text-right align-top tabular-nums ${row.overdueActions > 0 ? 'font-semibold text-red-700' : ''}`}>{row.overdueActions}</td>
      <td className="px-3 py-3 align-top whitespace-nowrap text-slate-700">{formatReview(row.review)}</td>
      <td className="px-3 py-3 align-top">
        {stale ? (
          <div data-testid={`stale-${row.id}`}>
            <span className="inline-flex rounded-full bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-900 ring-1 ring-amber-300 ring-inset">Stale</span>
            <ul className="mt-1 text-xs text-amber-900">
              {row.stale.map((reason) => (
                <li key={reason}>{STALE_WORDS[reason]}</li>
              ))}
            </ul>
          </div>
        ) : (
          <span className="text-xs whitespace-nowrap text-emerald-800">Up to date</span>
        )}
      </td>
    </tr>
  );
}

function DamagedRow({ row }: { row: Extract<PortfolioEntry, { damaged: true }> }) {
  return (
    <tr data-testid={`portfolio-row-${row.id}`}>
      <MapTitle id={row.id} title={row.title} role={row.role} />
      <td colSpan={COLUMNS.length - 1} className="px-3 py-3 align-top text-rose-900">
        <div className="flex items-start gap-2">
          <DamagedBadge mapId={row.id} />
          <span className="text-sm">{row.damagedMessage}</span>
        </div>
      </td>
    </tr>
  );
}
