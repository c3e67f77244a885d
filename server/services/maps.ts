import * as Y from 'yjs';
import { annotateMap } from '../../lib/annotations';
import type { MapAnnotations } from '../../lib/annotations/types';
import { roomName } from '../../lib/journey/rooms';
import { setMapTitle } from '../../lib/journey/schema';
import { CreateMapInput, UpdateMapInput } from '../../lib/permissions/input';
import { roleAtLeast, type Role } from '../../lib/permissions/roles';
import { createMapFromTemplate } from '../maps/create-map';
import { DamagedMapError, damagedMessage } from '../maps/damaged-map';
import { withStoredDoc } from '../maps/load-doc';
import { readStoredMap } from '../maps/read-map';
import type { MapRecord } from '../store/doc-store';
import type { Actor, ServiceContext } from './context';
import { requireOpenForEdits } from './access';
import { heldRooms } from './map-doc';
import { parseInput } from './parse-input';
import { ServiceError } from './service-error';
import { submitUpdate } from './submit-update';

export interface MapSummary {
  id: string;
  title: string;
  role: Role;
  createdAt: number;
  updatedAt: number;
  /** Null when the map is damaged: nothing of it can be read. */
  summary: { hotspotStage: string | null; ownershipGaps: number; failureDemand: number; hubCoverage: number | null } | null;
  /** Its stored state cannot be read: the list shows it, its owner can restore a saved version. */
  damaged: boolean;
  /** What that means to the person asking, and what they can do; null when the map is fine. */
  damagedMessage: string | null;
}

/**
 * The actor's role on the map, or a ServiceError. A map the actor may not
 * see is "not found", the same as one that does not exist: no answer tells
 * which maps exist.
 */
export async function requireRole(ctx: ServiceContext, actor: Actor, mapId: string, atLeast: Role): Promise<{ map: MapRecord; role: Role }> {
  const map = await ctx.store.getMap(mapId);
  const role = map ? await ctx.accounts.getRole(mapId, actor.id) : null;
  if (!map || !role) throw new ServiceError('not_found', 'No such map, or you are not a member of it');
  if (!roleAtLeast(role, atLeast)) throw new ServiceError('forbidden', `This needs the ${atLeast} role or higher; you are ${role === 'owner' ? 'the owner' : `${role === 'editor' ? 'an' : 'a'} ${role}`}`);
  return { map, role };
}

export async function annotationsOf(ctx: ServiceContext, mapId: string): Promise<MapAnnotations> {
  const { map, discussion } = await readStoredMap(ctx.store, mapId, heldRooms(ctx));
  return annotateMap(map, discussion);
}

/** One map of a list: a map that cannot be read is listed as damaged, never fails the list. */
export async function summarizeMap(ctx: ServiceContext, map: MapRecord, role: Role): Promise<MapSummary> {
  const about = { id: map.id, title: map.title, role, createdAt: map.createdAt, updatedAt: map.updatedAt };
  let a: MapAnnotations;
  try {
    a = await annotationsOf(ctx, map.id);
  } catch (error) {
    if (!(error instanceof DamagedMapError)) throw error;
    return { ...about, summary: null, damaged: true, damagedMessage: damagedMessage(role) };
  }
  const hotspot = a.stages.find((s) => s.stageId === a.hotspotStageId);
  return {
    ...about,
    summary: { hotspotStage: hotspot?.name ?? null, ownershipGaps: a.ownershipGaps, failureDemand: a.failureDemand, hubCoverage: a.hubCoverage },
    damaged: false,
    damagedMessage: null,
  };
}

/** Whether the map's stored state can be read: null, or the DamagedMapError that says which document cannot. */
export async function mapDamage(ctx: ServiceContext, mapId: string): Promise<DamagedMapError | null> {
  try {
    await readStoredMap(ctx.store, mapId, heldRooms(ctx));
    return null;
  } catch (error) {
    if (error instanceof DamagedMapError) return error;
    throw error;
  }
}

export async function listMaps(ctx: ServiceContext, actor: Actor): Promise<MapSummary[]> {
  const memberships = await ctx.accounts.listMemberships(actor.id);
  const roles = new Map(memberships.map((m) => [m.mapId, m.role]));
  const maps = (await ctx.store.listMaps()).filter((m) => roles.has(m.id));
  return Promise.all(maps.map((m) => summarizeMap(ctx, m, roles.get(m.id) ?? 'viewer')));
}

export async function getMap(ctx: ServiceContext, actor: Actor, mapId: string): Promise<MapSummary> {
  const { map, role } = await requireRole(ctx, actor, mapId, 'viewer');
  return summarizeMap(ctx, map, role);
}

/** `prepare` writes more into the new map document before it is stored (the first start's demo actions). */
export async function createMap(ctx: ServiceContext, actor: Actor, input: unknown, prepare?: (doc: Y.Doc) => void): Promise<MapSummary> {
  const { title, template } = parseInput(CreateMapInput, input);
  const map = await createMapFromTemplate(ctx.store, { title, template, ...(prepare ? { prepare } : {}) });
  await ctx.accounts.setMember(map.id, actor.id, 'owner', {
    mapId: map.id,
    actorEmail: actor.email,
    action: 'map.created',
    targetEmail: null,
    detail: { title, template },
  });
  return summarizeMap(ctx, map, 'owner');
}

/** Renames the map: its record and the title inside the map document, live for everyone on it. */
export async function renameMap(ctx: ServiceContext, actor: Actor, mapId: string, input: unknown): Promise<MapSummary> {
  const { title } = parseInput(UpdateMapInput, input);
  const { role } = await requireRole(ctx, actor, mapId, 'editor');
  await requireOpenForEdits(ctx, mapId);
  const update = await titleUpdate(ctx, mapId, title);
  await submitUpdate(ctx, roomName(mapId, 'map'), update);
  const map = await ctx.store.renameMap(mapId, title);
  await ctx.accounts.audit({ mapId, actorEmail: actor.email, action: 'map.renamed', targetEmail: null, detail: { title } });
  return summarizeMap(ctx, map, role);
}

/** The Yjs update that sets the title, made on a scratch copy of the stored document so that nothing is applied before it is stored. */
async function titleUpdate(ctx: ServiceContext, mapId: string, title: string): Promise<Uint8Array> {
  return withStoredDoc(ctx.store, mapId, 'map', (doc) => {
    const before = Y.encodeStateVector(doc);
    setMapTitle(doc, title, { userId: 'system', kind: 'system' });
    return Y.encodeStateAsUpdate(doc, before);
  });
}

export async function deleteMap(ctx: ServiceContext, actor: Actor, mapId: string): Promise<void> {
  const { map } = await requireRole(ctx, actor, mapId, 'owner');
  await ctx.accounts.deleteMap(mapId, { mapId, actorEmail: actor.email, action: 'map.deleted', targetEmail: null, detail: { title: map.title } });
  ctx.live.closeMap(mapId);
}
