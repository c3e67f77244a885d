import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { LANE_HEADER_HEIGHT, LANE_WIDTH } from '../../../lib/journey/layout';
import { OwnershipBadge, PainBadge } from '../../report/badges';
import { CommitInput } from '../../ui/commit-input';
import { formatCount, formatPercent } from '../../report/format';
import type { StageLaneFlowNode } from './node-types';

/** Header tint by pain level: the heat of a stage at a glance. */
const HEAT: Record<string, string> = {
  none: 'bg-slate-50',
  low: 'bg-yellow-50',
  medium: 'bg-orange-100',
  high: 'bg-red-100',
  critical: 'bg-red-200',
};

// React Flow gives a column no pointer events (it is neither selectable nor draggable): its fields take them back.
const fieldClass =
  'nodrag pointer-events-auto w-full rounded border border-transparent bg-transparent px-1 hover:border-slate-300 focus:border-indigo-400 focus:bg-white focus:outline-none disabled:hover:border-transparent';

function StageLaneView({ data }: NodeProps<StageLaneFlowNode>) {
  const { stage, annotation: a, hotspot, canEdit, height } = data;
  return (
    <div className="rounded-lg border border-slate-200 bg-slate-100/50" style={{ width: LANE_WIDTH - 8, height }} data-testid={`stage-lane-${stage.id}`}>
      <div className={`rounded-t-lg border-b border-slate-200 p-2 ${HEAT[a?.painLevel ?? 'none']}`} style={{ height: LANE_HEADER_HEIGHT - 8 }} data-pain-level={a?.painLevel ?? 'none'} data-testid={`stage-header-${stage.id}`}>
        <div className="flex items-center gap-1">
          <CommitInput
            value={stage.name}
            aria-label={`Stage name: ${stage.name}`}
            maxLength={200}
            disabled={!canEdit}
            className={`${fieldClass} text-sm font-semibold text-slate-900`}
            onKeyDown={(e) => e.stopPropagation()}
            onCommit={(v) => v.trim() && data.onRename(stage.id, v.trim())}
          />
          {hotspot ? <span className="shrink-0 rounded bg-red-600 px-1.5 py-0.5 text-[9px] font-bold tracking-wide text-white uppercase">Hotspot</span> : null}
        </div>
        <CommitInput
          value={stage.accountable ?? ''}
          aria-label={`Accountable team for ${stage.name}`}
          placeholder={canEdit ? 'Accountable team…' : 'No accountable team'}
          maxLength={200}
          disabled={!canEdit}
          className={`${fieldClass} text-xs text-slate-700`}
          onKeyDown={(e) => e.stopPropagation()}
          onCommit={(v) => data.onSetAccountable(stage.id, v.trim() === '' ? null : v.trim())}
        />
        {a ? (
          <div className="mt-1.5 space-y-1 px-1 text-[11px] text-slate-700">
            <div className="flex flex-wrap items-center gap-1">
              <PainBadge level={a.painLevel} />
              <OwnershipBadge ownership={a.ownership} />
            </div>
            {a.ownership === 'fragmented' || a.ownership === 'unowned' ? (
              <p className="truncate" data-testid={`suggested-owner-${stage.id}`}>
                Suggested owner: <strong>{a.suggestedOwner ?? '—'}</strong>
              </p>
            ) : (
              <p className="truncate">Owner: {a.accountable ?? '—'}</p>
            )}
            <p className="tabular-nums">
              Hub {formatPercent(a.hubCoverage)} · {formatCount(a.failureDemand)} contacts/mo
            </p>
          </div>
        ) : null}
      </div>
    </div>
  );
}

export const StageLaneNode = memo(StageLaneView);
