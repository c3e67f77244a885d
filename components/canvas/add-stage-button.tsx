'use client';

import { LANE_WIDTH, laneLeft } from '../../lib/journey/layout';
import type { StageDrag } from './nodes/node-types';

const addClass = 'rounded-lg border-2 border-dashed border-indigo-300 bg-white/80 text-sm font-semibold text-indigo-700 hover:border-indigo-500 hover:bg-indigo-50';

/** "Add stage", as a column header after the last stage (drawn in flow coordinates, so it sits where the next column will). */
export function AddStageColumn({ index, onAdd }: { index: number; onAdd: () => void }) {
  return (
    <button
      type="button"
      onClick={onAdd}
      data-testid="add-stage"
      className={`pointer-events-auto absolute h-14 ${addClass}`}
      style={{ left: laneLeft(index) + 4, top: 0, width: LANE_WIDTH - 8 }}
    >
      + Add stage
    </button>
  );
}

/** What a map without stages shows: where a journey starts, and (for those who may edit) the button that starts it. */
export function StageEmptyState({ canEdit, onAdd }: { canEdit: boolean; onAdd: () => void }) {
  return (
    <div className="pointer-events-auto w-[360px] rounded-xl border border-slate-200 bg-white p-5 text-center shadow-sm" data-testid="stages-empty-state">
      <h2 className="font-semibold text-slate-900">{canEdit ? 'Start with the stages of the journey' : 'This map has no stages yet'}</h2>
      <p className="mt-1 text-sm text-slate-600">
        Stages are the columns of the map, in the order the customer lives them: Discover, Choose, Buy, Use, Get help… Touchpoints go into them.
      </p>
      {canEdit ? (
        <button type="button" onClick={onAdd} data-testid="add-stage" className={`mt-4 w-full px-3 py-2 ${addClass}`}>
          + Add stage
        </button>
      ) : null}
    </div>
  );
}

/** What a map with stages and no touchpoint yet (a new blank map) shows those who may edit: how to put the first one on. */
export function TouchpointsHint() {
  return (
    <p className="pointer-events-auto max-w-[520px] rounded-lg border border-indigo-200 bg-white px-4 py-2 text-center text-sm text-slate-700 shadow-sm" data-testid="touchpoints-empty-state">
      <strong className="text-slate-900">No touchpoints yet.</strong> Double-click in a stage’s column to add one there, or use Add touchpoint. Rename, move or add stages from their headers. A spreadsheet of them already? Map ▾ → Import a file into this map.
    </p>
  );
}

/** Where a dragged stage header would land: a bar in the gap between two columns, and the stage's name under the pointer. */
export function StageDropMarker({ drag, height }: { drag: StageDrag; height: number }) {
  return (
    <>
      <div className="pointer-events-none absolute w-1.5 rounded-full bg-indigo-500" style={{ left: laneLeft(drag.slot) - 3, top: 0, height }} data-testid="stage-drop-marker" />
      <div className="pointer-events-none absolute rounded-md bg-indigo-600 px-2 py-1 text-sm font-semibold whitespace-nowrap text-white shadow-lg" style={{ left: drag.x + 12, top: 12 }}>
        {drag.name}
      </div>
    </>
  );
}
