import { authed } from '../_lib/respond';
import { portfolio } from '@/server/services/portfolio';

export const GET = authed(async ({ req, actor, services }) => portfolio(services, actor, Object.fromEntries(new URL(req.url).searchParams), Date.now()));
