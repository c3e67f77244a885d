import { authed, readJson } from '../../../_lib/respond';
import { listVersions, saveVersion } from '@/server/services/versions';

type Params = { id: string };

export const GET = authed<Params>(async ({ actor, services, params }) => ({ versions: await listVersions(services, actor, params.id) }));

export const POST = authed<Params>(async ({ req, actor, services, params }) => saveVersion(services, actor, params.id, await readJson(req)), 201);
