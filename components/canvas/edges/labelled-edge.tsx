'use client';

import { BaseEdge, EdgeLabelRenderer, getBezierPath, type Edge, type EdgeProps } from '@xyflow/react';
import { createContext, memo, useContext, useMemo } from 'react';
import { labelSpot, type Cubic, type Rect } from '../../../lib/journey/layout';
import { InlineLabelInput, useEditing } from '../canvas-editing';

export type ConnectionFlowEdge = Edge<{ label: string }, 'connection'>;

/**
 * Labels are drawn above every card: the label layer sits under the nodes in
 * React Flow's viewport, and a selected card is raised to z-index 1000.
 */
const LABEL_Z_INDEX = 2000;

/** Whether a box on the canvas covers a card (cardCover of the map), provided by the canvas. */
export const CardCoverContext = createContext<(box: Rect) => boolean>(() => false);

/** The curve of a Bézier path as React Flow writes it: `M x,y C x,y x,y x,y`. */
function curveOf(path: string): Cubic | null {
  const n = path.match(/-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/g)?.map(Number) ?? [];
  const [a, b, c, d, e, f, g, h] = n;
  if (n.length !== 8 || a === undefined || b === undefined || c === undefined || d === undefined || e === undefined || f === undefined || g === undefined || h === undefined) return null;
  return [
    { x: a, y: b },
    { x: c, y: d },
    { x: e, y: f },
    { x: g, y: h },
  ];
}

/** About how big a label is drawn (12 px text, padded), to find it a place clear of the cards. */
const labelSize = (text: string) => ({ width: Math.min(text.length, 40) * 6.6 + 16, height: 22 });

/**
 * A connection: its line, and its label. The label is read above the cards but
 * takes no clicks (a card under it stays a card to click and drag); the line
 * takes a double-click, or Tab and Enter, to type the label.
 */
function ConnectionEdgeView({ id, data, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, style, markerEnd, interactionWidth }: EdgeProps<ConnectionFlowEdge>) {
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  const { editing } = useEditing('connection', id);
  const label = data?.label ?? '';
  const covered = useContext(CardCoverContext);
  // On the line where it hides no card, the middle if it can; above the cards wherever it is.
  const spot = useMemo(() => {
    const curve = curveOf(path);
    return curve && label ? labelSpot(curve, labelSize(label), covered) : { x: labelX, y: labelY };
  }, [path, label, covered, labelX, labelY]);
  return (
    <>
      <BaseEdge id={id} path={path} style={style} markerEnd={markerEnd} interactionWidth={interactionWidth} />
      {label || editing ? (
        <EdgeLabelRenderer>
          <div
            className={`nodrag nopan absolute rounded border bg-white px-1.5 py-0.5 text-[12px] leading-tight text-slate-700 shadow-sm ${editing ? 'border-indigo-400' : 'border-slate-200'}`}
            style={{ transform: `translate(-50%, -50%) translate(${spot.x}px, ${spot.y}px)`, zIndex: LABEL_Z_INDEX, pointerEvents: editing ? 'all' : 'none' }}
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
