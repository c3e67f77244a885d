import { authed, readOptionalJson } from '../../../_lib/respond';
import { listWorkshops, startWorkshop } from '@/server/services/workshops';

type Params = { id: string };

export const GET = authed<Params>(async ({ actor, services, params }) => ({ workshops: await listWorkshops(services, actor, params.id) }));

export const POST = authed<Params>(async ({ req, actor, services, params }) => startWorkshop(services, actor, params.id, await readOptionalJson(req)), 201);
