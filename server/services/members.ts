import { AddMemberInput, ChangeMemberInput, RemoveMemberInput } from '../../lib/permissions/input';
import type { Role } from '../../lib/permissions/roles';
import type { MemberRecord } from '../accounts/account-store';
import type { Actor, ServiceContext } from './context';
import { refuseMembers, sendInvitation, toInvitationView, type InvitationView } from './invitations';
import { requireRole } from './maps';
import { parseInput } from './parse-input';
import { ServiceError } from './service-error';

export interface MemberList {
  members: Array<Pick<MemberRecord, 'userId' | 'email' | 'name' | 'role' | 'addedAt'>>;
  invitations: InvitationView[];
}

export async function listMembers(ctx: ServiceContext, actor: Actor, mapId: string): Promise<MemberList> {
  const { role } = await requireRole(ctx, actor, mapId, 'viewer');
  const members = (await ctx.accounts.listMembers(mapId)).map(({ userId, email, name, role: r, addedAt }) => ({ userId, email, name, role: r, addedAt }));
  // Pending invitations name people who have not joined yet: the owner's business only.
  const invitations = role === 'owner' ? (await ctx.accounts.listInvitations(mapId)).map((i) => toInvitationView(ctx, i)) : [];
  return { members, invitations };
}

/**
 * The operator (CLI) adds someone by email with a role: an account whose
 * address is confirmed becomes a member at once; any other address gets an
 * invitation, as from the API (inviteMember), which its owner accepts.
 */
export async function addMember(
  ctx: ServiceContext,
  actor: Actor,
  mapId: string,
  input: unknown,
): Promise<{ status: 'added'; email: string; role: Role } | { status: 'invited'; email: string; role: Role; link: string; expiresAt: number }> {
  const { email, role } = parseInput(AddMemberInput, input);
  const { map } = await requireRole(ctx, actor, mapId, 'owner');
  await refuseMembers(ctx, mapId, email);
  const user = await ctx.accounts.getUserByEmail(email);
  if (!user || user.emailVerifiedAt === null) {
    const { link, expiresAt } = await sendInvitation(ctx, actor, mapId, map.title, email, role);
    return { status: 'invited', email, role, link, expiresAt };
  }
  await ctx.accounts.setMember(mapId, user.id, role, { mapId, actorEmail: actor.email, action: 'member.added', targetEmail: email, detail: { role } });
  ctx.live.setRole(mapId, user.id, role);
  return { status: 'added', email, role };
}

/**
 * Changes a member's role, effective on their open sockets at once. Giving
 * someone the owner role transfers ownership: a map always has exactly one
 * owner, and the former owner becomes an editor.
 */
export async function changeMember(ctx: ServiceContext, actor: Actor, mapId: string, input: unknown): Promise<{ email: string; role: Role }> {
  const { email, role } = parseInput(ChangeMemberInput, input);
  await requireRole(ctx, actor, mapId, 'owner');
  const user = await ctx.accounts.getUserByEmail(email);
  const current = user ? await ctx.accounts.getRole(mapId, user.id) : null;
  if (!user || !current) {
    const invited = (await ctx.accounts.listInvitations(mapId)).find((i) => i.email === email);
    if (invited && role !== 'owner') {
      await ctx.accounts.setInvitation(
        { id: invited.id, mapId, email, role, invitedBy: invited.invitedBy, expiresAt: invited.expiresAt },
        { mapId, actorEmail: actor.email, action: 'invitation.changed', targetEmail: email, detail: { from: invited.role, to: role } },
      );
      return { email, role };
    }
    throw new ServiceError('not_found', `${email} is not a member of this map`);
  }
  if (user.id === actor.id) throw new ServiceError('conflict', 'You own this map; transfer ownership to someone else first');
  if (role === 'owner') {
    await ctx.accounts.transferOwnership(mapId, actor.id, user.id, 'editor', {
      mapId,
      actorEmail: actor.email,
      action: 'ownership.transferred',
      targetEmail: email,
      detail: { formerOwnerRole: 'editor' },
    });
    ctx.live.setRole(mapId, actor.id, 'editor');
    ctx.live.setRole(mapId, user.id, 'owner');
    return { email, role };
  }
  if (current !== role) {
    await ctx.accounts.setMember(mapId, user.id, role, { mapId, actorEmail: actor.email, action: 'member.role_changed', targetEmail: email, detail: { from: current, to: role } });
    ctx.live.setRole(mapId, user.id, role);
  }
  return { email, role };
}

export async function removeMember(ctx: ServiceContext, actor: Actor, mapId: string, input: unknown): Promise<{ email: string }> {
  const { email } = parseInput(RemoveMemberInput, input);
  await requireRole(ctx, actor, mapId, 'owner');
  const user = await ctx.accounts.getUserByEmail(email);
  const current = user ? await ctx.accounts.getRole(mapId, user.id) : null;
  if (!user || !current) {
    const invited = (await ctx.accounts.listInvitations(mapId)).some((i) => i.email === email);
    if (!invited) throw new ServiceError('not_found', `${email} is not a member of this map`);
    await ctx.accounts.removeInvitation(mapId, email, { mapId, actorEmail: actor.email, action: 'invitation.removed', targetEmail: email, detail: null });
    return { email };
  }
  if (current === 'owner') throw new ServiceError('conflict', 'The owner cannot be removed; transfer ownership first');
  await ctx.accounts.removeMember(mapId, user.id, { mapId, actorEmail: actor.email, action: 'member.removed', targetEmail: email, detail: { role: current } });
  ctx.live.setRole(mapId, user.id, null);
  return { email };
}

export async function readAudit(ctx: ServiceContext, actor: Actor, mapId: string, limit = 200) {
  await requireRole(ctx, actor, mapId, 'owner');
  return ctx.accounts.listAudit(mapId, limit);
}

/** The names of the people an audit log mentions, by email, for entries in words. */
export async function auditNames(ctx: ServiceContext, entries: ReadonlyArray<{ actorEmail: string; targetEmail: string | null }>): Promise<Record<string, string>> {
  const emails = new Set(entries.flatMap((e) => (e.targetEmail ? [e.actorEmail, e.targetEmail] : [e.actorEmail])));
  const names: Record<string, string> = {};
  await Promise.all(
    [...emails].map(async (email) => {
      const user = await ctx.accounts.getUserByEmail(email);
      if (user) names[email.toLowerCase()] = user.name;
    }),
  );
  return names;
}
