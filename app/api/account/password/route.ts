import { authed, readJson } from '../../_lib/respond';
import { getAppContext } from '@/server/app-context';
import { renewSession } from '@/server/auth/renew-session';
import { changePassword } from '@/server/services/account-security';

// Every other session ends with the change; the one that made it is renewed and stays signed in.
export const POST = authed(
  async ({ req, actor, services }) => {
    const generation = await changePassword(services, actor, await readJson(req));
    await renewSession(getAppContext().secret, generation);
    return { message: 'Password changed. Your other sessions are signed out.' };
  },
  200,
  'session',
);
