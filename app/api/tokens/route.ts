import { authed, readJson } from '../_lib/respond';
import { createPersonalToken, listPersonalTokens } from '@/server/services/tokens';

export const GET = authed(async ({ actor, services }) => ({ tokens: await listPersonalTokens(services, actor) }));

export const POST = authed(async ({ req, actor, services }) => createPersonalToken(services, actor, await readJson(req)), 201);
