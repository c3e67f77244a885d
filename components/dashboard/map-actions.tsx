'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import type { Role } from '../../lib/permissions/roles';
import { callApi } from '../ui/api';

/** Rename (owner, editor) and delete (owner, after typing the title) on a dashboard card. */
export function MapActions({ mapId, title, role }: { mapId: string; title: string; role: Role }) {
  const router = useRouter();
  const [mode, setMode] = useState<'idle' | 'rename' | 'delete'>('idle');
  const [error, setError] = useState<string | null>(null);
  const canRename = role === 'owner' || role === 'editor';

  async function act(event: FormEvent<HTMLFormElement>, run: (form: FormData) => Promise<unknown>) {
    event.preventDefault();
    setError(null);
    try {
      await run(new FormData(event.currentTarget));
      setMode('idle');
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  if (mode === 'rename') {
    return (
      <form onSubmit={(e) => act(e, (f) => callApi(`/api/maps/${mapId}`, 'PATCH', { title: String(f.get('title') ?? '') }))} className="mt-3 space-y-2">
        <label className="block text-xs font-medium text-slate-600">
          New title
          <input name="title" defaultValue={title} required maxLength={200} autoFocus className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1 text-sm" />
        </label>
        {error ? <p role="alert" className="text-xs text-rose-700">{error}</p> : null}
        <div className="flex gap-2">
          <button type="submit" className="rounded bg-indigo-600 px-3 py-1 text-xs font-semibold text-white">Save</button>
          <button type="button" onClick={() => setMode('idle')} className="rounded px-3 py-1 text-xs text-slate-600 hover:bg-slate-100">Cancel</button>
        </div>
      </form>
    );
  }
  if (mode === 'delete') {
    return (
      <form onSubmit={(e) => act(e, (f) => (String(f.get('confirm')) === title ? callApi(`/api/maps/${mapId}`, 'DELETE') : Promise.reject(new Error('Type the title exactly to confirm'))))} className="mt-3 space-y-2 rounded-md border border-rose-200 bg-rose-50 p-3">
        <p className="text-xs text-rose-900">
          Deleting removes the map, its comments and its members for everyone. Type <strong>{title}</strong> to confirm.
        </p>
        <input name="confirm" required aria-label="Type the map title to confirm" autoFocus className="w-full rounded-md border border-rose-300 px-2 py-1 text-sm" />
        {error ? <p role="alert" className="text-xs text-rose-700">{error}</p> : null}
        <div className="flex gap-2">
          <button type="submit" className="rounded bg-rose-700 px-3 py-1 text-xs font-semibold text-white">Delete for everyone</button>
          <button type="button" onClick={() => setMode('idle')} className="rounded px-3 py-1 text-xs text-slate-600 hover:bg-white">Cancel</button>
        </div>
      </form>
    );
  }
  return (
    <div className="mt-3 flex gap-3 text-xs">
      {canRename ? <button type="button" onClick={() => setMode('rename')} className="text-slate-600 hover:text-slate-900">Rename</button> : null}
      {role === 'owner' ? <button type="button" onClick={() => setMode('delete')} className="text-rose-700 hover:text-rose-900">Delete</button> : null}
    </div>
  );
}
