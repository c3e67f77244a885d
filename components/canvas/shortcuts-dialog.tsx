'use client';

import { useEffect, useRef } from 'react';
import { Legend } from './legend';

const SHORTCUTS: Array<[string, string]> = [
  ['Tab / Shift+Tab', 'move between touchpoints'],
  ['Arrow keys', 'nudge the selected touchpoint'],
  ['Enter', 'open the selected touchpoint in the inspector'],
  ['Delete / Backspace', 'delete the selected touchpoint or connection (not the hub)'],
  ['Ctrl/Cmd+Z', 'undo your own last change'],
  ['Shift+Ctrl/Cmd+Z', 'redo'],
  ['Double-click a stage column', 'add a touchpoint there'],
  ['Double-click a card', 'rename it in place (Enter keeps, Escape cancels)'],
  ['Double-click a connection, or Tab to it and Enter', 'label it'],
  ['⠿ on a stage header', 'drag to reorder the stages; ⋯ moves or deletes a stage'],
  ['?', 'show or hide this list'],
];

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog ref={ref} onClose={onClose} className="m-auto rounded-xl p-0 shadow-xl backdrop:bg-slate-900/30" aria-labelledby="shortcuts-title">
      <div className="max-h-[85vh] w-[520px] overflow-y-auto p-5">
        <h2 id="shortcuts-title" className="font-semibold text-slate-900">Keyboard shortcuts</h2>
        <dl className="mt-3 space-y-1.5 text-sm">
          {SHORTCUTS.map(([keys, what]) => (
            <div key={keys} className="flex justify-between gap-4">
              <dt><kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs">{keys}</kbd></dt>
              <dd className="text-right text-slate-600">{what}</dd>
            </div>
          ))}
        </dl>
        <h2 className="mt-5 mb-2 border-t border-slate-200 pt-4 font-semibold text-slate-900">Legend</h2>
        <Legend />
        <button type="button" onClick={onClose} className="sticky bottom-0 mt-4 w-full rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white">Close</button>
      </div>
    </dialog>
  );
}
