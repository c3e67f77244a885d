import { NextResponse } from 'next/server';
import { errorResponse, readJson } from '../_lib/respond';
import { getAppContext } from '@/server/app-context';
import { ServiceError } from '@/server/services/service-error';
import { signUp } from '@/server/services/users';

/**
 * Creates an account and mails a link that confirms the address. An email
 * that already has an account gets the same answer as a new one, so that
 * sign-up does not tell who has an account; signing in then succeeds only
 * with that account's password.
 */
export async function POST(req: Request): Promise<NextResponse> {
  try {
    await signUp(getAppContext().services, await readJson(req));
  } catch (error) {
    if (!(error instanceof ServiceError && error.kind === 'conflict')) return errorResponse(error);
  }
  return NextResponse.json({ message: 'Account ready: sign in with your email and password. Check your mail for the link that confirms your address.' }, { status: 202 });
}
