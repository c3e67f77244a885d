import { authed, readJson } from '../../_lib/respond';
import { acceptInvitation } from '@/server/services/invitations';

/** The invited person accepts an invitation link (`{ token }`) with their confirmed address. */
export const POST = authed(async ({ req, actor, services }) => acceptInvitation(services, actor, await readJson(req)));
