/** Small builders for hand-written annotation fixtures: only what a test names differs from a blank. */
import type { Comment, Connection, Discussion, JourneyMap, PainPoint, Stage, Touchpoint, Votes } from '../../lib/journey/types';

export const HUB_ID = 'hub';

let painPointSeq = 0;

export function painPoint(severity: number, frequency: number): PainPoint {
  painPointSeq++;
  return { id: `pp${painPointSeq}`, text: `pain ${painPointSeq}`, severity, frequency };
}

export function stage(id: string, accountable: string | null = null, name = `Stage ${id}`): Stage {
  return { id, name, accountable };
}

export function touchpoint(id: string, stageId: string | null, fields: Partial<Touchpoint> = {}): Touchpoint {
  return {
    id,
    kind: 'touchpoint',
    stageId,
    label: id,
    channel: 'web',
    owner: null,
    emotion: null,
    contactVolume: 0,
    x: 0,
    y: 0,
    painPoints: [],
    externalKey: null,
    ...fields,
  };
}

export function hub(owner: string | null = 'Contact center', id = HUB_ID): Touchpoint {
  return touchpoint(id, null, { kind: 'hub', owner, channel: 'phone' });
}

let connectionSeq = 0;

export function connection(source: string, target: string): Connection {
  connectionSeq++;
  return { id: `c${connectionSeq}`, source, target, label: '' };
}

export interface MapParts {
  stages?: Stage[];
  touchpoints?: Touchpoint[];
  connections?: Connection[];
  /** Defaults to HUB_ID. */
  hubId?: string;
}

export function journeyMap({ stages = [], touchpoints = [], connections = [], hubId = HUB_ID }: MapParts): JourneyMap {
  return {
    meta: { schemaVersion: 2, title: 'Test map', persona: 'Customer', hubId, reviewedAt: null, reviewedBy: null },
    stages,
    touchpoints: Object.fromEntries(touchpoints.map((t) => [t.id, t])),
    connections: Object.fromEntries(connections.map((c) => [c.id, c])),
    actions: {},
  };
}

export function comment(id: string, touchpointId: string, fields: Partial<Comment> = {}): Comment {
  return {
    id,
    touchpointId,
    parentId: null,
    authorId: 'u1',
    authorName: 'Ada',
    body: id,
    createdAt: 0,
    resolved: false,
    ...fields,
  };
}

export function discussion(comments: Comment[] = [], votes: Votes = {}): Discussion {
  return { comments: Object.fromEntries(comments.map((c) => [c.id, c])), votes };
}
