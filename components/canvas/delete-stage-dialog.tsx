'use client';

import { useEffect, useId, useRef, useState } from 'react';
import type { Stage } from '../../lib/journey/types';

export type StageDeletion = { kind: 'move'; toStageId: string } | { kind: 'delete' } | { kind: 'unstage' };

export interface DeleteStageDialogProps {
  stage: Stage;
  /** The map's stages, in order (the one being deleted among them). */
  stages: readonly Stage[];
  /** How many touchpoints the stage holds. */
  touchpoints: number;
  onConfirm: (deletion: StageDeletion) => void;
  onCancel: () => void;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Deleting a stage asks what happens to its touchpoints: they move to a stage
 * the person chooses (the neighbour before it, by default), or they go too,
 * which takes a second, explicit confirmation. Either is one undoable change.
 */
export function DeleteStageDialog({ stage, stages, touchpoints, onConfirm, onCancel }: DeleteStageDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const ids = useId();
  const index = stages.findIndex((s) => s.id === stage.id);
  const others = stages.filter((s) => s.id !== stage.id);
  const neighbour = stages[index - 1] ?? stages[index + 1];
  const [choice, setChoice] = useState<'move' | 'delete'>('move');
  const [target, setTarget] = useState(neighbour?.id ?? '');
  const [sure, setSure] = useState(false);

  useEffect(() => {
    ref.current?.showModal();
  }, []);

  // Someone else deleted the chosen stage meanwhile: fall back to one that exists.
  const toStage = others.find((s) => s.id === target) ?? others[0];
  const count = plural(touchpoints, 'touchpoint', 'touchpoints');
  const deletion: StageDeletion =
    touchpoints === 0 ? { kind: 'unstage' } : choice === 'delete' ? { kind: 'delete' } : toStage ? { kind: 'move', toStageId: toStage.id } : { kind: 'unstage' };
  const confirmLabel =
    deletion.kind === 'delete' ? `Delete the stage and ${count}` : deletion.kind === 'move' ? `Delete the stage, move ${touchpoints === 1 ? 'it' : 'them'}` : 'Delete the stage';

  return (
    <dialog
      ref={ref}
      onClose={onCancel}
      // The canvas and the workspace must not act on these keys (Delete, Enter, Ctrl+Z) while the dialog is open.
      onKeyDown={(e) => e.stopPropagation()}
      className="m-auto rounded-xl p-0 shadow-xl backdrop:bg-slate-900/30"
      aria-labelledby={`${ids}-title`}
      data-testid="delete-stage-dialog"
    >
      <form
        method="dialog"
        className="w-[440px] space-y-4 p-5 text-sm text-slate-700"
        onSubmit={(e) => {
          e.preventDefault();
          if (deletion.kind === 'delete' && !sure) return;
          onConfirm(deletion);
        }}
      >
        <h2 id={`${ids}-title`} className="text-base font-semibold text-slate-900">
          Delete the stage “{stage.name}”?
        </h2>
        {touchpoints === 0 ? (
          <p>It has no touchpoints.</p>
        ) : (
          <fieldset className="space-y-2">
            <legend className="mb-2">It holds {count}. What happens to {touchpoints === 1 ? 'it' : 'them'}?</legend>
            <label className="flex items-center gap-2">
              <input type="radio" name="touchpoints" checked={choice === 'move'} onChange={() => setChoice('move')} />
              {toStage ? (
                <>
                  <span>Move {touchpoints === 1 ? 'it' : `its ${count}`} to</span>
                  <select
                    aria-label="Stage to move them to"
                    value={toStage.id}
                    onChange={(e) => {
                      setTarget(e.target.value);
                      setChoice('move');
                    }}
                    className="min-w-0 flex-1 rounded border border-slate-300 bg-white px-2 py-1"
                  >
                    {others.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.name}
                      </option>
                    ))}
                  </select>
                </>
              ) : (
                <span>Keep {touchpoints === 1 ? 'it' : 'them'} on the map, without a stage</span>
              )}
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name="touchpoints" checked={choice === 'delete'} onChange={() => setChoice('delete')} />
              <span>Delete {touchpoints === 1 ? 'it' : 'them'} too</span>
            </label>
            {choice === 'delete' ? (
              <label className="ml-6 flex items-start gap-2 rounded-md bg-rose-50 p-2 text-rose-900">
                <input type="checkbox" checked={sure} onChange={(e) => setSure(e.target.checked)} className="mt-0.5" />
                <span>Yes, delete {count}, with their pain points and connections.</span>
              </label>
            ) : null}
          </fieldset>
        )}
        <p className="text-slate-500">You can take this back with Undo (Ctrl/Cmd+Z).</p>
        <div className="flex justify-end gap-2">
          <button type="button" onClick={onCancel} className="rounded-md px-3 py-1.5 text-slate-700 hover:bg-slate-100">
            Cancel
          </button>
          <button
            type="submit"
            disabled={deletion.kind === 'delete' && !sure}
            className="rounded-md bg-rose-700 px-3 py-1.5 font-semibold text-white hover:bg-rose-800 disabled:opacity-40"
          >
            {confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
