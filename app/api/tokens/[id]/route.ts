import { authed } from '../../_lib/respond';
import { revokePersonalToken } from '@/server/services/tokens';

type Params = { id: string };

export const DELETE = authed<Params>(async ({ actor, services, params }) => {
  await revokePersonalToken(services, actor, params.id);
});
