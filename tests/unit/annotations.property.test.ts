/**
 * Invariants of annotateMap (DESIGN.md, "Per-stage annotations (contract)") over
 * random maps. fast-check prints the seed and the shrunk map of a failure.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { annotateMap } from '../../lib/annotations/annotate-map';
import type { Discussion, JourneyMap, Touchpoint } from '../../lib/journey/types';
import { comment, connection, discussion, hub, journeyMap, painPoint, stage, touchpoint } from './annotations-factory';

const TEAMS = ['Sales', 'IT', 'Ops', 'Billing', 'sales', '', ' '];
const ownerArb = fc.option(fc.constantFrom(...TEAMS), { nil: null });
const MAX_STAGES = 5;
const MAX_TOUCHPOINTS = 30;
/** An end index of -1 names a touchpoint that does not exist. */
const endArb = fc.integer({ min: -1, max: MAX_TOUCHPOINTS });

const specArb = fc.record({
  stages: fc.array(fc.record({ accountable: ownerArb, name: fc.string({ maxLength: 6 }) }), { maxLength: MAX_STAGES }),
  hasHub: fc.boolean(),
  hubOwner: ownerArb,
  touchpoints: fc.array(
    fc.record({
      // -2: null, -1: a stage that does not exist, else a stage index (mod the count)
      stage: fc.integer({ min: -2, max: MAX_STAGES }),
      owner: ownerArb,
      emotion: fc.option(fc.integer({ min: -2, max: 2 }), { nil: null }),
      contactVolume: fc.nat({ max: 1000 }),
      painPoints: fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })), { maxLength: 3 }),
    }),
    { maxLength: MAX_TOUCHPOINTS },
  ),
  connections: fc.array(fc.tuple(endArb, endArb), { maxLength: 45 }),
  comments: fc.array(fc.record({ on: endArb, reply: fc.boolean(), resolved: fc.boolean() }), { maxLength: 20 }),
  votes: fc.array(fc.record({ on: endArb, user: fc.constantFrom('u1', 'u2', 'u3'), dots: fc.nat({ max: 5 }) }), {
    maxLength: 20,
  }),
});
type Spec = typeof specArb extends fc.Arbitrary<infer T> ? T : never;

interface Case {
  map: JourneyMap;
  talk: Discussion;
}

function build(spec: Spec): Case {
  const stages = spec.stages.map((s, i) => stage(`s${i}`, s.accountable, s.name));
  const touchpoints: Touchpoint[] = spec.touchpoints.map((t, i) => {
    let stageId: string | null = null;
    if (t.stage === -1 || (t.stage >= 0 && stages.length === 0)) stageId = 'no-such-stage';
    else if (t.stage >= 0) stageId = `s${t.stage % stages.length}`;
    return touchpoint(`t${i}`, stageId, {
      owner: t.owner,
      emotion: t.emotion,
      contactVolume: t.contactVolume,
      painPoints: t.painPoints.map(([severity, frequency]) => painPoint(severity, frequency)),
    });
  });
  // Ends pick among the touchpoints and the hub (whether or not the map has one).
  const ends = [...touchpoints.map((t) => t.id), 'hub'];
  const end = (i: number): string => (i < 0 ? 'ghost' : (ends[i % ends.length] ?? 'ghost'));
  const all = spec.hasHub ? [hub(spec.hubOwner), ...touchpoints] : touchpoints;
  const map = journeyMap({ stages, touchpoints: all, connections: spec.connections.map(([a, b]) => connection(end(a), end(b))) });
  const comments = spec.comments.map((c, i) =>
    comment(`k${i}`, end(c.on), { parentId: c.reply && i > 0 ? `k${i - 1}` : null, resolved: c.resolved }),
  );
  const votes: Discussion['votes'] = {};
  for (const v of spec.votes) (votes[end(v.on)] ??= {})[v.user] = v.dots;
  return { map, talk: discussion(comments, votes) };
}

const caseArb = specArb.map(build);

function isTeam(owner: string | null): owner is string {
  return owner !== null && owner.trim() !== '';
}

