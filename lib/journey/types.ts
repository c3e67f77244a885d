/**
 * The plain model: the JSON of the two Yjs documents of a map, exactly as
 * `doc.toJSON()` gives them (DESIGN.md, "The Yjs documents", schemaVersion 1).
 * Everything in lib/ that is not the schema module works on these types.
 */

export const SCHEMA_VERSION = 1 as const;

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
}

export interface Connection {
  id: string;
  source: string;
  target: string;
  label: string;
}

/** JSON of the map document (room `<mapId>`). */
export interface JourneyMap {
  meta: MapMeta;
  stages: Stage[];
  touchpoints: Record<string, Touchpoint>;
  connections: Record<string, Connection>;
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

