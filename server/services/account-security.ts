import { ChangePasswordInput } from '../../lib/permissions/account-input';
import type { Actor, ServiceContext } from './context';
import { parseInput } from './parse-input';
import { ServiceError } from './service-error';
import { hashPassword, verifyPassword } from '../auth/passwords';

/**
 * The account's own security: its password and its sessions. Sessions are
 * ended by raising the user's session generation (server/auth/session-generation.ts).
 */

export interface AccountSummary {
  id: string;
  email: string;
  name: string;
  /** False for an account made by single sign-on: it has no password here to change. */
  hasPassword: boolean;
}

export async function readAccount(ctx: ServiceContext, actor: Actor): Promise<AccountSummary> {
  const user = await ctx.accounts.getUserById(actor.id);
  if (!user) throw new ServiceError('unauthorized', 'Your account no longer exists');
  return { id: user.id, email: user.email, name: user.name, hasPassword: user.passwordHash !== null };
}

/**
 * Changes the password after checking the current one, and ends every
 * session signed in before (the caller renews the one that asked). Returns
 * the new session generation.
 */
export async function changePassword(ctx: ServiceContext, actor: Actor, input: unknown): Promise<number> {
  const { currentPassword, newPassword } = parseInput(ChangePasswordInput, input);
  const user = await ctx.accounts.getUserById(actor.id);
  if (!user) throw new ServiceError('unauthorized', 'Your account no longer exists');
  if (user.passwordHash === null) {
    throw new ServiceError('conflict', 'Your account signs in with single sign-on and has no password here: change it with your identity provider');
  }
  const { wrongCurrentPassword } = ctx.rateLimits;
  if (await wrongCurrentPassword.blocked(user.id)) throw new ServiceError('rate_limited', 'Too many wrong passwords. Wait 15 minutes and try again.');
  if (!(await verifyPassword(user.passwordHash, currentPassword)).ok) {
    await wrongCurrentPassword.fail(user.id);
    throw new ServiceError('bad_request', 'Your current password is not correct');
  }
  await wrongCurrentPassword.reset(user.id);
  if (currentPassword === newPassword) throw new ServiceError('bad_request', 'The new password is the one you have: choose another');
  const generation = await ctx.accounts.setPassword(user.id, await hashPassword(newPassword));
  ctx.live.endSessions(user.id);
  return generation;
}

/** Ends every session of the actor, the one that asks too; their open sockets close. Access tokens are not sessions and stay. */
export async function signOutEverywhere(ctx: ServiceContext, actor: Actor): Promise<void> {
  await ctx.accounts.bumpSessionGeneration(actor.id);
  ctx.live.endSessions(actor.id);
}