/** Deterministic Fisher–Yates from a seed, so a failure replays. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const j = (state >>> 0) % (i + 1);
    const a = out[i];
    const b = out[j];
    if (a === undefined || b === undefined) continue;
    out[i] = b;
    out[j] = a;
  }
  return out;
}

function reorder<T>(record: Record<string, T>, seed: number): Record<string, T> {
  return Object.fromEntries(shuffled(Object.entries(record), seed));
}

/** A slow, obviously-correct reading of the counting rules: scan everything per stage, BFS from the hub. */
function reference({ map, talk }: Case) {
  const tps = Object.values(map.touchpoints);
  const hubTp = map.touchpoints[map.meta.hubId];
  const reached = new Set<string>();
  if (hubTp?.kind === 'hub') {
    const queue = [hubTp.id];
    reached.add(hubTp.id);
    for (let head = 0; head < queue.length; head++) {
      const at = queue[head];
      for (const c of Object.values(map.connections)) {
        if (!(c.source in map.touchpoints) || !(c.target in map.touchpoints)) continue;
        const next = c.source === at ? c.target : c.target === at ? c.source : null;
        if (next !== null && !reached.has(next)) {
          reached.add(next);
          queue.push(next);
        }
      }
    }
  }
  return map.stages.map((s) => {
    const mine = tps.filter((t) => t.kind === 'touchpoint' && t.stageId === s.id);
    const ids = new Set(mine.map((t) => t.id));
    return {
      touchpoints: mine.length,
      pain: mine.reduce((sum, t) => sum + t.painPoints.reduce((p, pp) => p + pp.severity * pp.frequency, 0), 0),
      failureDemand: mine.reduce((sum, t) => sum + t.contactVolume, 0),
      hubLinked: mine.filter((t) => reached.has(t.id)).length,
      openComments: Object.values(talk.comments).filter((c) => ids.has(c.touchpointId) && c.parentId === null && !c.resolved)
        .length,
      votes: Object.entries(talk.votes)
        .filter(([id]) => ids.has(id))
        .reduce((sum, [, byUser]) => sum + Object.values(byUser).reduce((a, b) => a + b, 0), 0),
      owners: [...new Set(mine.map((t) => t.owner).filter(isTeam))].sort(),
    };
  });
}

