import { ACTION_STATUS_WORDS } from './actions';
import {
  changeId,
  editAspect,
  type ChangeSide,
  type ActionAdded,
  type ActionChanged,
  type ActionKept,
  type ActionRemoved,
  type ConflictVersion,
  type ConnectionAdded,
  type ConnectionKept,
  type ConnectionRemoved,
  type MapChange,
  type MapEdit,
  type PainPointAdded,
  type PainPointEdited,
  type PainPointKept,
  type PainPointRemoved,
  type StageAdded,
  type StageKept,
  type StagePlacement,
  type StageRemoved,
  type TouchpointAdded,
  type TouchpointChanged,
  type TouchpointKept,
  type TouchpointRemoved,
} from './map-change';
import { keptInPlace, sameSlot, stageSlots, type StageSlot } from './stage-order';
import type { Action, Connection, JourneyMap, PainPoint, Stage, Touchpoint } from './types';
import { pairKey } from './validation';

/**
 * diffMaps(base, ours, theirs): the three-way diff of a master map and a
 * workshop copy forked from it (issue 7 §2). `base` is the master at the fork,
 * `ours` the master now, `theirs` the copy now; a change's `side` says which
 * made it ('master' for ours, 'copy' for theirs).
 *
 * A conflict is the same field changed on both sides to different values, or
 * an edit on one side of something the other side removed. Not conflicts:
 * the same change on both sides (then there is nothing to apply, and no change
 * is listed); x/y moved on both sides (the copy's position wins); a stage
 * removed on one side while the other moved or added a touchpoint into it
 * (the touchpoint becomes unstaged); two sides adding a connection between
 * the same two touchpoints (each side already has the link).
 *
 * Actions (schema v2) are part of the map: added, removed, or edited field by
 * field like the rest; an action stays where its touchpoint went (its outcome
 * is still read), so it is diffed whatever became of its touchpoint.
 *
 * Meta (title, persona) is the map's own and is not diffed.
 */
export function diffMaps(base: JourneyMap, ours: JourneyMap, theirs: JourneyMap): MapChange[] {
  const differ = new Differ(base, ours, theirs);
  differ.stages();
  differ.touchpoints();
  differ.connections();
  differ.removals();
  differ.actions();
  return differ.changes;
}

/**
 * record[key] if it is the record's own. Entries are objects, so only an
 * inherited `__proto__` or a method of Object.prototype can show through; the
 * hasOwn check is only needed for those (a diff does this lookup a few
 * hundred thousand times on records in dictionary mode).
 */
function own<T extends object>(record: Record<string, T>, key: string): T | undefined {
  const value = record[key];
  if (value === undefined) return undefined;
  return typeof value === 'function' || key === '__proto__' ? (Object.hasOwn(record, key) ? value : undefined) : value;
}

const quote = (text: string): string => JSON.stringify(text);

