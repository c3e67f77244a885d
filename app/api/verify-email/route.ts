import { NextResponse } from 'next/server';
import { errorResponse, readJson } from '../_lib/respond';
import { getAppContext } from '@/server/app-context';
import { verifyEmail } from '@/server/services/email-verification';

/** Opens a confirmation link (`{ token }`): no session needed, the signed link is the proof. */
export async function POST(req: Request): Promise<NextResponse> {
  try {
    return NextResponse.json(await verifyEmail(getAppContext().services, await readJson(req)));
  } catch (error) {
    return errorResponse(error);
  }
}
