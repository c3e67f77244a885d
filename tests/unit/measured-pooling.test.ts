/**
 * DESIGN.md, "Measured data and outcomes", as a property: a stage's measured
 * contacts, CSAT, CES, NPS and six-month contacts trend are the pooled figures
 * of its touchpoints' rows, computed here on their own (straight from the
 * table's definitions) over random maps, rows in any order, any months, rows
 * of the hub, of unstaged and of unknown touchpoints, with and without P.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { annotateMap, type MeasurementRow } from '../../lib/annotations';
import { monthIndex, shiftPeriod } from '../../lib/measurements/period';
import { hub, journeyMap, stage, touchpoint } from './annotations-factory';

const STAGES = ['s1', 's2', 's3'];
const TOUCHPOINTS = ['t1', 't2', 't3', 't4', 't5', 't6'];

interface Case {
  /** Each touchpoint's stage, or null (unstaged). */
  placement: Array<string | null>;
  rows: MeasurementRow[];
  period: string | undefined;
}

const count = (max: number) => fc.nat({ max });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const rowArb = fc.record({
  touchpointId: fc.constantFrom(...TOUCHPOINTS, 'hub', 'gone'),
  month: fc.integer({ min: 0, max: 14 }),
  contacts: maybe(count(5_000)),
  csat: maybe(fc.integer({ min: 1, max: 200 }).chain((responses) => fc.record({ responses: fc.constant(responses), satisfied: fc.integer({ min: 0, max: responses }) }))),
  ces: maybe(fc.record({ responses: fc.integer({ min: 1, max: 200 }), mean: fc.double({ min: 1, max: 7, noNaN: true }) })),
  nps: maybe(fc.record({ promoters: count(50), passives: count(50), detractors: count(50) }).filter((n) => n.promoters + n.passives + n.detractors > 0)),
});

const caseArb: fc.Arbitrary<Case> = fc.record({
  placement: fc.array(fc.option(fc.constantFrom(...STAGES), { nil: null }), { minLength: TOUCHPOINTS.length, maxLength: TOUCHPOINTS.length }),
  rows: fc.uniqueArray(rowArb, { selector: (row) => `${row.touchpointId}/${row.month}`, maxLength: 60 }).map((specs) =>
    specs.map(({ month, contacts, csat, ces, nps, touchpointId }): MeasurementRow => {
      const row: MeasurementRow = { touchpointId, period: shiftPeriod('2025-09', month) };
      if (contacts !== undefined) row.contacts = contacts;
      if (csat !== undefined) row.csat = csat;
      if (ces !== undefined) row.ces = ces;
      if (nps !== undefined) row.nps = nps;
      return row;
    }),
  ),
  period: maybe(fc.integer({ min: -2, max: 16 }).map((month) => shiftPeriod('2025-09', month))),
});

/** The stage's figures by the definitions' table, one stage at a time. */
function expected(c: Case, stageId: string) {
  const mine = new Set(TOUCHPOINTS.filter((_, i) => c.placement[i] === stageId));
  const latest = c.rows.map((row) => row.period).sort().at(-1);
  const period = c.period ?? latest ?? '';
  const rowsOf = (month: string) => c.rows.filter((row) => row.period === month && mine.has(row.touchpointId));
  const contactsOf = (month: string) => {
    const withContacts = rowsOf(month).filter((row) => row.contacts !== undefined);
    return withContacts.length === 0 ? null : withContacts.reduce((sum, row) => sum + (row.contacts ?? 0), 0);
  };
  const now = rowsOf(period);
  const sum = (pick: (row: MeasurementRow) => number) => now.reduce((total, row) => total + pick(row), 0);
  const csatResponses = sum((row) => row.csat?.responses ?? 0);
  const cesResponses = sum((row) => row.ces?.responses ?? 0);
  const answers = sum((row) => (row.nps ? row.nps.promoters + row.nps.passives + row.nps.detractors : 0));
  return {
    period,
    contacts: contactsOf(period),
    csat: csatResponses === 0 ? null : (100 * sum((row) => row.csat?.satisfied ?? 0)) / csatResponses,
    ces: cesResponses === 0 ? null : sum((row) => (row.ces ? row.ces.mean * row.ces.responses : 0)) / cesResponses,
    nps: answers === 0 ? null : (100 * (sum((row) => row.nps?.promoters ?? 0) - sum((row) => row.nps?.detractors ?? 0))) / answers,
    contactsTrend: [-5, -4, -3, -2, -1, 0].map((shift) => contactsOf(shiftPeriod(period, shift))),
  };
}

