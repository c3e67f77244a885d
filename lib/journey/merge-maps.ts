import type { z } from 'zod';
import { diffMaps } from './diff';
import { JourneyError } from './errors';
import {
  RESOLUTIONS,
  type ConflictVersion,
  type MapChange,
  type Resolution,
  type Resolutions,
  type StagePlacement,
} from './map-change';
import { orderBySlots, stageSlots, type StageSlot } from './stage-order';
import type { Action, Connection, JourneyMap, PainPoint, Stage, Touchpoint } from './types';
import {
  ActionPatchSchema,
  ActionSchema,
  ConnectionLabelSchema,
  ConnectionSchema,
  PainPointPatchSchema,
  PainPointSchema,
  StageAccountableSchema,
  StageNameSchema,
  StageSchema,
  TouchpointPatchSchema,
  TouchpointSchema,
  formatIssues,
} from './validation';

/**
 * applyChangesToMap(map, changes, resolutions): the map as it is once the
 * changes are applied, as a pure function of plain maps. It is the whole of
 * the merge's logic and all of its checks: applyChanges (apply-changes.ts)
 * computes it from the document first, so that a change that cannot apply
 * throws a JourneyError before anything is written, and then writes only the
 * difference through the schema module.
 *
 * `map` already holds one side (the master, for a merge; the copy, for a
 * refresh); `changes` are chosen changes of the other side, and conflicts.
 * A conflict writes the version of the side its resolution names, so it means
 * the same in either direction: the side already in the map is a no-op.
 *
 * Rules:
 * - one-sided changes are strict: what they change must exist, what they add
 *   must not (else `not_found` / `duplicate`): the map moved on since the diff;
 * - a connection whose two touchpoints are already linked is already there;
 * - touchpoints in a stage that is not on the map, because it was removed or
 *   its addition was not chosen, become unstaged;
 * - a connection restored with a touchpoint is left out where its other end is
 *   not on the map (as deleteTouchpoint takes a touchpoint's links with it);
 * - an action is kept, added or changed whatever became of its touchpoint: an
 *   action outlives its touchpoint (its outcome is still read).
 */
export function applyChangesToMap(map: JourneyMap, changes: readonly MapChange[], resolutions: Resolutions = {}): JourneyMap {
  const ops = plan(changes, resolutions);
  const draft = new Draft(map);
  ops.sort((a, b) => phase(a.version) - phase(b.version));
  for (const op of ops) draft.apply(op);
  return draft.finish();
}

/**
 * What the master becomes when the chosen changes of the copy are merged into
 * it (the preview of a merge: annotate it for "before → after"). The master's
 * own changes are in it already; choosing one of them changes nothing.
 */
export function mergeMaps(
  base: JourneyMap,
  ours: JourneyMap,
  theirs: JourneyMap,
  chosenIds: readonly string[],
  resolutions: Resolutions = {},
): JourneyMap {
  const changes = diffMaps(base, ours, theirs);
  const known = new Map(changes.map((change) => [change.id, change] as const));
  const chosen = new Set<string>();
  for (const id of chosenIds) {
    if (!known.has(id)) throw new JourneyError('invalid', `there is no change ${quote(id)} between the master and the copy`);
    chosen.add(id);
  }
  for (const id of Object.keys(resolutions)) {
    if (known.get(id)?.conflict !== true) {
      throw new JourneyError('invalid', `${quote(id)} is not a conflict between the master and the copy; only a conflict takes a resolution`);
    }
  }
  const selected = changes.filter((change) => chosen.has(change.id) && change.side !== 'master');
  const settled: Record<string, Resolution> = {};
  for (const change of selected) {
    const resolution = own(resolutions, change.id);
    if (change.conflict && resolution !== undefined) settled[change.id] = resolution;
  }
  return applyChangesToMap(ours, selected, settled);
}

// ---------------------------------------------------------------------------

interface Op {
  changeId: string;
  version: ConflictVersion;
  /** From a conflict: the side's version is made to hold, whatever the map holds now. */
  settled: boolean;
}

const quote = (text: string): string => JSON.stringify(text);

/**
 * The same key for a→b and b→a, as validation's pairKey, but without
 * JSON.stringify: the draft indexes every link of the map. The length prefix
 * keeps it unambiguous.
 */
