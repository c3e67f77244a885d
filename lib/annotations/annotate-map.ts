import type { Discussion, JourneyMap } from '../journey/types';
import { measureStages } from './measured';
import type { EmotionPoint, MapAnnotations, Measurements, Ownership, PainLevel, StageAnnotation } from './types';

/*
 * The JSON as it may really arrive: from a peer on older code, an import, a
 * document whose optional pieces were never written. JourneyMap and Discussion
 * are assignable to these shapes, and reading through them makes the compiler
 * ask for a check wherever a piece may be missing or of the wrong type.
 */
interface PainPointJson {
  severity?: unknown;
  frequency?: unknown;
}
interface TouchpointJson {
  kind?: unknown;
  stageId?: unknown;
  owner?: unknown;
  emotion?: unknown;
  contactVolume?: unknown;
  painPoints?: readonly (PainPointJson | null | undefined)[] | null;
}
interface StageJson {
  id?: unknown;
  name?: unknown;
  accountable?: unknown;
}
interface ConnectionJson {
  source?: unknown;
  target?: unknown;
}
interface MapJson {
  meta?: { hubId?: unknown } | null;
  stages?: readonly (StageJson | null | undefined)[] | null;
  touchpoints?: Readonly<Record<string, TouchpointJson | null | undefined>> | null;
  connections?: Readonly<Record<string, ConnectionJson | null | undefined>> | null;
}
interface CommentJson {
  touchpointId?: unknown;
  parentId?: unknown;
  resolved?: unknown;
}
interface DiscussionJson {
  comments?: Readonly<Record<string, CommentJson | null | undefined>> | null;
  votes?: Readonly<Record<string, Readonly<Record<string, unknown>> | null | undefined>> | null;
}

interface OwnerTally {
  pain: number;
  touchpoints: number;
}

interface StageTally {
  id: string;
  name: string;
  accountable: string | null;
  touchpoints: number;
  emotionSum: number;
  emotionCount: number;
  pain: number;
  failureDemand: number;
  hubLinked: number;
  openComments: number;
  votes: number;
  owners: Map<string, OwnerTally>;
  unowned: string[];
}

const PAIN_LOW_BELOW = 5;
const PAIN_MEDIUM_BELOW = 10;
const PAIN_HIGH_BELOW = 15;

/**
 * Per-stage annotations of a map (DESIGN.md, "Per-stage annotations (contract)").
 *
 * Pure, and linear in the size of the map and the discussion: one pass over
 * the stages, the touchpoints, the connections (union-find from the hub), the
 * comments and the votes; nothing scans all touchpoints once per stage.
 */
