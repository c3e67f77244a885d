import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ChangeList } from '@/components/history/change-list';
import { RestoreButton } from '@/components/history/version-actions';
import { DamagedNotice } from '@/components/ui/damaged-map';
import { VersionCanvas } from '@/components/history/version-canvas';
import { MapNav } from '@/components/ui/map-nav';
import { AppBar } from '@/components/ui/page-header';
import { getAppContext } from '@/server/app-context';
import { requirePageActor } from '@/server/auth/page-actor';
import { damagedMessage } from '@/server/maps/damaged-map';
import { requireRole } from '@/server/services/maps';
import { ServiceError } from '@/server/services/service-error';
import { getVersion } from '@/server/services/versions';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Version' };

export default async function VersionPage({ params }: { params: Promise<{ id: string; vid: string }> }) {
  const { id, vid } = await params;
  const actor = await requirePageActor(`/maps/${id}/history/${vid}`);
  const { services } = getAppContext();
  const loaded = await Promise.all([requireRole(services, actor, id, 'viewer'), getVersion(services, actor, id, vid)]).catch((error: unknown) => {
    if (error instanceof ServiceError) return null;
    throw error;
  });
  if (!loaded) notFound();
  const [{ role }, view] = loaded;
  // A damaged map is repaired by its owner only (DESIGN.md "Versions"): the others see why, not a button that fails.
  const canRestore = view.damaged ? role === 'owner' : role === 'owner' || role === 'editor';
  return (
    <div className="flex h-screen flex-col">
      <AppBar user={actor}>
        <MapNav mapId={id} current="history" />
      </AppBar>
      <div className="flex min-h-0 flex-1">
        <main className="relative min-w-0 flex-1" aria-label="The version, read-only">
          <VersionCanvas map={view.map} discussion={view.discussion} />
        </main>
        <aside className="w-[360px] shrink-0 space-y-4 overflow-y-auto border-l border-slate-200 bg-white p-4" aria-label="About this version">
          <div>
            <Link href={`/maps/${id}/history`} className="text-sm text-indigo-700 hover:underline">← All versions</Link>
            <h1 className="mt-2 font-semibold text-slate-900">{view.version.name}</h1>
            <p className="text-xs text-slate-500">
              {new Date(view.version.createdAt).toISOString().slice(0, 16).replace('T', ' ')} UTC · {view.version.kind === 'auto' ? 'automatic' : `saved by ${view.version.createdBy}`} · read-only
            </p>
          </div>
          {view.damaged ? <DamagedNotice mapId={id} message={damagedMessage(role)} isOwner={role === 'owner'} onHistory /> : null}
          {canRestore ? <RestoreButton mapId={id} versionId={vid} name={view.version.name} damaged={view.damaged} /> : null}
          <section>
            <h2 className="text-sm font-semibold text-slate-800">Changed since this version ({view.changes.length})</h2>
            <div className="mt-2">
              <ChangeList changes={view.changes} stages={view.map.stages} />
            </div>
          </section>
        </aside>
      </div>
    </div>
  );
}
