import type { Action, ActionStatus, Connection, PainPoint, Stage, Touchpoint } from './types';

/**
 * The changes between a master map and a workshop copy forked from it, as
 * `diffMaps` finds them and `applyChanges` writes them: typed, addressable by
 * a stable id, and plain JSON so that the HTTP API can send them as they are.
 */

/** Which map a change comes from: the master, or the workshop copy forked from it. */
export type ChangeSide = 'master' | 'copy';

/** How a conflict is settled: the value of that side is the one that ends up in the document. */
export type Resolution = ChangeSide;

/** Conflict id → the side whose value wins. */
export type Resolutions = Readonly<Record<string, Resolution>>;

export const RESOLUTIONS: readonly Resolution[] = ['master', 'copy'];

export type StageTarget = { type: 'stage'; stageId: string };
export type TouchpointTarget = { type: 'touchpoint'; touchpointId: string };
export type PainPointTarget = { type: 'painPoint'; touchpointId: string; painPointId: string };
export type ConnectionTarget = { type: 'connection'; connectionId: string };
export type ActionTarget = { type: 'action'; actionId: string };
export type ChangeTarget = StageTarget | TouchpointTarget | PainPointTarget | ConnectionTarget | ActionTarget;

/**
 * Where a stage sits in the order of its side. The order of the stages at the
 * fork is carried along because a stage's place is only meaningful relative
 * to it: the stages that kept their relative order since the fork are the
 * fixed points, and a moved or added stage sits in the gap after one of them.
 * That is what lets the same change land in the same place whether it is
 * applied to the master or to the copy.
 */
export interface StagePlacement {
  /** The stage right before it on its side, null at the start: what the review shows. */
  follows: string | null;
  /** The nearest stage before it that kept its place since the fork (itself if it did), null if none. */
  anchor: string | null;
  /** Its index in the gap after the anchor on its side; -1 for a stage that kept its place. */
  slot: number;
  /** The stage ids in order at the fork. */
  baseOrder: readonly string[];
}

export interface Point {
  x: number;
  y: number;
}

/** Touchpoint fields that change by a plain edit (stageId and x/y have kinds of their own). */
export const TOUCHPOINT_VALUE_FIELDS = ['label', 'channel', 'owner', 'emotion', 'contactVolume', 'externalKey'] as const;
export type TouchpointValueField = (typeof TOUCHPOINT_VALUE_FIELDS)[number];

export const PAIN_POINT_FIELDS = ['text', 'severity', 'frequency'] as const;
export type PainPointField = (typeof PAIN_POINT_FIELDS)[number];

/** Action fields that change by an edit, in the order a review lists them; the status carries its doneAt along. */
export const ACTION_FIELDS = ['title', 'ownerTeam', 'due', 'painPointId', 'status'] as const;
export type ActionField = (typeof ACTION_FIELDS)[number];

interface Edit<K extends string, T extends ChangeTarget, F extends string | null, B, A> {
  kind: K;
  target: T;
  field: F;
  /** The value at the fork (null for an addition). */
  before: B;
  /** The value on the side the change comes from (null for a removal). */
  after: A;
  /** The stage the change belongs to, for grouping in the review; null for the hub and unstaged touchpoints. */
  stageId: string | null;
  /** One line for a person, e.g. `Renamed stage "Buy" to "Purchase"`. */
  summary: string;
}

export type StageAdded = Edit<'stage.added', StageTarget, null, null, Stage> & { placement: StagePlacement };
/** `unstages`: the touchpoints in the stage on the other side, which become unstaged. */
export type StageRemoved = Edit<'stage.removed', StageTarget, null, Stage, null> & { unstages: string[] };
export type StageRenamed = Edit<'stage.renamed', StageTarget, 'name', string, string>;
export type StageAccountableChanged = Edit<'stage.accountableChanged', StageTarget, 'accountable', string | null, string | null>;
/** before/after: the stage it followed at the fork and follows now (null: at the start). */
export type StageMoved = Edit<'stage.moved', StageTarget, 'position', string | null, string | null> & {
  placement: StagePlacement;
};

export type TouchpointAdded = Edit<'touchpoint.added', TouchpointTarget, null, null, Touchpoint>;
/** `connections`: the connections on the other side that go with it. */
export type TouchpointRemoved = Edit<'touchpoint.removed', TouchpointTarget, null, Touchpoint, null> & {
  connections: string[];
};
export type TouchpointMovedToStage = Edit<'touchpoint.movedToStage', TouchpointTarget, 'stageId', string | null, string | null>;
export type TouchpointChanged = {
  [F in TouchpointValueField]: Edit<'touchpoint.changed', TouchpointTarget, F, Touchpoint[F], Touchpoint[F]>;
}[TouchpointValueField];
/** x and y together: a card dragged on the canvas. Never a conflict: the copy's position wins. */
export type TouchpointRepositioned = Edit<'touchpoint.repositioned', TouchpointTarget, 'position', Point, Point>;

