import * as Y from 'yjs';
import { applyChanges, diffMaps, type MapChange, type Resolutions } from '../../lib/journey';
import { roomName } from '../../lib/journey/rooms';
import { deleteComment, readDiscussion, readMap, setMapTitle } from '../../lib/journey/schema';
import type { Role } from '../../lib/permissions/roles';
import type { MemberRecord } from '../accounts/account-store';
import type { JourneyMap } from '../../lib/journey/types';
import { MergeInput, RefreshInput, SetMasterInput, StartWorkshopInput } from '../../lib/permissions/history-input';
import { DamagedMapError, damagedMessage } from '../maps/damaged-map';
import { docFromState, encodedStates, readState } from '../maps/doc-state';
import { newMapId } from '../maps/create-map';
import { readStoredDoc } from '../maps/read-map';
import type { WorkshopCopyRecord } from '../store/history-store';
import { snapshotDigest } from '../store/snapshot-digest';
import type { Actor, ServiceContext } from './context';
import { heldRooms } from './map-doc';
import { getMap, requireRole, type MapSummary } from './maps';
import { parseInput } from './parse-input';
import { journeyToService } from './journey-errors';
import { ServiceError } from './service-error';
import { SYSTEM_ORIGIN, editMap, recordVersion } from './versions';

export async function setMaster(ctx: ServiceContext, actor: Actor, mapId: string, input: unknown): Promise<{ id: string; master: boolean }> {
  const { master } = parseInput(SetMasterInput, input);
  await requireRole(ctx, actor, mapId, 'owner');
  if (master && (await ctx.history.getWorkshopCopy(mapId))) throw new ServiceError('conflict', 'A workshop copy cannot be a master; start the workshop from the master');
  await ctx.history.setMaster(mapId, master);
  await ctx.accounts.audit({ mapId, actorEmail: actor.email, action: master ? 'map.marked_master' : 'map.unmarked_master', targetEmail: null, detail: null });
  return { id: mapId, master };
}

/**
 * A workshop copy of a master: a new map with the master's content now (the
 * map, and its comments when asked for), the master's members with their
 * roles, its starter as owner, and the master's state kept as the base that
 * its changes are measured against.
 */
export async function startWorkshop(ctx: ServiceContext, actor: Actor, masterId: string, input: unknown): Promise<MapSummary> {
  const { title, withComments } = parseInput(StartWorkshopInput, input ?? {});
  const { map: master } = await requireRole(ctx, actor, masterId, 'editor');
  if (!(await ctx.history.isMaster(masterId))) throw new ServiceError('conflict', 'Only a master map has workshop copies; its owner can mark it as master');
  const { mapState, discussionState } = await encodedStates(ctx.store, masterId, heldRooms(ctx));
  const id = newMapId();
  const copyTitle = title ?? `${master.title} — workshop ${new Date().toISOString().slice(0, 10)}`;
  const copyDiscussion = withComments ? discussionState : editedState(discussionState, withoutComments);
  await ctx.store.createMap({ id, title: copyTitle, template: 'workshop' }, { [roomName(id, 'map')]: mapState, [roomName(id, 'discussion')]: copyDiscussion });
  // The copy's own title inside its document; meta is outside the diff, so this is no change to merge.
  await editMap(ctx, id, (doc) => setMapTitle(doc, copyTitle, SYSTEM_ORIGIN));
  await ctx.history.addWorkshopCopy({ mapId: id, masterId, baseMapState: mapState, baseDiscussionState: discussionState, startedBy: actor.email, startedAt: Date.now() });
  const members = copiedMembers(await ctx.accounts.listMembers(masterId), actor.id);
  await ctx.accounts.setMembers(id, members, {
    mapId: id,
    actorEmail: actor.email,
    action: 'workshop.started',
    targetEmail: null,
    detail: { masterId, masterTitle: master.title, members: members.length, withComments },
  });
  await ctx.accounts.audit({ mapId: masterId, actorEmail: actor.email, action: 'workshop.started', targetEmail: null, detail: { copyId: id, title: copyTitle } });
  return getMap(ctx, actor, id);
}

/**
 * The copy's members: the master's, roles kept, with the starter as owner. A
 * map has one owner, so the master's owner is an editor of a copy someone
 * else started.
 */
