import type { MapAnnotations } from '../../lib/annotations/types';
import { OwnershipBadge, PainBadge } from './badges';
import { formatContacts, formatCount, formatCsat, formatEmotion, formatMonth, formatPercent } from './format';

/** Every stage's annotations, one row each, in journey order; with its measured contacts and CSAT of P once figures are stored. */
export function StageTable({ annotations }: { annotations: MapAnnotations }) {
  const period = annotations.measuredPeriod;
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm print:overflow-visible print:shadow-none">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase">
          <tr>
            <th scope="col" className="px-3 py-3">Stage</th>
            <th scope="col" className="px-3 py-3 text-right">Touchpoints</th>
            <th scope="col" className="px-3 py-3">Pain</th>
            <th scope="col" className="px-3 py-3">Ownership</th>
            <th scope="col" className="px-3 py-3 text-right">Hub coverage</th>
            <th scope="col" className="px-3 py-3 text-right">{period ? 'Estimated contacts / month' : 'Contacts / month'}</th>
            {period ? (
              <>
                <th scope="col" className="px-3 py-3 text-right">Contacts {formatMonth(period)}</th>
                <th scope="col" className="px-3 py-3 text-right">CSAT {formatMonth(period)}</th>
              </>
            ) : null}
            <th scope="col" className="px-3 py-3 text-right">Emotion</th>
            <th scope="col" className="px-3 py-3 text-right">Open threads</th>
            <th scope="col" className="px-3 py-3 text-right">Votes</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {annotations.stages.map((stage) => {
            const hotspot = stage.stageId === annotations.hotspotStageId;
            return (
              <tr key={stage.stageId} className={hotspot ? 'bg-red-50/60' : undefined} data-testid={`stage-row-${stage.stageId}`}>
                <th scope="row" className="px-3 py-3 text-left font-medium text-slate-900">
                  {stage.name}
                  {hotspot ? <span className="ml-2 rounded bg-red-600 px-1.5 py-0.5 text-[10px] font-bold tracking-wide text-white uppercase">Hotspot</span> : null}
                </th>
                <td className="px-3 py-3 text-right tabular-nums">{stage.touchpoints}</td>
                <td className="px-3 py-3">
                  <div className="flex items-center gap-2">
                    <PainBadge level={stage.painLevel} />
                    <span className="text-slate-500 tabular-nums">{stage.pain}</span>
                  </div>
                </td>
                <td className="px-3 py-3">
                  <div className="flex flex-col gap-1">
                    <OwnershipBadge ownership={stage.ownership} />
                    <span className="text-xs text-slate-600">
                      {stage.accountable
                        ? `Accountable: ${stage.accountable}`
                        : stage.suggestedOwner
                          ? `Suggested: ${stage.suggestedOwner}`
                          : stage.owners.length > 0
                            ? stage.owners.join(', ')
                            : 'No owner'}
                    </span>
                  </div>
                </td>
                <td className="px-3 py-3 text-right tabular-nums">{formatPercent(stage.hubCoverage)}</td>
                <td className="px-3 py-3 text-right tabular-nums">{formatCount(stage.failureDemand)}</td>
                {period ? (
                  <>
                    <td className="px-3 py-3 text-right tabular-nums" data-testid="measured-contacts">{stage.measured?.contacts == null ? '–' : formatContacts(stage.measured.contacts)}</td>
                    <td className="px-3 py-3 text-right tabular-nums" data-testid="measured-csat">{stage.measured?.csat == null ? '–' : formatCsat(stage.measured.csat)}</td>
                  </>
                ) : null}
                <td className="px-3 py-3 text-right tabular-nums">{formatEmotion(stage.emotion)}</td>
                <td className="px-3 py-3 text-right tabular-nums">{stage.openComments}</td>
                <td className="px-3 py-3 text-right tabular-nums">{stage.votes}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
