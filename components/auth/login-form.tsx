'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { sameOriginPath } from '@/lib/http/same-origin';
import { listDomains, signupRefusal, type SignupPolicy } from '@/lib/permissions/signup-policy';

type Mode = 'sign-in' | 'sign-up';

const input =
  'mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none';

export function LoginForm({
  callbackUrl,
  oidcName,
  signup,
  initialError,
}: {
  callbackUrl: string;
  oidcName: string | null;
  /** SIGNUP: off hides "Create account" and says how else to get in; domains: names them. */
  signup: SignupPolicy;
  initialError: string | null;
}) {
  const router = useRouter();
  const [mode, setMode] = useState<Mode>('sign-in');
  const [error, setError] = useState<string | null>(initialError);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email') ?? '');
    const password = String(form.get('password') ?? '');
    setBusy(true);
    setError(null);
    try {
      if (mode === 'sign-up') {
        const res = await fetch('/api/signup', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, name: String(form.get('name') ?? ''), password }),
        });
        if (!res.ok) {
          const body = (await res.json().catch(() => null)) as { error?: string } | null;
          setError(body?.error ?? `Could not sign up (HTTP ${res.status})`);
          return;
        }
      }
      const result = await signIn('credentials', { email, password, redirect: false });
      if (!result || result.error) {
        setError(
          mode === 'sign-up'
            ? 'Could not sign you in. If this email already has an account, sign in with its password.'
            : result?.error && result.error !== 'CredentialsSignin'
              ? result.error
              : 'Email or password is incorrect',
        );
        return;
      }
      // The page already checked it; checked again here against the origin the browser really uses.
      router.push(sameOriginPath(callbackUrl, window.location.origin));
      router.refresh();
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
      {signup.mode === 'off' ? (
        <h2 className="mb-6 text-center text-base font-semibold text-slate-900">Sign in</h2>
      ) : (
        <div role="tablist" aria-label="Sign in or sign up" className="mb-6 grid grid-cols-2 rounded-lg bg-slate-100 p-1 text-sm font-medium">
          {(['sign-in', 'sign-up'] as const).map((m) => (
            <button
              key={m}
              type="button"
              role="tab"
              aria-selected={mode === m}
              onClick={() => {
                setMode(m);
                setError(null);
              }}
              className={`rounded-md px-3 py-1.5 ${mode === m ? 'bg-white text-slate-900 shadow-sm' : 'text-slate-600 hover:text-slate-900'}`}
            >
              {m === 'sign-in' ? 'Sign in' : 'Create account'}
            </button>
          ))}
        </div>
      )}
      <form onSubmit={submit} className="space-y-4" noValidate={false}>
        {mode === 'sign-up' ? (
          <label className="block text-sm font-medium text-slate-700">
            Name
            <input name="name" type="text" required maxLength={100} autoComplete="name" className={input} />
          </label>
        ) : null}
        <label className="block text-sm font-medium text-slate-700">
          Email
          <input name="email" type="email" required autoComplete="email" className={input} />
          {mode === 'sign-up' && signup.mode === 'domains' ? (
            <span className="mt-1 block text-xs font-normal text-slate-500">An address at {listDomains(signup.domains)}.</span>
          ) : null}
        </label>
        <label className="block text-sm font-medium text-slate-700">
          Password
          <input
            name="password"
            type="password"
            required
            minLength={mode === 'sign-up' ? 8 : undefined}
            autoComplete={mode === 'sign-up' ? 'new-password' : 'current-password'}
            className={input}
          />
          {mode === 'sign-up' ? <span className="mt-1 block text-xs font-normal text-slate-500">At least 8 characters.</span> : null}
        </label>
        {error ? (
          <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
            {error}
          </p>
        ) : null}
        <button
          type="submit"
          disabled={busy}
          className="w-full rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700 disabled:opacity-60"
        >
          {busy ? 'Please wait…' : mode === 'sign-in' ? 'Sign in' : 'Create account'}
        </button>
      </form>
      {signup.mode === 'off' ? <p className="mt-4 text-center text-xs text-slate-500">{signupRefusal(signup, '')}</p> : null}
      {oidcName ? (
        <>
          <div className="my-5 flex items-center gap-3 text-xs text-slate-400">
            <span className="h-px flex-1 bg-slate-200" /> or <span className="h-px flex-1 bg-slate-200" />
          </div>
          <button
            type="button"
            onClick={() => void signIn('oidc', { callbackUrl: sameOriginPath(callbackUrl, window.location.origin) })}
            className="w-full rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50"
          >
            Continue with {oidcName}
          </button>
        </>
      ) : null}
    </div>
  );
}