export function annotateMap(map: JourneyMap, discussion?: Discussion, measurements?: Measurements): MapAnnotations {
  const json: MapJson = map;

  // A stage id used twice is one stage, the first copy, as readMap reads it.
  const tallies: StageTally[] = [];
  const stageIndex = new Map<string, number>();
  const stageList = json.stages ?? [];
  for (let s = 0; s < stageList.length; s++) {
    const stage = stageList[s];
    if (stage == null || typeof stage.id !== 'string' || stageIndex.has(stage.id)) continue;
    stageIndex.set(stage.id, tallies.length);
    tallies.push({
      id: stage.id,
      name: typeof stage.name === 'string' ? stage.name : '',
      accountable: teamOf(stage.accountable),
      touchpoints: 0,
      emotionSum: 0,
      emotionCount: 0,
      pain: 0,
      failureDemand: 0,
      hubLinked: 0,
      openComments: 0,
      votes: 0,
      owners: new Map(),
      unowned: [],
    });
  }

  // The record key is the touchpoint's id (DESIGN.md: "key = id"), so a record
  // whose value lacks `id` still counts under its key.
  const touchpoints = json.touchpoints ?? {};
  const ids = Object.keys(touchpoints);
  const count = ids.length;
  const indexOf = new Map<string, number>();
  const stageOf = new Int32Array(count).fill(-1);
  const hubId = json.meta?.hubId;
  let hub = -1;
  let hubOwner: string | null = null;
  let unstaged = 0;
  let staged = 0;

  for (let i = 0; i < count; i++) {
    const id = ids[i];
    if (id === undefined) continue;
    indexOf.set(id, i);
    const tp = touchpoints[id];
    if (tp == null) continue;
    if (tp.kind !== 'touchpoint') {
      // Only the touchpoint named by meta.hubId, of kind 'hub', is the hub;
      // anything else that is not a 'touchpoint' counts nowhere.
      if (tp.kind === 'hub' && id === hubId) {
        hub = i;
        hubOwner = teamOf(tp.owner);
      }
      continue;
    }
    const s = typeof tp.stageId === 'string' ? stageIndex.get(tp.stageId) : undefined;
    const tally = s === undefined ? undefined : tallies[s];
    if (s === undefined || tally === undefined) {
      unstaged++;
      continue;
    }
    stageOf[i] = s;
    staged++;
    tally.touchpoints++;
    const emotion = finiteOrNull(tp.emotion);
    if (emotion !== null) {
      tally.emotionSum += emotion;
      tally.emotionCount++;
    }
    tally.failureDemand += finiteOrNull(tp.contactVolume) ?? 0;
    let pain = 0;
    const painPoints = tp.painPoints;
    if (painPoints != null) {
      for (let k = 0; k < painPoints.length; k++) {
        const point = painPoints[k];
        if (point == null) continue;
        pain += (finiteOrNull(point.severity) ?? 0) * (finiteOrNull(point.frequency) ?? 0);
      }
    }
    tally.pain += pain;
    const owner = teamOf(tp.owner);
    if (owner === null) {
      tally.unowned.push(id);
    } else {
      const ownerTally = tally.owners.get(owner);
      if (ownerTally === undefined) {
        tally.owners.set(owner, { pain, touchpoints: 1 });
      } else {
        ownerTally.pain += pain;
        ownerTally.touchpoints++;
      }
    }
  }

  if (hub >= 0 && staged > 0) countHubLinked(json.connections ?? {}, indexOf, stageOf, hub, tallies);
  if (discussion !== undefined) countDiscussion(discussion, indexOf, stageOf, tallies);
  const measured = measureStages(measurements, tallies.length, (id) => {
    const i = indexOf.get(id);
    return i === undefined ? -1 : (stageOf[i] ?? -1);
  });

  const stages: StageAnnotation[] = [];
  const emotionCurve: EmotionPoint[] = [];
  let hotspotStageId: string | null = null;
  let hotspotPain = 0;
  let ownershipGaps = 0;
  let totalTouchpoints = 0;
  let totalLinked = 0;
  let failureDemand = 0;

  let measuredContacts: number | null = null;
  for (const [s, tally] of tallies.entries()) {
    const annotation = finishStage(tally, hubOwner);
    const stageMeasured = measured?.stages[s];
    if (stageMeasured !== undefined) {
      annotation.measured = stageMeasured;
      if (stageMeasured.contacts !== null) measuredContacts = (measuredContacts ?? 0) + stageMeasured.contacts;
    }
    stages.push(annotation);
    emotionCurve.push({ stageId: annotation.stageId, emotion: annotation.emotion });
    // Strictly greater, so the earliest stage wins a tie and all-zero gives null.
    if (annotation.pain > hotspotPain) {
      hotspotPain = annotation.pain;
      hotspotStageId = annotation.stageId;
    }
    if (annotation.ownership === 'fragmented' || annotation.ownership === 'unowned') ownershipGaps++;
    totalTouchpoints += annotation.touchpoints;
    totalLinked += annotation.hubLinked;
    failureDemand += annotation.failureDemand;
  }

  return {
    stages,
    hotspotStageId,
    emotionCurve,
    ownershipGaps,
    hubCoverage: totalTouchpoints === 0 ? null : totalLinked / totalTouchpoints,
    failureDemand,
    unstaged,
    measuredPeriod: measured?.period ?? null,
    measuredContacts,
  };
}

/**
 * Connections are undirected for reachability, so the hub's component under
 * union-find (union by size, path halving) is exactly the set of touchpoints
 * that reach it in either direction, any number of steps. A connection with an
 * end that names no touchpoint is ignored.
 *
 * Two passes, not one: the first only resolves each connection's ends to
 * indices, the second unites them. Resolving walks the map's records and
 * strings (tens of megabytes at 50,000 touchpoints), which pushes the
 * union-find arrays out of the cache when both share a loop; apart, the
 * second pass runs over a few hundred kilobytes that stay cached.
 */
function countHubLinked(
  connections: Readonly<Record<string, ConnectionJson | null | undefined>>,
  indexOf: ReadonlyMap<string, number>,
  stageOf: Int32Array,
  hub: number,
  tallies: StageTally[],
): void {
  const keys = Object.keys(connections);
  const ends = new Int32Array(2 * keys.length);
  let endCount = 0;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    const connection = key === undefined ? undefined : connections[key];
    if (connection == null) continue;
    const { source, target } = connection;
    if (typeof source !== 'string' || typeof target !== 'string') continue;
    const a = indexOf.get(source);
    const b = indexOf.get(target);
    if (a === undefined || b === undefined || a === b) continue;
    ends[endCount++] = a;
    ends[endCount++] = b;
  }

  const count = stageOf.length;
  const parent = new Int32Array(count);
  const size = new Int32Array(count).fill(1);
  for (let i = 0; i < count; i++) parent[i] = i;
  for (let e = 0; e < endCount; e += 2) {
    const ra = find(parent, ends[e] ?? 0);
    const rb = find(parent, ends[e + 1] ?? 0);
    if (ra === rb) continue;
    const sa = size[ra] ?? 1;
    const sb = size[rb] ?? 1;
    if (sa < sb) {
      parent[ra] = rb;
      size[rb] = sa + sb;
    } else {
      parent[rb] = ra;
      size[ra] = sa + sb;
    }
  }

  const hubRoot = find(parent, hub);
  for (let i = 0; i < count; i++) {
    const s = stageOf[i] ?? -1;
    if (s < 0) continue;
    const tally = tallies[s];
    if (tally !== undefined && find(parent, i) === hubRoot) tally.hubLinked++;
  }
}

