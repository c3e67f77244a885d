import { useReactFlow, type NodeProps } from '@xyflow/react';
import { memo, useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { LANE_HEADER_HEIGHT, LANE_WIDTH } from '../../../lib/journey/layout';
import { STAGE_NAME_MAX, TEAM_NAME_MAX } from '../../../lib/journey/field-messages';
import { PainBadge } from '../../report/badges';
import { CommitInput } from '../../ui/commit-input';
import { formatCount, formatPercent } from '../../report/format';
import { Sparkline } from '../../ui/sparkline';
import { periodLabel } from '../../../lib/measurements/touchpoint-figures';
import type { StageMeasured } from '../../../lib/annotations/types';
import { StageMenu } from '../stage-menu';
import type { StageLaneFlowNode } from './node-types';
import { computedOwnership } from './stage-ownership';

/** Header tint by pain level: the heat of a stage at a glance. */
const HEAT: Record<string, string> = {
  none: 'bg-slate-50',
  low: 'bg-yellow-50',
  medium: 'bg-orange-100',
  high: 'bg-red-100',
  critical: 'bg-red-200',
};

const TONE = { plain: 'text-slate-700', warn: 'text-amber-900', alert: 'text-rose-800' } as const;

// React Flow gives a column no pointer events (it is neither selectable nor draggable): its fields take them back.
const fieldClass =
  'nodrag pointer-events-auto w-full min-w-0 rounded border border-transparent bg-transparent px-1 hover:border-slate-300 focus:border-indigo-400 focus:bg-white focus:outline-none disabled:hover:border-transparent';

/** The gap between columns (0 before the first … count after the last) nearest a flow x. */
const slotAt = (x: number, count: number): number => Math.min(count, Math.max(0, Math.round(x / LANE_WIDTH)));

function StageLaneView({ data }: NodeProps<StageLaneFlowNode>) {
  const { stage, index, count, annotation: a, hotspot, canEdit, height } = data;
  const root = useRef<HTMLDivElement>(null);
  const flow = useReactFlow();
  const [dragging, setDragging] = useState(false);
  const { autoEdit, onEdited } = data;

  useEffect(() => {
    if (!autoEdit) return;
    const input = root.current?.querySelector('input');
    input?.focus({ preventScroll: true });
    input?.select();
    onEdited();
  }, [autoEdit, onEdited]);

  // Dragging the header by its handle: the pointer is captured, so the moves and the drop reach the handle wherever they happen.
  const dragTo = (event: ReactPointerEvent) => {
    const x = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY }).x;
    return { stageId: stage.id, name: stage.name, x, slot: slotAt(x, count) };
  };
  const onPointerDown = (event: ReactPointerEvent<HTMLButtonElement>) => {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    setDragging(true);
    data.onStageDrag(dragTo(event));
  };
  const onPointerMove = (event: ReactPointerEvent<HTMLButtonElement>) => {
    if (dragging) data.onStageDrag(dragTo(event));
  };
  const onPointerUp = (event: ReactPointerEvent<HTMLButtonElement>) => {
    if (!dragging) return;
    setDragging(false);
    data.onStageDrag(null);
    const { slot } = dragTo(event);
    // Dropping into the gap after itself leaves the stage where it is; past it, the stage's own column closes up.
    const toIndex = slot > index ? slot - 1 : slot;
    if (toIndex !== index) data.onMove(stage.id, toIndex);
  };
  const onPointerCancel = () => {
    setDragging(false);
    data.onStageDrag(null);
  };
  // Escape drops nothing: the stage stays where it was.
  const { onStageDrag } = data;
  useEffect(() => {
    if (!dragging) return;
    const cancel = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setDragging(false);
      onStageDrag(null);
    };
    window.addEventListener('keydown', cancel);
    return () => window.removeEventListener('keydown', cancel);
  }, [dragging, onStageDrag]);

  const owners = a ? computedOwnership(stage, a) : null;
  return (
    <div ref={root} className={`rounded-lg border border-slate-200 bg-slate-100/50 ${dragging ? 'opacity-60' : ''}`} style={{ width: LANE_WIDTH - 8, height }} data-testid={`stage-lane-${stage.id}`}>
      <div className={`flex flex-col gap-1 rounded-t-lg border-b border-slate-200 p-2 ${HEAT[a?.painLevel ?? 'none']}`} style={{ height: LANE_HEADER_HEIGHT - 8 }} data-pain-level={a?.painLevel ?? 'none'} data-testid={`stage-header-${stage.id}`}>
        <div className="flex items-center gap-1">
          {canEdit ? (
            <button
              type="button"
              aria-label={`Drag to reorder stage ${stage.name}`}
              title="Drag to move this stage"
              data-testid={`stage-handle-${stage.id}`}
              onPointerDown={onPointerDown}
              onPointerMove={onPointerMove}
              onPointerUp={onPointerUp}
              onPointerCancel={onPointerCancel}
              // The keyboard's way to move a stage is in its menu.
              tabIndex={-1}
              className="nodrag nopan pointer-events-auto grid h-7 w-5 shrink-0 cursor-grab touch-none place-items-center rounded text-base leading-none text-slate-500 select-none hover:bg-white/70 hover:text-slate-900 active:cursor-grabbing"
            >
              ⠿
            </button>
          ) : null}
          <CommitInput
            value={stage.name}
            aria-label={`Stage name: ${stage.name}`}
            maxLength={STAGE_NAME_MAX}
            disabled={!canEdit}
            className={`${fieldClass} text-sm font-semibold text-slate-900`}
            onKeyDown={(e) => e.stopPropagation()}
            onCommit={(v) => data.onRename(stage.id, v)}
          />
          {hotspot ? <span className="shrink-0 rounded bg-red-700 px-1.5 py-0.5 text-[11px] font-bold tracking-wide text-white uppercase">Hotspot</span> : null}
          {canEdit ? (
            <StageMenu
              stageName={stage.name}
              canMoveLeft={index > 0}
              canMoveRight={index < count - 1}
              onMoveLeft={() => data.onMove(stage.id, index - 1)}
              onMoveRight={() => data.onMove(stage.id, index + 1)}
              onDelete={() => data.onRequestDelete(stage.id)}
            />
          ) : null}
        </div>
        {canEdit || stage.accountable ? (
          <label className="flex items-center gap-1 px-1 text-xs text-slate-600" data-testid={`stage-accountable-${stage.id}`}>
            <span className="shrink-0">Accountable:</span>
            <CommitInput
              value={stage.accountable ?? ''}
              aria-label={`Accountable team for ${stage.name}`}
              placeholder="set a team…"
              maxLength={TEAM_NAME_MAX}
              disabled={!canEdit}
              className={`${fieldClass} text-xs font-semibold text-slate-900`}
              onKeyDown={(e) => e.stopPropagation()}
              onCommit={(v) => data.onSetAccountable(stage.id, v.trim() === '' ? null : v.trim())}
            />
          </label>
        ) : null}
        {a && owners ? (
          <div className="space-y-1 px-1 text-[11px] leading-[15px] text-slate-700">
            <p className={`${a.measured ? 'line-clamp-2' : 'line-clamp-3'} ${TONE[owners.tone]}`} title={owners.text} data-testid={`stage-owners-${stage.id}`} data-ownership={a.ownership}>
              {owners.text}
            </p>
            <p className="flex items-center gap-1.5 tabular-nums">
              <PainBadge level={a.painLevel} />
              <span className="truncate">
                Hub {formatPercent(a.hubCoverage)} · {formatCount(a.failureDemand)} contacts/mo
              </span>
            </p>
            {a.measured && hasFigures(a.measured) ? <MeasuredRow stageId={stage.id} stageName={stage.name} measured={a.measured} /> : null}
          </div>
        ) : null}
      </div>
    </div>
  );
}

