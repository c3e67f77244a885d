import { NextResponse } from 'next/server';
import { errorResponse, readJson } from '../_lib/respond';
import { EmailSchema } from '@/lib/permissions/input';
import { signupRefusal } from '@/lib/permissions/signup-policy';
import { getAppContext } from '@/server/app-context';
import { CLIENT_IP_HEADER, limitKey } from '@/server/auth/client-ip';
import { ServiceError } from '@/server/services/service-error';
import { signUp } from '@/server/services/users';

/**
 * Creates an account, when SIGNUP lets this address sign up, and mails a
 * link that confirms the address. An email that already has an account gets
 * the same answer as a new one, so that sign-up does not tell who has an
 * account; signing in then succeeds only with that account's password.
 */
export async function POST(req: Request): Promise<NextResponse> {
  try {
    const address = limitKey(req.headers.get(CLIENT_IP_HEADER) ?? 'unknown');
    // Every attempt counts, also for an email that has an account (which answers like a new one).
    const perAddress = getAppContext().services.rateLimits.signUpPerAddress;
    if (await perAddress.blocked(address)) throw new ServiceError('rate_limited', 'Too many sign-ups from your address. Wait an hour and try again.');
    await perAddress.fail(address);
    const input = await readJson(req);
    const { signup } = getAppContext();
    const email = EmailSchema.safeParse((input as { email?: unknown } | null)?.email);
    // SIGNUP=off refuses whatever the body; otherwise a malformed email is signUp's to explain (400).
    const refusal = signup.mode === 'off' || email.success ? signupRefusal(signup, email.data ?? '') : null;
    if (refusal) throw new ServiceError('forbidden', refusal);
    await signUp(getAppContext().services, input);
  } catch (error) {
    if (!(error instanceof ServiceError && error.kind === 'conflict')) return errorResponse(error);
  }
  return NextResponse.json({ message: 'Account ready: sign in with your email and password. Check your mail for the link that confirms your address.' }, { status: 202 });
}
