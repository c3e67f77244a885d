import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { annotateMap } from '@/lib/annotations';
import { isMapId } from '@/lib/journey/rooms';
import { EmotionCurve } from '@/components/report/emotion-curve';
import { StageTable } from '@/components/report/stage-table';
import { SummaryFigures } from '@/components/report/summary-figures';
import { DamagedBadge, DamagedNotice } from '@/components/ui/damaged-map';
import { MapNav } from '@/components/ui/map-nav';
import { AppBar } from '@/components/ui/page-header';
import { getAppContext } from '@/server/app-context';
import { requirePageActor } from '@/server/auth/page-actor';
import { DamagedMapError, damagedMessage } from '@/server/maps/damaged-map';
import { readStoredMap } from '@/server/maps/read-map';
import type { Actor } from '@/server/services/context';
import type { MapRecord } from '@/server/store/doc-store';
import type { MapAnnotations } from '@/lib/annotations/types';
import type { JourneyMap } from '@/lib/journey/types';
import { requireRole } from '@/server/services/maps';
import { ServiceError } from '@/server/services/service-error';

export const dynamic = 'force-dynamic';

type Params = Promise<{ id: string }>;

type Loaded =
  | { record: MapRecord; map: JourneyMap; annotations: MapAnnotations }
  | { record: MapRecord; damaged: string; isOwner: boolean };

async function load(id: string, actor: Actor): Promise<Loaded | null> {
  if (!isMapId(id)) return null;
  const { services } = getAppContext();
  try {
    const { map: record, role } = await requireRole(services, actor, id, 'viewer');
    try {
      const { map, discussion } = await readStoredMap(services.store, id);
      return { record, map, annotations: annotateMap(map, discussion) };
    } catch (error) {
      if (error instanceof DamagedMapError) return { record, damaged: damagedMessage(role), isOwner: role === 'owner' };
      throw error;
    }
  } catch (error) {
    if (error instanceof ServiceError) return null;
    throw error;
  }
}

export const metadata: Metadata = { title: 'Annotations' };

export default async function ReportPage({ params }: { params: Params }) {
  const { id } = await params;
  const actor = await requirePageActor(`/maps/${id}/report`);
  const loaded = await load(id, actor);
  if (!loaded) notFound();
  if ('damaged' in loaded) {
    return (
      <>
        <AppBar user={actor}>
          <MapNav mapId={id} current="report" />
        </AppBar>
        <main className="mx-auto max-w-4xl space-y-4 px-6 py-8">
          <div className="flex items-center gap-3">
            <h1 className="text-2xl font-semibold text-slate-900">{loaded.record.title}</h1>
            <DamagedBadge mapId={id} />
          </div>
          <DamagedNotice mapId={id} message={loaded.damaged} isOwner={loaded.isOwner} />
        </main>
      </>
    );
  }
  const { record, map, annotations } = loaded;
  const stageNames = Object.fromEntries(map.stages.map((s) => [s.id, s.name]));
  const gaps = annotations.stages.filter((s) => s.ownership === 'fragmented' || s.ownership === 'unowned');

  return (
    <>
      <AppBar user={actor}>
        <MapNav mapId={id} current="report" />
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