export function copiedMembers(masterMembers: readonly MemberRecord[], starterId: string): Array<{ userId: string; role: Role }> {
  const members: Array<{ userId: string; role: Role }> = [{ userId: starterId, role: 'owner' }];
  for (const member of masterMembers) {
    if (member.userId === starterId) continue;
    members.push({ userId: member.userId, role: member.role === 'owner' ? 'editor' : member.role });
  }
  return members;
}

/** Empties the comments of a discussion document (a copy's, before anyone joins); votes stay. */
function withoutComments(doc: Y.Doc): void {
  const discussion = readDiscussion(doc);
  for (const comment of Object.values(discussion.comments)) deleteComment(doc, comment.id, SYSTEM_ORIGIN);
}

/** `state` with an edit made on a scratch document, encoded again. */
function editedState(state: Uint8Array, edit: (doc: Y.Doc) => void): Uint8Array {
  const doc = docFromState(state);
  try {
    edit(doc);
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

interface Sides {
  copy: WorkshopCopyRecord;
  base: JourneyMap;
  master: JourneyMap;
  theirs: JourneyMap;
}

/**
 * The three maps of a copy's diff: the master and the copy as stored (damaged
 * when either document of either cannot be loaded), the base as forked. Every
 * participant opening the copy's page asks for them, and a load holds the
 * event loop (every socket of the process) for as long as it decodes: read
 * off the rooms this process holds exactly as stored, else each document is
 * loaded once (not loaded, encoded and decoded again).
 */
async function sidesOf(ctx: ServiceContext, copy: WorkshopCopyRecord): Promise<Sides> {
  const held = heldRooms(ctx);
  const side = async (mapId: string): Promise<JourneyMap> => {
    const map = await readStoredDoc(ctx.store, mapId, 'map', readMap, held);
    // Not needed for the diff, but a copy or master whose comments cannot be loaded is damaged, as its page says.
    await readStoredDoc(ctx.store, mapId, 'discussion', () => undefined, held);
    return map;
  };
  const [master, theirs] = await Promise.all([side(copy.masterId), side(copy.mapId)]);
  return { copy, base: forkedMap(copy.baseMapState), master, theirs };
}

/** Plain maps of the last few bases, by their fingerprint; shared, so never changed (lib/journey's diff only reads them). */
const forkedMaps = new Map<string, JourneyMap>();
const FORKED_MAPS_KEPT = 4;

/**
 * A copy's base as a plain map. It changes only when a refresh rebases the
 * copy, and decoding it was the largest part of every page open and diff of
 * the copy once the master and the copy came off their rooms (bench:reads):
 * kept, by the MD5 of its state, for the copies last asked about.
 */
function forkedMap(state: Uint8Array): JourneyMap {
  const key = snapshotDigest(state);
  const kept = forkedMaps.get(key);
  forkedMaps.delete(key);
  const map = kept ?? readState(state, readMap);
  forkedMaps.set(key, map);
  for (const oldest of forkedMaps.keys()) {
    if (forkedMaps.size <= FORKED_MAPS_KEPT) break;
    forkedMaps.delete(oldest);
  }
  return map;
}

async function requireCopy(ctx: ServiceContext, copyId: string): Promise<WorkshopCopyRecord> {
  const copy = await ctx.history.getWorkshopCopy(copyId);
  if (!copy) throw new ServiceError('not_found', 'This map is not a workshop copy');
  if (!(await ctx.store.getMap(copy.masterId))) throw new ServiceError('conflict', 'The master of this workshop copy was deleted');
  return copy;
}

export interface WorkshopSummary {
  id: string;
  title: string;
  startedBy: string;
  startedAt: number;
  status: 'open' | 'merged';
  mergedAt: number | null;
  /** Changes made in the copy since the fork (or the last refresh); null, as the other counts, when the copy or the master cannot be read. */
  copyChanges: number | null;
  /** Changes made in the master since then. */
  masterChanges: number | null;
  conflicts: number | null;
  /** The copy's stored state cannot be read: listed, never failing the list; its owner can restore a saved version. */
  damaged: boolean;
  damagedMessage: string | null;
}

function count(changes: MapChange[]) {
  return {
    copyChanges: changes.filter((c) => c.side === 'copy').length,
    masterChanges: changes.filter((c) => c.side === 'master').length,
    conflicts: changes.filter((c) => c.conflict).length,
  };
}

/** The master's workshop copies, newest first. */
export async function listWorkshops(ctx: ServiceContext, actor: Actor, masterId: string): Promise<WorkshopSummary[]> {
  await requireRole(ctx, actor, masterId, 'viewer');
  const copies = await ctx.history.listWorkshopCopies(masterId);
  const summaries = await Promise.all(
    copies.map(async (copy): Promise<WorkshopSummary | null> => {
      const map = await ctx.store.getMap(copy.mapId);
      if (!map) return null;
      const about = { id: copy.mapId, title: map.title, startedBy: copy.startedBy, startedAt: copy.startedAt, status: copy.status, mergedAt: copy.mergedAt };
      try {
        const { base, master, theirs } = await sidesOf(ctx, copy);
        return { ...about, ...count(diffMaps(base, master, theirs)), damaged: false, damagedMessage: null };
      } catch (error) {
        if (!(error instanceof DamagedMapError)) throw error;
        const copyDamaged = error.mapId === copy.mapId;
        const message = copyDamaged ? damagedMessage(await ctx.accounts.getRole(copy.mapId, actor.id)) : null;
        return { ...about, copyChanges: null, masterChanges: null, conflicts: null, damaged: copyDamaged, damagedMessage: message };
      }
    }),
  );
  return summaries.filter((s): s is WorkshopSummary => s !== null);
}

export interface WorkshopInfo {
  masterId: string;
  /** Null, like the two counts below, for a person on the copy only: they see nothing of the master but what the copy holds. */
  masterTitle: string | null;
  status: 'open' | 'merged';
  startedBy: string;
  startedAt: number;
  /** Null, as the counts below, when the copy or the master cannot be read (damaged). */
  copyChanges: number | null;
  masterChanges: number | null;
  conflicts: number | null;
  /** The viewer may merge into the master (an editor or owner there). */
  canMerge: boolean;
}

/** For the copy's page: "workshop of <master>", and how far the master has moved since the fork. */
export async function workshopInfo(ctx: ServiceContext, actor: Actor, copyId: string): Promise<WorkshopInfo | null> {
  await requireRole(ctx, actor, copyId, 'viewer');
  const copy = await ctx.history.getWorkshopCopy(copyId);
  const master = copy ? await ctx.store.getMap(copy.masterId) : null;
  if (!copy || !master) return null;
  const role = await ctx.accounts.getRole(copy.masterId, actor.id);
  const about = { masterId: copy.masterId, status: copy.status, startedBy: copy.startedBy, startedAt: copy.startedAt };
  let sides: Sides;
  try {
    sides = await sidesOf(ctx, copy);
  } catch (error) {
    if (!(error instanceof DamagedMapError)) throw error;
    return { ...about, masterTitle: role === null ? null : master.title, copyChanges: null, masterChanges: null, conflicts: null, canMerge: false };
  }
  const { base, master: ours, theirs } = sides;
  if (role === null) {
    // The base is the copy's own: against it alone, the copy's changes say nothing of the master now.
    return { ...about, masterTitle: null, copyChanges: count(diffMaps(base, base, theirs)).copyChanges, masterChanges: null, conflicts: null, canMerge: false };
  }
  return { ...about, masterTitle: master.title, ...count(diffMaps(base, ours, theirs)), canMerge: role === 'owner' || role === 'editor' };
}

export interface WorkshopDiff {
  masterId: string;
  copyId: string;
  status: 'open' | 'merged';
  changes: MapChange[];
  /** The three plain maps, so that a review can preview any selection (mergeMaps + annotateMap) without asking again. */
  base: JourneyMap;
  master: JourneyMap;
  copy: JourneyMap;
}

/** A copy against its master: readable by anyone who may read both. */
export async function diffWorkshop(ctx: ServiceContext, actor: Actor, copyId: string): Promise<WorkshopDiff> {
  await requireRole(ctx, actor, copyId, 'viewer');
  const copy = await requireCopy(ctx, copyId);
  await requireRole(ctx, actor, copy.masterId, 'viewer');
  const { base, master, theirs } = await sidesOf(ctx, copy);
  return { masterId: copy.masterId, copyId, status: copy.status, changes: diffMaps(base, master, theirs), base, master, copy: theirs };
}

/** The chosen changes of `side`, checked: every id known, conflicts resolved, nothing of the other side. */
function choose(changes: MapChange[], ids: readonly string[], resolutions: Resolutions, side: 'copy' | 'master'): MapChange[] {
  const byId = new Map(changes.map((c) => [c.id, c]));
  const chosen: MapChange[] = [];
  for (const id of new Set(ids)) {
    const change = byId.get(id);
    if (!change) throw new ServiceError('bad_request', `There is no change "${id}" between the copy and its master now; reload the review`);
    if (change.side !== side && !change.conflict) throw new ServiceError('bad_request', `"${id}" is a change of the ${change.side}, not of the ${side}`);
    if (change.conflict && resolutions[id] === undefined) throw new ServiceError('bad_request', `"${id}" is a conflict: say which side wins ("copy" or "master")`);
    chosen.push(change);
  }
  for (const id of Object.keys(resolutions)) {
    if (!chosen.some((c) => c.id === id && c.conflict)) throw new ServiceError('bad_request', `"${id}" is not a chosen conflict; only those take a resolution`);
  }
  return chosen;
}

/**
 * Merges the chosen changes of a copy into its master, live for everyone on
 * the master. Rights are checked on the master; an automatic version of the
 * master is kept first, and the merge goes into the master's audit log.
 */
export async function mergeWorkshop(ctx: ServiceContext, actor: Actor, copyId: string, input: unknown): Promise<{ masterId: string; applied: number }> {
  const { changes: ids, resolutions } = parseInput(MergeInput, input);
  // The copy first: to someone who is not a member, no answer tells which maps are workshop copies.
  await requireRole(ctx, actor, copyId, 'viewer');
  const copy = await requireCopy(ctx, copyId);
  await requireRole(ctx, actor, copy.masterId, 'editor');
  if (copy.status === 'merged') throw new ServiceError('conflict', 'This workshop copy was merged already');
  const { base, master, theirs } = await sidesOf(ctx, copy);
  const chosen = choose(diffMaps(base, master, theirs), ids, resolutions, 'copy');
  const copyMap = await ctx.store.getMap(copyId);
  await recordVersion(ctx, copy.masterId, `Before merging "${copyMap?.title ?? copyId}"`, 'auto', actor.email);
  await editMap(ctx, copy.masterId, (doc) => applyChanges(doc, chosen, resolutions, SYSTEM_ORIGIN));
  await ctx.history.markMerged(copyId, actor.email);
  // The copy is read-only from now on: its open sockets reconnect as viewers and show why.
  ctx.live.reopenMap(copyId);
  await ctx.accounts.audit({
    mapId: copy.masterId,
    actorEmail: actor.email,
    action: 'workshop.merged',
    targetEmail: null,
    detail: { copyId, title: copyMap?.title ?? null, changes: chosen.map((c) => c.id), conflicts: Object.keys(resolutions).length },
  });
  return { masterId: copy.masterId, applied: chosen.length };
}

/**
 * Pulls the master's changes into the copy (all that are not conflicts, or
 * the chosen ones); the copy's base moves on by what was pulled.
 */
export async function refreshWorkshop(ctx: ServiceContext, actor: Actor, copyId: string, input: unknown): Promise<{ applied: number }> {
  const { changes: ids, resolutions } = parseInput(RefreshInput, input ?? {});
  await requireRole(ctx, actor, copyId, 'editor');
  const copy = await requireCopy(ctx, copyId);
  await requireRole(ctx, actor, copy.masterId, 'viewer');
  if (copy.status === 'merged') throw new ServiceError('conflict', 'This workshop copy was merged already');
  const masterStates = await encodedStates(ctx.store, copy.masterId, heldRooms(ctx));
  const { base, master, theirs } = await sidesOf(ctx, copy);
  const changes = diffMaps(base, master, theirs);
  const chosen = ids ? choose(changes, ids, resolutions, 'master') : changes.filter((c) => c.side === 'master' && !c.conflict);
  // The new base is the fork plus what was pulled, with the master's value of each settled
  // conflict. Not the master's whole state: a master change left out would then read as a
  // change of the copy that undoes it, and a conflict left out as the copy's plain change.
  const masterWins: Resolutions = Object.fromEntries(chosen.filter((c) => c.conflict).map((c) => [c.id, 'master' as const]));
  const newBase = editedState(copy.baseMapState, (doc) => journeyToService(() => applyChanges(doc, chosen, masterWins, SYSTEM_ORIGIN)));
  await editMap(ctx, copyId, (doc) => journeyToService(() => applyChanges(doc, chosen, resolutions, SYSTEM_ORIGIN)));
  await ctx.history.rebaseWorkshopCopy(copyId, newBase, masterStates.discussionState);
  await ctx.accounts.audit({ mapId: copyId, actorEmail: actor.email, action: 'workshop.refreshed', targetEmail: null, detail: { changes: chosen.length } });
  return { applied: chosen.length };
}
