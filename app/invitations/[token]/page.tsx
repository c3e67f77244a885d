import type { Metadata } from 'next';
import Link from 'next/link';
import { AcceptInvitation } from '@/components/accounts/accept-invitation';
import { ResendConfirmation } from '@/components/accounts/resend-confirmation';
import { AppBar } from '@/components/ui/page-header';
import { getAppContext } from '@/server/app-context';
import { requirePageActor } from '@/server/auth/page-actor';
import { emailStatus } from '@/server/services/email-verification';
import { inspectInvitation } from '@/server/services/invitations';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Invitation' };

const article = (role: string): string => (role === 'editor' ? 'an' : 'a');

/**
 * The page of an invitation link: who invited whom to which map, and what the
 * person must do to accept it (sign in with the invited address, confirm it).
 */
export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token: raw } = await params;
  const token = decodeURIComponent(raw);
  const actor = await requirePageActor(`/invitations/${encodeURIComponent(token)}`);
  const { services } = getAppContext();
  const invitation = await inspectInvitation(services, { token });
  const status = await emailStatus(services, actor);

  let body;
  if (invitation.state !== 'open') {
    body = (
      <>
        <h1 className="text-2xl font-semibold text-slate-900">{invitation.state === 'expired' ? `The invitation to "${invitation.mapTitle}" has expired` : 'This invitation cannot be used'}</h1>
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
          {invitation.message}
        </p>
      </>
    );
  } else {
    const forSomeoneElse = status.email.toLowerCase() !== invitation.email.toLowerCase();
    body = (
      <>
        <p className="text-xs font-semibold tracking-wide text-indigo-700 uppercase">Invitation</p>
        <h1 className="text-2xl font-semibold text-slate-900">{invitation.mapTitle}</h1>
        <p className="text-sm text-slate-700">
          {invitation.invitedBy} invited <span className="font-medium">{invitation.email}</span> to this journey map as {article(invitation.role)}{' '}
          <span className="font-medium">{invitation.role}</span>. The link works once, until{' '}
          <time dateTime={new Date(invitation.expiresAt).toISOString()}>{new Date(invitation.expiresAt).toUTCString()}</time>.
        </p>
        <div className="rounded-lg border border-slate-200 bg-white p-5 text-sm text-slate-700 shadow-sm">
          {forSomeoneElse ? (
            <p role="alert" className="text-rose-800">
              This invitation was sent to {invitation.email}; you are signed in as {status.email}. Sign out, then open this link again and sign in (or
              create an account) with {invitation.email}.
            </p>
          ) : !status.verified ? (
            <div className="space-y-3">
              <p className="font-semibold text-slate-900">Confirm your email address first.</p>
              <p>
                We sent a link to {status.email}. Open it, then come back to this page to accept.
                {status.mailConfigured ? '' : ' This server sends no mail: the person who runs it finds your link in its log.'}
              </p>
              <ResendConfirmation />
            </div>
          ) : (
            <AcceptInvitation token={token} mapTitle={invitation.mapTitle} />
          )}
        </div>
      </>
    );
  }

  return (
    <>
      <AppBar user={actor} />
      <main className="mx-auto max-w-xl space-y-4 px-6 py-12">
        {body}
        <Link href="/" className="block text-sm font-medium text-indigo-700 hover:underline">
          Go to your maps
        </Link>
      </main>
    </>
  );
}
