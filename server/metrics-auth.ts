import crypto from 'node:crypto';

/**
 * With METRICS_TOKEN set, /api/metrics answers only `Authorization: Bearer
 * <METRICS_TOKEN>` (room ids and load are not for everyone). Compared as
 * SHA-256 digests with timingSafeEqual, so the time taken says nothing about
 * how much of a guess was right, nor about the token's length.
 */
export function metricsAllowed(token: string | null, authorization: string | undefined): boolean {
  if (token === null) return true;
  const match = /^Bearer (.+)$/.exec(authorization ?? '');
  if (!match?.[1]) return false;
  const digest = (text: string) => crypto.createHash('sha256').update(text).digest();
  return crypto.timingSafeEqual(digest(match[1]), digest(token));
}
