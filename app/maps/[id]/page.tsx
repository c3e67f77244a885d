import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { MapWorkspace } from '@/components/canvas/map-workspace';
import { isMapId } from '@/lib/journey/rooms';
import { getAppContext } from '@/server/app-context';
import { requirePageActor } from '@/server/auth/page-actor';
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
  const loaded = await Promise.all([issueCollabToken(services, actor, id), listMembers(services, actor, id), workshopInfo(services, actor, id), services.history.isMaster(id)]).catch((error: unknown) => {
    if (error instanceof ServiceError) return null;
    throw error;
  });
  if (!loaded) notFound();
  const [{ token, role }, { members }, workshop, isMaster] = loaded;
  const openThread = typeof touchpoint === 'string' && typeof thread === 'string' ? { touchpointId: touchpoint, commentId: thread } : null;
  if (openThread) await markThreadRead(services, actor, id, openThread.commentId);
  return (
    <MapWorkspace
      mapId={id}
      me={{ id: actor.id, name: actor.name }}
      initialToken={{ token, role }}
      members={members.map((m) => ({ id: m.userId, name: m.name }))}
      workshop={workshop ? { masterId: workshop.masterId, masterTitle: workshop.masterTitle, masterChanges: workshop.masterChanges, status: workshop.status } : null}
      isMaster={isMaster}
      openThread={openThread}
    />
  );
}
