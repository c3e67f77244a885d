'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { callApi } from '../ui/api';

export function CreateMapForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setBusy(true);
    setError(null);
    try {
      const map = await callApi<{ id: string }>('/api/maps', 'POST', { title: String(form.get('title') ?? ''), template: String(form.get('template') ?? 'blank') });
      formElement.reset();
      // A new map is made to be worked on: open it.
      router.push(`/maps/${map.id}`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" aria-label="Create a map">
      <label className="flex min-w-64 flex-1 flex-col text-sm font-medium text-slate-700">
        New map title
        <input
          name="title"
          required
          maxLength={200}
          placeholder="e.g. Moving house with FiberNet"
          className="mt-1 rounded-md border border-slate-300 px-3 py-2 text-sm font-normal focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none"
        />
      </label>
      <label className="flex flex-col text-sm font-medium text-slate-700">
        Start from
        <select name="template" defaultValue="blank" className="mt-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-normal">
          <option value="blank">Blank journey (six stages)</option>
          <option value="demo">Demo: broadband switch</option>
        </select>
      </label>
      <button type="submit" disabled={busy} className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700 disabled:opacity-60">
        {busy ? 'Creating…' : 'Create map'}
      </button>
      {error ? (
        <p role="alert" className="w-full text-sm text-rose-700">
          {error}
        </p>
      ) : null}
    </form>
  );
}
