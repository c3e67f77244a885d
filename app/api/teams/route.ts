import { authed } from '../_lib/respond';
import { teams } from '@/server/services/portfolio';

export const GET = authed(async ({ req, actor, services }) => teams(services, actor, Object.fromEntries(new URL(req.url).searchParams), Date.now()));
