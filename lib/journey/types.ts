/**
 * The plain model: the JSON of the two Yjs documents of a map, exactly as
 * `doc.toJSON()` gives them (DESIGN.md, "The Yjs documents" and "Schema v2").
 * A v1 document reads as v2: no external keys, no actions, never reviewed.
 * Everything in lib/ that is not the schema module works on these types.
 */

export const SCHEMA_VERSION = 2 as const;
/** The version of documents stored before schema v2; the server upgrades them when it loads them. */
export const SCHEMA_VERSION_1 = 1 as const;

export const ACTION_STATUSES = ['proposed', 'doing', 'done', 'dropped'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const CHANNELS = ['web', 'app', 'phone', 'chat', 'email', 'store', 'social', 'other'] as const;
export type Channel = (typeof CHANNELS)[number];

export const EMOTION_MIN = -2;
export const EMOTION_MAX = 2;
export const SEVERITY_MIN = 1;
export const SEVERITY_MAX = 5;
export const FREQUENCY_MIN = 1;
export const FREQUENCY_MAX = 5;

export interface MapMeta {
  schemaVersion: typeof SCHEMA_VERSION;
  title: string;
  persona: string;
  hubId: string;
  /** When someone last marked the map reviewed (ms), or null. */
  reviewedAt: number | null;
  /** The name of who did. */
  reviewedBy: string | null;
  /**
   * When measured figures for the map last changed (ms; written by the server after a push or a delete), so that
   * open canvases refetch them; absent until the first push.
   */
  figuresAt?: number | null;
}

export interface Stage {
  id: string;
  name: string;
  /** The team accountable for the stage, or null. */
  accountable: string | null;
}

export interface PainPoint {
  id: string;
  text: string;
  /** 1..5 */
  severity: number;
  /** 1..5 */
  frequency: number;
}

export type TouchpointKind = 'touchpoint' | 'hub';

export interface Touchpoint {
  id: string;
  kind: TouchpointKind;
  /** null for the hub and for unstaged touchpoints. */
  stageId: string | null;
  label: string;
  channel: Channel;
  /** The team that owns the touchpoint; null (or '') is no owner. */
  owner: string | null;
  /** -2..2, or null when unknown. */
  emotion: number | null;
  /** Contacts a month the touchpoint drives to the contact center (>= 0). */
  contactVolume: number;
  x: number;
  y: number;
  painPoints: PainPoint[];
  /** The touchpoint's key in the contact center's own systems (a contact-reason code, an IVR node…); unique within a map. */
  externalKey: string | null;
}

export interface Connection {
  id: string;
  source: string;
  target: string;
  label: string;
}

/** Something a team will do about a touchpoint (or one of its pain points); it outlives its touchpoint, so its outcome can still be shown. */
export interface Action {
  id: string;
  touchpointId: string;
  painPointId: string | null;
  title: string;
  ownerTeam: string | null;
  /** 'YYYY-MM-DD', or null. */
  due: string | null;
  status: ActionStatus;
  /** Set (ms) when the status becomes done; null otherwise. */
  doneAt: number | null;
  createdAt: number;
}

/** JSON of the map document (room `<mapId>`). */
export interface JourneyMap {
  meta: MapMeta;
  stages: Stage[];
  touchpoints: Record<string, Touchpoint>;
  connections: Record<string, Connection>;
  actions: Record<string, Action>;
}

export interface Comment {
  id: string;
  touchpointId: string;
  /** null for a thread's first comment, else the id of the comment replied to. */
  parentId: string | null;
  authorId: string;
  authorName: string;
  body: string;
  /** ms since the epoch */
  createdAt: number;
  resolved: boolean;
}

/** votes[touchpointId][userId] = dots (integer >= 0) */
export type Votes = Record<string, Record<string, number>>;

/** JSON of the discussion document (room `<mapId>.discussion`). */
export interface Discussion {
  comments: Record<string, Comment>;
  votes: Votes;
}

