import type { Role } from '../../lib/permissions/roles';
import type { FormerAccess } from '../accounts/account-store';
import type { Actor, ServiceContext } from './context';
import { ServiceError } from './service-error';

/** What a former member is told in `details` of the refusal, so that a page can say it in its own words. */
export interface NoAccessDetails {
  access: FormerAccess['reason'];
  by: string;
  at: number;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The collab-token route's refusal for someone who is not a member. Only a former member learns
 * why (removed, or the map deleted, and by whom); to anyone else a map they
 * may not see is "not found", the same as one that does not exist.
 */
export async function noAccess(ctx: ServiceContext, actor: Actor, mapId: string): Promise<ServiceError> {
  const former = await ctx.accounts.formerAccess(mapId, actor.id);
  if (!former) return new ServiceError('not_found', 'No such map, or you are not a member of it');
  const details: NoAccessDetails = { access: former.reason, by: former.by, at: former.at };
  return former.reason === 'deleted'
    ? new ServiceError('not_found', `This map was deleted by ${former.by} on ${day(former.at)}`, details)
    : new ServiceError('not_found', `You no longer have access to this map: ${former.by} removed you on ${day(former.at)}`, details);
}

/**
 * The role a member's sockets get on the map: their role, except on a
 * workshop copy that was merged, which everyone may only read (its work has
 * gone into the master; more edits there would have nowhere to go).
 */
export async function effectiveRole(ctx: Pick<ServiceContext, 'accounts' | 'history'>, mapId: string, userId: string): Promise<Role | null> {
  const role = await ctx.accounts.getRole(mapId, userId);
  if (role === null) return null;
  return (await ctx.history.mergedInto(mapId)) ? 'viewer' : role;
}

/** Refuses a change to the content of a merged workshop copy (409), saying where its work went. */
export async function requireOpenForEdits(ctx: ServiceContext, mapId: string): Promise<void> {
  const merged = await ctx.history.mergedInto(mapId);
  if (!merged) return;
  const master = await ctx.store.getMap(merged.masterId);
  const into = master ? `"${master.title}"` : 'its master';
  throw new ServiceError('conflict', `This workshop copy was merged into ${into} on ${day(merged.mergedAt)}; it is read-only now`);
}
