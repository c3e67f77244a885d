import crypto from 'node:crypto';
import { sign, signatureMatches } from './signing';

/**
 * An invitation link carries the invitation's random id and its signature:
 * the link can be shown again to the owner (it is derived, not stored), and
 * someone who reads the database alone cannot make one.
 */
const PURPOSE = 'invitation';

export const newInvitationId = (): string => crypto.randomBytes(16).toString('base64url');

export const invitationToken = (secret: string, id: string): string => `${id}.${sign(secret, PURPOSE, id)}`;

/** The invitation id a token names, or null when it is not one this app signed. */
export function invitationIdOf(secret: string, token: string): string | null {
  const [id, signature, ...rest] = token.split('.');
  if (!id || !signature || rest.length > 0 || !signatureMatches(secret, PURPOSE, id, signature)) return null;
  return id;
}
