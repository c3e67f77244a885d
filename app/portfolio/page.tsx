import type { Metadata } from 'next';
import Link from 'next/link';
import { PortfolioTable } from '@/components/portfolio/portfolio-table';
import { AppBar } from '@/components/ui/page-header';
import { getAppContext } from '@/server/app-context';
import { requirePageActor } from '@/server/auth/page-actor';
import { portfolio } from '@/server/services/portfolio';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Portfolio' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function PortfolioPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requirePageActor('/portfolio');
  const answer = await portfolio(getAppContext().services, actor, await searchParams);
  const readable = answer.maps.filter((m) => !m.damaged);
  const stale = readable.filter((m) => m.stale.length > 0).length;
  const overdue = readable.reduce((n, m) => n + m.overdueActions, 0);
  const gaps = readable.reduce((n, m) => n + m.ownershipGaps, 0);

  return (
    <>
      <AppBar user={actor} current="portfolio" />
      <main className="mx-auto max-w-6xl space-y-6 px-6 py-8">
        <div>
          <h1 className="text-2xl font-semibold text-slate-900">Portfolio</h1>
          <p className="mt-1 text-sm text-slate-600">
            Every map you are a member of: where the pain is, who owns it, what it costs in contacts, and when it was last looked over. Sort by any column.
          </p>
        </div>
        {answer.maps.length === 0 ? (
          <div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center" data-testid="portfolio-empty">
            <p className="font-medium text-slate-800">No maps in your portfolio yet</p>
            <p className="mt-1 text-sm text-slate-600">
              <Link href="/" className="font-medium text-indigo-700 hover:underline">
                Create a map
              </Link>{' '}
              or ask a map&apos;s owner to invite you by your email, {actor.email}; every map you join shows here.
            </p>
          </div>
        ) : (
          <>
            <p className="text-sm text-slate-700" data-testid="portfolio-summary">
              {answer.maps.length} {answer.maps.length === 1 ? 'map' : 'maps'} ·{' '}
              <span className={stale > 0 ? 'font-semibold text-amber-800' : undefined}>{stale} stale</span> ·{' '}
              <span className={gaps > 0 ? 'font-semibold text-amber-800' : undefined}>
                {gaps} ownership {gaps === 1 ? 'gap' : 'gaps'}
              </span>{' '}
              · <span className={overdue > 0 ? 'font-semibold text-red-700' : undefined}>{overdue} overdue {overdue === 1 ? 'action' : 'actions'}</span>
            </p>
            <PortfolioTable rows={answer.maps} state={{ sort: answer.sort, dir: answer.dir }} />
            <p className="text-xs text-slate-500">
              Stale: never reviewed, not reviewed for 90 days, or measured figures arrived after the last review. Measured contacts and CSAT are of each map&apos;s latest month with
              figures; actions are overdue when open past their due date ({answer.today}, UTC).
            </p>
          </>
        )}
      </main>
    </>
  );
}

