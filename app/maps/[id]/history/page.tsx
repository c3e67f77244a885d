import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { RestoreButton, SaveVersionForm } from '@/components/history/version-actions';
import { DamagedNotice } from '@/components/ui/damaged-map';
import { MapNav } from '@/components/ui/map-nav';
import { AppBar } from '@/components/ui/page-header';
import { getAppContext } from '@/server/app-context';
import { requirePageActor } from '@/server/auth/page-actor';
import { damagedMessage } from '@/server/maps/damaged-map';
import { mapDamage, requireRole } from '@/server/services/maps';
import { ServiceError } from '@/server/services/service-error';
import { listVersions } from '@/server/services/versions';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'History' };

export default async function HistoryPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requirePageActor(`/maps/${id}/history`);
  const { services } = getAppContext();
  const loaded = await Promise.all([requireRole(services, actor, id, 'viewer'), listVersions(services, actor, id)]).catch((error: unknown) => {
    if (error instanceof ServiceError) return null;
    throw error;
  });
  if (!loaded) notFound();
  const [{ map, role }, versions] = loaded;
  const damaged = (await mapDamage(services, id)) !== null;
  // A damaged map cannot be saved as a version (nothing of it can be read); its owner restores one instead.
  const canSave = !damaged && (role === 'owner' || role === 'editor');
  const canRepair = damaged && role === 'owner';
  return (
    <>
      <AppBar user={actor}>
        <MapNav mapId={id} current="history" />
      </AppBar>
      <main className="mx-auto max-w-4xl space-y-6 px-6 py-8">
        <div>
          <p className="text-xs font-semibold tracking-wide text-indigo-700 uppercase">Version history</p>
          <h1 className="text-2xl font-semibold text-slate-900">{map.title}</h1>
          <p className="mt-1 text-sm text-slate-600">Named versions, and automatic ones when an editing session ends and before a merge or a restore. Restoring is a new edit: history is never rewritten.</p>
        </div>
        {damaged ? <DamagedNotice mapId={id} message={damagedMessage(role)} isOwner={role === 'owner'} onHistory /> : null}
        {canSave ? <SaveVersionForm mapId={id} /> : null}
        {versions.length === 0 ? (
          <p className="text-sm text-slate-600">No versions yet.</p>
        ) : (
          <ol className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white shadow-sm" aria-label="Versions">
            {versions.map((v) => (
              <li key={v.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
                <div>
                  <Link href={`/maps/${id}/history/${v.id}`} className="font-medium text-slate-900 hover:underline">{v.name}</Link>
                  <p className="text-xs text-slate-500">
                    {new Date(v.createdAt).toISOString().slice(0, 16).replace('T', ' ')} UTC · {v.kind === 'auto' ? 'automatic' : `saved by ${v.createdBy}`}
                  </p>
                </div>
                <div className="flex items-center gap-3">
                  {canRepair ? <RestoreButton mapId={id} versionId={v.id} name={v.name} damaged /> : null}
                  <Link href={`/maps/${id}/history/${v.id}`} className="text-sm font-medium text-indigo-700 hover:underline">Open</Link>
                </div>
              </li>
            ))}
          </ol>
        )}
      </main>
    </>
  );
}
