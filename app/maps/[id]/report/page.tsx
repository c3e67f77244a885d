import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { annotateMap } from '@/lib/annotations';
import { isMapId } from '@/lib/journey/rooms';
import { EmotionCurve } from '@/components/report/emotion-curve';
import { StageTable } from '@/components/report/stage-table';
import { SummaryFigures } from '@/components/report/summary-figures';
import { AppBar } from '@/components/ui/page-header';
import { getAppContext } from '@/server/app-context';
import { readStoredMap } from '@/server/maps/read-map';

export const dynamic = 'force-dynamic';

type Params = Promise<{ id: string }>;

async function load(id: string) {
  if (!isMapId(id)) return null;
  const { store } = getAppContext();
  const record = await store.getMap(id);
  if (!record) return null;
  const { map, discussion } = await readStoredMap(store, id);
  return { record, map, annotations: annotateMap(map, discussion) };
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const loaded = await load((await params).id);
  return { title: loaded ? `${loaded.record.title} · annotations` : 'Map not found' };
}

export default async function ReportPage({ params }: { params: Params }) {
  const loaded = await load((await params).id);
  if (!loaded) notFound();
  const { record, map, annotations } = loaded;
  const stageNames = Object.fromEntries(map.stages.map((s) => [s.id, s.name]));
  const gaps = annotations.stages.filter((s) => s.ownership === 'fragmented' || s.ownership === 'unowned');

  return (
    <>
      <AppBar>
        <Link href="/" className="text-sm text-indigo-700 hover:underline">
          All maps
        </Link>
      </AppBar>
      <main className="mx-auto max-w-6xl space-y-6 px-6 py-8">
        <div>
          <p className="text-xs font-semibold tracking-wide text-indigo-700 uppercase">Annotations report</p>
          <h1 className="text-2xl font-semibold text-slate-900">{record.title}</h1>
          {map.meta.persona ? <p className="mt-1 text-sm text-slate-600">Persona: {map.meta.persona}</p> : null}
        </div>
        <SummaryFigures annotations={annotations} />
        {gaps.length > 0 ? (
          <section aria-labelledby="gaps" className="rounded-lg border border-amber-300 bg-amber-50 p-4">
            <h2 id="gaps" className="font-semibold text-amber-900">
              When everyone owns the experience, nobody owns it
            </h2>
            <ul className="mt-2 space-y-1 text-sm text-amber-950">
              {gaps.map((stage) => (
                <li key={stage.stageId}>
                  <strong>{stage.name}</strong> is {stage.ownership}
                  {stage.owners.length > 1 ? ` (${stage.owners.join(', ')})` : ''}
                  {stage.suggestedOwner ? ` — suggested accountable owner: ${stage.suggestedOwner}` : ''}.
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <section aria-labelledby="emotion" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          <h2 id="emotion" className="text-sm font-semibold text-slate-700">Emotion across the journey</h2>
          <EmotionCurve points={annotations.emotionCurve} stageNames={stageNames} />
        </section>
        <StageTable annotations={annotations} />
      </main>
    </>
  );
}
