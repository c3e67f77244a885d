import { DownloadLinks } from '@/components/report/download-links';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { actionOutcomes, annotateMap, type ActionOutcome, type MeasurementRow } from '@/lib/annotations';
import { actionReport } from '@/lib/annotations/action-report';
import { stageSeries, type MeasuredSeries } from '@/lib/annotations/stage-series';
import { isPeriod } from '@/lib/measurements/period';
import { isMapId } from '@/lib/journey/rooms';
import { EmotionCurve } from '@/components/report/emotion-curve';
import { formatMonth } from '@/components/report/format';
import { NoFigures } from '@/components/report/no-figures';
import { OpenActions } from '@/components/report/open-actions';
import { OutcomesTable } from '@/components/report/outcomes-table';
import { PeriodPicker } from '@/components/report/period-picker';
import { PrintButton } from '@/components/report/print-button';
import { StageCharts } from '@/components/report/stage-charts';
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
import { heldRooms } from '@/server/services/map-doc';
import { requireRole } from '@/server/services/maps';
import { ServiceError } from '@/server/services/service-error';
import './report.css';

export const dynamic = 'force-dynamic';

type Params = Promise<{ id: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

interface Figures {
  /** Months that have rows, newest first: the choices of the period picker. */
  months: string[];
  series: MeasuredSeries | null;
  outcomes: ActionOutcome[];
}

type Loaded =
  | { record: MapRecord; map: JourneyMap; annotations: MapAnnotations; figures: Figures }
  | { record: MapRecord; damaged: string; isOwner: boolean };

/** The stored figures and what they say for `period` (the latest month when undefined), as GET /api/maps/:id/annotations says it. */
function measure(map: JourneyMap, rows: MeasurementRow[], period: string | undefined): { measurements: { rows: MeasurementRow[]; period?: string }; figures: Figures } {
  const measurements = period === undefined ? { rows } : { rows, period };
  const months = [...new Set(rows.map((row) => row.period))].sort().reverse();
  return { measurements, figures: { months, series: stageSeries(map, measurements), outcomes: actionOutcomes(map, measurements) } };
}

async function load(id: string, actor: Actor, period: string | undefined): Promise<Loaded | null> {
  if (!isMapId(id)) return null;
  const { services } = getAppContext();
  try {
    const { map: record, role } = await requireRole(services, actor, id, 'viewer');
    try {
      const { map, discussion } = await readStoredMap(services.store, id, heldRooms(services));
      const { measurements, figures } = measure(map, await services.measurements.list(id), period);
      return { record, map, annotations: annotateMap(map, discussion, measurements), figures };
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

export default async function ReportPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const { id } = await params;
  const asked = (await searchParams).period;
  // A period that is not a month is no reason to fail the page: the report then ends with the latest month.
  const period = typeof asked === 'string' && isPeriod(asked) ? asked : undefined;
  const actor = await requirePageActor(`/maps/${id}/report`);
  const loaded = await load(id, actor, period);
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
  const { record, map, annotations, figures } = loaded;
  const stageNames = Object.fromEntries(map.stages.map((s) => [s.id, s.name]));
  const gaps = annotations.stages.filter((s) => s.ownership === 'fragmented' || s.ownership === 'unowned');
  const actions = actionReport(map, figures.outcomes);
  const { series } = figures;

  return (
    <div className="report-page">
      <div className="print:hidden">
        <AppBar user={actor}>
          <MapNav mapId={id} current="report" />
        </AppBar>
      </div>
      <main className="mx-auto max-w-6xl space-y-6 px-6 py-8 print:max-w-none print:space-y-4 print:p-0">
        <div className="flex items-start justify-between gap-4">
          <div>
            <p className="text-xs font-semibold tracking-wide text-indigo-700 uppercase">Annotations report</p>
            <h1 className="text-2xl font-semibold text-slate-900">{record.title}</h1>
            {map.meta.persona ? <p className="mt-1 text-sm text-slate-600">Persona: {map.meta.persona}</p> : null}
          </div>
          <div className="flex items-center gap-3">
            <DownloadLinks mapId={id} />
            <PrintButton />
          </div>
        </div>
        <SummaryFigures annotations={annotations} />
        {gaps.length > 0 ? (
          <section aria-labelledby="gaps" className="rounded-lg border border-amber-300 bg-amber-50 p-4 break-inside-avoid">
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
        <section aria-labelledby="emotion" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm break-inside-avoid print:shadow-none">
          <h2 id="emotion" className="text-sm font-semibold text-slate-700">Emotion across the journey</h2>
          <EmotionCurve points={annotations.emotionCurve} stageNames={stageNames} />
        </section>
        <StageTable annotations={annotations} />
        <section aria-labelledby="figures" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm print:shadow-none">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <h2 id="figures" className="text-lg font-semibold text-slate-900">
              Measured figures
              {series ? (
                <span className="ml-2 text-sm font-normal text-slate-600">
                  {formatMonth(series.months[0] ?? '')} – {formatMonth(series.months.at(-1) ?? '')}
                </span>
              ) : null}
            </h2>
            {series && figures.months.length > 0 ? <PeriodPicker months={figures.months} current={series.months.at(-1) ?? ''} /> : null}
          </div>
          {series ? <StageCharts series={series} /> : <NoFigures />}
        </section>
        <section aria-labelledby="outcomes" className="space-y-3">
          <h2 id="outcomes" className="text-lg font-semibold text-slate-900">Actions and outcomes</h2>
          <p className="text-sm text-slate-600">
            For each done action, its touchpoint’s contacts a month and CSAT in the three months before the month it was done and the three after.
          </p>
          <OutcomesTable rows={actions.done} />
          <h3 className="pt-2 text-sm font-semibold text-slate-800">Open actions</h3>
          <OpenActions rows={actions.open} />
        </section>
      </main>
    </div>
  );
}
