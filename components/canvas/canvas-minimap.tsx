'use client';

import { MiniMap } from '@xyflow/react';
import { useState } from 'react';
import type { JourneyFlowNode } from './nodes/node-types';

const STORAGE_KEY = 'journeyhub:minimap';

const nodeColor = (node: JourneyFlowNode): string => (node.type === 'hub' ? '#4f46e5' : node.type === 'stageLane' ? '#f1f5f9' : '#94a3b8');

/**
 * The minimap lives in the side panel, below the tabs, not over the canvas:
 * there it never covers a card. It folds away, and this browser remembers it.
 */
export function CanvasMinimap() {
  // The workspace renders only in the browser (once the documents are there), so storage can be read at once.
  const [open, setOpen] = useState(() => typeof window === 'undefined' || window.localStorage.getItem(STORAGE_KEY) !== 'closed');
  const toggle = () => {
    setOpen((was) => {
      window.localStorage.setItem(STORAGE_KEY, was ? 'closed' : 'open');
      return !was;
    });
  };
  return (
    <section className="shrink-0 border-t border-slate-200" aria-label="Minimap">
      <button type="button" onClick={toggle} aria-expanded={open} className="flex w-full items-center justify-between px-4 py-1.5 text-xs font-medium text-slate-700 hover:bg-slate-50">
        Minimap
        <span aria-hidden>{open ? '▾' : '▸'}</span>
      </button>
      {open ? (
        <div className="px-4 pb-3" data-testid="minimap">
          <MiniMap<JourneyFlowNode>
            pannable
            zoomable
            nodeColor={nodeColor}
            // Outside the canvas React Flow's colour variables are not set: say the colours here.
            bgColor="#ffffff"
            maskColor="rgba(226, 232, 240, 0.65)"
            maskStrokeColor="#6366f1"
            maskStrokeWidth={2}
            ariaLabel="Minimap: drag to pan, scroll to zoom"
            className="!static !m-0 rounded border border-slate-200"
            style={{ width: 306, height: 130 }}
          />
        </div>
      ) : null}
    </section>
  );
}
