import type { MapAnnotations } from '../../lib/annotations/types';
import { formatCount, formatPercent } from './format';

function Figure({ label, value, hint, tone = 'neutral' }: { label: string; value: string; hint?: string; tone?: 'neutral' | 'warn' }) {
  return (
    <div className={`rounded-lg border bg-white p-4 shadow-sm ${tone === 'warn' ? 'border-amber-300' : 'border-slate-200'}`}>
      <dt className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold text-slate-900 tabular-nums">{value}</dd>
      {hint ? <p className="mt-1 text-xs text-slate-500">{hint}</p> : null}
    </div>
  );
}

/** The map-level annotations: where it hurts, who owns it, what reaches the contact center. */
export function SummaryFigures({ annotations }: { annotations: MapAnnotations }) {
  const hotspot = annotations.stages.find((s) => s.stageId === annotations.hotspotStageId);
  return (
    <dl className="grid grid-cols-2 gap-3 md:grid-cols-5">
      <Figure label="Hotspot" value={hotspot ? hotspot.name : 'None'} hint={hotspot ? `pain ${hotspot.pain}` : 'no pain points yet'} />
      <Figure
        label="Ownership gaps"
        value={String(annotations.ownershipGaps)}
        hint="stages fragmented or unowned"
        tone={annotations.ownershipGaps > 0 ? 'warn' : 'neutral'}
      />
      <Figure label="Failure demand" value={formatCount(annotations.failureDemand)} hint="contacts a month to the contact center" />
      <Figure label="Hub coverage" value={formatPercent(annotations.hubCoverage)} hint="touchpoints linked to the hub" />
      <Figure label="Unstaged" value={String(annotations.unstaged)} hint="touchpoints in no stage" tone={annotations.unstaged > 0 ? 'warn' : 'neutral'} />
    </dl>
  );
}
