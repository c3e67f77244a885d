import type { Metadata } from 'next';
import Link from 'next/link';
import { EmailConfirmationBanner } from '@/components/accounts/email-confirmation-banner';
import { CreateMapForm } from '@/components/dashboard/create-map-form';
import { ImportMapForm } from '@/components/dashboard/import-map-form';
import { MapActions } from '@/components/dashboard/map-actions';
import { formatCount, formatPercent } from '@/components/report/format';
import { AppBar } from '@/components/ui/page-header';
import { DamagedBadge, DamagedNotice } from '@/components/ui/damaged-map';
import { RoleBadge } from '@/components/ui/role-badge';
import { getAppContext } from '@/server/app-context';
import { requirePageActor } from '@/server/auth/page-actor';
import { emailStatus } from '@/server/services/email-verification';
import { listMaps } from '@/server/services/maps';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Your maps' };

export default async function DashboardPage() {
  const actor = await requirePageActor('/');
  const { services } = getAppContext();
  const [maps, email] = await Promise.all([listMaps(services, actor), emailStatus(services, actor)]);

  return (
    <>
      <AppBar user={actor} />
      <main className="mx-auto max-w-6xl space-y-6 px-6 py-8">
        <div>
          <h1 className="text-2xl font-semibold text-slate-900">Your journey maps</h1>
          <p className="mt-1 text-sm text-slate-600">
            Every stage needs one accountable owner; the contact center sees every broken touchpoint as a call.
          </p>
        </div>
        {email.verified ? null : <EmailConfirmationBanner email={email.email} />}
        <CreateMapForm />
        <ImportMapForm />
        {maps.length === 0 ? (
          <div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center">
            <p className="font-medium text-slate-800">No maps yet</p>
            <p className="mt-1 text-sm text-slate-600">Create one above, or ask a map&apos;s owner to invite you by your email, {actor.email}.</p>
          </div>
        ) : (
          <ul className="grid gap-4 md:grid-cols-2" aria-label="Maps">
            {maps.map((map) => (
              <li key={map.id} className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm" data-testid={`map-card-${map.id}`}>
                <div className="flex items-start justify-between gap-3">
                  <h2 className="mr-auto font-semibold text-slate-900">
                    <Link href={`/maps/${map.id}`} className="hover:text-indigo-700 hover:underline">
                      {map.title}
                    </Link>
                  </h2>
                  <RoleBadge role={map.role} />
                  {map.damaged ? <DamagedBadge mapId={map.id} /> : null}
                </div>
                {map.summary === null ? (
                  <div className="mt-4">
                    <DamagedNotice mapId={map.id} message={map.damagedMessage ?? ''} isOwner={map.role === 'owner'} />
                  </div>
                ) : (
                  <>
                  <dl className="mt-4 grid grid-cols-3 gap-2 text-sm">
                    <div>
                      <dt className="text-xs text-slate-500">Hotspot</dt>
                      <dd className="font-medium text-slate-900">{map.summary.hotspotStage ?? 'None'}</dd>
                    </div>
                    <div>
                      <dt className="text-xs text-slate-500">Ownership gaps</dt>
                      <dd className={`font-medium ${map.summary.ownershipGaps > 0 ? 'text-amber-700' : 'text-slate-900'}`}>{map.summary.ownershipGaps}</dd>
                    </div>
                    <div>
                      <dt className="text-xs text-slate-500">Failure demand</dt>
                      <dd className="font-medium text-slate-900">{formatCount(map.summary.failureDemand)}/mo</dd>
                    </div>
                  </dl>
                  <p className="mt-3 text-xs text-slate-500">
                    Hub coverage {formatPercent(map.summary.hubCoverage)} · last change {new Date(map.updatedAt).toLocaleString('en-GB', { timeZone: 'UTC' })} UTC
                  </p>
                  </>
                )}
                <div className="mt-3 flex gap-4 text-sm">
                  <Link href={`/maps/${map.id}`} className="font-medium text-indigo-700 hover:underline">
                    Open map
                  </Link>
                  <Link href={`/maps/${map.id}/report`} className="font-medium text-indigo-700 hover:underline">
                    Annotations
                  </Link>
                  <Link href={`/maps/${map.id}/members`} className="font-medium text-indigo-700 hover:underline">
                    Members
                  </Link>
                </div>
                <MapActions mapId={map.id} title={map.title} role={map.role} />
              </li>
            ))}
          </ul>
        )}
      </main>
    </>
  );
}
