import { authed } from '../../../_lib/respond';
import { readAudit } from '@/server/services/members';

type Params = { id: string };

export const GET = authed<Params>(async ({ actor, services, params }) => ({ entries: await readAudit(services, actor, params.id) }));
