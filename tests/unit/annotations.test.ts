/**
 * annotateMap against DESIGN.md, "Per-stage annotations (contract)". Every
 * expected value below is computed by hand; each test names the rule it checks.
 */
import { describe, expect, it } from 'vitest';
import { annotateMap } from '../../lib/annotations/annotate-map';
import type { MapAnnotations, StageAnnotation } from '../../lib/annotations/types';
import type { Discussion, JourneyMap } from '../../lib/journey/types';
import {
  comment,
  connection,
  discussion,
  hub,
  journeyMap,
  painPoint,
  stage,
  touchpoint,
} from './annotations-factory';

function stageOf(result: MapAnnotations, stageId: string): StageAnnotation {
  const found = result.stages.find((s) => s.stageId === stageId);
  if (found === undefined) throw new Error(`no annotation for stage ${stageId}`);
  return found;
}

/** A single stage with `count` touchpoints carrying `pain` in total (all on the first). */
function stageWithPain(pain: number, count: number): JourneyMap {
  const touchpoints = Array.from({ length: count }, (_, i) =>
    touchpoint(`t${i}`, 's', { painPoints: i === 0 ? Array.from({ length: pain }, () => painPoint(1, 1)) : [] }),
  );
  return journeyMap({ stages: [stage('s')], touchpoints: [hub(), ...touchpoints] });
}

describe('annotateMap: a whole map, every field by hand', () => {
  // s1 owned by its single owner, s2 accountable by the stage, s3 fragmented, s4 empty;
  // two unstaged touchpoints, a dangling connection, replies, resolved threads, votes off-stage.
  const map = journeyMap({
    stages: [stage('s1', null, 'Discover'), stage('s2', 'Sales', 'Buy'), stage('s3', null, 'Use'), stage('s4', null, 'Renew')],
    touchpoints: [
      hub('Contact center'),
      touchpoint('a', 's1', { owner: 'Marketing', emotion: 1, contactVolume: 10, painPoints: [painPoint(3, 2)] }),
      touchpoint('b', 's1', { owner: 'Marketing', emotion: -1, contactVolume: 5, painPoints: [painPoint(1, 1)] }),
      touchpoint('c', 's2', { owner: 'IT', emotion: -2, contactVolume: 100, painPoints: [painPoint(5, 5), painPoint(2, 3)] }),
      touchpoint('d', 's2', { owner: null }),
      touchpoint('e', 's3', { owner: 'Ops', emotion: 0, contactVolume: 7, painPoints: [painPoint(2, 2)] }),
      touchpoint('f', 's3', { owner: 'Billing', contactVolume: 3, painPoints: [painPoint(2, 2)] }),
      touchpoint('g', 's3', { owner: 'Ops' }),
      touchpoint('u', 'no-such-stage', { owner: 'X', contactVolume: 1000, painPoints: [painPoint(5, 5)] }),
      touchpoint('v', null, { owner: 'Y', contactVolume: 1 }),
    ],
    connections: [
      connection('hub', 'a'),
      connection('b', 'a'),
      connection('c', 'hub'),
      connection('e', 'f'),
      connection('f', 'g'),
      connection('d', 'ghost'),
      connection('u', 'hub'),
    ],
  });
  const talk = discussion(
    [
      comment('k1', 'a'),
      comment('k2', 'a', { parentId: 'k1' }),
      comment('k3', 'c', { resolved: true }),
      comment('k4', 'c'),
      comment('k5', 'u'),
      comment('k6', 'hub'),
      comment('k7', 'e'),
      comment('k8', 'ghost'),
    ],
    { a: { u1: 2, u2: 1 }, c: { u1: 3 }, e: { u3: 1 }, hub: { u1: 5 }, u: { u1: 4 }, ghost: { u1: 9 } },
  );

  it('matches the contract field by field', () => {
    const expected: MapAnnotations = {
      stages: [
        {
          stageId: 's1',
          name: 'Discover',
          touchpoints: 2,
          emotion: 0, // (1 + -1) / 2
          pain: 7, // 3×2 + 1×1
          painPerTouchpoint: 3.5,
          painLevel: 'low',
          owners: ['Marketing'],
          accountable: 'Marketing',
          ownership: 'owned',
          unownedTouchpoints: [],
          hubLinked: 2, // a directly, b through a
          hubCoverage: 1,
          failureDemand: 15,
          openComments: 1, // k1; k2 is a reply
          votes: 3,
          suggestedOwner: null,
        },
        {
          stageId: 's2',
          name: 'Buy',
          touchpoints: 2,
          emotion: -2, // d has none
          pain: 31, // 5×5 + 2×3
          painPerTouchpoint: 15.5,
          painLevel: 'critical',
          owners: ['IT'],
          accountable: 'Sales',
          ownership: 'owned',
          unownedTouchpoints: ['d'],
          hubLinked: 1, // c; d only has a dangling connection
          hubCoverage: 0.5,
          failureDemand: 100,
          openComments: 1, // k4; k3 is resolved
          votes: 3,
          suggestedOwner: null,
        },
        {
          stageId: 's3',
          name: 'Use',
          touchpoints: 3,
          emotion: 0,
          pain: 8,
          painPerTouchpoint: 8 / 3,
          painLevel: 'low',
          owners: ['Billing', 'Ops'],
          accountable: null,
          ownership: 'fragmented',
          unownedTouchpoints: [],
          hubLinked: 0, // e–f–g is an island
          hubCoverage: 0,
          failureDemand: 10,
          openComments: 1,
          votes: 1,
          suggestedOwner: 'Ops', // Ops and Billing both carry 4; Ops has 2 touchpoints
        },
        {
          stageId: 's4',
          name: 'Renew',
          touchpoints: 0,
          emotion: null,
          pain: 0,
          painPerTouchpoint: 0,
          painLevel: 'none',
          owners: [],
          accountable: null,
          ownership: 'empty',
          unownedTouchpoints: [],
          hubLinked: 0,
          hubCoverage: null,
          failureDemand: 0,
          openComments: 0,
          votes: 0,
          suggestedOwner: 'Contact center',
        },
      ],
      hotspotStageId: 's2',
      emotionCurve: [
        { stageId: 's1', emotion: 0 },
        { stageId: 's2', emotion: -2 },
        { stageId: 's3', emotion: 0 },
        { stageId: 's4', emotion: null },
      ],
      ownershipGaps: 1, // s3; an empty stage is not a gap
      hubCoverage: 3 / 7,
      failureDemand: 125, // 15 + 100 + 10; u and v are unstaged
      unstaged: 2,
      measuredPeriod: null,
      measuredContacts: null,
    };
    expect(annotateMap(map, talk)).toEqual(expected);
  });
});

