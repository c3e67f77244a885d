/**
 * A deterministic, seeded journey map for benchmarks: N touchpoints over 20
 * stages, a hub, owners from 8 teams, pain points, 2 connections and 1 comment
 * per touchpoint, and some votes. The result passes the schema's validation
 * (unique stages, one hub, no dangling, self or duplicate connections,
 * replies on their parent's touchpoint), so it can be written into a Y.Doc.
 */
import type { Comment, Connection, Discussion, JourneyMap, PainPoint, Stage, Touchpoint, Votes } from '../../lib/journey/types';
import { CHANNELS } from '../../lib/journey/types';
import { seededRandom } from '../support/seeded-random';

export const STAGE_COUNT = 20;
export const TEAMS = ['Sales', 'Marketing', 'IT', 'Billing', 'Logistics', 'Operations', 'Legal', 'Product'] as const;
const HUB_ID = 'hub';

const random = seededRandom;

export interface GeneratedMap {
  map: JourneyMap;
  discussion: Discussion;
}

export function generateMap(touchpointCount: number, seed = 1): GeneratedMap {
  const next = random(seed);
  const int = (below: number): number => Math.floor(next() * below);
  const pick = <T>(items: readonly T[]): T => {
    const item = items[int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  };

  const stages: Stage[] = [];
  const leadTeam: string[] = [];
  for (let s = 0; s < STAGE_COUNT; s++) {
    const lead = pick(TEAMS);
    leadTeam.push(lead);
    // A quarter of the stages name an accountable team; the rest rely on their owners.
    stages.push({ id: `stage-${s}`, name: `Stage ${s + 1}`, accountable: s % 4 === 0 ? lead : null });
  }

  const touchpoints: Record<string, Touchpoint> = {};
  touchpoints[HUB_ID] = {
    id: HUB_ID,
    kind: 'hub',
    stageId: null,
    label: 'Contact center',
    channel: 'phone',
    owner: 'Contact center',
    emotion: null,
    contactVolume: 0,
    x: 0,
    y: 0,
    painPoints: [],
    externalKey: null,
  };
  const ids: string[] = [];
  for (let i = 0; i < touchpointCount; i++) {
    const id = `tp-${i}`;
    ids.push(id);
    const s = int(STAGE_COUNT);
    const roll = next();
    // Mostly the stage's lead team, sometimes another team, sometimes nobody.
    const owner = roll < 0.08 ? null : roll < 0.75 ? (leadTeam[s] ?? null) : pick(TEAMS);
    const painPoints: PainPoint[] = [];
    const painCount = int(4);
    for (let p = 0; p < painCount; p++) {
      painPoints.push({ id: `pp-${i}-${p}`, text: `Pain ${p + 1}`, severity: 1 + int(5), frequency: 1 + int(5) });
    }
    touchpoints[id] = {
      id,
      kind: 'touchpoint',
      stageId: next() < 0.01 ? null : `stage-${s}`,
      label: `Touchpoint ${i + 1}`,
      channel: pick(CHANNELS),
      owner,
      emotion: next() < 0.2 ? null : int(5) - 2,
      contactVolume: int(500),
      x: int(10_000),
      y: int(2_000),
      painPoints,
      externalKey: `CR-${i}`,
    };
  }

  // Two connections per touchpoint: one to an earlier node (or the hub) so most
  // of the map hangs off the hub, one to any node; never a self or duplicate link.
  const connections: Record<string, Connection> = {};
  const pairs = new Set<string>();
  let connectionCount = 0;
  const link = (source: string, target: string): boolean => {
    if (source === target) return false;
    const pair = source < target ? `${source} ${target}` : `${target} ${source}`;
    if (pairs.has(pair)) return false;
    pairs.add(pair);
    const id = `cn-${connectionCount++}`;
    connections[id] = { id, source, target, label: '' };
    return true;
  };
  const linkAny = (id: string, asSource: boolean): void => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const other = ids[int(touchpointCount)] ?? HUB_ID;
      if (asSource ? link(id, other) : link(other, id)) return;
    }
  };
  for (let i = 0; i < touchpointCount; i++) {
    const id = ids[i] ?? HUB_ID;
    // One in twenty does not hang off the tree (another link may still reach the hub).
    const j = int(i + 1);
    const earlier = j === 0 ? HUB_ID : (ids[j - 1] ?? HUB_ID);
    if (next() < 0.05 || !link(earlier, id)) linkAny(id, true);
    linkAny(id, false);
  }

  // One comment per touchpoint: mostly thread starts, a quarter replies to an
  // earlier comment (on that comment's touchpoint), a fifth resolved.
  const comments: Record<string, Comment> = {};
  const commentIds: string[] = [];
  for (let i = 0; i < touchpointCount; i++) {
    const id = `cm-${i}`;
    const parent = i > 0 && next() < 0.25 ? comments[commentIds[int(i)] ?? ''] : undefined;
    comments[id] = {
      id,
      touchpointId: parent?.touchpointId ?? ids[i] ?? HUB_ID,
      parentId: parent?.id ?? null,
      authorId: `user-${int(40)}`,
      authorName: 'Workshop participant',
      body: `Comment ${i + 1}`,
      createdAt: 1_700_000_000_000 + i * 1000,
      resolved: next() < 0.2,
    };
    commentIds.push(id);
  }

  const votes: Votes = {};
  for (let i = 0; i < touchpointCount; i++) {
    if (next() >= 0.2) continue;
    const byUser: Record<string, number> = {};
    const voters = 1 + int(3);
    for (let v = 0; v < voters; v++) byUser[`user-${int(40)}`] = 1 + int(3);
    votes[ids[i] ?? HUB_ID] = byUser;
  }

  return {
    map: {
      meta: { schemaVersion: 2, title: `Generated map (${touchpointCount} touchpoints)`, persona: 'Customer', hubId: HUB_ID, reviewedAt: null, reviewedBy: null },
      stages,
      touchpoints,
      connections,
      actions: {},
    },
    discussion: { comments, votes },
  };
}
