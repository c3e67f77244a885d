'use client';

import { signOut } from 'next-auth/react';
import { useState } from 'react';
import { callApi } from '../ui/api';

/** Ends every session of the person, on every device, this one too; access tokens are not sessions and keep working. */
export function SignOutEverywhere() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function signOutAll() {
    if (!window.confirm('Sign out on every device, this one too?')) return;
    setError(null);
    setBusy(true);
    try {
      await callApi('/api/account/sessions', 'DELETE');
      await signOut({ callbackUrl: '/login' });
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  }

  return (
    <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <p className="text-sm text-slate-700">
        Lost a device, or signed in on a shared computer? End every session of your account, on every device, this one too. Your access tokens are not sessions: revoke them under
        Access tokens.
      </p>
      {error ? (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
          {error}
        </p>
      ) : null}
      <button
        type="button"
        onClick={() => void signOutAll()}
        disabled={busy}
        className="rounded-md border border-rose-300 px-4 py-2 text-sm font-semibold text-rose-700 hover:bg-rose-50 disabled:opacity-60"
      >
        Sign out everywhere
      </button>
    </div>
  );
}