describe('annotateMap: per-stage rules', () => {
  it('touchpoints: only kind touchpoint with the stage id counts; the hub never does', () => {
    const map = journeyMap({
      stages: [stage('s')],
      touchpoints: [hub(), touchpoint('a', 's'), touchpoint('b', 's'), { ...hub('Other', 'hub2'), stageId: 's' }],
    });
    const result = annotateMap(map);
    expect(stageOf(result, 's').touchpoints).toBe(2);
    expect(result.unstaged).toBe(0);
  });

  it('emotion: mean of the non-null emotions, null when none has one', () => {
    const map = journeyMap({
      stages: [stage('s1'), stage('s2')],
      touchpoints: [
        hub(),
        touchpoint('a', 's1', { emotion: 2 }),
        touchpoint('b', 's1', { emotion: -1 }),
        touchpoint('c', 's1', { emotion: null }),
        touchpoint('d', 's2', { emotion: null }),
      ],
    });
    const result = annotateMap(map);
    expect(stageOf(result, 's1').emotion).toBe(0.5);
    expect(stageOf(result, 's2').emotion).toBeNull();
  });

  it("pain: Σ severity × frequency over the stage's touchpoints and their pain points", () => {
    const map = journeyMap({
      stages: [stage('s')],
      touchpoints: [
        hub(),
        touchpoint('a', 's', { painPoints: [painPoint(4, 3), painPoint(1, 5)] }),
        touchpoint('b', 's', { painPoints: [painPoint(2, 2)] }),
        touchpoint('c', 's'),
      ],
    });
    const s = stageOf(annotateMap(map), 's');
    expect(s.pain).toBe(21); // 12 + 5 + 4
    expect(s.painPerTouchpoint).toBe(7);
  });

  it.each([
    { pain: 0, count: 1, ppt: 0, level: 'none' },
    { pain: 1, count: 100, ppt: 0.01, level: 'low' },
    { pain: 499, count: 100, ppt: 4.99, level: 'low' },
    { pain: 500, count: 100, ppt: 5, level: 'medium' },
    { pain: 999, count: 100, ppt: 9.99, level: 'medium' },
    { pain: 10, count: 1, ppt: 10, level: 'high' },
    { pain: 1499, count: 100, ppt: 14.99, level: 'high' },
    { pain: 15, count: 1, ppt: 15, level: 'critical' },
    { pain: 25, count: 1, ppt: 25, level: 'critical' },
  ])('painLevel: none at pain 0, else < 5 low, < 10 medium, < 15 high, else critical (pain $pain over $count → $level)', ({ pain, count, ppt, level }) => {
    const s = stageOf(annotateMap(stageWithPain(pain, count)), 's');
    expect(s.pain).toBe(pain);
    expect(s.painPerTouchpoint).toBe(ppt);
    expect(s.painLevel).toBe(level);
  });

  it('painPerTouchpoint: 0 and painLevel none when the stage has no touchpoints', () => {
    const s = stageOf(annotateMap(journeyMap({ stages: [stage('s')], touchpoints: [hub()] })), 's');
    expect(s.painPerTouchpoint).toBe(0);
    expect(s.painLevel).toBe('none');
  });

  it('owners: distinct non-empty owners, sorted by code unit (not locale)', () => {
    const map = journeyMap({
      stages: [stage('s')],
      touchpoints: [
        hub(),
        touchpoint('a', 's', { owner: 'ops' }),
        touchpoint('b', 's', { owner: 'Sales' }),
        touchpoint('c', 's', { owner: 'ops' }),
        touchpoint('d', 's', { owner: 'Éclair' }),
        touchpoint('e', 's', { owner: 'IT' }),
        touchpoint('f', 's', { owner: '' }),
        touchpoint('g', 's', { owner: '   ' }),
        touchpoint('h', 's', { owner: null }),
      ],
    });
    expect(stageOf(annotateMap(map), 's').owners).toEqual(['IT', 'Sales', 'ops', 'Éclair']);
  });

  it("accountable: the stage's accountable if set, over its touchpoints' owners", () => {
    const map = journeyMap({
      stages: [stage('one', 'Sales'), stage('many', 'Sales')],
      touchpoints: [
        hub(),
        touchpoint('a', 'one', { owner: 'IT' }),
        touchpoint('b', 'many', { owner: 'IT' }),
        touchpoint('c', 'many', { owner: 'Ops' }),
      ],
    });
    const result = annotateMap(map);
    for (const id of ['one', 'many']) {
      const s = stageOf(result, id);
      expect(s.accountable).toBe('Sales');
      expect(s.ownership).toBe('owned');
      expect(s.suggestedOwner).toBeNull();
    }
    expect(result.ownershipGaps).toBe(0);
  });

  it('accountable: else the single owner when owners has exactly one (unowned touchpoints beside it do not matter)', () => {
    const map = journeyMap({
      stages: [stage('s')],
      touchpoints: [hub(), touchpoint('a', 's', { owner: 'IT' }), touchpoint('b', 's', { owner: 'IT' }), touchpoint('c', 's')],
    });
    const s = stageOf(annotateMap(map), 's');
    expect(s.accountable).toBe('IT');
    expect(s.ownership).toBe('owned');
    expect(s.unownedTouchpoints).toEqual(['c']);
    expect(s.suggestedOwner).toBeNull();
  });

  it("accountable: an empty or blank stage accountable is not set", () => {
    const map = journeyMap({
      stages: [stage('s1', ''), stage('s2', '  ')],
      touchpoints: [hub(), touchpoint('a', 's1', { owner: 'IT' }), touchpoint('b', 's2')],
    });
    const result = annotateMap(map);
    expect(stageOf(result, 's1').accountable).toBe('IT');
    expect(stageOf(result, 's2').accountable).toBeNull();
    expect(stageOf(result, 's2').ownership).toBe('unowned');
  });

  it('ownership fragmented: no accountable, two or more owners', () => {
    const map = journeyMap({
      stages: [stage('s')],
      touchpoints: [hub(), touchpoint('a', 's', { owner: 'IT' }), touchpoint('b', 's', { owner: 'Ops' })],
    });
    const result = annotateMap(map);
    const s = stageOf(result, 's');
    expect(s.accountable).toBeNull();
    expect(s.ownership).toBe('fragmented');
    expect(result.ownershipGaps).toBe(1);
  });

  it("ownership unowned: no accountable, no owner; suggestedOwner is the hub's owner; unownedTouchpoints sorted", () => {
    const map = journeyMap({
      stages: [stage('s')],
      touchpoints: [hub('Contact center'), touchpoint('b', 's'), touchpoint('a', 's', { owner: '' }), touchpoint('B', 's', { owner: ' ' })],
    });
    const result = annotateMap(map);
    const s = stageOf(result, 's');
    expect(s.owners).toEqual([]);
    expect(s.accountable).toBeNull();
    expect(s.ownership).toBe('unowned');
    expect(s.unownedTouchpoints).toEqual(['B', 'a', 'b']);
    expect(s.suggestedOwner).toBe('Contact center');
    expect(result.ownershipGaps).toBe(1);
  });

  it('ownership empty: no touchpoints wins; no accountable unless the stage sets one; suggestedOwner the hub owner', () => {
    const map = journeyMap({ stages: [stage('bare'), stage('named', 'Sales')], touchpoints: [hub('Contact center')] });
    const result = annotateMap(map);
    expect(stageOf(result, 'bare')).toMatchObject({
      touchpoints: 0,
      ownership: 'empty',
      accountable: null,
      suggestedOwner: 'Contact center',
      hubCoverage: null,
      emotion: null,
    });
    expect(stageOf(result, 'named')).toMatchObject({ ownership: 'empty', accountable: 'Sales', suggestedOwner: null });
    expect(result.ownershipGaps).toBe(0);
  });

  it('suggestedOwner: the owner whose touchpoints carry the most pain, even with fewer touchpoints', () => {
    const map = journeyMap({
      stages: [stage('s')],
      touchpoints: [
        hub(),
        touchpoint('a', 's', { owner: 'Alpha', painPoints: [painPoint(1, 2)] }),
        touchpoint('b', 's', { owner: 'Alpha', painPoints: [painPoint(1, 2)] }),
        touchpoint('c', 's', { owner: 'Zulu', painPoints: [painPoint(5, 1)] }),
      ],
    });
    expect(stageOf(annotateMap(map), 's').suggestedOwner).toBe('Zulu'); // 5 > 4
  });

  it('suggestedOwner: on equal pain, the most touchpoints', () => {
    const map = journeyMap({
      stages: [stage('s')],
      touchpoints: [
        hub(),
        touchpoint('a', 's', { owner: 'Zulu', painPoints: [painPoint(2, 1)] }),
        touchpoint('b', 's', { owner: 'Zulu', painPoints: [painPoint(1, 1)] }),
        touchpoint('c', 's', { owner: 'Alpha', painPoints: [painPoint(3, 1)] }),
      ],
    });
    expect(stageOf(annotateMap(map), 's').suggestedOwner).toBe('Zulu'); // 3 = 3, 2 > 1
  });

  it('suggestedOwner: on equal pain and touchpoints, the first by code unit', () => {
    const map = journeyMap({
      stages: [stage('s1'), stage('s2')],
      touchpoints: [
        hub(),
        touchpoint('a', 's1', { owner: 'Beta' }),
        touchpoint('b', 's1', { owner: 'Alpha' }),
        touchpoint('c', 's2', { owner: 'alpha' }),
        touchpoint('d', 's2', { owner: 'Zulu' }),
      ],
    });
    const result = annotateMap(map);
    expect(stageOf(result, 's1').suggestedOwner).toBe('Alpha');
    expect(stageOf(result, 's2').suggestedOwner).toBe('Zulu'); // 'Z' (0x5A) < 'a' (0x61)
  });

  it('hubLinked: reaches the hub in several steps, through connections in either direction', () => {
    // hub → a ← b → c, and d → e → hub; f → g is an island; x is in another stage but on the path to y.
    const map = journeyMap({
      stages: [stage('s'), stage('t')],
      touchpoints: [
        hub(),
        touchpoint('a', 's'),
        touchpoint('b', 's'),
        touchpoint('c', 's'),
        touchpoint('d', 's'),
        touchpoint('e', 's'),
        touchpoint('f', 's'),
        touchpoint('g', 's'),
        touchpoint('x', 't'),
        touchpoint('y', 's'),
        touchpoint('lost', null),
        touchpoint('z', 's'),
      ],
      connections: [
        connection('hub', 'a'),
        connection('b', 'a'),
        connection('b', 'c'),
        connection('d', 'e'),
        connection('e', 'hub'),
        connection('f', 'g'),
        connection('c', 'x'),
        connection('y', 'x'),
        connection('z', 'lost'),
        connection('lost', 'hub'),
      ],
    });
    const result = annotateMap(map);
    // s: a, b, c, d, e, y, z linked (z through an unstaged touchpoint); f, g not.
    expect(stageOf(result, 's')).toMatchObject({ touchpoints: 9, hubLinked: 7, hubCoverage: 7 / 9 });
    expect(stageOf(result, 't')).toMatchObject({ touchpoints: 1, hubLinked: 1, hubCoverage: 1 });
    expect(result.hubCoverage).toBe(8 / 10);
  });

  it('hubLinked: a touchpoint with no path to the hub is not linked; a self-loop links nothing', () => {
    const map = journeyMap({
      stages: [stage('s')],
      touchpoints: [hub(), touchpoint('a', 's'), touchpoint('b', 's')],
      connections: [connection('a', 'a'), connection('hub', 'hub')],
    });
    expect(stageOf(annotateMap(map), 's')).toMatchObject({ hubLinked: 0, hubCoverage: 0 });
  });

  it('a connection whose end is missing is ignored', () => {
    // a → ghost → hub would link a if the ghost were a node; it is not.
    const map = journeyMap({
      stages: [stage('s')],
      touchpoints: [hub(), touchpoint('a', 's')],
      connections: [connection('a', 'ghost'), connection('ghost', 'hub'), connection('', 'a')],
    });
    expect(stageOf(annotateMap(map), 's').hubLinked).toBe(0);
  });

  it('failureDemand: Σ contactVolume of the stage touchpoints', () => {
    const map = journeyMap({
      stages: [stage('s')],
      touchpoints: [hub(), touchpoint('a', 's', { contactVolume: 120 }), touchpoint('b', 's', { contactVolume: 30 })],
    });
    expect(stageOf(annotateMap(map), 's').failureDemand).toBe(150);
  });

  it('openComments: thread starts (parentId null), not resolved; replies and resolved threads do not count', () => {
    const map = journeyMap({ stages: [stage('s')], touchpoints: [hub(), touchpoint('a', 's'), touchpoint('b', 's')] });
    const talk = discussion([
      comment('k1', 'a'),
      comment('k2', 'a', { parentId: 'k1' }),
      comment('k3', 'a', { parentId: 'k1', resolved: false }),
      comment('k4', 'b', { resolved: true }),
      comment('k5', 'b'),
      comment('k6', 'hub'),
    ]);
    expect(stageOf(annotateMap(map, talk), 's').openComments).toBe(2); // k1, k5
  });

  it('votes: Σ dots on its touchpoints, over every voter', () => {
    const map = journeyMap({
      stages: [stage('s1'), stage('s2')],
      touchpoints: [hub(), touchpoint('a', 's1'), touchpoint('b', 's1'), touchpoint('c', 's2')],
    });
    const talk = discussion([], { a: { u1: 3, u2: 2 }, b: { u1: 1, u3: 0 }, c: {}, hub: { u1: 7 } });
    const result = annotateMap(map, talk);
    expect(stageOf(result, 's1').votes).toBe(6);
    expect(stageOf(result, 's2').votes).toBe(0);
  });

  it('discussion omitted: openComments and votes are 0, everything else as with one', () => {
    const map = journeyMap({
      stages: [stage('s')],
      touchpoints: [hub(), touchpoint('a', 's', { owner: 'IT', painPoints: [painPoint(2, 2)] })],
    });
    const without = annotateMap(map);
    const withTalk = annotateMap(map, discussion([comment('k', 'a')], { a: { u: 2 } }));
    expect(stageOf(without, 's')).toMatchObject({ openComments: 0, votes: 0 });
    expect(stageOf(withTalk, 's')).toMatchObject({ openComments: 1, votes: 2 });
    expect({ ...without.stages[0], openComments: 1, votes: 2 }).toEqual(withTalk.stages[0]);
  });
});

