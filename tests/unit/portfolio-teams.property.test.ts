/** Teams across maps, on random maps: every figure lands with exactly one team or with Nobody. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Action, JourneyMap } from '../../lib/journey/types';
import { preparePortfolioMap } from '../../lib/portfolio/portfolio-map';
import { teamsOf } from '../../lib/portfolio/teams';
import { hub, journeyMap, painPoint, stage, touchpoint } from './annotations-factory';

// Spellings of the same few teams, and blanks that are no team.
const NAMES = ['Billing', 'billing', ' BILLING ', 'Sales', 'sales  ', 'Field ops', 'Field  Ops', '', '   '];
const nameArb = fc.option(fc.constantFrom(...NAMES), { nil: null });

const mapArb = fc.record({
  stages: fc.array(nameArb, { maxLength: 5 }),
  hubOwner: nameArb,
  touchpoints: fc.array(
    fc.record({
      stage: fc.integer({ min: -1, max: 5 }),
      owner: nameArb,
      contactVolume: fc.nat({ max: 500 }),
      pain: fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })), { maxLength: 2 }),
    }),
    { maxLength: 12 },
  ),
  actions: fc.array(fc.record({ on: fc.nat({ max: 12 }), owner: nameArb, status: fc.constantFrom<Action['status']>('proposed', 'doing', 'done', 'dropped') }), { maxLength: 6 }),
});

function build(spec: typeof mapArb extends fc.Arbitrary<infer T> ? T : never, m: number): JourneyMap {
  const stages = spec.stages.map((accountable, s) => stage(`m${m}s${s}`, accountable));
  const touchpoints = spec.touchpoints.map((t, i) =>
    touchpoint(`m${m}t${i}`, t.stage >= 0 && t.stage < stages.length ? `m${m}s${t.stage}` : null, { owner: t.owner, contactVolume: t.contactVolume, painPoints: t.pain.map(([s, f]) => painPoint(s, f)) }),
  );
  const map = journeyMap({ stages, touchpoints: [...touchpoints, hub(spec.hubOwner)] });
  const actions = spec.actions.map((a, i): Action => ({ id: `m${m}a${i}`, touchpointId: `m${m}t${a.on}`, painPointId: null, title: 'x', ownerTeam: a.owner, due: '2026-01-01', status: a.status, doneAt: null, createdAt: 0 }));
  return { ...map, actions: Object.fromEntries(actions.map((a) => [a.id, a])) };
}

describe('teamsOf on random maps', () => {
  it("pain, contacts, stages and open actions each land once: with a team or with Nobody", () => {
    fc.assert(
      fc.property(fc.array(mapArb, { minLength: 1, maxLength: 3 }), (specs) => {
        const maps = specs.map((spec, m) => preparePortfolioMap({ id: `map${m}`, title: `Map ${m}`, role: 'owner', updatedAt: 0, map: build(spec, m), rows: [] }));
        const { teams, nobody } = teamsOf(maps, '2026-12-02');
        const stagesOf = maps.flatMap((m) => m.annotations.stages);
        expect(new Set(teams.map((t) => t.key)).size).toBe(teams.length);
        expect(teams.reduce((n, t) => n + t.pain, 0) + nobody.pain).toBe(stagesOf.reduce((n, s) => n + s.pain, 0));
        expect(teams.reduce((n, t) => n + t.estimatedContacts, 0) + nobody.estimatedContacts).toBe(stagesOf.reduce((n, s) => n + s.failureDemand, 0));
        expect(teams.reduce((n, t) => n + t.accountableFor.length, 0)).toBe(stagesOf.filter((s) => s.accountable !== null).length);
        expect(nobody.stages.length).toBe(stagesOf.filter((s) => s.ownership === 'fragmented' || s.ownership === 'unowned').length);
        const open = maps.flatMap((m) => Object.values(m.map.actions)).filter((a) => a.status === 'proposed' || a.status === 'doing').length;
        expect(teams.reduce((n, t) => n + t.openActions, 0) + nobody.openActionsWithoutTeam).toBe(open);
        for (const team of teams) expect(team.name.trim()).not.toBe('');
      }),
      { numRuns: 300 },
    );
  });
});