function linkKey(a: string, b: string): string {
  const [first, second] = a < b ? [a, b] : [b, a];
  return `${first.length}:${first}${second}`;
}

function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function isResolution(value: unknown): value is Resolution {
  return RESOLUTIONS.some((resolution) => resolution === value);
}

/** Checks the ids and the resolutions, and picks each conflict's chosen version. */
function plan(changes: readonly MapChange[], resolutions: Resolutions): Op[] {
  const conflicts = new Set<string>();
  const seen = new Set<string>();
  const ops: Op[] = [];
  for (const change of changes) {
    if (seen.has(change.id)) throw new JourneyError('invalid', `change ${quote(change.id)} is listed more than once`);
    seen.add(change.id);
    if (!change.conflict) {
      ops.push({ changeId: change.id, version: change, settled: false });
      continue;
    }
    conflicts.add(change.id);
    const resolution: unknown = own(resolutions, change.id);
    if (resolution === undefined) {
      throw new JourneyError('invalid', `conflict ${quote(change.id)} needs a resolution: "master" or "copy"`);
    }
    if (!isResolution(resolution)) {
      const got = typeof resolution === 'string' ? quote(resolution) : typeof resolution;
      throw new JourneyError('invalid', `the resolution of ${quote(change.id)} must be "master" or "copy" (got ${got})`);
    }
    ops.push({ changeId: change.id, version: change[resolution], settled: true });
  }
  for (const id of Object.keys(resolutions)) {
    if (!seen.has(id)) throw new JourneyError('invalid', `there is a resolution for ${quote(id)}, which is not one of the changes`);
    if (!conflicts.has(id)) throw new JourneyError('invalid', `${quote(id)} is not a conflict; only a conflict takes a resolution`);
  }
  return ops;
}

/**
 * Stages first (a touchpoint may move into a new one), then touchpoints, their
 * pain points, and the connections: removals before additions, so that a link
 * removed and added again between the same two touchpoints is not taken for
 * a duplicate. Actions last: nothing else depends on them.
 */
function phase(version: ConflictVersion): number {
  switch (version.kind) {
    case 'stage.added':
    case 'stage.removed':
    case 'stage.renamed':
    case 'stage.accountableChanged':
    case 'stage.moved':
    case 'stage.kept':
      return 0;
    case 'touchpoint.added':
    case 'touchpoint.removed':
    case 'touchpoint.movedToStage':
    case 'touchpoint.changed':
    case 'touchpoint.repositioned':
    case 'touchpoint.kept':
      return 1;
    case 'painPoint.added':
    case 'painPoint.removed':
    case 'painPoint.edited':
    case 'painPoint.kept':
      return 2;
    case 'connection.removed':
      return 3;
    case 'connection.added':
    case 'connection.relabeled':
    case 'connection.kept':
      return 4;
    case 'action.added':
    case 'action.removed':
    case 'action.changed':
    case 'action.kept':
      return 5;
  }
}

type TouchpointPatch = z.output<typeof TouchpointPatchSchema>;

function patched(touchpoint: Touchpoint, patch: TouchpointPatch): Touchpoint {
  const next: Touchpoint = { ...touchpoint };
  if (patch.stageId !== undefined) next.stageId = patch.stageId;
  if (patch.label !== undefined) next.label = patch.label;
  if (patch.channel !== undefined) next.channel = patch.channel;
  if (patch.owner !== undefined) next.owner = patch.owner;
  if (patch.emotion !== undefined) next.emotion = patch.emotion;
  if (patch.contactVolume !== undefined) next.contactVolume = patch.contactVolume;
  if (patch.externalKey !== undefined) next.externalKey = patch.externalKey;
  if (patch.x !== undefined) next.x = patch.x;
  if (patch.y !== undefined) next.y = patch.y;
  return next;
}

/**
 * The pain points a touchpoint ends up with when made to hold `wanted`
 * through the schema's writes: the ones it keeps stay where they are, edited
 * in place; new ones are appended in order.
 */
