import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { countOf } from '../../../lib/journey/plain-words';
import { InlineLabelInput, useEditing } from '../canvas-editing';
import { ChannelIcon } from './channel';
import type { TouchpointFlowNode } from './node-types';

export const EMOTION_FACE: Record<number, { label: string; className: string }> = {
  [-2]: { label: '−2 very unhappy', className: 'bg-rose-600 text-white' },
  [-1]: { label: '−1 unhappy', className: 'bg-rose-100 text-rose-800' },
  0: { label: '0 neutral', className: 'bg-slate-100 text-slate-700' },
  1: { label: '+1 happy', className: 'bg-emerald-100 text-emerald-800' },
  2: { label: '+2 delighted', className: 'bg-emerald-600 text-white' },
};

/** Pain chip colour by severity: the worst pain is the one to see first. */
export const SEVERITY = ['', 'bg-yellow-100 text-yellow-900', 'bg-amber-100 text-amber-900', 'bg-orange-200 text-orange-900', 'bg-red-200 text-red-900', 'bg-red-700 text-white'];

/**
 * A card is always CARD_WIDTH × CARD_HEIGHT, and build-flow declares its size
 * and handles on the node: React Flow then knows where it is and where its
 * edges end without drawing it, so only the cards in view are ever rendered.
 */
function TouchpointNodeView({ data, selected }: NodeProps<TouchpointFlowNode>) {
  const { touchpoint: tp, openThreads, votes, openActions, overdueActions, figures, presence } = data;
  const { editing, context } = useEditing('card', tp.id);
  const ring = presence[0]?.color;
  const face = tp.emotion === null ? null : EMOTION_FACE[tp.emotion];
  const pains = [...tp.painPoints].sort((a, b) => b.severity * b.frequency - a.severity * a.frequency);
  return (
    <div
      className={`relative flex h-full w-full flex-col rounded-lg border bg-white px-2.5 py-2 text-left ${selected ? 'border-indigo-500 ring-2 ring-indigo-300' : 'border-slate-300'}`}
      style={ring ? { boxShadow: `0 0 0 3px ${ring}` } : undefined}
      title={presence.length > 0 ? `Selected by ${presence.map((p) => p.name).join(', ')}` : undefined}
    >
      <Handle type="target" position={Position.Left} className="!h-2.5 !w-2.5 !bg-slate-400" />
      <div className="flex min-h-0 items-start gap-1.5">
        <span className="mt-0.5 rounded bg-slate-100 p-1 text-slate-600" aria-label={`channel: ${tp.channel}`}>
          <ChannelIcon channel={tp.channel} />
        </span>
        {editing ? (
          <InlineLabelInput target={{ kind: 'card', id: tp.id }} value={tp.label} label="Card label" className="min-w-0 flex-1 rounded border border-indigo-400 px-1 py-0.5 text-[13px] leading-snug font-semibold text-slate-900 outline-none" />
        ) : (
          <p className="line-clamp-2 flex-1 text-[13px] leading-snug font-semibold text-slate-900" title={context.canEdit ? 'Double-click to change the label' : undefined}>
            {tp.label}
          </p>
        )}
      </div>
      {figures && (figures.contacts !== null || figures.csat !== null) ? <MeasuredLine id={tp.id} estimate={tp.contactVolume} contacts={figures.contacts} csat={figures.csat} /> : null}
      <div className={`${figures && (figures.contacts !== null || figures.csat !== null) ? '' : 'mt-auto '}flex items-center justify-between gap-1 text-[11px]`}>
        <span className={`truncate ${tp.owner ? 'text-slate-600' : 'font-medium text-rose-700'}`}>{tp.owner ?? 'No owner'}</span>
        {face ? <span className={`shrink-0 rounded px-1 font-medium ${face.className}`} aria-label={`emotion ${face.label}`}>{face.label.split(' ')[0]}</span> : null}
      </div>
      <div className="mt-1 flex h-4 items-center gap-1 overflow-hidden text-[11px] leading-4">
        {pains.length > 0 ? (
          <ul className="flex shrink-0 gap-1" aria-label="pain points">
            {pains.slice(0, 3).map((p) => (
              <li key={p.id} className={`rounded px-1 font-medium ${SEVERITY[p.severity] ?? SEVERITY[1]}`} title={`${p.text} (severity ${p.severity}, frequency ${p.frequency})`}>
                {p.severity * p.frequency}
              </li>
            ))}
            {pains.length > 3 ? <li className="text-slate-500">+{pains.length - 3}</li> : null}
          </ul>
        ) : null}
        <span className="ml-auto flex shrink-0 gap-2 text-slate-500">
          {tp.contactVolume > 0 ? <span title="contacts a month to the contact center, as the workshop estimated them">☎ {tp.contactVolume.toLocaleString('en-US')}/mo</span> : null}
          {votes > 0 ? <span className="text-indigo-700" title="dots">● {votes}</span> : null}
          {openActions > 0 ? (
            <span
              className={overdueActions > 0 ? 'rounded bg-rose-600 px-1 font-semibold text-white' : 'text-teal-700'}
              data-testid={`actions-${tp.id}`}
              aria-label={`${countOf(openActions, 'open action')}${overdueActions > 0 ? `, ${overdueActions} overdue` : ''}`}
              title={`${countOf(openActions, 'open action')}${overdueActions > 0 ? `, ${overdueActions} overdue` : ''}`}
            >
              ⚑ {openActions}
            </span>
          ) : null}
        </span>
      </div>
      {openThreads > 0 ? (
        <span className="absolute -top-2 -right-2 grid h-5 min-w-5 place-items-center rounded-full bg-violet-600 px-1 text-[11px] font-bold text-white" data-testid={`thread-badge-${tp.id}`} aria-label={countOf(openThreads, 'open comment thread')}>
          {openThreads}
        </span>
      ) : null}
      <Handle type="source" position={Position.Right} className="!h-2.5 !w-2.5 !bg-slate-400" />
    </div>
  );
}

/** The contact center's figures for the period shown, above the workshop's estimate: amber where more contacts came than estimated. */
function MeasuredLine({ id, estimate, contacts, csat }: { id: string; estimate: number; contacts: number | null; csat: number | null }) {
  const above = contacts !== null && contacts > estimate;
  return (
    <p className="mt-auto flex items-center gap-2 overflow-hidden text-[11px] leading-4 whitespace-nowrap text-slate-700 tabular-nums" data-testid={`measured-${id}`}>
      {contacts !== null ? (
        <span
          className={above ? 'shrink-0 rounded bg-amber-100 px-1 font-semibold text-amber-900' : 'shrink-0'}
          title={`${contacts.toLocaleString('en-US')} contacts measured this month (estimate ${estimate.toLocaleString('en-US')})`}
        >
          {contacts.toLocaleString('en-US')} measured
        </span>
      ) : null}
      {csat !== null ? (
        <span className={csat < 60 ? 'shrink-0 font-semibold text-rose-800' : 'shrink-0'} title="customer satisfaction this month: satisfied ÷ responses">
          CSAT {Math.round(csat)}%
        </span>
      ) : null}
    </p>
  );
}

export const TouchpointNode = memo(TouchpointNodeView);
