import { authed, readJson } from '../_lib/respond';
import { createMap, listMaps } from '@/server/services/maps';

export const GET = authed(async ({ actor, services }) => ({ maps: await listMaps(services, actor) }));

export const POST = authed(async ({ req, actor, services }) => createMap(services, actor, await readJson(req)), 201);