describe('annotateMap properties', () => {
  it('touchpoints: Σ stage touchpoints + unstaged = the number of non-hub touchpoints', () => {
    fc.assert(
      fc.property(caseArb, ({ map, talk }) => {
        const result = annotateMap(map, talk);
        const nonHub = Object.values(map.touchpoints).filter((t) => t.kind === 'touchpoint').length;
        expect(result.stages.reduce((sum, s) => sum + s.touchpoints, 0) + result.unstaged).toBe(nonHub);
      }),
    );
  });

  it('hubLinked: 0 ≤ hubLinked ≤ touchpoints; hubCoverage in [0, 1], null exactly when there are no touchpoints', () => {
    fc.assert(
      fc.property(caseArb, ({ map, talk }) => {
        const result = annotateMap(map, talk);
        for (const s of result.stages) {
          expect(s.hubLinked).toBeGreaterThanOrEqual(0);
          expect(s.hubLinked).toBeLessThanOrEqual(s.touchpoints);
          if (s.touchpoints === 0) expect(s.hubCoverage).toBeNull();
          else expect(s.hubCoverage).toBe(s.hubLinked / s.touchpoints);
        }
        const total = result.stages.reduce((sum, s) => sum + s.touchpoints, 0);
        expect(result.hubCoverage === null).toBe(total === 0);
      }),
    );
  });

  it('the counting rules agree with a per-stage scan and a BFS from the hub', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const result = annotateMap(c.map, c.talk);
        const expected = reference(c);
        expect(result.stages.map(({ touchpoints, pain, failureDemand, hubLinked, openComments, votes, owners }) => ({
          touchpoints,
          pain,
          failureDemand,
          hubLinked,
          openComments,
          votes,
          owners,
        }))).toEqual(expected);
      }),
    );
  });

  it('ownershipGaps: equals the number of fragmented or unowned stages; ownership follows its table', () => {
    fc.assert(
      fc.property(caseArb, ({ map, talk }) => {
        const result = annotateMap(map, talk);
        expect(result.ownershipGaps).toBe(
          result.stages.filter((s) => s.ownership === 'fragmented' || s.ownership === 'unowned').length,
        );
        for (const s of result.stages) {
          if (s.touchpoints === 0) expect(s.ownership).toBe('empty');
          else if (s.accountable !== null) expect(s.ownership).toBe('owned');
          else expect(s.ownership).toBe(s.owners.length >= 2 ? 'fragmented' : 'unowned');
          if (s.accountable !== null) expect(s.suggestedOwner).toBeNull();
          else if (s.owners.length > 0) expect(s.owners).toContain(s.suggestedOwner);
        }
      }),
    );
  });

  it('failureDemand: Σ contactVolume of the staged touchpoints (unstaged ones do not count)', () => {
    fc.assert(
      fc.property(caseArb, ({ map, talk }) => {
        const stageIds = new Set(map.stages.map((s) => s.id));
        const staged = Object.values(map.touchpoints).filter(
          (t) => t.kind === 'touchpoint' && t.stageId !== null && stageIds.has(t.stageId),
        );
        expect(annotateMap(map, talk).failureDemand).toBe(staged.reduce((sum, t) => sum + t.contactVolume, 0));
      }),
    );
  });

  it('results do not depend on the order of touchpoints, connections, comments or votes in their records', () => {
    fc.assert(
      fc.property(caseArb, fc.integer(), ({ map, talk }, seed) => {
        const reordered: Case = {
          map: { ...map, touchpoints: reorder(map.touchpoints, seed), connections: reorder(map.connections, seed + 1) },
          talk: {
            comments: reorder(talk.comments, seed + 2),
            votes: Object.fromEntries(
              shuffled(Object.entries(talk.votes), seed + 3).map(([id, byUser], i) => [id, reorder(byUser, seed + i)]),
            ),
          },
        };
        expect(annotateMap(reordered.map, reordered.talk)).toEqual(annotateMap(map, talk));
      }),
    );
  });

  it("pain: adding a pain point never lowers that stage's pain and changes no other stage's", () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.nat(),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        ({ map, talk }, pick, severity, frequency) => {
          const ids = Object.keys(map.touchpoints);
          const id = ids[pick % Math.max(ids.length, 1)];
          const target = id === undefined ? undefined : map.touchpoints[id];
          fc.pre(target !== undefined);
          if (target === undefined) return;
          const before = annotateMap(map, talk);
          const grown: JourneyMap = {
            ...map,
            touchpoints: {
              ...map.touchpoints,
              [target.id]: { ...target, painPoints: [...target.painPoints, painPoint(severity, frequency)] },
            },
          };
          const after = annotateMap(grown, talk);
          after.stages.forEach((s, i) => {
            const old = before.stages[i];
            if (old === undefined) throw new Error('stage count changed');
            if (target.kind === 'touchpoint' && s.stageId === target.stageId) {
              expect(s.pain).toBe(old.pain + severity * frequency);
            } else {
              expect(s.pain).toBe(old.pain);
            }
            expect(s.pain).toBeGreaterThanOrEqual(old.pain);
          });
        },
      ),
    );
  });

  it('renaming a stage changes nothing but its name', () => {
    fc.assert(
      fc.property(caseArb, fc.nat(), fc.string({ maxLength: 8 }), ({ map, talk }, pick, name) => {
        fc.pre(map.stages.length > 0);
        const at = pick % map.stages.length;
        const renamed: JourneyMap = { ...map, stages: map.stages.map((s, i) => (i === at ? { ...s, name } : s)) };
        const expected = annotateMap(map, talk);
        expected.stages = expected.stages.map((s, i) => (i === at ? { ...s, name } : s));
        expect(annotateMap(renamed, talk)).toEqual(expected);
      }),
    );
  });

  it('pure: the map and the discussion are not mutated, and the same input gives the same result', () => {
    fc.assert(
      fc.property(caseArb, ({ map, talk }) => {
        const mapBefore = structuredClone(map);
        const talkBefore = structuredClone(talk);
        const first = annotateMap(map, talk);
        expect(map).toEqual(mapBefore);
        expect(talk).toEqual(talkBefore);
        expect(annotateMap(map, talk)).toEqual(first);
      }),
    );
  });
});