describe('annotateMap: unstaged touchpoints', () => {
  it('a touchpoint whose stageId names no stage, or is null, counts only in unstaged', () => {
    const map = journeyMap({
      stages: [stage('s')],
      touchpoints: [
        hub('Contact center'),
        touchpoint('a', 's', { owner: 'IT', contactVolume: 1 }),
        touchpoint('gone', 'deleted-stage', { owner: 'Ops', emotion: -2, contactVolume: 50, painPoints: [painPoint(5, 5)] }),
        touchpoint('loose', null, { owner: 'Legal', contactVolume: 70 }),
      ],
      connections: [connection('gone', 'hub'), connection('loose', 'hub')],
    });
    const talk = discussion([comment('k1', 'gone'), comment('k2', 'loose')], { gone: { u: 3 }, loose: { u: 1 } });
    const result = annotateMap(map, talk);
    expect(result.unstaged).toBe(2);
    expect(result.stages).toHaveLength(1);
    expect(stageOf(result, 's')).toMatchObject({
      touchpoints: 1,
      pain: 0,
      owners: ['IT'],
      hubLinked: 0,
      failureDemand: 1,
      openComments: 0,
      votes: 0,
    });
    expect(result.failureDemand).toBe(1);
    expect(result.hotspotStageId).toBeNull();
  });

  it('the hub is never unstaged (its stageId is null)', () => {
    expect(annotateMap(journeyMap({ stages: [], touchpoints: [hub()] })).unstaged).toBe(0);
  });
});

