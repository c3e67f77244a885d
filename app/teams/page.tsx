import type { Metadata } from 'next';
import Link from 'next/link';
import { NobodyPanel } from '@/components/portfolio/nobody-panel';
import { TeamDetail } from '@/components/portfolio/team-detail';
import { TeamsTable, teamAnchor } from '@/components/portfolio/teams-table';
import { AppBar } from '@/components/ui/page-header';
import { DamagedBadge } from '@/components/ui/damaged-map';
import { getAppContext } from '@/server/app-context';
import { requirePageActor } from '@/server/auth/page-actor';
import { teams } from '@/server/services/portfolio';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Teams' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function TeamsPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requirePageActor('/teams');
  const answer = await teams(getAppContext().services, actor, await searchParams);
  // Anchors by key order, so that a team's link does not change with the sort.
  const anchors = new Map([...answer.teams].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((team, i) => [team.key, teamAnchor(team, i)]));

  return (
    <>
      <AppBar user={actor} current="teams" />
      <main className="mx-auto max-w-6xl space-y-6 px-6 py-8">
        <div>
          <h1 className="text-2xl font-semibold text-slate-900">Teams across your maps</h1>
          <p className="mt-1 text-sm text-slate-600">
            Every team named as an owner or as accountable on {answer.mapCount === 1 ? 'the map' : answer.mapCount === 0 ? 'the maps' : `the ${answer.mapCount} maps`} you are a member of: the stages
            it answers for, the touchpoints it owns, the pain and contacts they carry, and its actions.
          </p>
        </div>
        {answer.damaged.length > 0 ? (
          <div role="note" className="rounded-md border border-rose-200 bg-rose-50 p-3 text-sm text-rose-900">
            <p>
              {answer.damaged.length === 1 ? 'One map cannot be read; its teams are not counted here:' : `${answer.damaged.length} maps cannot be read; their teams are not counted here:`}
            </p>
            <ul className="mt-1 flex flex-wrap gap-3">
              {answer.damaged.map((map) => (
                <li key={map.id} className="flex items-center gap-2">
                  <Link href={`/maps/${map.id}`} className="font-medium underline">
                    {map.title}
                  </Link>
                  <DamagedBadge mapId={map.id} />
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {answer.mapCount === 0 && answer.damaged.length === 0 ? (
          <Empty email={actor.email} what="maps" />
        ) : answer.teams.length === 0 ? (
          <Empty email={actor.email} what="teams" />
        ) : (
          <>
            <NobodyPanel nobody={answer.nobody} />
            <TeamsTable teams={answer.teams} anchors={anchors} state={{ sort: answer.sort, dir: answer.dir }} />
            <p className="text-xs text-slate-500">
              A team is accountable for a stage when the stage names it, or when it owns every card of a stage that names nobody. Names are compared without case or extra
              spaces. Measured contacts are of each map&apos;s latest month with figures; actions are overdue when open past their due date ({answer.today}, UTC).
            </p>
            <div className="space-y-4">
              <h2 className="text-lg font-semibold text-slate-900">Team by team</h2>
              {answer.teams.map((team) => (
                <TeamDetail key={team.key} team={team} anchor={anchors.get(team.key) ?? ''} />
              ))}
            </div>
          </>
        )}
      </main>
    </>
  );
}

function Empty({ email, what }: { email: string; what: 'maps' | 'teams' }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center" data-testid="teams-empty">
      {what === 'maps' ? (
        <>
          <p className="font-medium text-slate-800">No maps yet, so no teams</p>
          <p className="mt-1 text-sm text-slate-600">
            <Link href="/" className="font-medium text-indigo-700 hover:underline">
              Create a map
            </Link>{' '}
            or ask a map&apos;s owner to invite you by your email, {email}.
          </p>
        </>
      ) : (
        <>
          <p className="font-medium text-slate-800">No team is named on your maps yet</p>
          <p className="mt-1 text-sm text-slate-600">
            On a map&apos;s canvas, give each touchpoint an owner team and each stage the team accountable for it; they show here, map by map.
          </p>
        </>
      )}
    </div>
  );
}
