import { authed } from '../../../_lib/respond';
import { issueCollabToken } from '@/server/services/tokens';

type Params = { id: string };

export const POST = authed<Params>(async ({ actor, services, params }) => issueCollabToken(services, actor, params.id));