function painPointsTowards(current: readonly PainPoint[], wanted: readonly PainPoint[]): PainPoint[] {
  const byId = new Map(wanted.map((painPoint) => [painPoint.id, painPoint] as const));
  const kept: PainPoint[] = [];
  const present = new Set<string>();
  for (const painPoint of current) {
    const next = byId.get(painPoint.id);
    if (next !== undefined) {
      kept.push(next);
      present.add(painPoint.id);
    }
  }
  return [...kept, ...wanted.filter((painPoint) => !present.has(painPoint.id))];
}

class Draft {
  private readonly meta: JourneyMap['meta'];
  /** Actions stay when their touchpoint goes (their outcome is still read): they are never cascaded. */
  private readonly actions: Map<string, Action>;
  private readonly currentOrder: string[];
  private readonly stages = new Map<string, Stage>();
  private readonly touchpoints: Map<string, Touchpoint>;
  private readonly connections: Map<string, Connection>;
  private readonly slots = new Map<string, StageSlot>();
  private baseOrder: readonly string[] | null = null;
  private readonly removedStages = new Set<string>();
  private readonly removedTouchpoints = new Set<string>();
  /** Touchpoints whose stageId this application set: they must name a stage on the map. */
  private readonly restaged = new Set<string>();
  private readonly members: Array<{ stageId: string; touchpointIds: readonly string[] }> = [];
  /** Connections that come back with a kept touchpoint, once every touchpoint is in place. */
  private readonly restoredConnections: Connection[] = [];
  private pairs: Map<string, string> | null = null;
  private cascaded = false;

  constructor(map: JourneyMap) {
    this.meta = map.meta;
    this.actions = new Map(Object.entries(map.actions));
    this.currentOrder = map.stages.map((stage) => stage.id);
    for (const stage of map.stages) if (!this.stages.has(stage.id)) this.stages.set(stage.id, stage);
    this.touchpoints = new Map(Object.entries(map.touchpoints));
    this.connections = new Map(Object.entries(map.connections));
  }

