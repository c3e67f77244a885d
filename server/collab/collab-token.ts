import crypto from 'node:crypto';
import { z } from 'zod';
import { ROLES, type Role } from '../../lib/permissions/roles';

/**
 * Accept's token step (accept.ts).
 *
 * Short-lived signed tokens for the websocket: who (user id and display
 * name), which map, which role, until when. HMAC-SHA256 over the payload with
 * AUTH_SECRET; compact `payload.signature`, both base64url.
 */

export const DEFAULT_TOKEN_TTL_SECONDS = 15 * 60;

const PayloadSchema = z.object({
  v: z.literal(1),
  sub: z.string().min(1),
  name: z.string(),
  map: z.string().min(1),
  role: z.enum(ROLES),
  iat: z.number().int(),
  exp: z.number().int(),
  /** The user's session generation when it was minted; absent in tokens from before it existed. */
  gen: z.number().int().nonnegative().optional(),
});

export interface CollabClaims {
  userId: string;
  userName: string;
  mapId: string;
  role: Role;
  /** seconds since the epoch */
  expiresAt: number;
  /** The session generation of the user when the token was minted (0 for tokens without one). */
  sessionGeneration: number;
}

export interface MintOptions {
  ttlSeconds?: number;
  now?: number;
}

function sign(secret: string, payload: string): string {
  return crypto.createHmac('sha256', secret).update(payload).digest('base64url');
}

export function mintCollabToken(
  secret: string,
  claims: { userId: string; userName: string; mapId: string; role: Role; sessionGeneration?: number },
  options: MintOptions = {},
): { token: string; expiresAt: number } {
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  const exp = iat + (options.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS);
  const body = Buffer.from(
    JSON.stringify({ v: 1, sub: claims.userId, name: claims.userName, map: claims.mapId, role: claims.role, iat, exp, gen: claims.sessionGeneration ?? 0 }),
  ).toString('base64url');
  return { token: `${body}.${sign(secret, body)}`, expiresAt: exp };
}

export type TokenCheck = { ok: true; claims: CollabClaims } | { ok: false; reason: string };

export function verifyCollabToken(secret: string, token: string, now: number = Date.now()): TokenCheck {
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return { ok: false, reason: 'malformed token' };
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = Buffer.from(sign(secret, body), 'base64url');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad signature' };
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed token' };
  }
  const parsed = PayloadSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'malformed token' };
  const p = parsed.data;
  if (p.exp * 1000 <= now) return { ok: false, reason: 'token expired' };
  return { ok: true, claims: { userId: p.sub, userName: p.name, mapId: p.map, role: p.role, expiresAt: p.exp, sessionGeneration: p.gen ?? 0 } };
}
