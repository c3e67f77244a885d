import type { TokenScope } from '../../lib/permissions/account-input';
import type { AuditEntry, TokenRecord, UserRecord } from './account-store';

/** The account tables' rows as both engines return them (snake_case columns), and the records they are read into. */
export interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string | null;
  session_generation: number;
  created_at: number;
  email_verified_at: number | null;
}
export interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  scope: TokenScope;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
}
export interface AuditRow {
  id: number;
  map_id: string;
  actor_email: string;
  action: string;
  target_email: string | null;
  detail: string | null;
  created_at: number;
}

export const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  email: r.email,
  name: r.name,
  passwordHash: r.password_hash,
  sessionGeneration: r.session_generation,
  createdAt: r.created_at,
  emailVerifiedAt: r.email_verified_at,
});

export const toToken = (r: TokenRow): TokenRecord => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  scope: r.scope,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export const toAudit = (r: AuditRow): AuditEntry => ({
  id: r.id,
  mapId: r.map_id,
  actorEmail: r.actor_email,
  action: r.action,
  targetEmail: r.target_email,
  detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
  createdAt: r.created_at,
});
