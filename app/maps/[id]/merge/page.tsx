import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { MergeReview } from '@/components/history/merge-review';
import { MapNav } from '@/components/ui/map-nav';
import { AppBar } from '@/components/ui/page-header';
import { getAppContext } from '@/server/app-context';
import { requirePageActor } from '@/server/auth/page-actor';
import { ServiceError } from '@/server/services/service-error';
import { diffWorkshop, workshopInfo } from '@/server/services/workshops';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Review and merge' };

export default async function MergePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requirePageActor(`/maps/${id}/merge`);
  const { services } = getAppContext();
  const loaded = await Promise.all([diffWorkshop(services, actor, id), workshopInfo(services, actor, id), services.accounts.getRole(id, actor.id)]).catch((error: unknown) => {
    if (error instanceof ServiceError) return null;
    throw error;
  });
  const [diff, info, role] = loaded ?? [];
  if (!diff || !info || info.masterTitle === null) notFound();
  return (
    <>
      <AppBar user={actor}>
        <MapNav mapId={id} current="merge" />
      </AppBar>
      <main className="mx-auto max-w-4xl space-y-6 px-6 py-8">
        <div>
          <p className="text-xs font-semibold tracking-wide text-indigo-700 uppercase">Review and merge</p>
          <h1 className="text-2xl font-semibold text-slate-900">Workshop of {info.masterTitle}</h1>
          <p className="mt-1 text-sm text-slate-600">
            Started by {info.startedBy} on {new Date(info.startedAt).toISOString().slice(0, 10)}. Choose what the workshop decided; conflicts need a side.
          </p>
        </div>
        <MergeReview
          copyId={id}
          masterId={info.masterId}
          masterTitle={info.masterTitle}
          status={info.status}
          changes={diff.changes}
          base={diff.base}
          master={diff.master}
          copy={diff.copy}
          canMerge={info.canMerge}
          canRefresh={role === 'owner' || role === 'editor'}
        />
      </main>
    </>
  );
}