describe('annotateMap: map level', () => {
  it('hotspotStageId: the largest pain, the earliest on a tie', () => {
    const map = journeyMap({
      stages: [stage('s1'), stage('s2'), stage('s3')],
      touchpoints: [
        hub(),
        touchpoint('a', 's1', { painPoints: [painPoint(1, 1)] }),
        touchpoint('b', 's2', { painPoints: [painPoint(2, 3)] }),
        touchpoint('c', 's3', { painPoints: [painPoint(3, 2)] }),
      ],
    });
    expect(annotateMap(map).hotspotStageId).toBe('s2'); // 6 = 6, s2 first
  });

  it('hotspotStageId: null when every stage has 0 pain (and with no stages)', () => {
    const map = journeyMap({ stages: [stage('s1'), stage('s2')], touchpoints: [hub(), touchpoint('a', 's1')] });
    expect(annotateMap(map).hotspotStageId).toBeNull();
    expect(annotateMap(journeyMap({ touchpoints: [hub()] })).hotspotStageId).toBeNull();
  });

  it('emotionCurve: one { stageId, emotion } per stage, in order', () => {
    const map = journeyMap({
      stages: [stage('z'), stage('a'), stage('m')],
      touchpoints: [hub(), touchpoint('t1', 'z', { emotion: 2 }), touchpoint('t2', 'm', { emotion: -1 })],
    });
    expect(annotateMap(map).emotionCurve).toEqual([
      { stageId: 'z', emotion: 2 },
      { stageId: 'a', emotion: null },
      { stageId: 'm', emotion: -1 },
    ]);
  });

  it('ownershipGaps: how many stages are fragmented or unowned', () => {
    const map = journeyMap({
      stages: [stage('frag'), stage('none'), stage('owned', 'Sales'), stage('empty'), stage('single')],
      touchpoints: [
        hub(),
        touchpoint('a', 'frag', { owner: 'IT' }),
        touchpoint('b', 'frag', { owner: 'Ops' }),
        touchpoint('c', 'none'),
        touchpoint('d', 'owned'),
        touchpoint('e', 'single', { owner: 'IT' }),
      ],
    });
    const result = annotateMap(map);
    expect(result.stages.map((s) => s.ownership)).toEqual(['fragmented', 'unowned', 'owned', 'empty', 'owned']);
    expect(result.ownershipGaps).toBe(2);
  });

  it('hubCoverage: Σ hubLinked / Σ touchpoints over the stages, null when that is 0', () => {
    const map = journeyMap({
      stages: [stage('s1'), stage('s2')],
      touchpoints: [hub(), touchpoint('a', 's1'), touchpoint('b', 's1'), touchpoint('c', 's2'), touchpoint('d', 's2')],
      connections: [connection('a', 'hub'), connection('hub', 'c'), connection('d', 'c')],
    });
    expect(annotateMap(map).hubCoverage).toBe(3 / 4);
    expect(annotateMap(journeyMap({ stages: [stage('s')], touchpoints: [hub()] })).hubCoverage).toBeNull();
  });

  it('failureDemand: the sum over the stages (unstaged touchpoints do not count)', () => {
    const map = journeyMap({
      stages: [stage('s1'), stage('s2')],
      touchpoints: [
        hub(),
        touchpoint('a', 's1', { contactVolume: 5 }),
        touchpoint('b', 's2', { contactVolume: 7 }),
        touchpoint('c', null, { contactVolume: 100 }),
      ],
    });
    expect(annotateMap(map).failureDemand).toBe(12);
  });
});

