import { uuidv4 } from 'lib0/random';
import * as Y from 'yjs';
import { annotateMap } from '../../lib/annotations';
import { applyChanges, diffMaps, type MapChange } from '../../lib/journey';
import { roomName } from '../../lib/journey/rooms';
import { readDiscussion, readMap } from '../../lib/journey/schema';
import type { Discussion, JourneyMap } from '../../lib/journey/types';
import { SaveVersionInput } from '../../lib/permissions/history-input';
import type { DocKind } from '../../lib/permissions/roles';
import { DamagedMapError } from '../maps/damaged-map';
import { encodedStates, readState } from '../maps/doc-state';
import { loadMapDoc } from '../maps/load-doc';
import { readStoredDoc, readStoredMap } from '../maps/read-map';
import type { VersionWithState, VersionRecord } from '../store/history-store';
import type { Actor, ServiceContext } from './context';
import { requireOpenForEdits } from './access';
import { requireRole } from './maps';
import { parseInput } from './parse-input';
import { journeyToService } from './journey-errors';
import { heldRooms } from './map-doc';
import { ServiceError } from './service-error';
import { submitUpdate } from './submit-update';

export const SYSTEM_ORIGIN = { userId: 'system', kind: 'system' } as const;

/** Keeps both documents of the map as they are now. */
export async function recordVersion(ctx: ServiceContext, mapId: string, name: string, kind: 'named' | 'auto', createdBy: string): Promise<VersionRecord> {
  // In the server, from the rooms it holds whole: reading a large map back from the store holds the event loop.
  const { mapState, discussionState } = await encodedStates(ctx.store, mapId, heldRooms(ctx));
  const version = { id: uuidv4(), mapId, name, kind, createdBy, createdAt: Date.now(), mapState, discussionState };
  await ctx.history.addVersion(version);
  return { id: version.id, mapId, name, kind, createdBy, createdAt: version.createdAt };
}

export async function saveVersion(ctx: ServiceContext, actor: Actor, mapId: string, input: unknown): Promise<VersionRecord> {
  const { name } = parseInput(SaveVersionInput, input);
  await requireRole(ctx, actor, mapId, 'editor');
  return recordVersion(ctx, mapId, name, 'named', actor.email);
}

export async function listVersions(ctx: ServiceContext, actor: Actor, mapId: string): Promise<VersionRecord[]> {
  await requireRole(ctx, actor, mapId, 'viewer');
  return ctx.history.listVersions(mapId);
}

export interface VersionView {
  version: VersionRecord;
  map: JourneyMap;
  discussion: Discussion;
  /** What changed since this version: each change's side is `copy`, meaning "now" (none when the map is damaged). */
  changes: MapChange[];
  /** The map's stored state cannot be read now: restoring this version (its owner) repairs it. */
  damaged: boolean;
}

/** A version to read: its plain documents and what has changed since. */
export async function getVersion(ctx: ServiceContext, actor: Actor, mapId: string, versionId: string): Promise<VersionView> {
  await requireRole(ctx, actor, mapId, 'viewer');
  const stored = await ctx.history.getVersion(mapId, versionId);
  if (!stored) throw new ServiceError('not_found', `No version ${versionId} of this map`);
  const { mapState, discussionState, ...version } = stored;
  const then = readState(mapState, readMap);
  const discussion = readState(discussionState, readDiscussion);
  try {
    const now = (await readStoredMap(ctx.store, mapId, heldRooms(ctx))).map;
    return { version, map: then, discussion, changes: diffMaps(then, then, now), damaged: false };
  } catch (error) {
    if (!(error instanceof DamagedMapError)) throw error;
    return { version, map: then, discussion, changes: [], damaged: true };
  }
}

/**
 * Makes the map equal to a version by a new edit: everything that changed
 * since is changed back, live for everyone, and the edit is itself history
 * (an automatic version of the state before it is kept).
 */
