'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { callApi } from '../ui/api';

/** Accepts the invitation of this page's link, then opens the map. */
export function AcceptInvitation({ token, mapTitle }: { token: string; mapTitle: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function accept() {
    setBusy(true);
    setError(null);
    try {
      const { mapId } = await callApi<{ mapId: string }>('/api/invitations/accept', 'POST', { token });
      router.push(`/maps/${mapId}`);
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  }

  return (
    <div className="space-y-2">
      <button
        type="button"
        onClick={() => void accept()}
        disabled={busy}
        className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700 disabled:opacity-60"
      >
        {busy ? 'Joining…' : `Accept and open "${mapTitle}"`}
      </button>
      {error ? <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">{error}</p> : null}
    </div>
  );
}
