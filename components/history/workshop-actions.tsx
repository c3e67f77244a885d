'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { callApi } from '../ui/api';

/** Mark as master (owner) and start a workshop copy (owner, editor of a master). */
export function WorkshopActions({ mapId, isMaster, isOwner, canStart }: { mapId: string; isMaster: boolean; isOwner: boolean; canStart: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
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
  return (
    <div className="flex flex-wrap items-center gap-3">
      {isOwner ? (
        <button type="button" disabled={busy} onClick={() => void run(async () => { await callApi(`/api/maps/${mapId}/master`, 'POST', { master: !isMaster }); router.refresh(); })} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50">
          {isMaster ? 'Stop being a master' : 'Mark as master map'}
        </button>
      ) : null}
      {isMaster && canStart ? (
        <button type="button" disabled={busy} onClick={() => void run(async () => { const copy = await callApi<{ id: string }>(`/api/maps/${mapId}/workshops`, 'POST', {}); router.push(`/maps/${copy.id}`); })} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-indigo-700">
          Start a workshop copy
        </button>
      ) : null}
      {error ? <p role="alert" className="w-full text-sm text-rose-700">{error}</p> : null}
    </div>
  );
}
