'use client';

import { REVIEW_DUE_DAYS, figuresSinceReview, reviewState } from '../../lib/journey/review';
import type { MapMeta } from '../../lib/journey/types';
import { useNow } from '../ui/use-now';

const when = (ms: number): string => new Date(ms).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

/**
 * When the map was last looked over, and by whom; amber when it never was or
 * not for 90 days, or when the contact center's figures arrived since. Owners and editors mark it reviewed (a change to the map).
 */
export function ReviewStatus({ meta, canEdit, onMarkReviewed }: { meta: MapMeta; canEdit: boolean; onMarkReviewed: () => void }) {
  const state = reviewState(meta, useNow());
  const newFigures = figuresSinceReview(meta);
  const stale = state.kind !== 'fresh' || newFigures;
  return (
    <section aria-label="Review" className={`rounded-md border p-2 text-sm ${stale ? 'border-amber-300 bg-amber-50' : 'border-slate-200 bg-white'}`}>
      <div className="flex items-start justify-between gap-2">
        <p className="text-slate-800" data-testid="review-status">
          {state.kind === 'never'
            ? 'Never reviewed.'
            : `Last reviewed ${when(state.at)}${state.by ? ` by ${state.by}` : ''}${state.days > 0 ? ` (${state.days === 1 ? '1 day' : `${state.days} days`} ago)` : ''}.`}
          {state.kind !== 'fresh' ? (
            <span className="mt-0.5 block text-xs font-medium text-amber-900">
              {state.kind === 'never' ? 'Look the map over with its owners and mark it reviewed.' : `Not reviewed for ${REVIEW_DUE_DAYS} days or more: is it still true?`}
            </span>
          ) : null}
          {newFigures && typeof meta.figuresAt === 'number' ? (
            <span className="mt-0.5 block text-xs font-medium text-amber-900" data-testid="review-new-figures">
              New figures arrived {when(meta.figuresAt)}, after the last review: do the estimates and pain points still hold?
            </span>
          ) : null}
        </p>
        {canEdit ? (
          <button type="button" onClick={onMarkReviewed} className="shrink-0 rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-800 hover:bg-slate-100">
            Mark reviewed
          </button>
        ) : null}
      </div>
    </section>
  );
}
