'use client';

import type { MapAnnotations } from '../../lib/annotations/types';
import { firstTouchpointOfEachStage, topPainPoints } from '../../lib/annotations/top-pain-points';
import type { JourneyMap } from '../../lib/journey/types';
import { contactsAboveEstimate, periodLabel, type TouchpointFigures } from '../../lib/measurements/touchpoint-figures';
import { OwnershipBadge } from '../report/badges';
import { formatCount, formatPercent } from '../report/format';

/** Where the map needs attention: ownership gaps and the worst pain, each a click away on the canvas. */
export function InsightsPanel({
  map,
  annotations,
  figures,
  period,
  onFocus,
}: {
  map: JourneyMap;
  annotations: MapAnnotations | null;
  /** The contact center's figures for `period`, by touchpoint; empty without figures. */
  figures: ReadonlyMap<string, TouchpointFigures>;
  period: string | null;
  onFocus: (touchpointId: string) => void;
}) {
  if (!annotations) return null;
  const gaps = annotations.stages.filter((s) => s.ownership === 'fragmented' || s.ownership === 'unowned');
  const hotspot = annotations.stages.find((s) => s.stageId === annotations.hotspotStageId);
  const stageName = new Map(map.stages.map((s) => [s.id, s.name]));
  const pains = topPainPoints(map, 8);
  const firstInStage = firstTouchpointOfEachStage(map);
  const above = period === null ? [] : contactsAboveEstimate(map, figures, 5);
  return (
    <div className="space-y-4 text-sm" aria-label="Insights">
      <dl className="grid grid-cols-2 gap-2">
        <div className="rounded-md bg-slate-50 p-2">
          <dt className="text-[11px] text-slate-500 uppercase">Hotspot</dt>
          <dd className="font-semibold text-slate-900" data-testid="insight-hotspot">{hotspot?.name ?? 'None'}</dd>
        </div>
        <div className="rounded-md bg-slate-50 p-2">
          <dt className="text-[11px] text-slate-500 uppercase">Ownership gaps</dt>
          <dd className="font-semibold text-slate-900" data-testid="insight-gaps">{annotations.ownershipGaps}</dd>
        </div>
        <div className="rounded-md bg-slate-50 p-2">
          <dt className="text-[11px] text-slate-500 uppercase">Failure demand</dt>
          <dd className="font-semibold text-slate-900">{formatCount(annotations.failureDemand)}/mo</dd>
        </div>
        <div className="rounded-md bg-slate-50 p-2">
          <dt className="text-[11px] text-slate-500 uppercase">Hub coverage</dt>
          <dd className="font-semibold text-slate-900">{formatPercent(annotations.hubCoverage)}</dd>
        </div>
        {annotations.measuredPeriod !== null ? (
          <div className="col-span-2 rounded-md bg-indigo-50 p-2">
            <dt className="text-[11px] text-indigo-900 uppercase">Measured contacts · {periodLabel(annotations.measuredPeriod)}</dt>
            <dd className="font-semibold text-slate-900" data-testid="insight-measured">
              {annotations.measuredContacts === null ? 'no contacts sent for this month' : formatCount(annotations.measuredContacts)}
              <span className="ml-1 text-xs font-normal text-slate-600">estimate {formatCount(annotations.failureDemand)}/mo</span>
            </dd>
          </div>
        ) : null}
      </dl>
      {period !== null ? (
        <section>
          <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">More contacts than estimated</h3>
          {above.length === 0 ? (
            <p className="mt-1 text-slate-600">No touchpoint drew more contacts in {periodLabel(period)} than the map estimates.</p>
          ) : (
            <ol className="mt-1 space-y-1" aria-label="More contacts than estimated">
              {above.map((a) => (
                <li key={a.touchpoint.id}>
                  <button type="button" onClick={() => onFocus(a.touchpoint.id)} className="flex w-full items-start gap-2 rounded px-1 py-1 text-left hover:bg-slate-100">
                    <span className="mt-0.5 shrink-0 rounded bg-amber-100 px-1 text-xs font-semibold text-amber-900 tabular-nums">+{formatCount(a.excess)}</span>
                    <span>
                      <span className="block text-slate-900">{a.touchpoint.label}</span>
                      <span className="block text-xs text-slate-500 tabular-nums">
                        {formatCount(a.measured)} measured · estimate {formatCount(a.estimate)}
                      </span>
                    </span>
                  </button>
                </li>
              ))}
            </ol>
          )}
        </section>
      ) : null}
      <section>
        <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Ownership gaps</h3>
        {gaps.length === 0 ? (
          <p className="mt-1 text-slate-600">Every stage with touchpoints has one accountable owner.</p>
        ) : (
          <ul className="mt-1 space-y-2">
            {gaps.map((s) => {
              const first = s.unownedTouchpoints[0] ?? firstInStage.get(s.stageId);
              return (
                <li key={s.stageId}>
                  <button type="button" disabled={!first} onClick={() => first && onFocus(first)} className="w-full rounded-md border border-amber-200 bg-amber-50 p-2 text-left hover:border-amber-400">
                    <span className="flex items-center justify-between gap-2">
                      <strong className="text-slate-900">{s.name}</strong>
                      <OwnershipBadge ownership={s.ownership} />
                    </span>
                    <span className="mt-0.5 block text-xs text-slate-700">
                      {s.owners.length > 1 ? `${s.owners.length} teams: ${s.owners.join(', ')}. ` : ''}Suggested owner: <strong>{s.suggestedOwner ?? '—'}</strong>
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <section>
        <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Top pain points</h3>
        {pains.length === 0 ? (
          <p className="mt-1 text-slate-600">No pain points yet.</p>
        ) : (
          <ol className="mt-1 space-y-1">
            {pains.map((p) => (
              <li key={`${p.touchpoint.id}:${p.id}`}>
                <button type="button" onClick={() => onFocus(p.touchpoint.id)} className="flex w-full items-start gap-2 rounded px-1 py-1 text-left hover:bg-slate-100">
                  <span className="mt-0.5 w-7 shrink-0 rounded bg-red-100 text-center text-xs font-semibold text-red-900 tabular-nums">{p.score}</span>
                  <span>
                    <span className="block text-slate-900">{p.text}</span>
                    <span className="block text-xs text-slate-500">
                      {p.touchpoint.label} · {p.touchpoint.stageId ? (stageName.get(p.touchpoint.stageId) ?? 'unstaged') : 'unstaged'}
                    </span>
                  </span>
                </button>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