  apply({ changeId, version, settled }: Op): void {
    if (phase(version) >= 2) this.cascade();
    if (phase(version) >= 4) this.restoreConnections();
    const fail = (code: 'invalid' | 'not_found' | 'duplicate' | 'hub_protected' | 'self_loop', message: string): never => {
      throw new JourneyError(code, `change ${quote(changeId)}: ${message}`);
    };
    const parse = <S extends z.ZodType>(schema: S, value: unknown): z.output<S> => {
      const result = schema.safeParse(value);
      if (!result.success) return fail('invalid', formatIssues(result.error));
      return result.data;
    };
    const stage = (id: string): Stage => this.stages.get(id) ?? fail('not_found', `stage ${quote(id)} does not exist`);
    const touchpoint = (id: string): Touchpoint =>
      this.touchpoints.get(id) ?? fail('not_found', `touchpoint ${quote(id)} does not exist`);
    const connection = (id: string): Connection =>
      this.connections.get(id) ?? fail('not_found', `connection ${quote(id)} does not exist`);
    const painPoint = (owner: Touchpoint, id: string): PainPoint =>
      owner.painPoints.find((entry) => entry.id === id) ??
      fail('not_found', `pain point ${quote(id)} does not exist on touchpoint ${quote(owner.id)}`);
    const sameId = (target: string, id: string): void => {
      if (target !== id) fail('invalid', `it addresses ${quote(target)} but carries ${quote(id)}`);
    };
    const place = (stageId: string, placement: StagePlacement): void => {
      this.slots.set(stageId, this.checkPlacement(stageId, placement, fail));
    };
    const newTouchpoint = (value: Touchpoint): Touchpoint => {
      const parsed: Touchpoint = parse(TouchpointSchema, value);
      if (parsed.kind === 'hub') fail('invalid', 'the contact-center hub comes with the map; it cannot be added');
      if (new Set(parsed.painPoints.map((entry) => entry.id)).size !== parsed.painPoints.length) {
        fail('invalid', `touchpoint ${quote(parsed.id)} has two pain points with the same id`);
      }
      return parsed;
    };

    switch (version.kind) {
      case 'stage.added':
      case 'stage.kept': {
        sameId(version.target.stageId, version.after.id);
        const next: Stage = parse(StageSchema, version.after);
        if (this.stages.has(next.id) && !settled) fail('duplicate', `a stage with id ${quote(next.id)} already exists`);
        this.stages.set(next.id, next);
        place(next.id, version.placement);
        if (version.kind === 'stage.kept') this.members.push({ stageId: next.id, touchpointIds: version.members });
        return;
      }
      case 'stage.removed': {
        const id = version.target.stageId;
        if (!this.stages.has(id)) {
          if (settled) return;
          fail('not_found', `stage ${quote(id)} does not exist`);
        }
        this.stages.delete(id);
        this.slots.delete(id);
        this.removedStages.add(id);
        return;
      }
      case 'stage.renamed': {
        const current = stage(version.target.stageId);
        this.stages.set(current.id, { ...current, name: parse(StageNameSchema, version.after) });
        return;
      }
      case 'stage.accountableChanged': {
        const current = stage(version.target.stageId);
        this.stages.set(current.id, { ...current, accountable: parse(StageAccountableSchema, version.after) });
        return;
      }
      case 'stage.moved':
        place(stage(version.target.stageId).id, version.placement);
        return;

      case 'touchpoint.added':
      case 'touchpoint.kept': {
        sameId(version.target.touchpointId, version.after.id);
        const next = newTouchpoint(version.after);
        const current = this.touchpoints.get(next.id);
        if (current !== undefined && !settled) fail('duplicate', `a touchpoint with id ${quote(next.id)} already exists`);
        if (current !== undefined && this.isHub(current)) fail('hub_protected', 'the contact-center hub cannot be replaced');
        this.touchpoints.set(
          next.id,
          current === undefined ? next : { ...next, painPoints: painPointsTowards(current.painPoints, next.painPoints) },
        );
        this.restaged.add(next.id);
        if (version.kind === 'touchpoint.kept') {
          for (const link of version.connections) this.restoredConnections.push(parse(ConnectionSchema, link));
        }
        return;
      }
      case 'touchpoint.removed': {
        const id = version.target.touchpointId;
        const current = this.touchpoints.get(id);
        if (current === undefined) {
          if (settled) return;
          fail('not_found', `touchpoint ${quote(id)} does not exist`);
        } else if (this.isHub(current)) {
          fail('hub_protected', 'the contact-center hub cannot be deleted');
        }
        this.touchpoints.delete(id);
        this.removedTouchpoints.add(id);
        return;
      }
      case 'touchpoint.movedToStage':
      case 'touchpoint.changed':
      case 'touchpoint.repositioned': {
        const current = touchpoint(version.target.touchpointId);
        const patch: TouchpointPatch =
          version.kind === 'touchpoint.repositioned'
            ? parse(TouchpointPatchSchema, { x: version.after.x, y: version.after.y })
            : parse(TouchpointPatchSchema, { [version.field]: version.after });
        if (patch.stageId !== undefined && patch.stageId !== null && this.isHub(current)) {
          fail('hub_protected', 'the contact-center hub belongs to no stage; its stageId stays null');
        }
        this.touchpoints.set(current.id, patched(current, patch));
        if (patch.stageId !== undefined) this.restaged.add(current.id);
        return;
      }

      case 'painPoint.added':
      case 'painPoint.kept': {
        sameId(version.target.painPointId, version.after.id);
        const owner = touchpoint(version.target.touchpointId);
        const next: PainPoint = parse(PainPointSchema, version.after);
        const exists = owner.painPoints.some((entry) => entry.id === next.id);
        if (exists && !settled) {
          fail('duplicate', `a pain point with id ${quote(next.id)} already exists on touchpoint ${quote(owner.id)}`);
        }
        const painPoints = exists
          ? owner.painPoints.map((entry) => (entry.id === next.id ? next : entry))
          : [...owner.painPoints, next];
        this.touchpoints.set(owner.id, { ...owner, painPoints });
        return;
      }
      case 'painPoint.removed': {
        const id = version.target.painPointId;
        const owner = settled ? this.touchpoints.get(version.target.touchpointId) : touchpoint(version.target.touchpointId);
        if (owner === undefined) return;
        if (!owner.painPoints.some((entry) => entry.id === id)) {
          if (settled) return;
          painPoint(owner, id);
        }
        this.touchpoints.set(owner.id, { ...owner, painPoints: owner.painPoints.filter((entry) => entry.id !== id) });
        return;
      }
      case 'painPoint.edited': {
        const owner = touchpoint(version.target.touchpointId);
        const current = painPoint(owner, version.target.painPointId);
        const patch = parse(PainPointPatchSchema, { [version.field]: version.after });
        const next: PainPoint = {
          id: current.id,
          text: patch.text ?? current.text,
          severity: patch.severity ?? current.severity,
          frequency: patch.frequency ?? current.frequency,
        };
        this.touchpoints.set(owner.id, {
          ...owner,
          painPoints: owner.painPoints.map((entry) => (entry.id === current.id ? next : entry)),
        });
        return;
      }

      case 'connection.removed': {
        const id = version.target.connectionId;
        if (!this.connections.has(id)) {
          if (settled) return;
          fail('not_found', `connection ${quote(id)} does not exist`);
        }
        this.removeConnection(id);
        return;
      }
      case 'connection.added':
      case 'connection.kept': {
        sameId(version.target.connectionId, version.after.id);
        const next: Connection = parse(ConnectionSchema, version.after);
        if (next.source === next.target) fail('self_loop', `a connection cannot link touchpoint ${quote(next.source)} to itself`);
        if (this.connections.has(next.id) && !settled) fail('duplicate', `a connection with id ${quote(next.id)} already exists`);
        for (const end of [next.source, next.target]) {
          if (this.touchpoints.has(end)) continue;
          if (settled) return;
          fail('not_found', `the connection links touchpoint ${quote(end)}, which is not on the map`);
        }
        this.putConnection(next, settled);
        return;
      }
      case 'connection.relabeled': {
        const current = connection(version.target.connectionId);
        this.connections.set(current.id, { ...current, label: parse(ConnectionLabelSchema, version.after) });
        return;
      }

      case 'action.added':
      case 'action.kept': {
        sameId(version.target.actionId, version.after.id);
        const next: Action = parse(ActionSchema, version.after);
        if (this.actions.has(next.id) && !settled) fail('duplicate', `an action with id ${quote(next.id)} already exists`);
        this.actions.set(next.id, next);
        return;
      }
      case 'action.removed': {
        const id = version.target.actionId;
        if (!this.actions.has(id)) {
          if (settled) return;
          fail('not_found', `action ${quote(id)} does not exist`);
        }
        this.actions.delete(id);
        return;
      }
      case 'action.changed': {
        const id = version.target.actionId;
        const current = this.actions.get(id) ?? fail('not_found', `action ${quote(id)} does not exist`);
        const patch = parse(ActionPatchSchema, { [version.field]: version.after });
        const next: Action = { ...current, ...patch };
        if (version.field === 'status') {
          // doneAt follows the status, as the side that changed it has it.
          if (next.status === 'done' && typeof version.doneAt !== 'number') fail('invalid', `action ${quote(id)} is done but has no doneAt`);
          next.doneAt = next.status === 'done' ? version.doneAt : null;
        }
        this.actions.set(id, parse(ActionSchema, next));
        return;
      }
    }
  }

