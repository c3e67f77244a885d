'use client';

import type { OpenActionRow } from '../../lib/annotations/action-report';
import { ACTION_STATUS_WORDS } from '../../lib/journey/actions';
import { useToday } from './use-today';

/** The actions still open, by due date; overdue ones (past due in the reader's own calendar) marked. */
export function OpenActions({ rows }: { rows: OpenActionRow[] }) {
  const today = useToday();
  if (rows.length === 0) return <p className="text-sm text-slate-600">No open action.</p>;
  return (
    <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm shadow-sm print:shadow-none" data-testid="open-actions">
      {rows.map((row) => {
        const overdue = today !== null && row.due !== null && row.due < today;
        return (
          <li key={row.actionId} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 px-3 py-2 break-inside-avoid" data-testid={`open-${row.actionId}`}>
            <span className="font-medium text-slate-900">{row.title}</span>
            <span className="text-slate-600">
              {row.touchpoint ?? 'touchpoint deleted'}
              {row.stage ? ` · ${row.stage}` : ''}
            </span>
            <span className="text-slate-600">{row.ownerTeam ?? 'no owner team'}</span>
            <span className="text-slate-600">{ACTION_STATUS_WORDS[row.status]}</span>
            <span className={`ml-auto tabular-nums ${overdue ? 'font-semibold text-red-700' : 'text-slate-600'}`}>
              {row.due === null ? 'no due date' : overdue ? `Overdue: due ${row.due}` : `Due ${row.due}`}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
