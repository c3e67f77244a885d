'use client';

import { useState } from 'react';
import { callApi } from '../ui/api';

/** Asks for a new confirmation link; the server's sentence says where it went, or why not. */
export function ResendConfirmation() {
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function resend() {
    setBusy(true);
    setNotice(null);
    setError(null);
    try {
      setNotice((await callApi<{ message: string }>('/api/verify-email/resend', 'POST', {})).message);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="space-y-2">
      <button
        type="button"
        onClick={() => void resend()}
        disabled={busy}
        className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50 disabled:opacity-60"
      >
        {busy ? 'Sending…' : 'Send me a new link'}
      </button>
      {notice ? <p role="status" className="text-sm text-emerald-800">{notice}</p> : null}
      {error ? <p role="alert" className="text-sm text-rose-800">{error}</p> : null}
    </div>
  );
}
