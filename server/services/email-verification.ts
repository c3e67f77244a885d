import { TokenInput } from '../../lib/permissions/input';
import type { UserRecord } from '../accounts/account-store';
import { checkEmailVerificationToken, emailVerificationToken } from '../accounts/email-verification-token';
import type { Actor, ServiceContext } from './context';
import { appLink, sendMail } from './outbox';
import { parseInput } from './parse-input';
import { ServiceError } from './service-error';

export const verifyEmailPath = (token: string): string => `/verify-email/${encodeURIComponent(token)}`;

/**
 * Mails the person a link that confirms their address. Without SMTP the link
 * goes to the server's log: the operator of a machine without mail passes it
 * on (or confirms the address with the CLI).
 */
export function sendConfirmation(ctx: ServiceContext, user: Pick<UserRecord, 'id' | 'email' | 'name'>): void {
  const link = appLink(ctx.outbox, verifyEmailPath(emailVerificationToken(ctx.secret, { userId: user.id, email: user.email })));
  const mailed = sendMail(ctx.outbox, {
    to: user.email,
    subject: 'Confirm your email address for JourneyHub',
    text: `Hello ${user.name},\n\nopen this link to confirm that ${user.email} is your address (it works for 24 hours):\n\n  ${link}\n\nMaps shared with this address open to you once it is confirmed. If you did not sign up for JourneyHub, ignore this mail.\n`,
  });
  if (!mailed) ctx.outbox?.logger.warn({ email: user.email, link }, `SMTP_URL is not set: to confirm ${user.email}, open ${link}`);
}

/** Opens a confirmation link: the address it names becomes verified, if it is still the account's address. */
export async function verifyEmail(ctx: ServiceContext, input: unknown): Promise<{ email: string }> {
  const { token } = parseInput(TokenInput, input);
  const checked = checkEmailVerificationToken(ctx.secret, token);
  if (!checked.ok) {
    throw new ServiceError(
      'bad_request',
      checked.reason === 'expired'
        ? 'This confirmation link has expired. Sign in and ask for a new one on /verify-email.'
        : 'This confirmation link is not valid. Sign in and ask for a new one on /verify-email.',
    );
  }
  const user = await ctx.accounts.getUserById(checked.userId);
  if (!user || user.email.toLowerCase() !== checked.email.toLowerCase()) {
    throw new ServiceError('bad_request', 'This confirmation link is not valid. Sign in and ask for a new one on /verify-email.');
  }
  await ctx.accounts.markEmailVerified(user.id);
  return { email: user.email };
}

/** A signed-in person whose address is not confirmed yet asks for a new link. */
export async function resendConfirmation(ctx: ServiceContext, actor: Actor): Promise<{ message: string }> {
  const user = await ctx.accounts.getUserById(actor.id);
  if (!user) throw new ServiceError('unauthorized', 'Sign in again: your account is gone');
  if (user.emailVerifiedAt !== null) throw new ServiceError('conflict', `${user.email} is already confirmed.`);
  const resends = ctx.rateLimits.confirmationResends;
  if (await resends.blocked(user.id)) throw new ServiceError('rate_limited', 'Too many confirmation mails asked for. Wait an hour and try again.');
  await resends.fail(user.id);
  sendConfirmation(ctx, user);
  return { message: ctx.outbox?.mailer ? `We sent a new link to ${user.email}.` : `This server sends no mail: the operator finds the link for ${user.email} in its log.` };
}

/** Whether the signed-in person's address is confirmed, for the pages that say so. */
export async function emailStatus(ctx: ServiceContext, actor: Actor): Promise<{ email: string; verified: boolean; mailConfigured: boolean }> {
  const user = await ctx.accounts.getUserById(actor.id);
  return { email: actor.email, verified: user?.emailVerifiedAt != null, mailConfigured: Boolean(ctx.outbox?.mailer) };
}
