import { authed } from '../../_lib/respond';
import { signOutEverywhere } from '@/server/services/account-security';

// Sign out everywhere: every session of the person ends, this one too (the page then goes to /login).
export const DELETE = authed(async ({ actor, services }) => signOutEverywhere(services, actor), 200, 'session');
