import { z } from 'zod';
import { sign, signatureMatches } from './signing';

/**
 * The link that proves an address: the user, the address and an expiry,
 * signed with the app secret. Nothing is stored; it names the address it was
 * sent to, so a link stops working for an account whose address changed.
 */
export const EMAIL_VERIFICATION_TTL_MS = 24 * 60 * 60 * 1000;

const PURPOSE = 'email-verification';
const Payload = z.object({ u: z.string().min(1).max(100), e: z.string().min(3).max(320), x: z.number().int() });

export type VerificationCheck = { ok: true; userId: string; email: string } | { ok: false; reason: 'invalid' | 'expired' };

export function emailVerificationToken(secret: string, who: { userId: string; email: string }, issuedAt: number = Date.now()): string {
  const data = Buffer.from(JSON.stringify({ u: who.userId, e: who.email, x: issuedAt + EMAIL_VERIFICATION_TTL_MS })).toString('base64url');
  return `${data}.${sign(secret, PURPOSE, data)}`;
}

export function checkEmailVerificationToken(secret: string, token: string, now: number = Date.now()): VerificationCheck {
  const [data, signature, ...rest] = token.split('.');
  if (!data || !signature || rest.length > 0 || !signatureMatches(secret, PURPOSE, data, signature)) return { ok: false, reason: 'invalid' };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(data, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  const payload = Payload.safeParse(json);
  if (!payload.success) return { ok: false, reason: 'invalid' };
  if (payload.data.x <= now) return { ok: false, reason: 'expired' };
  return { ok: true, userId: payload.data.u, email: payload.data.e };
}
