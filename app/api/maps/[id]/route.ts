import { authed, readJson } from '../../_lib/respond';
import { deleteMap, getMap, renameMap } from '@/server/services/maps';

type Params = { id: string };

export const GET = authed<Params>(async ({ actor, services, params }) => getMap(services, actor, params.id));

export const PATCH = authed<Params>(async ({ req, actor, services, params }) => renameMap(services, actor, params.id, await readJson(req)));

export const DELETE = authed<Params>(async ({ actor, services, params }) => {
  await deleteMap(services, actor, params.id);
});
