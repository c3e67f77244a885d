'use client';

import { useEffect, useState } from 'react';
import type { StoredMetricsRow } from '../../lib/measurements/input';
import { parseStoredRows } from '../../lib/measurements/stored-rows';

export interface FiguresState {
  /** Every stored month of the map's figures; null until the first answer. */
  rows: StoredMetricsRow[] | null;
  /** Why the last fetch failed, in a sentence; the rows shown stay those of the fetch before. */
  error: string | null;
}

/**
 * The contact center's figures for the map (DESIGN.md, "Measured data and
 * outcomes": they live in the database, not in the document). Fetched when
 * the canvas opens and again whenever `figuresAt` changes: a push writes
 * that signal into the map document, so every open canvas hears of new
 * figures within a websocket round trip and fetches them, without a reload.
 */
export function useFigures(mapId: string, figuresAt: number | null | undefined): FiguresState {
  const [state, setState] = useState<FiguresState>({ rows: null, error: null });
  useEffect(() => {
    const abort = new AbortController();
    (async () => {
      try {
        const res = await fetch(`/api/maps/${encodeURIComponent(mapId)}/metrics`, { signal: abort.signal, cache: 'no-store' });
        const body: unknown = await res.json().catch(() => null);
        if (!res.ok) {
          const message = typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string' ? (body as { error: string }).error : `the server answered ${res.status}`;
          setState((s) => ({ rows: s.rows, error: `The contact center's figures could not be loaded: ${message}` }));
          return;
        }
        const rows = parseStoredRows(body);
        setState((s) => (rows === null ? { rows: s.rows, error: "The contact center's figures came back in a shape this page does not read; reload the page." } : { rows, error: null }));
      } catch (error) {
        if (abort.signal.aborted) return;
        setState((s) => ({ rows: s.rows, error: `The contact center's figures could not be loaded: ${error instanceof Error ? error.message : String(error)}` }));
      }
    })();
    return () => abort.abort();
  }, [mapId, figuresAt]);
  return state;
}
