import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { MemberManager } from '@/components/members/member-manager';
import { MapNav } from '@/components/ui/map-nav';
import { AppBar } from '@/components/ui/page-header';
import { getAppContext } from '@/server/app-context';
import { requirePageActor } from '@/server/auth/page-actor';
import { requireRole } from '@/server/services/maps';
import { listMembers, readAudit } from '@/server/services/members';
import { ServiceError } from '@/server/services/service-error';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Members' };

const ACTIONS: Record<string, string> = {
  'map.created': 'created the map',
  'map.renamed': 'renamed the map',
  'member.added': 'added',
  'member.invited': 'invited',
  'member.role_changed': 'changed the role of',
  'member.removed': 'removed',
  'invitation.changed': 'changed the invitation of',
  'invitation.removed': 'cancelled the invitation of',
  'invitation.accepted': 'accepted an invitation:',
  'ownership.transferred': 'transferred ownership to',
};

export default async function MembersPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requirePageActor(`/maps/${id}/members`);
  const { services } = getAppContext();
  let loaded;
  try {
    const { map, role } = await requireRole(services, actor, id, 'viewer');
    const list = await listMembers(services, actor, id);
    const audit = role === 'owner' ? await readAudit(services, actor, id, 50) : [];
    loaded = { map, role, list, audit };
  } catch (error) {
    if (error instanceof ServiceError) notFound();
    throw error;
  }
  const { map, role, list, audit } = loaded;

  return (
    <>
      <AppBar user={actor}>
        <MapNav mapId={id} current="members" />
      </AppBar>
      <main className="mx-auto max-w-3xl space-y-6 px-6 py-8">
        <div>
          <p className="text-xs font-semibold tracking-wide text-indigo-700 uppercase">Members</p>
          <h1 className="text-2xl font-semibold text-slate-900">{map.title}</h1>
          <p className="mt-1 text-sm text-slate-600">
            {role === 'owner'
              ? 'You own this map: invite people, set their roles, or hand ownership on.'
              : 'Only the owner can change who is on this map.'}
          </p>
        </div>
        <MemberManager mapId={id} members={list.members} invitations={list.invitations} isOwner={role === 'owner'} selfId={actor.id} />
        {role === 'owner' ? (
          <section aria-labelledby="audit">
            <h2 id="audit" className="text-sm font-semibold text-slate-700">
              Audit log
            </h2>
            {audit.length === 0 ? (
              <p className="mt-2 text-sm text-slate-500">Nothing recorded yet.</p>
            ) : (
              <ol className="mt-2 space-y-1 text-sm text-slate-700">
                {audit.map((entry) => (
                  <li key={entry.id}>
                    <time className="text-slate-500 tabular-nums" dateTime={new Date(entry.createdAt).toISOString()}>
                      {new Date(entry.createdAt).toISOString().replace('T', ' ').slice(0, 16)}
                    </time>{' '}
                    <strong>{entry.actorEmail}</strong> {ACTIONS[entry.action] ?? entry.action} {entry.targetEmail ?? ''}
                    {entry.detail && 'role' in entry.detail ? ` (${String(entry.detail.role)})` : ''}
                    {entry.detail && 'to' in entry.detail ? ` from ${String(entry.detail.from)} to ${String(entry.detail.to)}` : ''}
                  </li>
                ))}
              </ol>
            )}
          </section>
        ) : null}
      </main>
    </>
  );
}
