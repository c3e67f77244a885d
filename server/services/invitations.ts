import { AddMemberInput, TokenInput } from '../../lib/permissions/input';
import type { MemberRole, Role } from '../../lib/permissions/roles';
import type { InvitationRecord } from '../accounts/account-store';
import { invitationIdOf, invitationToken, newInvitationId } from '../accounts/invitation-token';
import type { Actor, ServiceContext } from './context';
import { requireRole } from './maps';
import { appLink, sendMail } from './outbox';
import { parseInput } from './parse-input';
import { ServiceError } from './service-error';

/** How long an invitation link works. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** What the owner sees of a pending invitation: the link to copy, and until when it works. */
export interface InvitationView {
  email: string;
  role: MemberRole;
  createdAt: number;
  expiresAt: number;
  link: string;
}

/**
 * The answer to adding someone by email. It is the same whether the address
 * has an account, an unconfirmed one or none: an owner learns nothing about
 * who has an account from it.
 */
export interface InviteAnswer {
  status: 'invited';
  email: string;
  role: MemberRole;
  expiresAt: number;
  link: string;
  /** True when the link went out by mail (SMTP_URL is set); otherwise the owner passes it on. */
  mailed: boolean;
}

export const invitationPath = (token: string): string => `/invitations/${encodeURIComponent(token)}`;

export const invitationLink = (ctx: ServiceContext, id: string): string => appLink(ctx.outbox, invitationPath(invitationToken(ctx.secret, id)));

export const toInvitationView = (ctx: ServiceContext, i: InvitationRecord): InvitationView => ({
  email: i.email,
  role: i.role,
  createdAt: i.createdAt,
  expiresAt: i.expiresAt,
  link: invitationLink(ctx, i.id),
});

/** Creates (or replaces, with a new link) the invitation of an address, and mails it when SMTP is set. */
export async function sendInvitation(ctx: ServiceContext, actor: Actor, mapId: string, mapTitle: string, email: string, role: MemberRole): Promise<InviteAnswer> {
  const id = newInvitationId();
  const expiresAt = Date.now() + INVITATION_TTL_MS;
  await ctx.accounts.setInvitation(
    { id, mapId, email, role, invitedBy: actor.email, expiresAt },
    { mapId, actorEmail: actor.email, action: 'member.invited', targetEmail: email, detail: { role } },
  );
  const link = invitationLink(ctx, id);
  const mailed = sendMail(ctx.outbox, {
    to: email,
    subject: `${actor.name} invited you to "${mapTitle}" on JourneyHub`,
    text:
      `${actor.name} (${actor.email}) invited you to the journey map "${mapTitle}" as ${role === 'editor' ? 'an' : 'a'} ${role}.\n\n` +
      `Accept the invitation: ${link}\n\nThe link works once, until ${new Date(expiresAt).toUTCString()}. ` +
      `Sign in, or create an account, with ${email} and confirm the address to accept it.\n`,
  });
  return { status: 'invited', email, role, expiresAt, link, mailed };
}

/**
 * The owner adds someone by email: always an invitation that the person
 * accepts with a confirmed address, whether or not the address has an account.
 */
export async function inviteMember(ctx: ServiceContext, actor: Actor, mapId: string, input: unknown): Promise<InviteAnswer> {
  const { email, role } = parseInput(AddMemberInput, input);
  const { map } = await requireRole(ctx, actor, mapId, 'owner');
  await refuseMembers(ctx, mapId, email);
  return sendInvitation(ctx, actor, mapId, map.title, email, role);
}

/** People on the map already are the owner's business (they are in the member list): adding them again says so. */
export async function refuseMembers(ctx: ServiceContext, mapId: string, email: string): Promise<void> {
  const member = (await ctx.accounts.listMembers(mapId)).find((m) => m.email.toLowerCase() === email);
  if (member?.role === 'owner') throw new ServiceError('conflict', 'That person owns the map; transfer ownership to change their role');
  if (member) throw new ServiceError('conflict', `${email} is already a member (${member.role}); change their role instead`);
}

const NOT_VALID = 'This invitation link is not valid. Check that you copied all of it.';
const GONE = 'This invitation is no longer valid: it was accepted, revoked or replaced. Ask the owner of the map for a new one.';
const EXPIRED = 'This invitation has expired. Ask the owner of the map for a new one.';

/** What the invitation page shows, before anything is accepted. */
export type InvitationState =
  | { state: 'invalid' | 'gone'; message: string }
  | { state: 'expired'; message: string; mapTitle: string }
  | { state: 'open'; mapId: string; mapTitle: string; role: MemberRole; email: string; invitedBy: string; expiresAt: number };

export async function inspectInvitation(ctx: ServiceContext, input: unknown): Promise<InvitationState> {
  const { token } = parseInput(TokenInput, input);
  const id = invitationIdOf(ctx.secret, token);
  if (!id) return { state: 'invalid', message: NOT_VALID };
  const invitation = await ctx.accounts.getInvitation(id);
  const map = invitation ? await ctx.store.getMap(invitation.mapId) : null;
  if (!invitation || !map) return { state: 'gone', message: GONE };
  if (invitation.expiresAt <= Date.now()) return { state: 'expired', message: EXPIRED, mapTitle: map.title };
  const inviter = await ctx.accounts.getUserByEmail(invitation.invitedBy);
  return {
    state: 'open',
    mapId: invitation.mapId,
    mapTitle: map.title,
    role: invitation.role,
    email: invitation.email,
    invitedBy: inviter?.name ?? invitation.invitedBy,
    expiresAt: invitation.expiresAt,
  };
}

/**
 * The invited person accepts: signed in with the address the invitation was
 * sent to, and that address confirmed. The link then stops working.
 */
export async function acceptInvitation(ctx: ServiceContext, actor: Actor, input: unknown): Promise<{ mapId: string; role: Role }> {
  const { token } = parseInput(TokenInput, input);
  const id = invitationIdOf(ctx.secret, token);
  if (!id) throw new ServiceError('not_found', NOT_VALID);
  const invitation = await ctx.accounts.getInvitation(id);
  if (!invitation) throw new ServiceError('gone', GONE);
  if (invitation.expiresAt <= Date.now()) throw new ServiceError('gone', EXPIRED);
  const user = await ctx.accounts.getUserById(actor.id);
  if (!user) throw new ServiceError('unauthorized', 'Sign in again: your account is gone');
  if (user.email.toLowerCase() !== invitation.email.toLowerCase()) {
    throw new ServiceError('forbidden', `This invitation was sent to ${invitation.email}; you are signed in as ${user.email}.`);
  }
  if (user.emailVerifiedAt === null) {
    throw new ServiceError('forbidden', `Confirm your email address ${user.email} first: open the link we mailed you, or ask for a new one on /verify-email.`);
  }
  const accepted = await ctx.accounts.acceptInvitation(id, user.id, {
    mapId: invitation.mapId,
    actorEmail: user.email,
    action: 'invitation.accepted',
    targetEmail: user.email,
    detail: { role: invitation.role },
  });
  if (!accepted) throw new ServiceError('gone', GONE);
  const role = (await ctx.accounts.getRole(invitation.mapId, user.id)) ?? invitation.role;
  ctx.live.setRole(invitation.mapId, user.id, role);
  return { mapId: invitation.mapId, role };
}