describe('annotateMap: a map with no hub', () => {
  const stages = [stage('s')];
  const touchpoints = [touchpoint('a', 's'), touchpoint('b', 's')];
  const connections = [connection('a', 'b'), connection('b', 'hub')];

  it.each([
    { why: 'hubId names no touchpoint', map: journeyMap({ stages, touchpoints, connections, hubId: 'missing' }) },
    { why: 'hubId is missing', map: { ...journeyMap({ stages, touchpoints, connections }), meta: {} } as unknown as JourneyMap },
    {
      why: 'hubId names a touchpoint that is not the hub',
      map: journeyMap({ stages, touchpoints: [...touchpoints, touchpoint('hub', 's')], connections }),
    },
    {
      why: 'a hub touchpoint exists but meta.hubId names another',
      map: journeyMap({ stages, touchpoints: [...touchpoints, hub('Contact center', 'hub')], connections, hubId: 'a' }),
    },
  ])('nothing is hub-linked and the hub has no owner ($why)', ({ map }) => {
    const s = stageOf(annotateMap(map), 's');
    expect(s.hubLinked).toBe(0);
    expect(s.ownership).toBe('unowned');
    expect(s.suggestedOwner).toBeNull();
  });

  it('a touchpoint named by hubId that is not of kind hub counts as an ordinary touchpoint', () => {
    const map = journeyMap({ stages: [stage('s')], touchpoints: [touchpoint('hub', 's'), touchpoint('a', 's')] });
    expect(stageOf(annotateMap(map), 's').touchpoints).toBe(2);
  });

  it('a hub with no owner (null or blank) leaves an ownerless stage with no suggestion', () => {
    for (const owner of [null, '', ' \t']) {
      const map = journeyMap({ stages: [stage('s')], touchpoints: [hub(owner), touchpoint('a', 's')] });
      expect(stageOf(annotateMap(map), 's').suggestedOwner).toBeNull();
    }
  });
});

