import bcrypt from 'bcryptjs';
import { uuidv4 } from 'lib0/random';
import { z } from 'zod';
import { EmailSchema, SignUpInput } from '../../lib/permissions/input';
import { DuplicateUserError, type UserRecord } from '../accounts/account-store';
import type { Actor, ServiceContext } from './context';
import { sendConfirmation } from './email-verification';
import { RateLimiter } from './rate-limiter';
import { ServiceError } from './service-error';
import { parseInput } from './parse-input';

const BCRYPT_COST = 12;
// Compared against when the email has no account, so that a miss takes as long as a wrong password.
// bcrypt.hashSync('journeyhub-missing-user', BCRYPT_COST), precomputed: hashing it at import cost
// every CLI command and server start half a second. Its cost (12) must stay BCRYPT_COST.
const MISSING_USER_HASH = '$2b$12$ZnbR0aA3gVGXVM0na6zVo.jA0bWhJklzi.i0owa52Yh/V42Jjmy.W';

const perAccount = new RateLimiter(5, 15 * 60_000);
const perAddress = new RateLimiter(30, 15 * 60_000);

export const toActor = (user: UserRecord): Actor => ({ id: user.id, email: user.email, name: user.name });

export async function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}

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
 * email has an account or not; repeated failures per account and per address
 * are refused for a while.
 */
export async function authenticate(ctx: ServiceContext, input: unknown, address: string): Promise<Actor> {
  const parsed = CredentialsInput.safeParse(input);
  if (!parsed.success) throw new ServiceError('unauthorized', 'Email or password is incorrect');
  const { email, password } = parsed.data;
  if (perAccount.blocked(email) || perAddress.blocked(address)) {
    throw new ServiceError('rate_limited', 'Too many failed sign-ins. Wait 15 minutes and try again.');
  }
  const user = await ctx.accounts.getUserByEmail(email);
  const ok = await bcrypt.compare(password, user?.passwordHash ?? MISSING_USER_HASH);
  if (!user || !user.passwordHash || !ok) {
    perAccount.fail(email);
    perAddress.fail(address);
    throw new ServiceError('unauthorized', 'Email or password is incorrect');
  }
  perAccount.reset(email);
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
