'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { WORKSHOP_TITLE_MAX } from '../../lib/permissions/history-input';
import { callApi } from '../ui/api';

/** "Workshop 2 Dec 2026": a name that tells copies of different days apart. */
export function defaultWorkshopName(now: Date): string {
  return `Workshop ${new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }).format(now)}`;
}

/** What is wrong with a name, in words, or null when it will do (the server checks the same). */
function nameProblem(name: string): string | null {
  if (name.trim().length === 0) return 'Give the workshop copy a name';
  if (name.trim().length > WORKSHOP_TITLE_MAX) return `A workshop name can be at most ${WORKSHOP_TITLE_MAX} characters`;
  return null;
}

/** Mark as master (owner) and start a named workshop copy (owner, editor of a master). */
export function WorkshopActions({ mapId, isMaster, isOwner, canStart, ownerName }: { mapId: string; isMaster: boolean; isOwner: boolean; canStart: boolean; ownerName: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [name, setName] = useState<string | null>(null);
  const [withComments, setWithComments] = useState(false);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const start = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (name === null) return;
    const problem = nameProblem(name);
    if (problem) return setError(problem);
    void run(async () => {
      const copy = await callApi<{ id: string }>(`/api/maps/${mapId}/workshops`, 'POST', { title: name.trim(), withComments });
      // The copy's members page: the starter adds the workshop's participants there.
      router.push(`/maps/${copy.id}/members?started=1`);
    });
  };
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        {isOwner ? (
          <button type="button" disabled={busy} onClick={() => void run(async () => { await callApi(`/api/maps/${mapId}/master`, 'POST', { master: !isMaster }); router.refresh(); })} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50">
            {isMaster ? 'Stop being a master' : 'Mark as master map'}
          </button>
        ) : null}
        {isMaster && canStart && name === null ? (
          <button type="button" disabled={busy} onClick={() => { setError(null); setName(defaultWorkshopName(new Date())); }} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-indigo-700">
            Start a workshop copy
          </button>
        ) : null}
      </div>
      {name !== null ? (
        <form role="dialog" aria-labelledby="start-workshop-title" onSubmit={start} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          <h2 id="start-workshop-title" className="text-base font-semibold text-slate-900">Start a workshop copy</h2>
          <label className="block text-sm font-medium text-slate-800">
            Name of the copy
            <input
              autoFocus
              value={name}
              maxLength={WORKSHOP_TITLE_MAX}
              onChange={(e) => { setName(e.target.value); setError(null); }}
              aria-invalid={nameProblem(name) !== null}
              className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm font-normal"
            />
          </label>
          <label className="flex items-center gap-2 text-sm text-slate-800">
            <input type="checkbox" checked={withComments} onChange={(e) => setWithComments(e.target.checked)} />
            Bring the master&apos;s comments
          </label>
          <p className="text-sm text-slate-600">
            The master&apos;s members join the copy with their roles, and you own it
            {!isOwner && ownerName ? <>; {ownerName}, who owns the master, becomes an editor of the copy (a map has one owner)</> : null}. You can add participants next.
          </p>
          <div className="flex gap-2">
            <button type="submit" disabled={busy} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-indigo-700 disabled:opacity-60">
              {busy ? 'Starting…' : 'Start the copy'}
            </button>
            <button type="button" disabled={busy} onClick={() => { setName(null); setError(null); }} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50">
              Cancel
            </button>
          </div>
        </form>
      ) : null}
      {error ? <p role="alert" className="text-sm text-rose-700">{error}</p> : null}
    </div>
  );
}
