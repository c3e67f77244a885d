import { authed, readJson } from '../../../_lib/respond';
import { mergeWorkshop } from '@/server/services/workshops';

type Params = { id: string };

export const POST = authed<Params>(async ({ req, actor, services, params }) => mergeWorkshop(services, actor, params.id, await readJson(req)));