export type PainPointAdded = Edit<'painPoint.added', PainPointTarget, null, null, PainPoint>;
export type PainPointRemoved = Edit<'painPoint.removed', PainPointTarget, null, PainPoint, null>;
export type PainPointEdited = {
  [F in PainPointField]: Edit<'painPoint.edited', PainPointTarget, F, PainPoint[F], PainPoint[F]>;
}[PainPointField];

export type ConnectionAdded = Edit<'connection.added', ConnectionTarget, null, null, Connection>;
export type ConnectionRemoved = Edit<'connection.removed', ConnectionTarget, null, Connection, null>;
export type ConnectionRelabeled = Edit<'connection.relabeled', ConnectionTarget, 'label', string, string>;

export type ActionAdded = Edit<'action.added', ActionTarget, null, null, Action>;
export type ActionRemoved = Edit<'action.removed', ActionTarget, null, Action, null>;
/**
 * A status change carries the side's `doneAt` (null unless done): a merged
 * "done" keeps the time it was done, which actionOutcomes reads.
 */
export type ActionChanged =
  | {
      [F in Exclude<ActionField, 'status'>]: Edit<'action.changed', ActionTarget, F, Action[F], Action[F]>;
    }[Exclude<ActionField, 'status'>]
  | (Edit<'action.changed', ActionTarget, 'status', ActionStatus, ActionStatus> & { doneAt: number | null });

/** One side's change to one thing. */
export type MapEdit =
  | StageAdded
  | StageRemoved
  | StageRenamed
  | StageAccountableChanged
  | StageMoved
  | TouchpointAdded
  | TouchpointRemoved
  | TouchpointMovedToStage
  | TouchpointChanged
  | TouchpointRepositioned
  | PainPointAdded
  | PainPointRemoved
  | PainPointEdited
  | ConnectionAdded
  | ConnectionRemoved
  | ConnectionRelabeled
  | ActionAdded
  | ActionRemoved
  | ActionChanged;

/**
 * The side of an edit-versus-remove conflict that edited the thing: the thing
 * as that side has it, with what it changed. Choosing this side keeps (or
 * brings back) the thing exactly so.
 */
export type StageKept = Edit<'stage.kept', StageTarget, null, Stage, Stage> & {
  placement: StagePlacement;
  /** Touchpoints in the stage on this side and at the fork: they go back into it. */
  members: string[];
  edits: MapEdit[];
};
export type TouchpointKept = Edit<'touchpoint.kept', TouchpointTarget, null, Touchpoint, Touchpoint> & {
  /** Its connections on this side; they come back with it where both ends are on the map. */
  connections: Connection[];
  edits: MapEdit[];
};
export type PainPointKept = Edit<'painPoint.kept', PainPointTarget, null, PainPoint, PainPoint> & { edits: MapEdit[] };
export type ConnectionKept = Edit<'connection.kept', ConnectionTarget, null, Connection, Connection> & { edits: MapEdit[] };

export type ActionKept = Edit<'action.kept', ActionTarget, null, Action, Action> & { edits: MapEdit[] };

export type MapKept = StageKept | TouchpointKept | PainPointKept | ConnectionKept | ActionKept;

/** What one side of a conflict did. */
export type ConflictVersion = MapEdit | MapKept;

/** A change from one side that the other side did not contradict. */
export type OneSidedChange = MapEdit & { id: string; side: ChangeSide; conflict: false };

/**
 * Both sides changed the same thing since the fork, to different values, or
 * one side edited what the other removed. `master` and `copy` hold each side's
 * version, for showing them side by side; a Resolution picks one.
 */
export interface MapConflict {
  id: string;
  kind: 'conflict';
  side: 'both';
  conflict: true;
  target: ChangeTarget;
  field: string | null;
  stageId: string | null;
  summary: string;
  master: ConflictVersion;
  copy: ConflictVersion;
}

export type MapChange = OneSidedChange | MapConflict;

const part = (id: string): string => encodeURIComponent(id);

function targetKey(target: ChangeTarget): string {
  switch (target.type) {
    case 'stage':
      return `stage:${part(target.stageId)}`;
    case 'touchpoint':
      return `tp:${part(target.touchpointId)}`;
    case 'painPoint':
      return `pp:${part(target.touchpointId)}:${part(target.painPointId)}`;
    case 'connection':
      return `cx:${part(target.connectionId)}`;
    case 'action':
      return `action:${part(target.actionId)}`;
  }
}

/**
 * The id of a change: what it addresses, then the field or what happened to
 * the thing, e.g. `tp:<touchpointId>:label`, `stage:<stageId>:added`. Ids are
 * URI-encoded, so an id with a colon in it cannot collide with another.
 * A conflict has the id its two edits share (or the removal's, for an edit
 * against a removal).
 */
export function changeId(target: ChangeTarget, what: string): string {
  return `${targetKey(target)}:${what}`;
}

/** What an edit does to its target, as the last part of its id. */
export function editAspect(edit: ConflictVersion): string {
  if (edit.field !== null) return edit.field;
  const dot = edit.kind.indexOf('.');
  return edit.kind.slice(dot + 1);
}
