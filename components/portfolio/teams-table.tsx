import Link from 'next/link';
import type { SortState } from '../../lib/portfolio/table-sort';
import { TEAMS_SORT, type TeamColumn, type TeamRow } from '../../lib/portfolio/teams';
import { formatCount } from './format';
import { SortHeader } from './sort-header';

const COLUMNS: Array<[TeamColumn, string, 'left' | 'right', string?]> = [
  ['team', 'Team', 'left'],
  ['accountable', 'Accountable for', 'right', 'Sort by the stages the team answers for'],
  ['touchpoints', 'Touchpoints owned', 'right'],
  ['shared', 'Shared stages', 'right', 'Sort by the stages where the team owns cards but another team, or nobody, answers for the stage'],
  ['pain', 'Pain', 'right', 'Sort by the pain on the team\'s touchpoints'],
  ['estimated', 'Est. contacts/mo', 'right'],
  ['measured', 'Measured contacts', 'right', 'Sort by the contacts measured on the team\'s touchpoints in each map\'s latest month'],
  ['open', 'Open actions', 'right'],
  ['overdue', 'Overdue', 'right'],
];

/** A stable anchor for a team's section: its key as letters and digits, with its place among the keys for uniqueness. */
export function teamAnchor(team: TeamRow, index: number): string {
  return `team-${team.key.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}-${index}`;
}

export function TeamsTable({ teams, anchors, state }: { teams: TeamRow[]; anchors: ReadonlyMap<string, string>; state: SortState<TeamColumn> }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm" aria-label="Teams across your maps">
        <thead className="bg-slate-50 text-xs font-semibold tracking-wide text-slate-600 uppercase">
          <tr>
            {COLUMNS.map(([column, label, align, title]) => (
              <SortHeader key={column} column={column} label={label} align={align} title={title} state={state} firstDir={TEAMS_SORT.firstDir} basePath="/teams" />
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {teams.map((team) => {
            const owned = team.touchpoints.filter((t) => !t.hub).length;
            const hubs = team.touchpoints.length - owned;
            const answersForNothing = team.accountableFor.length === 0 && owned > 0;
            return (
              <tr key={team.key} data-testid={`team-row-${team.key}`}>
                <th scope="row" className="px-3 py-3 text-left align-top font-medium text-slate-900">
                  <a href={`#${anchors.get(team.key) ?? ''}`} className="hover:text-indigo-700 hover:underline">
                    {team.name}
                  </a>
                  <span className="block text-xs font-normal text-slate-500">
                    {team.maps} {team.maps === 1 ? 'map' : 'maps'}
                    {hubs > 0 ? ` · contact center of ${hubs}` : ''}
                  </span>
                </th>
                <td className={`px-3 py-3 text-right align-top tabular-nums ${answersForNothing ? 'font-semibold text-amber-800' : ''}`}>
                  {team.accountableFor.length}
                  {answersForNothing ? <span className="block text-xs font-normal">answers for none</span> : null}
                </td>
                <td className="px-3 py-3 text-right align-top tabular-nums">{owned}</td>
                <td className={`px-3 py-3 text-right align-top tabular-nums ${team.sharedStages.length > 0 ? 'text-amber-800' : ''}`}>{team.sharedStages.length}</td>
                <td className="px-3 py-3 text-right align-top tabular-nums">{formatCount(team.pain)}</td>
                <td className="px-3 py-3 text-right align-top tabular-nums">{formatCount(team.estimatedContacts)}</td>
                <td className="px-3 py-3 text-right align-top tabular-nums">{team.measuredContacts === null ? <span className="text-slate-500">–</span> : formatCount(team.measuredContacts)}</td>
                <td className="px-3 py-3 text-right align-top tabular-nums">{team.openActions}</td>
                <td className={`px-3 py-3 text-right align-top tabular-nums ${team.overdueActions > 0 ? 'font-semibold text-red-700' : ''}`}>{team.overdueActions}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function MapLink({ mapId, children }: { mapId: string; children: React.ReactNode }) {
  return (
    <Link href={`/maps/${mapId}`} className="text-indigo-700 hover:underline">
      {children}
    </Link>
  );
}
