import { authed } from '../_lib/respond';
import { readAccount } from '@/server/services/account-security';

export const GET = authed(async ({ actor, services }) => readAccount(services, actor));
