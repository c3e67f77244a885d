/**
 * DESIGN.md, "Measured data and outcomes": the stages' `measured`, the map's
 * measuredPeriod/measuredContacts and actionOutcomes, on a fixture computed
 * by hand (in the comments), then two properties over random rows.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actionOutcomes, annotateMap, type MeasurementRow } from '../../lib/annotations';
import type { Action, JourneyMap } from '../../lib/journey/types';
import { shiftPeriod } from '../../lib/measurements/period';
import { hub, journeyMap, stage, touchpoint } from './annotations-factory';

function fixtureMap(): JourneyMap {
  return journeyMap({
    stages: [stage('s1'), stage('s2'), stage('s3')],
    touchpoints: [hub(), touchpoint('a', 's1'), touchpoint('b', 's1'), touchpoint('c', 's2'), touchpoint('u', null)],
  });
}

const ROWS: MeasurementRow[] = [
  { touchpointId: 'a', period: '2026-06', contacts: 100, csat: { responses: 10, satisfied: 8 }, ces: { responses: 4, mean: 3 }, nps: { promoters: 5, passives: 3, detractors: 2 } },
  { touchpointId: 'b', period: '2026-06', contacts: 50, csat: { responses: 30, satisfied: 12 }, ces: { responses: 6, mean: 5 } },
  { touchpointId: 'c', period: '2026-06', csat: { responses: 5, satisfied: 5 } },
  // The hub and an unstaged touchpoint belong to no stage: they count nowhere.
  { touchpointId: 'hub', period: '2026-06', contacts: 999 },
  { touchpointId: 'u', period: '2026-06', contacts: 7 },
  // A touchpoint the map no longer has.
  { touchpointId: 'gone', period: '2026-06', contacts: 5 },
  { touchpointId: 'a', period: '2026-05', contacts: 80 },
  { touchpointId: 'b', period: '2026-03', contacts: 20 },
  { touchpointId: 'a', period: '2026-01', contacts: 10 },
  // Before the six months ending with June, and after June.
  { touchpointId: 'a', period: '2025-12', contacts: 5 },
  { touchpointId: 'a', period: '2026-07', contacts: 1000 },
];

describe('annotateMap with measurements', () => {
  it('pools the rows of period P per stage: contacts summed, CSAT/CES/NPS pooled over responses, six months of contacts', () => {
    const annotations = annotateMap(fixtureMap(), undefined, { rows: ROWS, period: '2026-06' });
    const [s1, s2, s3] = annotations.stages;
    expect(s1?.measured).toEqual({
      period: '2026-06',
      contacts: 150, // 100 + 50
      csat: 50, // 100 × (8 + 12) / (10 + 30)
      ces: 4.2, // (3 × 4 + 5 × 6) / (4 + 6)
      nps: 30, // 100 × (5 − 2) / (5 + 3 + 2)
      contactsTrend: [10, null, 20, null, 80, 150], // January … June
    });
    // c has CSAT but no contacts: its stage's contacts are null, not 0.
    expect(s2?.measured).toEqual({ period: '2026-06', contacts: null, csat: 100, ces: null, nps: null, contactsTrend: [null, null, null, null, null, null] });
    expect(s3?.measured).toEqual({ period: '2026-06', contacts: null, csat: null, ces: null, nps: null, contactsTrend: [null, null, null, null, null, null] });
    expect(annotations.measuredPeriod).toBe('2026-06');
    expect(annotations.measuredContacts).toBe(150);
  });

  it('without a period, P is the latest month among the rows', () => {
    const annotations = annotateMap(fixtureMap(), undefined, { rows: ROWS });
    expect(annotations.measuredPeriod).toBe('2026-07');
    expect(annotations.stages[0]?.measured).toMatchObject({ contacts: 1000, csat: null, contactsTrend: [null, 20, null, 80, 150, 1000] });
    expect(annotations.measuredContacts).toBe(1000);
  });

  it('with no rows, the stages gain nothing and the map fields are null; a month without rows gives nulls', () => {
    for (const measurements of [undefined, { rows: [] }, { rows: [], period: '2026-06' }]) {
      const annotations = annotateMap(fixtureMap(), undefined, measurements);
      expect(annotations.stages.every((s) => !('measured' in s))).toBe(true);
      expect(annotations).toMatchObject({ measuredPeriod: null, measuredContacts: null });
    }
    const empty = annotateMap(fixtureMap(), undefined, { rows: ROWS, period: '2030-01' });
    expect(empty.measuredPeriod).toBe('2030-01');
    expect(empty.measuredContacts).toBeNull();
    expect(empty.stages[0]?.measured).toEqual({ period: '2030-01', contacts: null, csat: null, ces: null, nps: null, contactsTrend: [null, null, null, null, null, null] });
  });

  it('leaves every other field as it is without measurements', () => {
    const measured = annotateMap(fixtureMap(), undefined, { rows: ROWS });
    const stages = measured.stages.map(({ measured: _measured, ...stage }) => stage);
    expect({ ...measured, stages, measuredPeriod: null, measuredContacts: null }).toEqual(annotateMap(fixtureMap()));
  });
});

function action(id: string, touchpointId: string, status: Action['status'], doneAt: number | null): Action {
  return { id, touchpointId, painPointId: null, title: id, ownerTeam: null, due: null, status, doneAt, createdAt: 0 };
}

describe('actionOutcomes', () => {
  const rows: MeasurementRow[] = [
    ...ROWS,
    { touchpointId: 'gone', period: '2025-12', csat: { responses: 4, satisfied: 1 } },
    { touchpointId: 'gone', period: '2026-02', contacts: 40, csat: { responses: 10, satisfied: 5 } },
    // The month the action was done counts on neither side.
    { touchpointId: 'gone', period: '2026-03', contacts: 500, csat: { responses: 100, satisfied: 100 } },
    { touchpointId: 'gone', period: '2026-04', contacts: 99 },
  ];

  it('compares the three months before the month of doneAt with the three after, over the rows of its touchpoint', () => {
    const map = fixtureMap();
    map.actions = {
      x: action('x', 'a', 'done', Date.UTC(2026, 3, 15)), // April 2026
      y: action('y', 'gone', 'done', Date.UTC(2026, 2, 31, 23, 59)), // March 2026, UTC; its touchpoint is gone
      z: action('z', 'a', 'doing', null),
      w: action('w', 'c', 'done', Date.UTC(2026, 0, 1)), // c has no rows around January
    };
    const outcomes = actionOutcomes(map, { rows });
    expect(outcomes.map((o) => o.actionId).sort()).toEqual(['w', 'x', 'y']);
    const byId = Object.fromEntries(outcomes.map((o) => [o.actionId, o]));
    // x: before = Jan, Feb, Mar: only January has contacts (10); no CSAT. After = May, Jun, Jul: (80 + 100 + 1000) / 3; CSAT June 8/10.
    expect(byId.x).toEqual({ actionId: 'x', contactsBefore: 10, contactsAfter: 1180 / 3, csatBefore: null, csatAfter: 80 });
    // y: before = Dec, Jan, Feb: contacts 40 (February only); CSAT (1 + 5) / (4 + 10). After = Apr, May, Jun: (99 + 5) / 2; no CSAT.
    expect(byId.y).toEqual({ actionId: 'y', contactsBefore: 40, contactsAfter: 52, csatBefore: 100 * 6 / 14, csatAfter: null });
    expect(byId.w).toEqual({ actionId: 'w', contactsBefore: null, contactsAfter: null, csatBefore: null, csatAfter: null });
  });

  it('is empty without done actions', () => {
    expect(actionOutcomes(fixtureMap(), { rows })).toEqual([]);
  });
});

describe('properties', () => {
  const rowArb = fc.record({
    touchpoint: fc.constantFrom('a', 'b', 'c', 'hub', 'u'),
    month: fc.integer({ min: 0, max: 8 }),
    contacts: fc.option(fc.nat({ max: 10_000 }), { nil: undefined }),
    csat: fc.option(fc.nat({ max: 50 }).chain((satisfied) => fc.record({ responses: fc.integer({ min: Math.max(1, satisfied), max: 60 }), satisfied: fc.constant(satisfied) })), { nil: undefined }),
  });
  const rowsArb = fc
    .uniqueArray(rowArb, { selector: (row) => `${row.touchpoint}/${row.month}`, maxLength: 30 })
    .map((specs) =>
      specs.map((spec): MeasurementRow => ({
        touchpointId: spec.touchpoint,
        period: shiftPeriod('2026-01', spec.month),
        ...(spec.contacts === undefined ? {} : { contacts: spec.contacts }),
        ...(spec.csat === undefined ? {} : { csat: spec.csat }),
      })),
    );

  it("pooling a stage equals pooling its touchpoints: merged into one stage, contacts add up and CSAT is the responses' weighted mean", () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const apart = annotateMap(fixtureMap(), undefined, { rows, period: '2026-06' });
        const together = fixtureMap();
        const c = together.touchpoints.c;
        if (c) c.stageId = 's1';
        const merged = annotateMap(together, undefined, { rows, period: '2026-06' }).stages[0]?.measured;
        const [one, two] = [apart.stages[0]?.measured, apart.stages[1]?.measured];
        const responses = (stageRows: string[]) =>
          rows.filter((r) => r.period === '2026-06' && stageRows.includes(r.touchpointId)).reduce((sum, r) => sum + (r.csat?.responses ?? 0), 0);
        const [r1, r2] = [responses(['a', 'b']), responses(['c'])];
        const add = (x: number | null | undefined, y: number | null | undefined) => (x == null && y == null ? null : (x ?? 0) + (y ?? 0));
        expect(merged?.contacts ?? null).toBe(add(one?.contacts, two?.contacts));
        merged?.contactsTrend.forEach((month, i) => expect(month).toBe(add(one?.contactsTrend[i], two?.contactsTrend[i])));
        if (r1 + r2 === 0) expect(merged?.csat ?? null).toBeNull();
        else expect(merged?.csat).toBeCloseTo(((one?.csat ?? 0) * r1 + (two?.csat ?? 0) * r2) / (r1 + r2), 9);
      }),
    );
  });

  it('the order of the rows changes nothing', () => {
    const shuffledArb = rowsArb.chain((rows) => fc.tuple(fc.constant(rows), fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length })));
    fc.assert(
      fc.property(shuffledArb, ([rows, shuffled]) => {
        expect(annotateMap(fixtureMap(), undefined, { rows: shuffled })).toEqual(annotateMap(fixtureMap(), undefined, { rows }));
      }),
    );
  });
});
