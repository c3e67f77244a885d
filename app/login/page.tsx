import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/auth/login-form';
import { getAppContext } from '@/server/app-context';
import { currentActor } from '@/server/auth/request-actor';
import { oidcConfigFromEnv } from '@/server/auth/oidc';
import { sameOriginPath } from '@/lib/http/same-origin';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in' };

const ERRORS: Record<string, string> = {
  OAuthSignin: 'Could not reach the identity provider; try again.',
  OAuthCallback: 'The identity provider did not sign you in; try again.',
  AccessDenied: 'Your identity provider did not sign you in; try again.',
  OidcNoEmail: 'Your identity provider did not share an email address, which JourneyHub needs to know who you are.',
  OidcEmailNotVerified:
    'Your identity provider has not verified your email address, and JourneyHub signs people in only with a verified one. Sign in with your password if you have one here, or ask your identity provider to verify the address.',
  SessionRequired: 'Sign in to see this page.',
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const params = await searchParams;
  // Only paths of this app: a crafted link must not send people elsewhere after sign-in.
  const callbackUrl = sameOriginPath(params.callbackUrl, process.env.NEXTAUTH_URL ?? 'http://localhost');
  if (await currentActor(null)) redirect(callbackUrl);
  const oidc = oidcConfigFromEnv(process.env);
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-6 bg-slate-50 px-4">
      <div className="text-center">
        <div aria-hidden className="mx-auto grid h-10 w-10 place-items-center rounded-full bg-indigo-600 text-lg font-semibold text-white">J</div>
        <h1 className="mt-3 text-xl font-semibold text-slate-900">JourneyHub</h1>
        <p className="mt-1 text-sm text-slate-600">Map the customer journey together, with the contact center at the hub.</p>
      </div>
      <LoginForm callbackUrl={callbackUrl} oidcName={oidc?.name ?? null} signup={getAppContext().signup} initialError={params.error ? (ERRORS[params.error] ?? 'Could not sign you in; try again.') : null} />
    </main>
  );
}
