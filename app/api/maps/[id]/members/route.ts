import { authed, readJson } from '../../../_lib/respond';
import { inviteMember } from '@/server/services/invitations';
import { changeMember, listMembers, removeMember } from '@/server/services/members';

type Params = { id: string };

export const GET = authed<Params>(async ({ actor, services, params }) => listMembers(services, actor, params.id));

export const POST = authed<Params>(async ({ req, actor, services, params }) => inviteMember(services, actor, params.id, await readJson(req)), 201);

export const PATCH = authed<Params>(async ({ req, actor, services, params }) => changeMember(services, actor, params.id, await readJson(req)));

export const DELETE = authed<Params>(async ({ req, actor, services, params }) => removeMember(services, actor, params.id, await readJson(req)));