  finish(): JourneyMap {
    this.cascade();
    this.restoreConnections();
    this.unstage();
    const order = this.stageOrder();
    const stages: Stage[] = [];
    for (const id of order) {
      const stage = this.stages.get(id);
      if (stage !== undefined) stages.push(stage);
    }
    return {
      meta: this.meta,
      stages,
      touchpoints: Object.fromEntries(this.touchpoints),
      connections: Object.fromEntries(this.connections),
      actions: Object.fromEntries(this.actions),
    };
  }

  private isHub(touchpoint: Touchpoint): boolean {
    return touchpoint.kind === 'hub' || touchpoint.id === this.meta.hubId;
  }

  private checkPlacement(
    stageId: string,
    placement: StagePlacement,
    fail: (code: 'invalid', message: string) => never,
  ): StageSlot {
    const { baseOrder, anchor, slot } = placement;
    if (!Array.isArray(baseOrder) || !baseOrder.every((id) => typeof id === 'string')) {
      return fail('invalid', 'its placement has no order of the stages at the fork');
    }
    if (this.baseOrder === null) {
      this.baseOrder = baseOrder;
    } else if (this.baseOrder.length !== baseOrder.length || this.baseOrder.some((id, index) => baseOrder[index] !== id)) {
      return fail('invalid', 'its placement is relative to another fork than the other changes; they come from different diffs');
    }
    if (anchor !== null && !baseOrder.includes(anchor)) {
      return fail('invalid', `its placement is after stage ${quote(anchor)}, which was not on the map at the fork`);
    }
    if (!Number.isInteger(slot) || slot < -1 || (slot === -1) !== (anchor === stageId)) {
      return fail('invalid', `its placement has an invalid slot (${String(slot)})`);
    }
    return { anchor, slot };
  }