/** A stage none of whose touchpoints has figures for the six months shown says nothing about them. */
const hasFigures = (m: StageMeasured): boolean => m.contacts !== null || m.csat !== null || m.ces !== null || m.nps !== null || m.contactsTrend.some((v) => v !== null);

const TREND_WORDS = (m: StageMeasured): string =>
  `Measured contacts, six months to ${periodLabel(m.period)}: ${m.contactsTrend.map((v) => (v === null ? 'no data' : v.toLocaleString('en-US'))).join(', ')}`;

/** The contact center's figures for the stage in the period shown, and its contacts over six months. */
function MeasuredRow({ stageId, stageName, measured: m }: { stageId: string; stageName: string; measured: StageMeasured }) {
  const parts = [
    m.contacts !== null ? `☎ ${m.contacts.toLocaleString('en-US')}` : null,
    m.csat !== null ? `CSAT ${Math.round(m.csat)}%` : null,
    m.ces !== null ? `CES ${m.ces.toFixed(1)}` : null,
    m.nps !== null ? `NPS ${m.nps > 0 ? '+' : m.nps < 0 ? '−' : ''}${Math.abs(Math.round(m.nps))}` : null,
  ].filter((part) => part !== null);
  // The header is 250 px wide: the figures share one line with the sparkline; the full sentence is in the title.
  return (
    <p
      className="flex items-center gap-1.5 rounded bg-white/70 px-1 whitespace-nowrap text-slate-800 tabular-nums"
      data-testid={`stage-measured-${stageId}`}
      title={`${stageName}, measured in ${periodLabel(m.period)}: ${parts.length > 0 ? parts.join(' · ') : 'no figures this month'}`}
    >
      <span className="flex min-w-0 gap-1.5 overflow-hidden">{parts.length > 0 ? parts.map((part) => <span key={part}>{part}</span>) : <span>No figures for {periodLabel(m.period)}</span>}</span>
      <span className="ml-auto" />
      <Sparkline values={m.contactsTrend} width={32} label={TREND_WORDS(m)} />
    </p>
  );
}

export const StageLaneNode = memo(StageLaneView);
