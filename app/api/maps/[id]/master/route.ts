import { authed, readJson } from '../../../_lib/respond';
import { setMaster } from '@/server/services/workshops';

type Params = { id: string };

export const POST = authed<Params>(async ({ req, actor, services, params }) => setMaster(services, actor, params.id, await readJson(req)));