  private pairIndex(): Map<string, string> {
    if (this.pairs === null) {
      this.pairs = new Map();
      for (const [id, connection] of this.connections) this.pairs.set(linkKey(connection.source, connection.target), id);
    }
    return this.pairs;
  }

  private removeConnection(id: string): void {
    const connection = this.connections.get(id);
    if (connection === undefined) return;
    this.connections.delete(id);
    const key = linkKey(connection.source, connection.target);
    if (this.pairs?.get(key) === id) this.pairs.delete(key);
  }

  /**
   * Adds or replaces a connection. Where another connection already links the
   * same two touchpoints, the link is already there; a settled conflict's
   * version takes its place, so that the conflict ends the same in either
   * direction.
   */
  private putConnection(connection: Connection, settled: boolean): void {
    const key = linkKey(connection.source, connection.target);
    const holder = this.pairIndex().get(key);
    if (holder !== undefined && holder !== connection.id) {
      if (!settled) return;
      this.removeConnection(holder);
    }
    this.removeConnection(connection.id);
    this.connections.set(connection.id, connection);
    this.pairIndex().set(key, connection.id);
  }

  /** deleteTouchpoint takes the touchpoint's connections with it. */
  private cascade(): void {
    if (this.cascaded) return;
    this.cascaded = true;
    if (this.removedTouchpoints.size === 0) return;
    for (const [id, connection] of [...this.connections]) {
      if (this.removedTouchpoints.has(connection.source) || this.removedTouchpoints.has(connection.target)) {
        this.removeConnection(id);
      }
    }
  }

  private restoreConnections(): void {
    for (const connection of this.restoredConnections.splice(0)) {
      if (!this.touchpoints.has(connection.source) || !this.touchpoints.has(connection.target)) continue;
      if (connection.source === connection.target) continue;
      const existing = this.connections.get(connection.id);
      if (existing !== undefined && existing.source === connection.source && existing.target === connection.target) continue;
      this.putConnection(connection, true);
    }
  }

  /** A touchpoint in a stage that is not on the map is unstaged; a kept stage takes its touchpoints back. */
  private unstage(): void {
    const unstaged = (id: string): void => {
      const touchpoint = this.touchpoints.get(id);
      if (touchpoint !== undefined && touchpoint.stageId !== null && !this.stages.has(touchpoint.stageId)) {
        this.touchpoints.set(id, { ...touchpoint, stageId: null });
      }
    };
    if (this.removedStages.size > 0) {
      for (const [id, touchpoint] of this.touchpoints) {
        if (touchpoint.stageId !== null && this.removedStages.has(touchpoint.stageId)) unstaged(id);
      }
    }
    for (const id of this.restaged) unstaged(id);
    for (const { stageId, touchpointIds } of this.members) {
      if (!this.stages.has(stageId)) continue;
      for (const id of touchpointIds) {
        const touchpoint = this.touchpoints.get(id);
        if (touchpoint !== undefined && touchpoint.stageId === null && !this.isHub(touchpoint)) {
          this.touchpoints.set(id, { ...touchpoint, stageId });
        }
      }
    }
  }

  /**
   * Stages placed by the changes take their slot from them; every other stage
   * its slot in the map's own order, both relative to the fork, so that the
   * result does not depend on which side the map held.
   */
  private stageOrder(): string[] {
    const ids = [...this.stages.keys()];
    if (this.slots.size === 0 || this.baseOrder === null) return ids;
    const mapSlots = stageSlots(this.baseOrder, this.currentOrder);
    return orderBySlots(ids, (id) => this.slots.get(id) ?? mapSlots.get(id) ?? { anchor: null, slot: 0 }, this.baseOrder);
  }
}
