import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { MapWorkspace } from '@/components/canvas/map-workspace';
import { isMapId } from '@/lib/journey/rooms';
import { getAppContext } from '@/server/app-context';
import { requirePageActor } from '@/server/auth/page-actor';
import { DamagedBadge, DamagedNotice } from '@/components/ui/damaged-map';
import { damagedMessage } from '@/server/maps/damaged-map';
import type { NoAccessDetails } from '@/server/services/access';
import { mapDamage } from '@/server/services/maps';
import { listMembers } from '@/server/services/members';
import { ServiceError } from '@/server/services/service-error';
import { markThreadRead } from '@/server/services/notifications';
import { issueCollabToken } from '@/server/services/tokens';
import { workshopInfo } from '@/server/services/workshops';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Map' };

export default async function MapPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ touchpoint?: string | string[]; thread?: string | string[] }> }) {
  const { id } = await params;
  const { touchpoint, thread } = await searchParams;
  const actor = await requirePageActor(`/maps/${id}`);
  if (!isMapId(id)) notFound();
  const { services } = getAppContext();
  // The token first: its refusal tells a former member what happened (removed, or the map deleted); anyone else: no such map.
  const loaded = await issueCollabToken(services, actor, id)
    .then((answer) => Promise.all([answer, listMembers(services, actor, id), workshopInfo(services, actor, id), services.history.isMaster(id)]))
    .catch((error: unknown) => {
      if (error instanceof ServiceError) return error;
      throw error;
    });
  if (loaded instanceof ServiceError) {
    const former = formerAccessOf(loaded);
    if (former) return <NoLongerAccess {...former} />;
    notFound();
  }
  const [{ token, role, merged }, { members }, workshop, isMaster] = loaded;
  // A map that cannot be read has no canvas to open: say so, and what can be done, instead of a socket that fails.
  const damage = await mapDamage(services, id);
  if (damage) {
    const title = (await services.store.getMap(id))?.title ?? 'This map';
    return <DamagedMapPage mapId={id} title={title} message={damagedMessage(role)} isOwner={role === 'owner'} ownerName={members.find((m) => m.role === 'owner')?.name ?? null} />;
  }
  const openThread = typeof touchpoint === 'string' && typeof thread === 'string' ? { touchpointId: touchpoint, commentId: thread } : null;
  if (openThread) await markThreadRead(services, actor, id, openThread.commentId);
  return (
    <MapWorkspace
      key={id}
      mapId={id}
      me={{ id: actor.id, name: actor.name }}
      initialToken={{ token, role, merged }}
      members={members.map((m) => ({ id: m.userId, name: m.name }))}
      workshop={workshop ? { masterId: workshop.masterId, masterTitle: workshop.masterTitle, masterChanges: workshop.masterChanges, status: workshop.status } : null}
      isMaster={isMaster}
      openThread={openThread}
    />
  );
}

function DamagedMapPage({ mapId, title, message, isOwner, ownerName }: { mapId: string; title: string; message: string; isOwner: boolean; ownerName: string | null }) {
  return (
    <main className="grid min-h-screen place-items-center bg-slate-50 p-6">
      <div className="max-w-md space-y-3 rounded-lg border border-slate-200 bg-white p-6 shadow-sm" data-testid="damaged-map">
        <div className="flex items-center justify-between gap-3">
          <h1 className="text-lg font-semibold text-slate-900">{title}</h1>
          <DamagedBadge mapId={mapId} />
        </div>
        <DamagedNotice mapId={mapId} message={message} isOwner={isOwner} />
        {!isOwner && ownerName ? <p className="text-sm text-slate-600">The owner is {ownerName}.</p> : null}
        <Link href="/" className="inline-block text-sm text-indigo-700 hover:underline">
          Back to your maps
        </Link>
      </div>
    </main>
  );
}

function formerAccessOf(error: ServiceError): { message: string; details: NoAccessDetails } | null {
  const details = error.details as Partial<NoAccessDetails> | undefined;
  if (details?.access !== 'removed' && details?.access !== 'deleted') return null;
  return { message: error.message, details: details as NoAccessDetails };
}

function NoLongerAccess({ message, details }: { message: string; details: NoAccessDetails }) {
  return (
    <main className="grid min-h-screen place-items-center bg-slate-50 p-6">
      <div role="alert" className="max-w-md rounded-lg border border-slate-200 bg-white p-6 text-center shadow-sm" data-testid="no-longer-access">
        <h1 className="text-lg font-semibold text-slate-900">{details.access === 'deleted' ? 'This map was deleted' : 'You no longer have access to this map'}</h1>
        <p className="mt-2 text-sm text-slate-700">{message}.</p>
        <p className="mt-1 text-sm text-slate-600">{details.access === 'deleted' ? 'Its content is gone.' : 'Ask its owner to add you again if you still need it.'}</p>
        <Link href="/" className="mt-4 inline-block rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-indigo-700">
          Back to your maps
        </Link>
      </div>
    </main>
  );
}
