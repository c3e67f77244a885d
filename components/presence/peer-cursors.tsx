'use client';

import { useStore } from '@xyflow/react';
import type { Awareness } from 'y-protocols/awareness';
import { usePeerCursors } from '../canvas/use-doc-state';

/**
 * The others' pointers with their names, in flow coordinates (inside React
 * Flow's viewport, so each lands on the same spot of the map at any zoom),
 * drawn at one size on screen whatever the zoom, so that they can be seen on
 * the overview too. The only component that renders when a pointer moves.
 */
export function PeerCursors({ awareness }: { awareness: Awareness }) {
  const cursors = usePeerCursors(awareness);
  const zoom = useStore((s) => s.transform[2]);
  return cursors.map(({ clientId, user, cursor }) => (
    <div
      key={clientId}
      className="pointer-events-none absolute top-0 left-0 z-50 origin-top-left"
      style={{ transform: `translate(${cursor.x}px, ${cursor.y}px) scale(${1 / zoom})` }}
      data-testid={`cursor-${user.id}`}
      // Someone's pointer is not part of the map: a downloaded picture leaves it out.
      data-export-skip=""
    >
      <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden>
        <path d="M1 1l5 14 2-6 6-2z" fill={user.color} stroke="white" strokeWidth="1" />
      </svg>
      <span className="ml-3 rounded px-1.5 py-0.5 text-[11px] font-medium whitespace-nowrap text-white" style={{ backgroundColor: user.color }}>
        {user.name}
      </span>
    </div>
  ));
}
