'use client';

import { useEffect, useMemo, useRef } from 'react';
import { READABLE_ZOOM, mapBounds } from '../../lib/journey/layout';
import type { JourneyMap } from '../../lib/journey/types';
import type { Presence } from './build-flow';
import { drawOverview, overviewScale, type OverviewCard } from './overview-drawing';

export interface OverviewLayerProps {
  map: JourneyMap;
  cards: readonly OverviewCard[];
  presence: Presence;
  selection: string | null;
}

/**
 * The cards and connections as one bitmap, in flow coordinates (inside the
 * viewport, so React Flow's transform moves and scales it). Drawn again only
 * when the map, the selections or the bitmap's size change.
 */
export function OverviewLayer({ map, cards, presence, selection }: OverviewLayerProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const bounds = useMemo(() => mapBounds(map), [map]);
  const scale = overviewScale(bounds, READABLE_ZOOM, typeof window === 'undefined' ? 1 : window.devicePixelRatio);
  const width = Math.ceil(bounds.width * scale);
  const height = Math.ceil(bounds.height * scale);

  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (context) drawOverview(context, { map, cards, bounds, scale, presence, selection });
  }, [map, cards, bounds, scale, presence, selection, width, height]);

  return (
    <canvas
      ref={canvas}
      width={width}
      height={height}
      className="pointer-events-none absolute"
      style={{ left: bounds.x, top: bounds.y, width: bounds.width, height: bounds.height }}
      role="img"
      aria-label={`Overview of ${cards.length} touchpoints; zoom in or click one to read and edit it`}
      data-testid="canvas-overview"
    />
  );
}
