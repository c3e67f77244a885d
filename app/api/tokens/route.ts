import { authed, readJson } from '../_lib/respond';
import { createPersonalToken, listPersonalTokens } from '@/server/services/tokens';

export const GET = authed(async ({ actor, services }) => ({ tokens: await listPersonalTokens(services, actor) }));

// Only a signed-in person makes tokens: a token that could mint tokens would outlive its own revocation.
export const POST = authed(async ({ req, actor, services }) => createPersonalToken(services, actor, await readJson(req)), 201, 'session');
