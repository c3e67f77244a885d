import type { Metadata } from 'next';
import Link from 'next/link';
import { ResendConfirmation } from '@/components/accounts/resend-confirmation';
import { AppBar } from '@/components/ui/page-header';
import { getAppContext } from '@/server/app-context';
import { requirePageActor } from '@/server/auth/page-actor';
import { emailStatus } from '@/server/services/email-verification';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Confirm your email' };

/** "Check your mail": where the confirmation link went, and a new one on request. */
export default async function VerifyEmailPage() {
  const actor = await requirePageActor('/verify-email');
  const status = await emailStatus(getAppContext().services, actor);
  return (
    <>
      <AppBar user={actor} />
      <main className="mx-auto max-w-xl space-y-4 px-6 py-12">
        <h1 className="text-2xl font-semibold text-slate-900">{status.verified ? 'Your email is confirmed' : 'Check your mail'}</h1>
        {status.verified ? (
          <p className="text-sm text-slate-700">{status.email} is confirmed: invitations sent to it open to you.</p>
        ) : (
          <div className="space-y-4 rounded-lg border border-slate-200 bg-white p-5 text-sm text-slate-700 shadow-sm">
            <p>
              We sent a link to <span className="font-medium text-slate-900">{status.email}</span>. Open it to confirm that the address is yours; maps shared
              with it open to you after that. The link works for 24 hours.
            </p>
            {status.mailConfigured ? null : (
              <p className="rounded-md bg-slate-50 px-3 py-2 text-slate-600">
                This server sends no mail (SMTP_URL is not set): the person who runs it finds your link in its log.
              </p>
            )}
            <ResendConfirmation />
          </div>
        )}
        <Link href="/" className="inline-block text-sm font-medium text-indigo-700 hover:underline">
          Back to your maps
        </Link>
      </main>
    </>
  );
}
