'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { callApi } from '../ui/api';

export function SaveVersionForm({ mapId }: { mapId: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setError(null);
    try {
      await callApi(`/api/maps/${mapId}/versions`, 'POST', { name: String(new FormData(form).get('name') ?? '') });
      form.reset();
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  }
  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" aria-label="Save a version">
      <label className="flex min-w-64 flex-1 flex-col text-sm font-medium text-slate-700">
        Version name
        <input name="name" required maxLength={100} placeholder="e.g. After the March workshop" className="mt-1 rounded-md border border-slate-300 px-3 py-2 text-sm font-normal" />
      </label>
      <button type="submit" className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700">
        Save version
      </button>
      {error ? <p role="alert" className="w-full text-sm text-rose-700">{error}</p> : null}
    </form>
  );
}

export function RestoreButton({ mapId, versionId, name, damaged = false }: { mapId: string; versionId: string; name: string; damaged?: boolean }) {
  const router = useRouter();
  const [state, setState] = useState<{ error?: string; done?: string } | null>(null);
  async function restore() {
    const question = damaged
      ? `Repair the map by making it “${name}” again? What cannot be read now is kept aside for your operator.`
      : `Make the map equal to “${name}” for everyone? The current state is kept as a version first.`;
    if (!window.confirm(question)) return;
    try {
      const result = await callApi<{ changes: number; repaired: string[] }>(`/api/maps/${mapId}/versions/${versionId}/restore`, 'POST');
      if (result.repaired.length > 0) {
        // Repaired: the map can be opened again, and opening it is what its owner came for.
        setState({ done: `Repaired: the map is “${name}” again. Opening it…` });
        router.push(`/maps/${mapId}`);
        return;
      }
      setState({ done: `Restored: ${result.changes} changes made live for everyone.` });
      router.refresh();
    } catch (e) {
      setState({ error: (e as Error).message });
    }
  }
  return (
    <div className="space-y-2">
      <button type="button" onClick={() => void restore()} className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-semibold text-white hover:bg-slate-800">
        Restore this version
      </button>
      {state?.done ? <p role="status" className="text-sm text-emerald-800">{state.done}</p> : null}
      {state?.error ? <p role="alert" className="text-sm text-rose-700">{state.error}</p> : null}
    </div>
  );
}
