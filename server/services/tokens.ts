import crypto from 'node:crypto';
import { uuidv4 } from 'lib0/random';
import { CreateTokenInput, expiryDate, tokenExpiresAt, type TokenScope } from '../../lib/permissions/account-input';
import { roleAtLeast, type Role } from '../../lib/permissions/roles';
import { mintCollabToken } from '../collab/collab-token';
import type { TokenRecord } from '../accounts/account-store';
import type { Actor, ServiceContext } from './context';
import { effectiveRole, noAccess } from './access';
import { requireRole } from './maps';
import { parseInput } from './parse-input';
import { ServiceError } from './service-error';
import { toActor } from './users';

/** Personal access tokens are shown once; only their SHA-256 is stored. */
const PREFIX = 'jhp_';

const hashToken = (token: string): string => crypto.createHash('sha256').update(token).digest('hex');

export interface CreatedToken {
  id: string;
  name: string;
  token: string;
  scope: TokenScope;
  createdAt: number;
  expiresAt: number | null;
}

/** A new token of the actor's, with its scope and expiry (defaults: write, 90 days). */
export async function createPersonalToken(ctx: ServiceContext, actor: Actor, input: unknown): Promise<CreatedToken> {
  const { name, scope, expiresInDays } = parseInput(CreateTokenInput, input ?? {});
  const token = `${PREFIX}${crypto.randomBytes(24).toString('base64url')}`;
  const expiresAt = tokenExpiresAt(Date.now(), expiresInDays);
  const record = await ctx.accounts.createToken({ id: uuidv4(), userId: actor.id, name, tokenHash: hashToken(token), scope, expiresAt });
  return { id: record.id, name: record.name, token, scope: record.scope, createdAt: record.createdAt, expiresAt: record.expiresAt };
}

/** The actor's tokens, newest first; `expired` as of now, so that a page need not read the clock. */
export async function listPersonalTokens(ctx: ServiceContext, actor: Actor): Promise<Array<TokenRecord & { expired: boolean }>> {
  const now = Date.now();
  return (await ctx.accounts.listTokens(actor.id)).map((token) => ({ ...token, expired: token.expiresAt !== null && token.expiresAt <= now }));
}

/** Revokes a token; `actor` null is an operator (the CLI), who may revoke any. */
export async function revokePersonalToken(ctx: ServiceContext, actor: Actor | null, id: string): Promise<void> {
  const token = await ctx.accounts.getToken(id);
  if (!token || (actor && token.userId !== actor.id)) throw new ServiceError('not_found', `No token with the id ${id}`);
  if (token.revokedAt !== null) throw new ServiceError('conflict', 'This token is already revoked');
  await ctx.accounts.revokeToken(id);
}

/**
 * The user a bearer token belongs to and what the token may do, or null (no
 * such token, or revoked). An expired token is refused with a sentence that
 * says when it ended, so that its script's owner knows to make a new one.
 */
export async function actorForPersonalToken(ctx: ServiceContext, token: string): Promise<{ actor: Actor; scope: TokenScope } | null> {
  if (!token.startsWith(PREFIX)) return null;
  const record = await ctx.accounts.useToken(hashToken(token));
  if (!record) return null;
  if (record.expiresAt !== null && record.expiresAt <= Date.now()) {
    throw new ServiceError('unauthorized', `This access token expired on ${expiryDate(record.expiresAt)}: create a new one in Settings → Access tokens`);
  }
  const user = await ctx.accounts.getUserById(record.userId);
  return user ? { actor: toActor(user), scope: record.scope } : null;
}

export type CollabTokenAnswer = {
  token: string;
  /** What the actor may do on the map's documents now: their role, or viewer on a merged workshop copy. */
  role: Role;
  expiresAt: string;
  /** Set on a workshop copy that was merged: why the role is viewer, and where the work went. */
  merged?: { masterId: string; masterTitle: string; mergedAt: number };
  /** Who last changed the actor's role on the map (someone else), so that a change can be told as "Alice made you a viewer". */
  roleChangedBy?: string;
};

/**
 * A collaboration token for the actor's current role on the map; `maxRole`
 * caps it (a read-only access token reads the live map as a viewer).
 */
export async function issueCollabToken(ctx: ServiceContext, actor: Actor, mapId: string, maxRole: Role = 'owner'): Promise<CollabTokenAnswer> {
  // The one answer that tells a former member what happened (the canvas locks with it); every other route says "no such map".
  await requireRole(ctx, actor, mapId, 'viewer').catch(async (error: unknown) => {
    throw error instanceof ServiceError && error.kind === 'not_found' ? await noAccess(ctx, actor, mapId) : error;
  });
  const current = (await effectiveRole(ctx, mapId, actor.id)) ?? 'viewer';
  const role = roleAtLeast(maxRole, current) ? current : maxRole;
  const mergedInto = await ctx.history.mergedInto(mapId);
  // Only someone on the master learns its title; a guest on the copy reads "its master".
  const master = mergedInto && (await ctx.accounts.getRole(mergedInto.masterId, actor.id)) !== null ? await ctx.store.getMap(mergedInto.masterId) : null;
  const merged = mergedInto ? { masterId: mergedInto.masterId, masterTitle: master?.title ?? 'its master', mergedAt: mergedInto.mergedAt } : undefined;
  const roleChangedBy = (await ctx.accounts.lastRoleChange(mapId, actor.id))?.by;
  // The session generation goes into the token: signing out everywhere refuses the tokens minted before it.
  const sessionGeneration = (await ctx.accounts.getUserById(actor.id))?.sessionGeneration ?? 0;
  const { token, expiresAt } = mintCollabToken(ctx.secret, { userId: actor.id, userName: actor.name, mapId, role, sessionGeneration });
  // The extra fields only when they say something: the answer stays { token, role, expiresAt } otherwise.
  return { token, role, expiresAt: new Date(expiresAt * 1000).toISOString(), ...(merged ? { merged } : {}), ...(roleChangedBy ? { roleChangedBy } : {}) };
}
