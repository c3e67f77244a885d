import type { Metadata } from 'next';
import Link from 'next/link';
import { PasswordForm } from '@/components/settings/password-form';
import { SignOutEverywhere } from '@/components/settings/sign-out-everywhere';
import { AppBar } from '@/components/ui/page-header';
import { getAppContext } from '@/server/app-context';
import { requirePageActor } from '@/server/auth/page-actor';
import { readAccount } from '@/server/services/account-security';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Account' };

export default async function AccountPage() {
  const actor = await requirePageActor('/settings/account');
  const account = await readAccount(getAppContext().services, actor);
  return (
    <>
      <AppBar user={actor}>
        <Link href="/" className="text-sm text-indigo-700 hover:underline">
          All maps
        </Link>
      </AppBar>
      <main className="mx-auto max-w-3xl space-y-8 px-6 py-8">
        <div>
          <h1 className="text-2xl font-semibold text-slate-900">Account</h1>
          <p className="mt-1 text-sm text-slate-600">
            Signed in as {account.name} ({account.email}).
          </p>
        </div>
        <section aria-labelledby="password-heading" className="space-y-3">
          <h2 id="password-heading" className="text-lg font-semibold text-slate-900">
            Password
          </h2>
          {account.hasPassword ? (
            <PasswordForm />
          ) : (
            <p role="note" className="rounded-md border border-slate-200 bg-white p-4 text-sm text-slate-700 shadow-sm">
              Your account signs in with single sign-on, so it has no password here. Change your password with your identity provider.
            </p>
          )}
        </section>
        <section aria-labelledby="sessions-heading" className="space-y-3">
          <h2 id="sessions-heading" className="text-lg font-semibold text-slate-900">
            Sessions
          </h2>
          <SignOutEverywhere />
        </section>
      </main>
    </>
  );
}
