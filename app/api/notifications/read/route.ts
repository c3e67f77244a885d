import { authed, readJson } from '../../_lib/respond';
import { markNotificationsRead } from '@/server/services/notifications';

export const POST = authed(async ({ req, actor, services }) => markNotificationsRead(services, actor, await readJson(req)));
