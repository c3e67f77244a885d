import crypto from 'node:crypto';

/**
 * HMAC-SHA256 with the app secret, base64url. `purpose` is signed too, so that
 * a signature made for one kind of link is never valid for another.
 */
export function sign(secret: string, purpose: string, data: string): string {
  return crypto.createHmac('sha256', secret).update(`${purpose}\n${data}`).digest('base64url');
}

/** Compares in constant time: how long a wrong signature takes says nothing about the right one. */
export function signatureMatches(secret: string, purpose: string, data: string, signature: string): boolean {
  const expected = Buffer.from(sign(secret, purpose, data));
  const given = Buffer.from(signature);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}
