import { uuidv4 } from 'lib0/random';
import { z } from 'zod';
import { EmailSchema, SignUpInput } from '../../lib/permissions/input';
import { DuplicateUserError, type UserRecord } from '../accounts/account-store';
import { limitKey } from '../auth/client-ip';
import { hashPassword, verifyPassword } from '../auth/passwords';
import type { Actor, ServiceContext } from './context';
import { sendConfirmation } from './email-verification';
import { ServiceError } from './service-error';
import { parseInput } from './parse-input';

const pairKey = (email: string, address: string) => `${email}\n${address}`;

export const toActor = (user: UserRecord): Actor => ({ id: user.id, email: user.email, name: user.name });

/**
 * Creates an account and mails a link that confirms its address. Invitations
 * sent to the address stay invitations: the person accepts them once the
 * address is confirmed. `vouched`: the operator (CLI) or the demo seed made
 * the account, and the address counts as confirmed.
 */
export async function signUp(ctx: ServiceContext, input: unknown, { vouched = false }: { vouched?: boolean } = {}): Promise<Actor> {
  const { email, name, password } = parseInput(SignUpInput, input);
  // Hashed before the check, so that an email with an account takes as long as a new one (POST /api/signup tells neither).
  const passwordHash = await hashPassword(password);
  const taken = () => new ServiceError('conflict', 'An account with this email already exists');
  if (await ctx.accounts.getUserByEmail(email)) throw taken();
  const user = await ctx.accounts.createUser({ id: uuidv4(), email, name, passwordHash, emailVerified: vouched }).catch((error: unknown) => {
    // Two sign-ups with one email at once: the second finds it taken.
    throw error instanceof DuplicateUserError ? taken() : error;
  });
  if (!vouched) sendConfirmation(ctx, user);
  return toActor(user);
}

const CredentialsInput = z.object({ email: EmailSchema, password: z.string().min(1).max(200) });

/**
 * Checks an email and password. Every failure reads the same, whether the
 * email has an account or not; repeated failures per account and address
 * pair, and per address, are refused for a while. `address` is the client's
 * (server/auth/client-ip.ts). An old hash is replaced after a right password.
 */
export async function authenticate(ctx: ServiceContext, input: unknown, address: string): Promise<Actor> {
  const parsed = CredentialsInput.safeParse(input);
  if (!parsed.success) throw new ServiceError('unauthorized', 'Email or password is incorrect');
  const { email, password } = parsed.data;
  const client = limitKey(address);
  const pair = pairKey(email, client);
  // Failed sign-ins per account and address, and per address (server/services/rate-limits.ts).
  const { signInPerAccountAndAddress: perAccountAndAddress, signInPerAddress: perAddress } = ctx.rateLimits;
  const [pairBlocked, clientBlocked] = await Promise.all([perAccountAndAddress.blocked(pair), perAddress.blocked(client)]);
  if (pairBlocked || clientBlocked) {
    throw new ServiceError('rate_limited', 'Too many failed sign-ins. Wait 15 minutes and try again.');
  }
  const user = await ctx.accounts.getUserByEmail(email);
  const stored = user?.passwordHash ?? null;
  const check = await verifyPassword(stored, password);
  if (!user || stored === null || !check.ok) {
    await Promise.all([perAccountAndAddress.fail(pair), perAddress.fail(client)]);
    throw new ServiceError('unauthorized', 'Email or password is incorrect');
  }
  await perAccountAndAddress.reset(pair);
  // Conditional: a password changed in the meantime is not overwritten by the old one's new hash.
  if (check.rehashed) await ctx.accounts.upgradePasswordHash(user.id, stored, check.rehashed);
  return toActor(user);
}

export async function getActor(ctx: ServiceContext, userId: string): Promise<Actor | null> {
  const user = await ctx.accounts.getUserById(userId);
  return user ? toActor(user) : null;
}

export async function requireUserByEmail(ctx: ServiceContext, email: unknown): Promise<UserRecord> {
  const parsed = parseInput(EmailSchema, email);
  const user = await ctx.accounts.getUserByEmail(parsed);
  if (!user) throw new ServiceError('not_found', `No account with the email ${parsed}`);
  return user;
}