const close = (actual: number | null | undefined, wanted: number | null) => {
  if (wanted === null) expect(actual).toBeNull();
  else expect(actual).toBeCloseTo(wanted, 9);
};

describe('measured figures pool as the table defines them', () => {
  it('property: each stage pools exactly its touchpoints rows of P (and of the five months before, for the trend)', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const map = journeyMap({
          stages: STAGES.map((id) => stage(id)),
          touchpoints: [hub(), ...TOUCHPOINTS.map((id, i) => touchpoint(id, c.placement[i] ?? null))],
        });
        const annotations = annotateMap(map, undefined, c.period === undefined ? { rows: c.rows } : { rows: c.rows, period: c.period });
        if (c.rows.length === 0) {
          expect(annotations.measuredPeriod).toBeNull();
          expect(annotations.measuredContacts).toBeNull();
          for (const s of annotations.stages) expect(s.measured).toBeUndefined();
          return;
        }
        let total: number | null = null;
        for (const s of annotations.stages) {
          const wanted = expected(c, s.stageId);
          const got = s.measured;
          expect(got?.period).toBe(wanted.period);
          expect(got?.contacts).toBe(wanted.contacts);
          close(got?.csat, wanted.csat);
          close(got?.ces, wanted.ces);
          close(got?.nps, wanted.nps);
          expect(got?.contactsTrend).toEqual(wanted.contactsTrend);
          if (wanted.contacts !== null) total = (total ?? 0) + wanted.contacts;
        }
        expect(annotations.measuredPeriod).toBe(expected(c, 's1').period);
        expect(annotations.measuredContacts).toBe(total);
      }),
      { numRuns: 400 },
    );
  });

  it('rows naming no month, or a month that is not one, count nowhere and are never P', () => {
    const map = journeyMap({ stages: [stage('s1')], touchpoints: [hub(), touchpoint('t1', 's1')] });
    const rows = [
      { touchpointId: 't1', period: '2026-03', contacts: 5 },
      { touchpointId: 't1', period: '9999-99', contacts: 1_000 },
      { touchpointId: 't1', period: 'latest', contacts: 1_000 },
      { touchpointId: 't1', period: undefined as unknown as string, contacts: 1_000 },
    ];
    expect(monthIndex('9999-99')).toBeNull();
    const annotations = annotateMap(map, undefined, { rows });
    expect(annotations.measuredPeriod).toBe('2026-03');
    expect(annotations.stages[0]?.measured?.contactsTrend).toEqual([null, null, null, null, null, 5]);
    expect(annotateMap(map, undefined, { rows: rows.slice(1) }).measuredPeriod).toBeNull();
  });

  it('a P in the first months of year 0 leaves rows without a month out of its trend', () => {
    const map = journeyMap({ stages: [stage('s1')], touchpoints: [hub(), touchpoint('t1', 's1')] });
    const rows = [
      { touchpointId: 't1', period: '0000-03', contacts: 2 },
      { touchpointId: 't1', period: 'not a month', contacts: 1_000 },
    ];
    expect(annotateMap(map, undefined, { rows }).stages[0]?.measured?.contactsTrend).toEqual([null, null, null, null, null, 2]);
    expect(annotateMap(map, undefined, { rows, period: '0000-03' }).stages[0]?.measured?.contactsTrend).toEqual([null, null, null, null, null, 2]);
  });
});
