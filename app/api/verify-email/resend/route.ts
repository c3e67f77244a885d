import { authed } from '../../_lib/respond';
import { resendConfirmation } from '@/server/services/email-verification';

/** The signed-in person asks for a new confirmation link (a few an hour). */
export const POST = authed(async ({ actor, services }) => resendConfirmation(services, actor), 202);
