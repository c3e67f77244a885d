import { authed, readOptionalJson } from '../../../_lib/respond';
import { refreshWorkshop } from '@/server/services/workshops';

type Params = { id: string };

export const POST = authed<Params>(async ({ req, actor, services, params }) => refreshWorkshop(services, actor, params.id, await readOptionalJson(req)));
