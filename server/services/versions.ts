import { uuidv4 } from 'lib0/random';
import * as Y from 'yjs';
import { annotateMap } from '../../lib/annotations';
import { applyChanges, diffMaps, type MapChange } from '../../lib/journey';
import { roomName } from '../../lib/journey/rooms';
import { readDiscussion, readMap } from '../../lib/journey/schema';
import type { Discussion, JourneyMap } from '../../lib/journey/types';
import { SaveVersionInput } from '../../lib/permissions/history-input';
import { docFromState, encodedStates } from '../maps/doc-state';
import type { VersionRecord } from '../store/history-store';
import type { Actor, ServiceContext } from './context';
import { requireOpenForEdits } from './access';
import { requireRole } from './maps';
import { parseInput } from './parse-input';
import { journeyToService } from './journey-errors';
import { ServiceError } from './service-error';

export const SYSTEM_ORIGIN = { userId: 'system', kind: 'system' } as const;

/** Keeps both documents of the map as they are now. */
export async function recordVersion(ctx: ServiceContext, mapId: string, name: string, kind: 'named' | 'auto', createdBy: string): Promise<VersionRecord> {
  const { mapState, discussionState } = await encodedStates(ctx.store, mapId);
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
  /** What changed since this version: each change's side is `copy`, meaning "now". */
  changes: MapChange[];
}

/** A version to read: its plain documents and what has changed since. */
export async function getVersion(ctx: ServiceContext, actor: Actor, mapId: string, versionId: string): Promise<VersionView> {
  await requireRole(ctx, actor, mapId, 'viewer');
  const stored = await ctx.history.getVersion(mapId, versionId);
  if (!stored) throw new ServiceError('not_found', `No version ${versionId} of this map`);
  const { mapState, discussionState, ...version } = stored;
  const then = plainOf(mapState, readMap);
  const now = plainOf((await encodedStates(ctx.store, mapId)).mapState, readMap);
  return { version, map: then, discussion: plainOf(discussionState, readDiscussion), changes: diffMaps(then, then, now) };
}

/**
 * Makes the map equal to a version by a new edit: everything that changed
 * since is changed back, live for everyone, and the edit is itself history
 * (an automatic version of the state before it is kept).
 */
export async function restoreVersion(ctx: ServiceContext, actor: Actor, mapId: string, versionId: string): Promise<{ restored: VersionRecord; backup: VersionRecord; changes: number }> {
  await requireRole(ctx, actor, mapId, 'editor');
  await requireOpenForEdits(ctx, mapId);
  const stored = await ctx.history.getVersion(mapId, versionId);
  if (!stored) throw new ServiceError('not_found', `No version ${versionId} of this map`);
  const backup = await recordVersion(ctx, mapId, `Before restoring "${stored.name}"`, 'auto', actor.email);
  const target = plainOf(stored.mapState, readMap);
  const changes = await editMap(ctx, mapId, (doc) => {
    const current = readMap(doc);
    const all = diffMaps(current, current, target);
    applyChanges(doc, all, {}, SYSTEM_ORIGIN);
    return all.length;
  });
  await ctx.accounts.audit({ mapId, actorEmail: actor.email, action: 'version.restored', targetEmail: null, detail: { version: stored.name, versionId, changes } });
  const { mapState: _m, discussionState: _d, ...restored } = stored;
  return { restored, backup, changes };
}

function plainOf<T>(state: Uint8Array, read: (doc: Y.Doc) => T): T {
  const doc = docFromState(state);
  try {
    return read(doc);
  } finally {
    doc.destroy();
  }
}

/**
 * Runs an edit of a map's document on a scratch copy of what is stored and
 * sends the resulting update through the collaboration server (stored first,
 * then live for everyone connected), or straight to the store from the CLI.
 */
export async function editMap<T>(ctx: ServiceContext, mapId: string, edit: (doc: Y.Doc) => T): Promise<T> {
  const doc = docFromState((await encodedStates(ctx.store, mapId)).mapState);
  try {
    const before = Y.encodeStateVector(doc);
    const result = journeyToService(() => edit(doc));
    const update = Y.encodeStateAsUpdate(doc, before);
    const room = roomName(mapId, 'map');
    if (ctx.collab) await ctx.collab.submitServerUpdate(room, update);
    else await ctx.store.append([{ room, update }]);
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