export async function restoreVersion(ctx: ServiceContext, actor: Actor, mapId: string, versionId: string): Promise<RestoreResult> {
  const { role } = await requireRole(ctx, actor, mapId, 'editor');
  await requireOpenForEdits(ctx, mapId);
  const stored = await ctx.history.getVersion(mapId, versionId);
  if (!stored) throw new ServiceError('not_found', `No version ${versionId} of this map`);
  const damaged = await damagedDocs(ctx, mapId);
  if (damaged.length > 0) {
    if (role !== 'owner') throw new ServiceError('forbidden', 'This map is damaged: only its owner can restore a saved version to repair it');
    return repairFromVersion(ctx, actor, stored, damaged);
  }
  const backup = await recordVersion(ctx, mapId, `Before restoring "${stored.name}"`, 'auto', actor.email);
  const target = readState(stored.mapState, readMap);
  const changes = await editMap(ctx, mapId, (doc) => {
    const current = readMap(doc);
    const all = diffMaps(current, current, target);
    applyChanges(doc, all, {}, SYSTEM_ORIGIN);
    return all.length;
  });
  await ctx.accounts.audit({ mapId, actorEmail: actor.email, action: 'version.restored', targetEmail: null, detail: { version: stored.name, versionId, changes } });
  const { mapState: _m, discussionState: _d, ...restored } = stored;
  return { restored, backup, changes, repaired: [] };
}

export interface RestoreResult {
  restored: VersionRecord;
  /** The automatic version of the state before the restore; null when that state could not be read (a repair). */
  backup: VersionRecord | null;
  changes: number;
  /** The documents that could not be read and now hold the version's state (empty for a plain restore). */
  repaired: DocKind[];
}

/** The map's documents that cannot be loaded or read now. */
async function damagedDocs(ctx: ServiceContext, mapId: string): Promise<DocKind[]> {
  const kinds: DocKind[] = [];
  for (const kind of ['map', 'discussion'] as const) {
    try {
      await readStoredDoc<unknown>(ctx.store, mapId, kind, kind === 'map' ? readMap : readDiscussion);
    } catch (error) {
      if (!(error instanceof DamagedMapError)) throw error;
      kinds.push(kind);
    }
  }
  return kinds;
}

/**
 * A damaged map cannot be restored by an edit (there is nothing to edit on):
 * each document that cannot be read is replaced whole by the version's state.
 * What it held is kept in the store's set-aside table for an operator, the
 * documents that can be read stay as they are, and sockets on a replaced
 * document reconnect to the new state.
 */
async function repairFromVersion(ctx: ServiceContext, actor: Actor, stored: VersionWithState, kinds: DocKind[]): Promise<RestoreResult> {
  const { mapState, discussionState, ...restored } = stored;
  for (const kind of kinds) {
    const room = roomName(stored.mapId, kind);
    await ctx.live.replaceRoom(room, () => ctx.store.replaceState(room, kind === 'map' ? mapState : discussionState, `unreadable; replaced by version "${stored.name}" restored by ${actor.email}`));
  }
  await ctx.accounts.audit({ mapId: stored.mapId, actorEmail: actor.email, action: 'version.restored', targetEmail: null, detail: { version: stored.name, versionId: stored.id, repaired: kinds } });
  return { restored, backup: null, changes: 0, repaired: kinds };
}

/**
 * Runs an edit of a map's document on a scratch copy of what is stored and
 * sends the resulting update through the collaboration server (stored first,
 * then live for everyone connected), or straight to the store from the CLI.
 */
export async function editMap<T>(ctx: ServiceContext, mapId: string, edit: (doc: Y.Doc) => T): Promise<T> {
  // The map document alone, loaded once: not both documents loaded, encoded and the map decoded again.
  const doc = await loadMapDoc(ctx.store, mapId, 'map');
  try {
    const before = Y.encodeStateVector(doc);
    const result = journeyToService(() => edit(doc));
    const update = Y.encodeStateAsUpdate(doc, before);
    const room = roomName(mapId, 'map');
    await submitUpdate(ctx, room, update);
    return result;
  } finally {
    doc.destroy();
  }
}

/** The annotation figures a merge preview compares. */
export function headline(map: JourneyMap) {
  const a = annotateMap(map);
  return { ownershipGaps: a.ownershipGaps, hotspotStageId: a.hotspotStageId, failureDemand: a.failureDemand };
}