function lowerFirst(text: string): string {
  return text.length === 0 ? text : text.charAt(0).toLowerCase() + text.slice(1);
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * The keys of three records: the base's, then those new in ours, then those
 * new in theirs. (Records of thousands of keys are dictionaries in V8; a
 * lookup is cheap, a Set of every key is not.)
 */
function keysOf<T extends object>(
  base: Record<string, T>,
  ours: Record<string, T>,
  theirs: Record<string, T>,
): { keys: string[]; inBase: number } {
  const keys = Object.keys(base);
  const inBase = keys.length;
  for (const key of Object.keys(ours)) if (own(base, key) === undefined) keys.push(key);
  for (const key of Object.keys(theirs)) if (own(base, key) === undefined && own(ours, key) === undefined) keys.push(key);
  return { keys, inBase };
}

/** Ids in the order of the first list, then the ones new in each following list. */
function unionInOrder(...lists: Iterable<string>[]): string[] {
  const seen = new Set<string>();
  const ids: string[] = [];
  for (const list of lists) {
    for (const id of list) {
      if (!seen.has(id)) {
        seen.add(id);
        ids.push(id);
      }
    }
  }
  return ids;
}

function samePainPoint(a: PainPoint, b: PainPoint): boolean {
  return a.id === b.id && a.text === b.text && a.severity === b.severity && a.frequency === b.frequency;
}

function samePainPoints(a: readonly PainPoint[], b: readonly PainPoint[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const left = a[i];
    const right = b[i];
    if (left === undefined || right === undefined || !samePainPoint(left, right)) return false;
  }
  return true;
}

function sameTouchpoint(a: Touchpoint, b: Touchpoint): boolean {
  return (
    a.kind === b.kind &&
    a.stageId === b.stageId &&
    a.label === b.label &&
    a.channel === b.channel &&
    a.owner === b.owner &&
    a.emotion === b.emotion &&
    a.contactVolume === b.contactVolume &&
    a.externalKey === b.externalKey &&
    a.x === b.x &&
    a.y === b.y &&
    samePainPoints(a.painPoints, b.painPoints)
  );
}

function sameAction(a: Action, b: Action): boolean {
  return (
    a.touchpointId === b.touchpointId &&
    a.painPointId === b.painPointId &&
    a.title === b.title &&
    a.ownerTeam === b.ownerTeam &&
    a.due === b.due &&
    a.status === b.status &&
    a.doneAt === b.doneAt &&
    a.createdAt === b.createdAt
  );
}

function sameConnection(a: Connection, b: Connection): boolean {
  return a.source === b.source && a.target === b.target && a.label === b.label;
}

/** One map, indexed for the diff. The indexes a diff may not need are built on first use. */
class View {
  readonly stages = new Map<string, Stage>();
  readonly order: string[];
  private readonly indexOf = new Map<string, number>();
  private inStage: Map<string, string[]> | null = null;

  constructor(readonly map: JourneyMap) {
    this.order = map.stages.map((stage) => stage.id);
    map.stages.forEach((stage, index) => {
      if (!this.stages.has(stage.id)) this.stages.set(stage.id, stage);
      if (!this.indexOf.has(stage.id)) this.indexOf.set(stage.id, index);
    });
  }

  touchpoint(id: string): Touchpoint | undefined {
    return own(this.map.touchpoints, id);
  }

  connection(id: string): Connection | undefined {
    return own(this.map.connections, id);
  }

  action(id: string): Action | undefined {
    return own(this.map.actions, id);
  }

  isHub(touchpoint: Touchpoint): boolean {
    return touchpoint.kind === 'hub' || touchpoint.id === this.map.meta.hubId;
  }

  stageName(id: string): string | undefined {
    return this.stages.get(id)?.name;
  }

  /** The stage right before `id` in this side's order. */
  follows(id: string): string | null {
    const index = this.indexOf.get(id);
    return index === undefined || index === 0 ? null : (this.order[index - 1] ?? null);
  }

  /** Touchpoints whose stageId is `stageId`. */
  touchpointsIn(stageId: string): string[] {
    if (this.inStage === null) {
      this.inStage = new Map();
      for (const touchpoint of Object.values(this.map.touchpoints)) {
        if (touchpoint.stageId === null) continue;
        const list = this.inStage.get(touchpoint.stageId);
        if (list === undefined) this.inStage.set(touchpoint.stageId, [touchpoint.id]);
        else list.push(touchpoint.id);
      }
    }
    return this.inStage.get(stageId) ?? [];
  }
}

/** A side: a view with the slots of its stages relative to the fork. */
class SideView extends View {
  readonly slots: Map<string, StageSlot>;
  readonly kept: Set<string>;

  constructor(
    readonly name: ChangeSide,
    map: JourneyMap,
    readonly base: View,
  ) {
    super(map);
    this.kept = keptInPlace(base.order, this.order);
    this.slots = stageSlots(base.order, this.order);
  }

  placement(stageId: string): StagePlacement {
    const slot = this.slots.get(stageId) ?? { anchor: null, slot: 0 };
    return { follows: this.follows(stageId), anchor: slot.anchor, slot: slot.slot, baseOrder: this.base.order };
  }
}

type Aspects = ReadonlyMap<string, MapEdit>;
const NO_ASPECTS: Aspects = new Map();

/** A touchpoint `remover` removed and `keeper` still has, as `kept`. */
interface Removal {
  remover: SideView;
  keeper: SideView;
  before: Touchpoint;
  kept: Touchpoint;
}

class Differ {
  readonly changes: MapChange[] = [];
  /** Touchpoints removed on one side, settled once the keeper's links of each are known. */
  private readonly removed: Removal[] = [];
  /** For each side, the links of the touchpoints the other side removed, gathered while diffing the connections. */
  private readonly linksOfRemoved = new Map<SideView, Map<string, Connection[]>>();
  private readonly base: View;
  private readonly ours: SideView;
  private readonly theirs: SideView;

  constructor(base: JourneyMap, ours: JourneyMap, theirs: JourneyMap) {
    this.base = new View(base);
    this.ours = new SideView('master', ours, this.base);
    this.theirs = new SideView('copy', theirs, this.base);
  }

  private other(side: SideView): SideView {
    return side === this.ours ? this.theirs : this.ours;
  }

  private one(side: SideView, edit: MapEdit): void {
    this.changes.push({ ...edit, id: changeId(edit.target, editAspect(edit)), side: side.name, conflict: false });
  }

  private conflict(master: ConflictVersion, copy: ConflictVersion): void {
    const removal = [master, copy].find((version) => version.kind.endsWith('.removed'));
    this.changes.push({
      id: changeId(master.target, editAspect(removal ?? master)),
      kind: 'conflict',
      side: 'both',
      conflict: true,
      target: master.target,
      field: master.field,
      stageId: master.stageId ?? copy.stageId,
      summary: `Conflict: the master ${lowerFirst(master.summary)}; the copy ${lowerFirst(copy.summary)}`,
      master,
      copy,
    });
  }

  /** Both sides' edits of one thing, aspect by aspect (a field, or a stage's place). */
  private mergeAspects(ours: Aspects, theirs: Aspects): void {
    for (const [aspect, mine] of ours) {
      const yours = theirs.get(aspect);
      if (yours === undefined) {
        this.one(this.ours, mine);
        continue;
      }
      const outcome = settle(mine, yours);
      if (outcome === 'theirs') this.one(this.theirs, yours);
      else if (outcome === 'conflict') this.conflict(mine, yours);
    }
    for (const [aspect, yours] of theirs) if (!ours.has(aspect)) this.one(this.theirs, yours);
  }

  // -------------------------------------------------------------------------
  // Names for summaries: the side's, else the fork's, else the other side's.

  private stageName(id: string, side?: View): string {
    return quote(side?.stageName(id) ?? this.base.stageName(id) ?? this.ours.stageName(id) ?? this.theirs.stageName(id) ?? id);
  }

  private touchpointLabel(id: string, side?: View): string {
    const touchpoint = side?.touchpoint(id) ?? this.base.touchpoint(id) ?? this.ours.touchpoint(id) ?? this.theirs.touchpoint(id);
    return quote(touchpoint?.label ?? id);
  }

  private stageOfTouchpoint(id: string, side: View): string | null {
    return (side.touchpoint(id) ?? this.base.touchpoint(id))?.stageId ?? null;
  }

  private stageOfConnection(connection: Connection, side: View): string | null {
    return this.stageOfTouchpoint(connection.source, side) ?? this.stageOfTouchpoint(connection.target, side);
  }

  // -------------------------------------------------------------------------
  // Stages

  stages(): void {
    for (const id of unionInOrder(this.base.order, this.ours.order, this.theirs.order)) {
      const before = this.base.stages.get(id);
      const mine = this.ours.stages.get(id);
      const yours = this.theirs.stages.get(id);
      if (before !== undefined) {
        if (mine !== undefined && yours !== undefined) {
          this.mergeAspects(this.stageAspects(before, mine, this.ours), this.stageAspects(before, yours, this.theirs));
        } else if (mine !== undefined) {
          this.stageRemoved(this.theirs, this.ours, before, mine);
        } else if (yours !== undefined) {
          this.stageRemoved(this.ours, this.theirs, before, yours);
        }
      } else if (mine !== undefined && yours !== undefined) {
        const same =
          mine.name === yours.name &&
          mine.accountable === yours.accountable &&
          sameSlot(this.ours.placement(id), this.theirs.placement(id));
        if (!same) this.conflict(this.stageAdded(this.ours, mine), this.stageAdded(this.theirs, yours));
      } else if (mine !== undefined) {
        this.one(this.ours, this.stageAdded(this.ours, mine));
      } else if (yours !== undefined) {
        this.one(this.theirs, this.stageAdded(this.theirs, yours));
      }
    }
  }

  private stageAdded(side: SideView, stage: Stage): StageAdded {
    const placement = side.placement(stage.id);
    const where = placement.follows === null ? ' at the start' : ` after ${this.stageName(placement.follows, side)}`;
    return {
      kind: 'stage.added',
      target: { type: 'stage', stageId: stage.id },
      field: null,
      before: null,
      after: stage,
      stageId: stage.id,
      summary: `Added stage ${quote(stage.name)}${where}`,
      placement,
    };
  }

  private stageAspects(before: Stage, after: Stage, side: SideView): Aspects {
    const aspects = new Map<string, MapEdit>();
    const target = { type: 'stage', stageId: before.id } as const;
    if (after.name !== before.name) {
      aspects.set('name', {
        kind: 'stage.renamed', target, field: 'name', before: before.name, after: after.name, stageId: before.id,
        summary: `Renamed stage ${quote(before.name)} to ${quote(after.name)}`,
      });
    }
    if (after.accountable !== before.accountable) {
      const name = quote(after.name);
      const summary =
        after.accountable === null
          ? `Cleared the accountable team of stage ${name} (was ${quote(before.accountable ?? '')})`
          : `Made ${quote(after.accountable)} accountable for stage ${name}` +
            (before.accountable === null ? '' : ` instead of ${quote(before.accountable)}`);
      aspects.set('accountable', {
        kind: 'stage.accountableChanged', target, field: 'accountable', before: before.accountable,
        after: after.accountable, stageId: before.id, summary,
      });
    }
    if (!side.kept.has(before.id)) {
      const placement = side.placement(before.id);
      const where = placement.follows === null ? 'to the start' : `after ${this.stageName(placement.follows, side)}`;
      aspects.set('position', {
        kind: 'stage.moved', target, field: 'position', before: this.base.follows(before.id), after: placement.follows,
        stageId: before.id, summary: `Moved stage ${quote(after.name)} ${where}`, placement,
      });
    }
    return aspects;
  }

  /** `remover` removed the stage, `keeper` still has it as `kept`. */
  private stageRemoved(remover: SideView, keeper: SideView, before: Stage, kept: Stage): void {
    const target = { type: 'stage', stageId: before.id } as const;
    const unstages = keeper.touchpointsIn(before.id);
    const removal: StageRemoved = {
      kind: 'stage.removed', target, field: null, before, after: null, stageId: before.id,
      summary:
        `Removed stage ${quote(before.name)}` +
        (unstages.length === 0 ? '' : `; ${plural(unstages.length, 'touchpoint', 'touchpoints')} in it become unstaged`),
      unstages,
    };
    // Moving a stage is not an edit that outlives its removal.
    const edits = [...this.stageAspects(before, kept, keeper).values()].filter((edit) => edit.kind !== 'stage.moved');
    if (edits.length === 0) {
      this.one(remover, removal);
      return;
    }
    const keep: StageKept = {
      kind: 'stage.kept', target, field: null, before, after: kept, stageId: before.id,
      summary: `Edited stage ${quote(kept.name)}: ${edits.map((edit) => lowerFirst(edit.summary)).join('; ')}`,
      placement: keeper.placement(before.id),
      members: unstages.filter((id) => this.base.touchpoint(id)?.stageId === before.id),
      edits,
    };
    this.conflict(...this.bySide(remover, removal, keep));
  }

  private bySide(first: SideView, a: ConflictVersion, b: ConflictVersion): [master: ConflictVersion, copy: ConflictVersion] {
    return first === this.ours ? [a, b] : [b, a];
  }

  // -------------------------------------------------------------------------
  // Touchpoints and their pain points

  touchpoints(): void {
    for (const id of keysOf(this.base.map.touchpoints, this.ours.map.touchpoints, this.theirs.map.touchpoints).keys) {
      const before = this.base.touchpoint(id);
      const mine = this.ours.touchpoint(id);
      const yours = this.theirs.touchpoint(id);
      if (before !== undefined) {
        if (mine !== undefined && yours !== undefined) {
          // Most touchpoints are untouched on both sides: no allocation for them.
          const mineSame = sameTouchpoint(before, mine);
          const yoursSame = sameTouchpoint(before, yours);
          if (mineSame && yoursSame) continue;
          this.mergeAspects(
            mineSame ? NO_ASPECTS : this.touchpointAspects(before, mine, this.ours),
            yoursSame ? NO_ASPECTS : this.touchpointAspects(before, yours, this.theirs),
          );
          if (!samePainPoints(before.painPoints, mine.painPoints) || !samePainPoints(before.painPoints, yours.painPoints)) {
            this.painPoints(before, mine, yours);
          }
        } else if (this.base.isHub(before)) {
          // The hub is never removed; a side without it is malformed, and there is nothing to merge.
        } else if (mine !== undefined) {
          this.noteRemoval({ remover: this.theirs, keeper: this.ours, before, kept: mine });
        } else if (yours !== undefined) {
          this.noteRemoval({ remover: this.ours, keeper: this.theirs, before, kept: yours });
        }
      } else if (mine !== undefined && yours !== undefined) {
        if (!sameTouchpoint(mine, yours)) {
          this.conflict(this.touchpointAdded(this.ours, mine), this.touchpointAdded(this.theirs, yours));
        }
      } else if (mine !== undefined) {
        if (!this.ours.isHub(mine)) this.one(this.ours, this.touchpointAdded(this.ours, mine));
      } else if (yours !== undefined) {
        if (!this.theirs.isHub(yours)) this.one(this.theirs, this.touchpointAdded(this.theirs, yours));
      }
    }
  }

  private noteRemoval(removal: Removal): void {
    this.removed.push(removal);
    let links = this.linksOfRemoved.get(removal.keeper);
    if (links === undefined) {
      links = new Map();
      this.linksOfRemoved.set(removal.keeper, links);
    }
    links.set(removal.before.id, []);
  }

  /** Keeps `connection` of `side` if it links a touchpoint the other side removed. */
  private noteLink(side: SideView, connection: Connection): void {
    const links = this.linksOfRemoved.get(side);
    if (links === undefined) return;
    links.get(connection.source)?.push(connection);
    if (connection.target !== connection.source) links.get(connection.target)?.push(connection);
  }

  /**
   * Touchpoints removed on one side: last, because each needs the keeper's
   * links to it, which the pass over the connections gathered.
   */
  removals(): void {
    for (const { remover, keeper, before, kept } of this.removed) {
      this.touchpointRemoved(remover, keeper, before, kept, this.linksOfRemoved.get(keeper)?.get(before.id) ?? []);
    }
  }

  private touchpointAdded(side: SideView, touchpoint: Touchpoint): TouchpointAdded {
    const where = touchpoint.stageId === null ? ' (unstaged)' : ` to stage ${this.stageName(touchpoint.stageId, side)}`;
    return {
      kind: 'touchpoint.added',
      target: { type: 'touchpoint', touchpointId: touchpoint.id },
      field: null,
      before: null,
      after: touchpoint,
      stageId: touchpoint.stageId,
      summary: `Added touchpoint ${quote(touchpoint.label)}${where}`,
    };
  }

  /**
   * A side's stageId, except that null where its stage was removed on that
   * side counts as unchanged: deleteStage unstages the stage's touchpoints,
   * and that is part of the stage's removal, not an edit of each touchpoint.
   */
  private effectiveStageId(before: Touchpoint, after: Touchpoint, side: SideView): string | null {
    if (after.stageId === null && before.stageId !== null && !side.stages.has(before.stageId)) return before.stageId;
    return after.stageId;
  }

  private touchpointAspects(before: Touchpoint, after: Touchpoint, side: SideView): Aspects {
    const aspects = new Map<string, MapEdit>();
    const target = { type: 'touchpoint', touchpointId: before.id } as const;
    const label = quote(after.label);
    if (this.effectiveStageId(before, after, side) !== before.stageId) {
      const from = before.stageId === null ? null : this.stageName(before.stageId);
      const to = after.stageId === null ? null : this.stageName(after.stageId, side);
      const summary =
        from === null
          ? `Moved unstaged touchpoint ${label} to stage ${to ?? ''}`
          : to === null
            ? `Took touchpoint ${label} out of stage ${from}`
            : `Moved touchpoint ${label} from stage ${from} to stage ${to}`;
      aspects.set('stageId', {
        kind: 'touchpoint.movedToStage', target, field: 'stageId', before: before.stageId, after: after.stageId,
        stageId: after.stageId ?? before.stageId, summary,
      });
    }
    for (const edit of touchpointValueEdits(before, after)) aspects.set(edit.field, edit);
    if (after.x !== before.x || after.y !== before.y) {
      aspects.set('position', {
        kind: 'touchpoint.repositioned', target, field: 'position', before: { x: before.x, y: before.y },
        after: { x: after.x, y: after.y }, stageId: after.stageId, summary: `Moved touchpoint ${label} on the canvas`,
      });
    }
    return aspects;
  }

  /** `remover` removed the touchpoint, `keeper` still has it as `kept`, linked by `connections`. */
  private touchpointRemoved(
    remover: SideView,
    keeper: SideView,
    before: Touchpoint,
    kept: Touchpoint,
    connections: readonly Connection[],
  ): void {
    const target = { type: 'touchpoint', touchpointId: before.id } as const;
    const removal: TouchpointRemoved = {
      kind: 'touchpoint.removed', target, field: null, before, after: null, stageId: before.stageId,
      summary:
        `Removed touchpoint ${quote(before.label)}` +
        (connections.length === 0 ? '' : ` and its ${plural(connections.length, 'connection', 'connections')}`),
      connections: connections.map((connection) => connection.id),
    };
    // A card dragged on the canvas is not an edit that outlives its removal.
    const edits = [
      ...[...this.touchpointAspects(before, kept, keeper).values()].filter((edit) => edit.kind !== 'touchpoint.repositioned'),
      ...this.painPointEdits(before, kept, keeper),
      ...this.connectionEdits(connections, keeper),
    ];
    if (edits.length === 0) {
      this.one(remover, removal);
      return;
    }
    const keep: TouchpointKept = {
      kind: 'touchpoint.kept', target, field: null, before, after: kept, stageId: kept.stageId,
      summary: `Edited touchpoint ${quote(kept.label)}: ${edits.map((edit) => lowerFirst(edit.summary)).join('; ')}`,
      connections: [...connections],
      edits,
    };
    this.conflict(...this.bySide(remover, removal, keep));
  }

  /** Which of a removed touchpoint's links the keeper added or relabeled. */
  private connectionEdits(connections: readonly Connection[], keeper: SideView): MapEdit[] {
    const edits: MapEdit[] = [];
    for (const connection of connections) {
      const before = this.base.connection(connection.id);
      if (before === undefined) edits.push(this.connectionAdded(keeper, connection));
      else if (before.label !== connection.label) edits.push(this.connectionRelabeled(keeper, before, connection));
    }
    return edits;
  }

  private painPointTarget(touchpointId: string, painPointId: string) {
    return { type: 'painPoint', touchpointId, painPointId } as const;
  }

  private painPointAdded(side: View, touchpoint: Touchpoint, painPoint: PainPoint): PainPointAdded {
    return {
      kind: 'painPoint.added', target: this.painPointTarget(touchpoint.id, painPoint.id), field: null, before: null,
      after: painPoint, stageId: touchpoint.stageId,
      summary: `Added pain point ${quote(painPoint.text)} to touchpoint ${this.touchpointLabel(touchpoint.id, side)}`,
    };
  }

  private painPointRemoved(touchpoint: Touchpoint, painPoint: PainPoint): PainPointRemoved {
    return {
      kind: 'painPoint.removed', target: this.painPointTarget(touchpoint.id, painPoint.id), field: null, before: painPoint,
      after: null, stageId: touchpoint.stageId,
      summary: `Removed pain point ${quote(painPoint.text)} from touchpoint ${quote(touchpoint.label)}`,
    };
  }

  private painPointAspects(touchpoint: Touchpoint, before: PainPoint, after: PainPoint): Aspects {
    const aspects = new Map<string, MapEdit>();
    const target = this.painPointTarget(touchpoint.id, before.id);
    const on = `on touchpoint ${quote(touchpoint.label)}`;
    const common = { kind: 'painPoint.edited', target, stageId: touchpoint.stageId } as const;
    if (after.text !== before.text) {
      aspects.set('text', {
        ...common, field: 'text', before: before.text, after: after.text,
        summary: `Reworded pain point ${quote(before.text)} ${on} to ${quote(after.text)}`,
      } satisfies PainPointEdited);
    }
    if (after.severity !== before.severity) {
      aspects.set('severity', {
        ...common, field: 'severity', before: before.severity, after: after.severity,
        summary: `Changed the severity of pain point ${quote(after.text)} ${on} from ${before.severity} to ${after.severity}`,
      } satisfies PainPointEdited);
    }
    if (after.frequency !== before.frequency) {
      aspects.set('frequency', {
        ...common, field: 'frequency', before: before.frequency, after: after.frequency,
        summary: `Changed the frequency of pain point ${quote(after.text)} ${on} from ${before.frequency} to ${after.frequency}`,
      } satisfies PainPointEdited);
    }
    return aspects;
  }

  /** Every pain-point edit one side made to a touchpoint (for an edit-versus-remove conflict). */
  private painPointEdits(before: Touchpoint, after: Touchpoint, side: View): MapEdit[] {
    if (samePainPoints(before.painPoints, after.painPoints)) return [];
    const edits: MapEdit[] = [];
    const now = new Map(after.painPoints.map((painPoint) => [painPoint.id, painPoint] as const));
    const then = new Map(before.painPoints.map((painPoint) => [painPoint.id, painPoint] as const));
    for (const painPoint of before.painPoints) {
      const current = now.get(painPoint.id);
      if (current === undefined) edits.push(this.painPointRemoved(after, painPoint));
      else edits.push(...this.painPointAspects(after, painPoint, current).values());
    }
    for (const painPoint of after.painPoints) {
      if (!then.has(painPoint.id)) edits.push(this.painPointAdded(side, after, painPoint));
    }
    return edits;
  }

  private painPoints(before: Touchpoint, mine: Touchpoint, yours: Touchpoint): void {
    const byId = (touchpoint: Touchpoint) => new Map(touchpoint.painPoints.map((painPoint) => [painPoint.id, painPoint] as const));
    const then = byId(before);
    const ours = byId(mine);
    const theirs = byId(yours);
    for (const id of unionInOrder(then.keys(), ours.keys(), theirs.keys())) {
      const was = then.get(id);
      const a = ours.get(id);
      const b = theirs.get(id);
      if (was !== undefined) {
        if (a !== undefined && b !== undefined) {
          this.mergeAspects(this.painPointAspects(mine, was, a), this.painPointAspects(yours, was, b));
        } else if (a !== undefined) {
          this.painPointRemoved3(this.theirs, this.ours, yours, mine, was, a);
        } else if (b !== undefined) {
          this.painPointRemoved3(this.ours, this.theirs, mine, yours, was, b);
        }
      } else if (a !== undefined && b !== undefined) {
        if (!samePainPoint(a, b)) this.conflict(this.painPointAdded(this.ours, mine, a), this.painPointAdded(this.theirs, yours, b));
      } else if (a !== undefined) {
        this.one(this.ours, this.painPointAdded(this.ours, mine, a));
      } else if (b !== undefined) {
        this.one(this.theirs, this.painPointAdded(this.theirs, yours, b));
      }
    }
  }

  /** A pain point of a touchpoint both sides have: `remover` removed it, `keeper` has it as `kept`. */
  private painPointRemoved3(
    remover: SideView,
    keeper: SideView,
    removerTouchpoint: Touchpoint,
    keeperTouchpoint: Touchpoint,
    before: PainPoint,
    kept: PainPoint,
  ): void {
    const removal = this.painPointRemoved(removerTouchpoint, before);
    const edits = [...this.painPointAspects(keeperTouchpoint, before, kept).values()];
    if (edits.length === 0) {
      this.one(remover, removal);
      return;
    }
    const keep: PainPointKept = {
      kind: 'painPoint.kept', target: removal.target, field: null, before, after: kept, stageId: keeperTouchpoint.stageId,
      summary: `Edited pain point ${quote(kept.text)}: ${edits.map((edit) => lowerFirst(edit.summary)).join('; ')}`,
      edits,
    };
    this.conflict(...this.bySide(remover, removal, keep));
  }

  // -------------------------------------------------------------------------
  // Connections

  connections(): void {
    const { keys, inBase } = keysOf(this.base.map.connections, this.ours.map.connections, this.theirs.map.connections);
    // Pairs each side linked since the fork (the keys after the base's are the new ones).
    const addedPairs = new Map<SideView, Set<string>>([[this.ours, new Set()], [this.theirs, new Set()]]);
    for (const id of keys.slice(inBase)) {
      for (const side of [this.ours, this.theirs]) {
        const connection = side.connection(id);
        if (connection !== undefined) addedPairs.get(side)?.add(pairKey(connection.source, connection.target));
      }
    }
    for (const id of keys) {
      const before = this.base.connection(id);
      const mine = this.ours.connection(id);
      const yours = this.theirs.connection(id);
      if (mine !== undefined) this.noteLink(this.ours, mine);
      if (yours !== undefined) this.noteLink(this.theirs, yours);
      if (before !== undefined) {
        if (mine !== undefined && yours !== undefined) {
          if (mine.label === before.label && yours.label === before.label) continue;
          this.mergeAspects(this.connectionAspects(before, mine, this.ours), this.connectionAspects(before, yours, this.theirs));
        } else if (mine !== undefined) {
          this.connectionRemoved(this.theirs, this.ours, before, mine);
        } else if (yours !== undefined) {
          this.connectionRemoved(this.ours, this.theirs, before, yours);
        }
      } else if (mine !== undefined && yours !== undefined) {
        if (!sameConnection(mine, yours)) {
          this.conflict(this.connectionAdded(this.ours, mine), this.connectionAdded(this.theirs, yours));
        }
      } else if (mine !== undefined) {
        this.connectionAddedOnOneSide(this.ours, mine, addedPairs.get(this.theirs));
      } else if (yours !== undefined) {
        this.connectionAddedOnOneSide(this.theirs, yours, addedPairs.get(this.ours));
      }
    }
  }

  private connectionEnds(connection: Connection, side: View): string {
    return `${this.touchpointLabel(connection.source, side)} to ${this.touchpointLabel(connection.target, side)}`;
  }

  private connectionAdded(side: SideView, connection: Connection): ConnectionAdded {
    return {
      kind: 'connection.added', target: { type: 'connection', connectionId: connection.id }, field: null, before: null,
      after: connection, stageId: this.stageOfConnection(connection, side),
      summary: `Connected ${this.connectionEnds(connection, side)}` + (connection.label === '' ? '' : ` (${quote(connection.label)})`),
    };
  }

  private connectionRelabeled(side: SideView, before: Connection, after: Connection): MapEdit {
    const ends = this.connectionEnds(after, side);
    return {
      kind: 'connection.relabeled', target: { type: 'connection', connectionId: before.id }, field: 'label',
      before: before.label, after: after.label, stageId: this.stageOfConnection(after, side),
      summary: after.label === '' ? `Removed the label of the connection from ${ends}` : `Labeled the connection from ${ends} ${quote(after.label)}`,
    };
  }

  private connectionAspects(before: Connection, after: Connection, side: SideView): Aspects {
    const aspects = new Map<string, MapEdit>();
    if (after.label !== before.label) aspects.set('label', this.connectionRelabeled(side, before, after));
    return aspects;
  }

  /** `otherAdded`: the pairs the other side linked since the fork. */
  private connectionAddedOnOneSide(side: SideView, connection: Connection, otherAdded: ReadonlySet<string> | undefined): void {
    const other = this.other(side);
    // A link to a touchpoint the other side removed is an edit of that touchpoint: it is in that conflict.
    for (const end of [connection.source, connection.target]) {
      if (this.base.touchpoint(end) !== undefined && other.touchpoint(end) === undefined) return;
    }
    // Both sides linked the same two touchpoints: each already has the link.
    if (otherAdded?.has(pairKey(connection.source, connection.target)) === true) return;
    this.one(side, this.connectionAdded(side, connection));
  }

  /** `remover` no longer has the connection, `keeper` has it as `kept`. */
  private connectionRemoved(remover: SideView, keeper: SideView, before: Connection, kept: Connection): void {
    // Gone with a touchpoint the remover removed: part of that removal (or of its conflict).
    if (remover.touchpoint(before.source) === undefined || remover.touchpoint(before.target) === undefined) return;
    const removal: ConnectionRemoved = {
      kind: 'connection.removed', target: { type: 'connection', connectionId: before.id }, field: null, before, after: null,
      stageId: this.stageOfConnection(before, remover), summary: `Disconnected ${this.connectionEnds(before, remover)}`,
    };
    if (kept.label === before.label) {
      this.one(remover, removal);
      return;
    }
    const edits = [this.connectionRelabeled(keeper, before, kept)];
    const keep: ConnectionKept = {
      kind: 'connection.kept', target: removal.target, field: null, before, after: kept,
      stageId: this.stageOfConnection(kept, keeper), summary: edits.map((edit) => edit.summary).join('; '), edits,
    };
    this.conflict(...this.bySide(remover, removal, keep));
  }

  // -------------------------------------------------------------------------
  // Actions

  actions(): void {
    for (const id of keysOf(this.base.map.actions, this.ours.map.actions, this.theirs.map.actions).keys) {
      const before = this.base.action(id);
      const mine = this.ours.action(id);
      const yours = this.theirs.action(id);
      if (before !== undefined) {
        if (mine !== undefined && yours !== undefined) {
          const mineSame = sameAction(before, mine);
          const yoursSame = sameAction(before, yours);
          if (mineSame && yoursSame) continue;
          this.mergeAspects(mineSame ? NO_ASPECTS : this.actionAspects(before, mine, this.ours), yoursSame ? NO_ASPECTS : this.actionAspects(before, yours, this.theirs));
        } else if (mine !== undefined) {
          this.actionRemoved(this.theirs, this.ours, before, mine);
        } else if (yours !== undefined) {
          this.actionRemoved(this.ours, this.theirs, before, yours);
        }
      } else if (mine !== undefined && yours !== undefined) {
        if (!sameAction(mine, yours)) this.conflict(this.actionAdded(this.ours, mine), this.actionAdded(this.theirs, yours));
      } else if (mine !== undefined) {
        this.one(this.ours, this.actionAdded(this.ours, mine));
      } else if (yours !== undefined) {
        this.one(this.theirs, this.actionAdded(this.theirs, yours));
      }
    }
  }

  private actionAdded(side: SideView, action: Action): ActionAdded {
    return {
      kind: 'action.added', target: { type: 'action', actionId: action.id }, field: null, before: null, after: action,
      stageId: this.stageOfTouchpoint(action.touchpointId, side),
      summary: `Added action ${quote(action.title)} to touchpoint ${this.touchpointLabel(action.touchpointId, side)}`,
    };
  }

  private painPointText(touchpointId: string, painPointId: string, side: View): string {
    const touchpoint = side.touchpoint(touchpointId) ?? this.base.touchpoint(touchpointId);
    return quote(touchpoint?.painPoints.find((painPoint) => painPoint.id === painPointId)?.text ?? painPointId);
  }

  private actionAspects(before: Action, after: Action, side: SideView): Aspects {
    const aspects = new Map<string, MapEdit>();
    const target = { type: 'action', actionId: before.id } as const;
    const common = { kind: 'action.changed', target, stageId: this.stageOfTouchpoint(after.touchpointId, side) } as const;
    const title = quote(after.title);
    if (after.title !== before.title) {
      aspects.set('title', { ...common, field: 'title', before: before.title, after: after.title, summary: `Renamed action ${quote(before.title)} to ${title}` } satisfies ActionChanged);
    }
    if (after.ownerTeam !== before.ownerTeam) {
      const summary =
        after.ownerTeam === null
          ? `Removed the owner team of action ${title} (was ${quote(before.ownerTeam ?? '')})`
          : `Made ${quote(after.ownerTeam)} the owner team of action ${title}` + (before.ownerTeam === null ? '' : ` instead of ${quote(before.ownerTeam)}`);
      aspects.set('ownerTeam', { ...common, field: 'ownerTeam', before: before.ownerTeam, after: after.ownerTeam, summary } satisfies ActionChanged);
    }
    if (after.due !== before.due) {
      const summary =
        after.due === null
          ? `Removed the due date of action ${title} (was ${before.due ?? ''})`
          : `Set the due date of action ${title} to ${after.due}` + (before.due === null ? '' : ` instead of ${before.due}`);
      aspects.set('due', { ...common, field: 'due', before: before.due, after: after.due, summary } satisfies ActionChanged);
    }
    if (after.painPointId !== before.painPointId) {
      const summary =
        after.painPointId === null
          ? `Unlinked action ${title} from its pain point`
          : `Linked action ${title} to pain point ${this.painPointText(after.touchpointId, after.painPointId, side)}`;
      aspects.set('painPointId', { ...common, field: 'painPointId', before: before.painPointId, after: after.painPointId, summary } satisfies ActionChanged);
    }
    if (after.status !== before.status) {
      const word = (status: Action['status']): string => ACTION_STATUS_WORDS[status].toLowerCase();
      aspects.set('status', {
        ...common, field: 'status', before: before.status, after: after.status, doneAt: after.doneAt,
        summary: `Changed the status of action ${title} from ${word(before.status)} to ${word(after.status)}`,
      } satisfies ActionChanged);
    }
    return aspects;
  }

  /** `remover` removed the action, `keeper` still has it as `kept`. */
  private actionRemoved(remover: SideView, keeper: SideView, before: Action, kept: Action): void {
    const target = { type: 'action', actionId: before.id } as const;
    const removal: ActionRemoved = {
      kind: 'action.removed', target, field: null, before, after: null,
      stageId: this.stageOfTouchpoint(before.touchpointId, remover), summary: `Removed action ${quote(before.title)}`,
    };
    const edits = [...this.actionAspects(before, kept, keeper).values()];
    if (edits.length === 0) {
      this.one(remover, removal);
      return;
    }
    const keep: ActionKept = {
      kind: 'action.kept', target, field: null, before, after: kept, stageId: this.stageOfTouchpoint(kept.touchpointId, keeper),
      summary: `Edited action ${quote(kept.title)}: ${edits.map((edit) => lowerFirst(edit.summary)).join('; ')}`,
      edits,
    };
    this.conflict(...this.bySide(remover, removal, keep));
  }
}

/**
 * Both sides edited the same aspect since the fork. Same value: nothing to
 * do. x/y: the copy's wins. A stage moved on both sides to follow the same
 * stage: the same place, the copy's slot in it. Else a conflict.
 */
function settle(ours: MapEdit, theirs: MapEdit): 'same' | 'theirs' | 'conflict' {
  if (ours.kind === 'touchpoint.repositioned' && theirs.kind === 'touchpoint.repositioned') {
    return ours.after.x === theirs.after.x && ours.after.y === theirs.after.y ? 'same' : 'theirs';
  }
  if (ours.kind === 'stage.moved' && theirs.kind === 'stage.moved') {
    if (sameSlot(ours.placement, theirs.placement)) return 'same';
    return ours.after === theirs.after ? 'theirs' : 'conflict';
  }
  return ours.after === theirs.after ? 'same' : 'conflict';
}

function touchpointValueEdits(before: Touchpoint, after: Touchpoint): TouchpointChanged[] {
  const target = { type: 'touchpoint', touchpointId: before.id } as const;
  const common = { kind: 'touchpoint.changed', target, stageId: after.stageId } as const;
  const label = quote(after.label);
  const edits: TouchpointChanged[] = [];
  if (after.label !== before.label) {
    edits.push({
      ...common, field: 'label', before: before.label, after: after.label,
      summary: `Renamed touchpoint ${quote(before.label)} to ${label}`,
    });
  }
  if (after.channel !== before.channel) {
    edits.push({
      ...common, field: 'channel', before: before.channel, after: after.channel,
      summary: `Changed the channel of touchpoint ${label} from ${before.channel} to ${after.channel}`,
    });
  }
  if (after.owner !== before.owner) {
    edits.push({
      ...common, field: 'owner', before: before.owner, after: after.owner,
      summary:
        after.owner === null
          ? `Removed the owner of touchpoint ${label} (was ${quote(before.owner ?? '')})`
          : `Made ${quote(after.owner)} the owner of touchpoint ${label}` +
            (before.owner === null ? '' : ` instead of ${quote(before.owner)}`),
    });
  }
  if (after.emotion !== before.emotion) {
    const show = (emotion: number | null): string => (emotion === null ? 'unknown' : String(emotion));
    edits.push({
      ...common, field: 'emotion', before: before.emotion, after: after.emotion,
      summary: `Changed the emotion at touchpoint ${label} from ${show(before.emotion)} to ${show(after.emotion)}`,
    });
  }
  if (after.contactVolume !== before.contactVolume) {
    edits.push({
      ...common, field: 'contactVolume', before: before.contactVolume, after: after.contactVolume,
      summary: `Changed the contact volume of touchpoint ${label} from ${before.contactVolume} to ${after.contactVolume} a month`,
    });
  }
  if (after.externalKey !== before.externalKey) {
    edits.push({
      ...common, field: 'externalKey', before: before.externalKey, after: after.externalKey,
      summary:
        after.externalKey === null
          ? `Removed the external key of touchpoint ${label} (was ${quote(before.externalKey ?? '')})`
          : `Set the external key of touchpoint ${label} to ${quote(after.externalKey)}` +
            (before.externalKey === null ? '' : ` instead of ${quote(before.externalKey)}`),
    });
  }
  return edits;
}
