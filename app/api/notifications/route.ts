import { authed } from '../_lib/respond';
import { listNotifications } from '@/server/services/notifications';

export const GET = authed(async ({ actor, services }) => listNotifications(services, actor));
