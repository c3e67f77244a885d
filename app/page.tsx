import Link from 'next/link';
import { annotateMap } from '@/lib/annotations';
import { formatCount, formatPercent } from '@/components/report/format';
import { AppBar } from '@/components/ui/page-header';
import { getAppContext } from '@/server/app-context';
import { readStoredMap } from '@/server/maps/read-map';

export const dynamic = 'force-dynamic';

export default async function HomePage() {
  const { store } = getAppContext();
  const maps = await store.listMaps();
  const summaries = await Promise.all(
    maps.map(async (record) => {
      const { map, discussion } = await readStoredMap(store, record.id);
      const annotations = annotateMap(map, discussion);
      const hotspot = annotations.stages.find((s) => s.stageId === annotations.hotspotStageId);
      return { record, persona: map.meta.persona, annotations, hotspot };
    }),
  );

  return (
    <>
      <AppBar />
      <main className="mx-auto max-w-6xl px-6 py-8">
        <h1 className="text-2xl font-semibold text-slate-900">Journey maps</h1>
        <p className="mt-1 text-sm text-slate-600">
          Every stage needs one accountable owner; the contact center sees every broken touchpoint as a call.
        </p>
        {summaries.length === 0 ? (
          <div className="mt-8 rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center">
            <p className="font-medium text-slate-800">No maps yet</p>
            <p className="mt-1 text-sm text-slate-600">
              JourneyHub creates the demo map when it starts on an empty data directory (unless <code className="rounded bg-slate-100 px-1">SEED_DEMO=off</code>).
            </p>
          </div>
        ) : (
          <ul className="mt-6 grid gap-4 md:grid-cols-2">
            {summaries.map(({ record, persona, annotations, hotspot }) => (
              <li key={record.id}>
                <Link
                  href={`/maps/${record.id}/report`}
                  className="block rounded-lg border border-slate-200 bg-white p-5 shadow-sm transition hover:border-indigo-300 hover:shadow"
                >
                  <h2 className="font-semibold text-slate-900">{record.title}</h2>
                  {persona ? <p className="mt-0.5 text-sm text-slate-600">{persona}</p> : null}
                  <dl className="mt-4 grid grid-cols-3 gap-2 text-sm">
                    <div>
                      <dt className="text-xs text-slate-500">Hotspot</dt>
                      <dd className="font-medium text-slate-900">{hotspot ? hotspot.name : 'None'}</dd>
                    </div>
                    <div>
                      <dt className="text-xs text-slate-500">Ownership gaps</dt>
                      <dd className={`font-medium ${annotations.ownershipGaps > 0 ? 'text-amber-700' : 'text-slate-900'}`}>{annotations.ownershipGaps}</dd>
                    </div>
                    <div>
                      <dt className="text-xs text-slate-500">Failure demand</dt>
                      <dd className="font-medium text-slate-900">{formatCount(annotations.failureDemand)}/mo</dd>
                    </div>
                  </dl>
                  <p className="mt-3 text-xs text-slate-500">
                    Hub coverage {formatPercent(annotations.hubCoverage)} · updated {new Date(record.updatedAt).toLocaleString('en-GB', { timeZone: 'UTC' })} UTC
                  </p>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </main>
    </>
  );
}
