import type { Metadata } from 'next';
import Link from 'next/link';
import { AppBar } from '@/components/ui/page-header';
import { getAppContext } from '@/server/app-context';
import { requirePageActor } from '@/server/auth/page-actor';
import { verifyEmail } from '@/server/services/email-verification';
import { ServiceError } from '@/server/services/service-error';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Confirm your email' };

/** The link of the confirmation mail: opening it confirms the address it names. */
export default async function ConfirmEmailPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const actor = await requirePageActor(`/verify-email/${encodeURIComponent(token)}`);
  let outcome: { ok: true; email: string } | { ok: false; message: string };
  try {
    outcome = { ok: true, ...(await verifyEmail(getAppContext().services, { token: decodeURIComponent(token) })) };
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    outcome = { ok: false, message: error.message };
  }
  return (
    <>
      <AppBar user={actor} />
      <main className="mx-auto max-w-xl space-y-4 px-6 py-12">
        {outcome.ok ? (
          <>
            <h1 className="text-2xl font-semibold text-slate-900">Email address confirmed</h1>
            <p className="text-sm text-slate-700">
              {outcome.email} is confirmed. If someone invited you to a map, open their invitation link again to accept it.
            </p>
          </>
        ) : (
          <>
            <h1 className="text-2xl font-semibold text-slate-900">This link did not work</h1>
            <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
              {outcome.message}
            </p>
            <Link href="/verify-email" className="inline-block text-sm font-medium text-indigo-700 hover:underline">
              Get a new link
            </Link>
          </>
        )}
        <Link href="/" className="block text-sm font-medium text-indigo-700 hover:underline">
          Go to your maps
        </Link>
      </main>
    </>
  );
}
