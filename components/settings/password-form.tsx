'use client';

import { useState, type FormEvent } from 'react';
import { PasswordSchema } from '@/lib/permissions/input';
import { callApi } from '../ui/api';

const INPUT = 'mt-1 rounded-md border border-slate-300 px-3 py-2 text-sm font-normal';
const LABEL = 'flex flex-col text-sm font-medium text-slate-700';

/** Changes the password: the current one, the new one twice. The other sessions end; this one stays signed in. */
export function PasswordForm() {
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const currentPassword = String(form.get('currentPassword') ?? '');
    const newPassword = String(form.get('newPassword') ?? '');
    setError(null);
    setDone(null);
    // The checks the server makes too, said before a round trip.
    if (currentPassword === '') return setError('Enter your current password.');
    const strength = PasswordSchema.safeParse(newPassword);
    if (!strength.success) return setError(`The new ${strength.error.issues[0]?.message ?? 'password is not valid'}.`);
    if (newPassword !== String(form.get('repeatPassword') ?? '')) return setError('The two new passwords differ: type the same one twice.');
    setBusy(true);
    try {
      const answer = await callApi<{ message: string }>('/api/account/password', 'POST', { currentPassword, newPassword });
      setDone(answer.message);
      formElement.reset();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="grid max-w-md gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <label className={LABEL}>
        Current password
        <input name="currentPassword" type="password" autoComplete="current-password" className={INPUT} />
      </label>
      <label className={LABEL}>
        New password
        <input name="newPassword" type="password" autoComplete="new-password" minLength={8} maxLength={200} className={INPUT} />
      </label>
      <label className={LABEL}>
        New password again
        <input name="repeatPassword" type="password" autoComplete="new-password" maxLength={200} className={INPUT} />
      </label>
      <p className="text-xs text-slate-500">At least 8 characters. Changing it signs you out on every other device.</p>
      {error ? (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
          {error}
        </p>
      ) : null}
      {done ? (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
          {done}
        </p>
      ) : null}
      <div>
        <button type="submit" disabled={busy} className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700 disabled:opacity-60">
          Change password
        </button>
      </div>
    </form>
  );
}
