'use client';

import { useState } from 'react';
import type * as Y from 'yjs';
import { ACTION_STATUS_WORDS, actionsOf, isOverdue, localDate } from '../../lib/journey/actions';
import type { EditOrigin } from '../../lib/journey/origin';
import { addAction, deleteAction, updateAction } from '../../lib/journey/schema';
import { ACTION_STATUSES, type Action, type JourneyMap, type Touchpoint } from '../../lib/journey/types';
import { ACTION_TITLE_MAX_LENGTH, NAME_MAX_LENGTH } from '../../lib/journey/validation';
import { CommitInput } from '../ui/commit-input';
import { useCommit } from './use-commit';
import { useNow } from '../ui/use-now';
import type { ActionOutcome } from '../../lib/annotations/types';
import { ActionOutcomeLine } from './action-outcome';

const field = 'mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900 disabled:bg-slate-50 disabled:text-slate-600';
const small = 'rounded border border-slate-300 bg-white px-1 py-0.5 text-xs text-slate-800 disabled:bg-slate-50';


/**
 * What teams will do about this touchpoint (schema v2 actions): owners and
 * editors add them and move them along; everyone else reads them.
 */
export function ActionsSection({
  doc,
  origin,
  map,
  touchpoint,
  canEdit,
  outcomes,
  onError,
}: {
  doc: Y.Doc;
  origin: EditOrigin;
  map: JourneyMap;
  touchpoint: Touchpoint;
  canEdit: boolean;
  /** Done actions' outcomes by action id; absent while the map has no figures. */
  outcomes: ReadonlyMap<string, ActionOutcome> | null;
  onError: (m: string | null) => void;
}) {
  const commit = useCommit(onError);
  const today = localDate(new Date(useNow()));
  const actions = actionsOf(map, touchpoint.id, today);
  const [title, setTitle] = useState('');
  const [ownerTeam, setOwnerTeam] = useState('');
  const [due, setDue] = useState('');
  const [painPointId, setPainPointId] = useState('');
  const painText = (id: string | null) => (id === null ? null : (touchpoint.painPoints.find((p) => p.id === id)?.text ?? null));

  return (
    <section aria-label="Actions">
      <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Actions</h3>
      {actions.length === 0 ? <p className="mt-1 text-xs text-slate-500">No actions yet{canEdit ? ': add what a team will do about this touchpoint.' : '.'}</p> : null}
      <ul className="mt-1 space-y-2">
        {actions.map((action) => (
          <ActionItem key={action.id} action={action} overdue={isOverdue(action, today)} painText={painText(action.painPointId)} outcome={outcomes === null ? null : outcomes.get(action.id)} canEdit={canEdit} commit={commit} doc={doc} origin={origin} />
        ))}
      </ul>
      {canEdit ? (
        <form
          className="mt-2 space-y-1 rounded-md border border-dashed border-slate-300 p-2"
          aria-label="Add an action"
          onSubmit={(e) => {
            e.preventDefault();
            const added = commit(() =>
              addAction(
                doc,
                { touchpointId: touchpoint.id, title, ownerTeam: ownerTeam.trim() === '' ? null : ownerTeam, due: due === '' ? null : due, painPointId: painPointId === '' ? null : painPointId },
                Date.now(),
                origin,
              ),
            );
            if (added) {
              setTitle('');
              setDue('');
              setPainPointId('');
            }
          }}
        >
          <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={ACTION_TITLE_MAX_LENGTH} placeholder="What will be done?" aria-label="New action" className={field} />
          <div className="grid grid-cols-2 gap-1 text-xs text-slate-600">
            <label>
              Owner team
              <input value={ownerTeam} onChange={(e) => setOwnerTeam(e.target.value)} maxLength={NAME_MAX_LENGTH} aria-label="New action owner team" className={`${small} block w-full`} />
            </label>
            <label>
              Due
              <input type="date" value={due} onChange={(e) => setDue(e.target.value)} aria-label="New action due date" className={`${small} block w-full`} />
            </label>
          </div>
          {touchpoint.painPoints.length > 0 ? (
            <label className="block text-xs text-slate-600">
              About
              <select value={painPointId} onChange={(e) => setPainPointId(e.target.value)} aria-label="New action pain point" className={`${small} block w-full`}>
                <option value="">the whole touchpoint</option>
                {touchpoint.painPoints.map((p) => (
                  <option key={p.id} value={p.id}>{p.text}</option>
                ))}
              </select>
            </label>
          ) : null}
          <div className="flex justify-end">
            <button type="submit" className="rounded bg-slate-800 px-2 py-1 text-xs font-medium text-white hover:bg-slate-900">
              Add action
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

function ActionItem({
  action,
  overdue,
  painText,
  outcome,
  canEdit,
  commit,
  doc,
  origin,
}: {
  action: Action;
  overdue: boolean;
  painText: string | null;
  /** null: the map has no figures, so nothing is said about outcomes. */
  outcome: ActionOutcome | undefined | null;
  canEdit: boolean;
  commit: (write: () => void) => boolean;
  doc: Y.Doc;
  origin: EditOrigin;
}) {
  const update = (patch: Parameters<typeof updateAction>[2]) => commit(() => updateAction(doc, action.id, patch, Date.now(), origin));
  const tone = overdue ? 'border-rose-300 bg-rose-50' : action.status === 'done' ? 'border-emerald-200 bg-emerald-50/60' : action.status === 'dropped' ? 'border-slate-200 bg-slate-50' : 'border-slate-200 bg-white';
  return (
    <li className={`rounded-md border p-2 ${tone}`} aria-label={`Action: ${action.title}`}>
      <CommitInput aria-label="Action title" value={action.title} disabled={!canEdit} maxLength={ACTION_TITLE_MAX_LENGTH} className={field} onCommit={(v) => update({ title: v })} />
      {painText !== null ? <p className="mt-1 truncate text-xs text-slate-600" title={painText}>About: {painText}</p> : null}
      <div className="mt-1 grid grid-cols-2 gap-1 text-xs text-slate-600">
        <label>
          Status
          <select aria-label={`Status of ${action.title}`} value={action.status} disabled={!canEdit} onChange={(e) => update({ status: e.target.value as Action['status'] })} className={`${small} block w-full`}>
            {ACTION_STATUSES.map((status) => (
              <option key={status} value={status}>{ACTION_STATUS_WORDS[status]}</option>
            ))}
          </select>
        </label>
        <label>
          Due
          <input type="date" aria-label={`Due date of ${action.title}`} value={action.due ?? ''} disabled={!canEdit} onChange={(e) => update({ due: e.target.value === '' ? null : e.target.value })} className={`${small} block w-full`} />
        </label>
      </div>
      <label className="mt-1 block text-xs text-slate-600">
        Owner team
        <CommitInput aria-label={`Owner team of ${action.title}`} value={action.ownerTeam ?? ''} disabled={!canEdit} maxLength={NAME_MAX_LENGTH} className={`${small} block w-full`} onCommit={(v) => update({ ownerTeam: v.trim() === '' ? null : v })} />
      </label>
      {action.status === 'done' && outcome !== null ? <ActionOutcomeLine outcome={outcome} /> : null}
      <div className="mt-1 flex items-center gap-2 text-xs">
        {overdue ? <span className="rounded bg-rose-600 px-1.5 py-0.5 font-semibold text-white">Overdue</span> : null}
        {action.status === 'done' && action.doneAt !== null ? <span className="text-emerald-800">Done {new Date(action.doneAt).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' })}</span> : null}
        {canEdit ? (
          <button type="button" onClick={() => commit(() => deleteAction(doc, action.id, origin))} className="ml-auto text-rose-700 hover:text-rose-900" aria-label={`Remove action ${action.title}`}>
            Remove
          </button>
        ) : null}
      </div>
    </li>
  );
}
