import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { WorkshopActions } from '@/components/history/workshop-actions';
import { DamagedBadge } from '@/components/ui/damaged-map';
import { MapNav } from '@/components/ui/map-nav';
import { AppBar } from '@/components/ui/page-header';
import { getAppContext } from '@/server/app-context';
import { requirePageActor } from '@/server/auth/page-actor';
import { requireRole } from '@/server/services/maps';
import { listMembers } from '@/server/services/members';
import { ServiceError } from '@/server/services/service-error';
import { listWorkshops, workshopInfo } from '@/server/services/workshops';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Workshops' };

export default async function WorkshopsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requirePageActor(`/maps/${id}/workshops`);
  const { services } = getAppContext();
  const loaded = await Promise.all([
    requireRole(services, actor, id, 'viewer'),
    listWorkshops(services, actor, id),
    workshopInfo(services, actor, id),
    services.history.isMaster(id),
    listMembers(services, actor, id),
  ]).catch(
    (error: unknown) => {
      if (error instanceof ServiceError) return null;
      throw error;
    },
  );
  if (!loaded) notFound();
  const [{ map, role }, workshops, info, isMaster, { members }] = loaded;
  const ownerName = members.find((m) => m.role === 'owner')?.name ?? null;
  return (
    <>
      <AppBar user={actor}>
        <MapNav mapId={id} current="workshops" />
      </AppBar>
      <main className="mx-auto max-w-4xl space-y-6 px-6 py-8">
        <div>
          <p className="text-xs font-semibold tracking-wide text-indigo-700 uppercase">Workshops{isMaster ? ' · master map' : ''}</p>
          <h1 className="text-2xl font-semibold text-slate-900">{map.title}</h1>
          <p className="mt-1 text-sm text-slate-600">
            Workshops happen on copies of the master; what a workshop decides comes back into the master by review, not by accident.
          </p>
        </div>
        {info && info.masterTitle === null ? (
          <div className="rounded-lg border border-indigo-200 bg-indigo-50 p-4 text-sm text-indigo-950">
            This map is a workshop copy of a master map that is not shared with you
            {info.copyChanges === null ? '; its changes cannot be counted while a map is damaged' : `: ${info.copyChanges} changes here since the fork`}. The master&apos;s editors review and merge them.
          </div>
        ) : info ? (
          <div className="rounded-lg border border-indigo-200 bg-indigo-50 p-4 text-sm text-indigo-950">
            This map is a workshop of{' '}
            <Link href={`/maps/${info.masterId}`} className="font-semibold underline">{info.masterTitle}</Link>
            {info.copyChanges === null
              ? ': the changes cannot be counted while the copy or the master is damaged'
              : `: ${info.copyChanges} changes here, the master moved ${info.masterChanges ?? 0} since the fork${info.conflicts ? `, ${info.conflicts} conflicts` : ''}`}
            .{' '}
            <Link href={`/maps/${id}/merge`} className="font-semibold underline">Review and merge</Link>
          </div>
        ) : (
          <WorkshopActions mapId={id} isMaster={isMaster} isOwner={role === 'owner'} canStart={role === 'owner' || role === 'editor'} ownerName={ownerName} />
        )}
        {isMaster ? (
          workshops.length === 0 ? (
            <p className="text-sm text-slate-600">No workshop copies yet.</p>
          ) : (
            <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white shadow-sm" aria-label="Workshop copies">
              {workshops.map((w) => (
                <li key={w.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
                  <div className="space-y-1">
                    <div className="flex items-center gap-2">
                      <Link href={`/maps/${w.id}`} className="font-medium text-slate-900 hover:underline">{w.title}</Link>
                      {w.damaged ? <DamagedBadge mapId={w.id} /> : null}
                    </div>
                    <p className="text-xs text-slate-500">
                      {w.startedBy} · {new Date(w.startedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC
                      {w.copyChanges === null ? '' : ` · ${w.copyChanges} changes`}
                      {w.conflicts ? ` · ${w.conflicts} conflicts` : ''}
                    </p>
                    {w.damagedMessage ? <p className="text-xs text-rose-800">{w.damagedMessage}</p> : null}
                  </div>
                  {w.damaged ? null : w.status === 'merged' ? (
                    <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-600">merged</span>
                  ) : (
                    <Link href={`/maps/${w.id}/merge`} className="text-sm font-medium text-indigo-700 hover:underline">Review and merge</Link>
                  )}
                </li>
              ))}
            </ul>
          )
        ) : null}
      </main>
    </>
  );
}
