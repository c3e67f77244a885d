import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { HubFlowNode } from './node-types';

/** The contact center: every broken touchpoint shows up here as a call. */
function HubNodeView({ data, selected }: NodeProps<HubFlowNode>) {
  const ring = data.presence[0]?.color;
  return (
    <div
      className={`w-[220px] rounded-xl border-2 bg-indigo-600 p-3 text-white shadow-lg ${selected ? 'border-amber-300' : 'border-indigo-800'}`}
      style={ring ? { boxShadow: `0 0 0 3px ${ring}` } : undefined}
    >
      <Handle type="target" position={Position.Top} className="!h-3 !w-3 !bg-indigo-200" />
      <p className="text-[11px] font-bold tracking-widest text-indigo-200 uppercase">Hub</p>
      <p className="text-sm font-semibold">{data.touchpoint.label}</p>
      <p className="mt-1 text-xs text-indigo-100">{data.touchpoint.owner ?? 'No owner'}</p>
      <p className="mt-2 text-xs">
        <span className="font-semibold tabular-nums">{data.failureDemand.toLocaleString('en-US')}</span> contacts a month from the journey
      </p>
      <Handle type="source" position={Position.Bottom} className="!h-3 !w-3 !bg-indigo-200" />
    </div>
  );
}

export const HubNode = memo(HubNodeView);