describe('annotateMap: JSON with missing optional pieces', () => {
  it('reads missing painPoints, votes, comments, connections, emotion and contactVolume as empty', () => {
    const partial = {
      meta: { schemaVersion: 1, title: 't', persona: 'p', hubId: 'hub' },
      stages: [{ id: 's', name: 'S' }],
      touchpoints: {
        hub: { id: 'hub', kind: 'hub', stageId: null, owner: 'CC' },
        a: { id: 'a', kind: 'touchpoint', stageId: 's', owner: 'IT' },
        b: { id: 'b', kind: 'touchpoint', stageId: 's', painPoints: [{ id: 'p', severity: 2, frequency: 3 }], emotion: 1 },
      },
    } as unknown as JourneyMap;
    const talk = { comments: { k: { touchpointId: 'a' } } } as unknown as Discussion;
    const result = annotateMap(partial, talk);
    expect(result.stages[0]).toEqual({
      stageId: 's',
      name: 'S',
      touchpoints: 2,
      emotion: 1,
      pain: 6,
      painPerTouchpoint: 3,
      painLevel: 'low',
      owners: ['IT'],
      accountable: 'IT',
      ownership: 'owned',
      unownedTouchpoints: ['b'],
      hubLinked: 0,
      hubCoverage: 0,
      failureDemand: 0,
      openComments: 1, // no parentId and no `resolved`: an open thread
      votes: 0,
      suggestedOwner: null,
    });
  });

  it('reads a stage id used twice as one stage, the first copy (as readMap does)', () => {
    const map = journeyMap({
      stages: [stage('s', null, 'First'), stage('s', 'Sales', 'Second')],
      touchpoints: [hub(), touchpoint('a', 's', { owner: 'IT' })],
    });
    const result = annotateMap(map);
    expect(result.stages).toHaveLength(1);
    expect(result.stages[0]).toMatchObject({ name: 'First', touchpoints: 1, accountable: 'IT' });
  });

  it('reads a map with no stages, touchpoints or connections as an empty map', () => {
    expect(annotateMap({} as unknown as JourneyMap, {} as unknown as Discussion)).toEqual({
      stages: [],
      hotspotStageId: null,
      emotionCurve: [],
      ownershipGaps: 0,
      hubCoverage: null,
      failureDemand: 0,
      unstaged: 0,
      measuredPeriod: null,
      measuredContacts: null,
    });
  });
});
