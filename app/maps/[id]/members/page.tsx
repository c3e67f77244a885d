import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { MemberManager } from '@/components/members/member-manager';
import { MapNav } from '@/components/ui/map-nav';
import { AppBar } from '@/components/ui/page-header';
import { getAppContext } from '@/server/app-context';
import { requirePageActor } from '@/server/auth/page-actor';
import { requireRole } from '@/server/services/maps';
import { auditNames, listMembers, readAudit } from '@/server/services/members';
import { describeAuditEntry } from '@/lib/audit/describe-entry';
import { ServiceError } from '@/server/services/service-error';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Members' };

export default async function MembersPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ started?: string }> }) {
  const { id } = await params;
  const justStarted = (await searchParams).started === '1';
  const actor = await requirePageActor(`/maps/${id}/members`);
  const { services } = getAppContext();
  let loaded;
  try {
    const { map, role } = await requireRole(services, actor, id, 'viewer');
    const list = await listMembers(services, actor, id);
    const audit = role === 'owner' ? await readAudit(services, actor, id, 50) : [];
    loaded = { map, role, list, audit, names: await auditNames(services, audit) };
  } catch (error) {
    if (error instanceof ServiceError) notFound();
    throw error;
  }
  const { map, role, list, audit, names } = loaded;
  const nameOf = (email: string): string | null => names[email.toLowerCase()] ?? null;

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
        {justStarted && role === 'owner' ? (
          <div role="status" className="rounded-lg border border-indigo-200 bg-indigo-50 p-4 text-sm text-indigo-950">
            <p className="font-semibold">Workshop copy started.</p>
            <p className="mt-1">
              The master&apos;s members are here with their roles, and you own the copy. Add the workshop&apos;s participants below, then{' '}
              <Link href={`/maps/${id}`} className="font-semibold underline">open the canvas</Link>.
            </p>
          </div>
        ) : null}
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
                    {describeAuditEntry(entry, nameOf)}
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