/** The root of x's set, halving the path on the way up. */
function find(parent: Int32Array, x: number): number {
  let at = x;
  let up = parent[at] ?? at;
  while (up !== at) {
    const grand = parent[up] ?? up;
    parent[at] = grand;
    at = grand;
    up = parent[at] ?? at;
  }
  return at;
}

function countDiscussion(
  discussion: DiscussionJson,
  indexOf: ReadonlyMap<string, number>,
  stageOf: Int32Array,
  tallies: StageTally[],
): void {
  const comments = discussion.comments ?? {};
  const commentKeys = Object.keys(comments);
  for (let k = 0; k < commentKeys.length; k++) {
    const key = commentKeys[k];
    const comment = key === undefined ? undefined : comments[key];
    // A missing parentId reads as a thread's first comment, a missing
    // `resolved` as not resolved: an open thread is the safer report.
    if (comment == null || comment.parentId != null || comment.resolved === true) continue;
    const tally = tallyOf(comment.touchpointId, indexOf, stageOf, tallies);
    if (tally !== undefined) tally.openComments++;
  }

  const votes = discussion.votes ?? {};
  for (const touchpointId in votes) {
    const byUser = votes[touchpointId];
    if (byUser == null) continue;
    const tally = tallyOf(touchpointId, indexOf, stageOf, tallies);
    if (tally === undefined) continue;
    let dots = 0;
    for (const userId in byUser) {
      const value = byUser[userId];
      // Dots are integers >= 0; anything else (negative, NaN, not a number) counts as none.
      if (typeof value === 'number' && value > 0) dots += value;
    }
    tally.votes += dots;
  }
}

function tallyOf(
  touchpointId: unknown,
  indexOf: ReadonlyMap<string, number>,
  stageOf: Int32Array,
  tallies: readonly StageTally[],
): StageTally | undefined {
  if (typeof touchpointId !== 'string') return undefined;
  const i = indexOf.get(touchpointId);
  if (i === undefined) return undefined;
  const s = stageOf[i] ?? -1;
  return s < 0 ? undefined : tallies[s];
}

function finishStage(tally: StageTally, hubOwner: string | null): StageAnnotation {
  const { touchpoints, pain } = tally;
  const owners = Array.from(tally.owners.keys()).sort(byCodeUnit);
  const single = owners.length === 1 ? (owners[0] ?? null) : null;
  const accountable = tally.accountable ?? single;
  const painPerTouchpoint = touchpoints === 0 ? 0 : pain / touchpoints;

  let ownership: Ownership;
  if (touchpoints === 0) ownership = 'empty';
  else if (accountable !== null) ownership = 'owned';
  else if (owners.length >= 2) ownership = 'fragmented';
  else ownership = 'unowned';

  let suggestedOwner: string | null = null;
  if (accountable === null) suggestedOwner = owners.length === 0 ? hubOwner : heaviestOwner(tally.owners);

  return {
    stageId: tally.id,
    name: tally.name,
    touchpoints,
    emotion: tally.emotionCount === 0 ? null : tally.emotionSum / tally.emotionCount,
    pain,
    painPerTouchpoint,
    painLevel: painLevelOf(pain, painPerTouchpoint),
    owners,
    accountable,
    ownership,
    unownedTouchpoints: tally.unowned.sort(byCodeUnit),
    hubLinked: tally.hubLinked,
    hubCoverage: touchpoints === 0 ? null : tally.hubLinked / touchpoints,
    failureDemand: tally.failureDemand,
    openComments: tally.openComments,
    votes: tally.votes,
    suggestedOwner,
  };
}

function painLevelOf(pain: number, painPerTouchpoint: number): PainLevel {
  if (pain === 0) return 'none';
  if (painPerTouchpoint < PAIN_LOW_BELOW) return 'low';
  if (painPerTouchpoint < PAIN_MEDIUM_BELOW) return 'medium';
  if (painPerTouchpoint < PAIN_HIGH_BELOW) return 'high';
  return 'critical';
}

/** Most pain, then most touchpoints, then the first by code unit. */
function heaviestOwner(owners: ReadonlyMap<string, OwnerTally>): string | null {
  let best: string | null = null;
  let bestPain = 0;
  let bestTouchpoints = 0;
  for (const [owner, { pain, touchpoints }] of owners) {
    if (
      best === null ||
      pain > bestPain ||
      (pain === bestPain && (touchpoints > bestTouchpoints || (touchpoints === bestTouchpoints && owner < best)))
    ) {
      best = owner;
      bestPain = pain;
      bestTouchpoints = touchpoints;
    }
  }
  return best;
}

/**
 * A team name, or null for no team. The contract makes '' no owner; a
 * whitespace-only name is no owner either, since no one can act on it. A real
 * name is kept verbatim (not trimmed): normalising names is the editor's job,
 * and two spellings are two teams here.
 */
function teamOf(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  // Fast path: a printable ASCII first character cannot be whitespace.
  const first = value.charCodeAt(0);
  if (first > 32 && first < 127) return value;
  return value.trim() === '' ? null : value;
}

function finiteOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Code-unit order: deterministic everywhere, unlike localeCompare. */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
