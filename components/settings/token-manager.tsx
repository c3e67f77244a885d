'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { DEFAULT_TOKEN_EXPIRY_DAYS, MAX_TOKEN_EXPIRY_DAYS, TOKEN_EXPIRY_CHOICES_DAYS, expiryDate, type TokenScope } from '@/lib/permissions/account-input';
import { callApi } from '../ui/api';

export interface Token {
  id: string;
  name: string;
  scope: TokenScope;
  createdAt: number;
  expiresAt: number | null;
  expired: boolean;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

const SCOPE_LABEL: Record<TokenScope, string> = { read: 'Read only', write: 'Read and write', metrics: 'Push measured figures only' };
const scopeOf = (value: FormDataEntryValue | null): TokenScope => (value === 'write' || value === 'metrics' ? value : 'read');

function expiryText({ expiresAt, expired }: Token): string {
  if (expiresAt === null) return 'never expires';
  return expired ? `expired ${expiryDate(expiresAt)}` : `expires ${expiryDate(expiresAt)}`;
}

const when = (ms: number | null) => (ms === null ? 'never' : new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC');

/** Create (shown once) and revoke personal access tokens for the HTTP API. */
export function TokenManager({ tokens }: { tokens: Token[] }) {
  const router = useRouter();
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [expiry, setExpiry] = useState<string>(String(DEFAULT_TOKEN_EXPIRY_DAYS));

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setError(null);
    const days = Number(expiry === 'custom' ? form.get('customDays') : expiry);
    if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_EXPIRY_DAYS) {
      setError(`Choose how long the token lasts: a whole number of days from 1 to ${MAX_TOKEN_EXPIRY_DAYS}.`);
      return;
    }
    try {
      const result = await callApi<{ token: string }>('/api/tokens', 'POST', {
        name: String(form.get('name') ?? '') || undefined,
        scope: scopeOf(form.get('scope')),
        expiresInDays: days,
      });
      setCreated(result.token);
      formElement.reset();
      setExpiry(String(DEFAULT_TOKEN_EXPIRY_DAYS));
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function revoke(token: Token) {
    if (!window.confirm(`Revoke "${token.name}"? Scripts using it stop working at once.`)) return;
    setError(null);
    try {
      await callApi(`/api/tokens/${token.id}`, 'DELETE');
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <div className="space-y-4">
      <form onSubmit={create} noValidate className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <label className="flex min-w-64 flex-1 flex-col text-sm font-medium text-slate-700">
          Token name
          <input name="name" maxLength={100} placeholder="e.g. Reporting script" className="mt-1 rounded-md border border-slate-300 px-3 py-2 text-sm font-normal" />
        </label>
        <label className="flex flex-col text-sm font-medium text-slate-700">
          Access
          <select name="scope" defaultValue="read" className="mt-1 rounded-md border border-slate-300 px-3 py-2 text-sm font-normal">
            <option value="read">{SCOPE_LABEL.read}</option>
            <option value="write">{SCOPE_LABEL.write}</option>
            <option value="metrics">{SCOPE_LABEL.metrics}</option>
          </select>
        </label>
        <label className="flex flex-col text-sm font-medium text-slate-700">
          Expires after
          <select name="expiry" value={expiry} onChange={(e) => setExpiry(e.target.value)} className="mt-1 rounded-md border border-slate-300 px-3 py-2 text-sm font-normal">
            {TOKEN_EXPIRY_CHOICES_DAYS.map((days) => (
              <option key={days} value={String(days)}>
                {days} days
              </option>
            ))}
            <option value="custom">Custom…</option>
          </select>
        </label>
        {expiry === 'custom' ? (
          <label className="flex w-32 flex-col text-sm font-medium text-slate-700">
            Number of days
            <input name="customDays" type="number" min={1} max={MAX_TOKEN_EXPIRY_DAYS} step={1} required className="mt-1 rounded-md border border-slate-300 px-3 py-2 text-sm font-normal" />
          </label>
        ) : null}
        <button type="submit" className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700">
          Create token
        </button>
      </form>
      {created ? (
        <div role="status" className="rounded-md border border-emerald-200 bg-emerald-50 p-4 text-sm text-emerald-950">
          <p className="font-medium">Copy your token now: it is not shown again.</p>
          <code className="mt-2 block overflow-x-auto rounded bg-white px-2 py-1 font-mono text-xs" data-testid="new-token">
            {created}
          </code>
          <p className="mt-2 text-xs">Send it as <code>Authorization: Bearer &lt;token&gt;</code>.</p>
        </div>
      ) : null}
      {error ? <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">{error}</p> : null}
      {tokens.length === 0 ? (
        <p className="text-sm text-slate-500">No tokens yet.</p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white shadow-sm">
          {tokens.map((t) => (
            <li key={t.id} className="flex items-center justify-between gap-3 px-4 py-3" data-testid="token-row">
              <div>
                <p className="flex items-center gap-2">
                  <span className={`font-medium ${t.revokedAt ? 'text-slate-400 line-through' : 'text-slate-900'}`}>{t.name}</span>
                  <span
                    data-testid="token-scope"
                    className={`rounded-full px-2 py-0.5 text-xs font-medium ${t.scope === 'read' ? 'bg-sky-50 text-sky-800' : t.scope === 'metrics' ? 'bg-emerald-50 text-emerald-800' : 'bg-amber-50 text-amber-900'}`}
                  >
                    {SCOPE_LABEL[t.scope]}
                  </span>
                </p>
                <p className="text-xs text-slate-500">
                  <span data-testid="token-expiry">{expiryText(t)}</span> · created {when(t.createdAt)} · last used {when(t.lastUsedAt)}
                  {t.revokedAt ? ` · revoked ${when(t.revokedAt)}` : ''}
                </p>
              </div>
              {t.revokedAt ? null : (
                <button type="button" onClick={() => void revoke(t)} className="text-sm text-rose-700 hover:text-rose-900">
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
