'use client';

import { BaseEdge, EdgeLabelRenderer, getBezierPath, type Edge, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { InlineLabelInput, useEditing } from '../canvas-editing';

export type ConnectionFlowEdge = Edge<{ label: string }, 'connection'>;

/**
 * Labels are drawn above every card: the label layer sits under the nodes in
 * React Flow's viewport, and a selected card is raised to z-index 1000.
 */
const LABEL_Z_INDEX = 2000;

/**
 * A connection: its line, and its label. The label is read above the cards but
 * takes no clicks (a card under it stays a card to click and drag); the line
 * takes a double-click, or Tab and Enter, to type the label.
 */
function ConnectionEdgeView({ id, data, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, style, markerEnd, interactionWidth }: EdgeProps<ConnectionFlowEdge>) {
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  const { editing } = useEditing('connection', id);
  const label = data?.label ?? '';
  return (
    <>
      <BaseEdge id={id} path={path} style={style} markerEnd={markerEnd} interactionWidth={interactionWidth} />
      {label || editing ? (
        <EdgeLabelRenderer>
          <div
            className={`nodrag nopan absolute rounded border bg-white px-1.5 py-0.5 text-[12px] leading-tight text-slate-700 shadow-sm ${editing ? 'border-indigo-400' : 'border-slate-200'}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)`, zIndex: LABEL_Z_INDEX, pointerEvents: editing ? 'all' : 'none' }}
            data-testid={`connection-label-${id}`}
          >
            {editing ? <InlineLabelInput target={{ kind: 'connection', id }} value={label} label="Connection label" placeholder="Why people go on" className="w-44 bg-transparent outline-none" /> : label}
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
}

export const ConnectionEdge = memo(ConnectionEdgeView);
