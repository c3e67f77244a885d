/**
 * The report's charts (issue 13 §5): each stage's contacts and CSAT for each
 * of the twelve months ending with P, pooled as DESIGN.md, "Measured data and
 * outcomes", pools a stage's figures (contacts summed; CSAT 100 × Σ satisfied
 * / Σ responses), null for a month without data. Fixtures computed by hand in
 * the comments.
 */
import { describe, expect, it } from 'vitest';
import { annotateMap, type MeasurementRow } from '../../lib/annotations';
import { stageSeries } from '../../lib/annotations/stage-series';
import { hub, journeyMap, stage, touchpoint } from './annotations-factory';

function fixtureMap() {
  return journeyMap({
    stages: [stage('s1', null, 'Discover'), stage('s2', null, 'Pay'), stage('s3', null, 'Leave')],
    touchpoints: [hub(), touchpoint('a', 's1'), touchpoint('b', 's1'), touchpoint('c', 's2'), touchpoint('u', null)],
  });
}

const ROWS: MeasurementRow[] = [
  { touchpointId: 'a', period: '2026-06', contacts: 100, csat: { responses: 10, satisfied: 8 } },
  { touchpointId: 'b', period: '2026-06', contacts: 50, csat: { responses: 30, satisfied: 12 } },
  { touchpointId: 'c', period: '2026-06', csat: { responses: 5, satisfied: 5 } },
  { touchpointId: 'a', period: '2026-04', csat: { responses: 4, satisfied: 1 } },
  { touchpointId: 'b', period: '2026-03', contacts: 0 },
  { touchpointId: 'c', period: '2025-07', contacts: 7, csat: { responses: 2, satisfied: 1 } },
  // Outside the twelve months ending with June 2026.
  { touchpointId: 'a', period: '2025-06', contacts: 5000 },
  { touchpointId: 'a', period: '2026-07', contacts: 9000 },
  // The hub, an unstaged touchpoint and one the map no longer has count nowhere.
  { touchpointId: 'hub', period: '2026-06', contacts: 999, csat: { responses: 100, satisfied: 0 } },
  { touchpointId: 'u', period: '2026-06', contacts: 7 },
  { touchpointId: 'gone', period: '2026-06', contacts: 5 },
];

const MONTHS_TO_JUNE = ['2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'];
const nulls = (n: number) => Array.from({ length: n }, () => null);

describe('stageSeries', () => {
  it('pools each stage per month over twelve months ending with P: contacts summed, CSAT over responses, null without data', () => {
    const series = stageSeries(fixtureMap(), { rows: ROWS, period: '2026-06' });
    expect(series?.months).toEqual(MONTHS_TO_JUNE);
    const [s1, s2, s3] = series?.stages ?? [];
    expect(s1).toEqual({
      stageId: 's1',
      name: 'Discover',
      // July 2025 … June 2026: b's 0 in March is a figure (0), not a gap; June is 100 + 50.
      contacts: [...nulls(8), 0, null, null, 150],
      // April: 100 × 1 / 4; June: 100 × (8 + 12) / (10 + 30), not the mean of 80 % and 40 %.
      csat: [...nulls(9), 25, null, 50],
    });
    expect(s2).toEqual({ stageId: 's2', name: 'Pay', contacts: [7, ...nulls(11)], csat: [50, ...nulls(10), 100] });
    expect(s3).toEqual({ stageId: 's3', name: 'Leave', contacts: nulls(12), csat: nulls(12) });
  });

  it('ends with the latest month among the rows when no period is given', () => {
    const series = stageSeries(fixtureMap(), { rows: ROWS });
    expect(series?.months.at(-1)).toBe('2026-07');
    expect(series?.months[0]).toBe('2025-08');
    expect(series?.stages[0]?.contacts.at(-1)).toBe(9000);
    // July 2025 has left the window.
    expect(series?.stages[1]?.contacts).toEqual(nulls(12));
  });

  it('agrees with annotateMap for P: the last point of each stage is its measured contacts and CSAT', () => {
    const annotations = annotateMap(fixtureMap(), undefined, { rows: ROWS, period: '2026-06' });
    const series = stageSeries(fixtureMap(), { rows: ROWS, period: '2026-06' });
    for (const [index, stage] of annotations.stages.entries()) {
      expect(series?.stages[index]?.contacts.at(-1)).toBe(stage.measured?.contacts);
      expect(series?.stages[index]?.csat.at(-1)).toBe(stage.measured?.csat);
      expect(series?.stages[index]?.contacts.slice(-6)).toEqual(stage.measured?.contactsTrend);
    }
  });

  it('is null without rows, or with a period that is not a month', () => {
    expect(stageSeries(fixtureMap(), { rows: [] })).toBeNull();
    expect(stageSeries(fixtureMap(), { rows: ROWS, period: '2026-13' })).toBeNull();
  });

  it('spans a year boundary and takes another length', () => {
    const series = stageSeries(fixtureMap(), { rows: [{ touchpointId: 'a', period: '2026-01', contacts: 3 }] }, 3);
    expect(series).toEqual({
      months: ['2025-11', '2025-12', '2026-01'],
      stages: [
        { stageId: 's1', name: 'Discover', contacts: [null, null, 3], csat: nulls(3) },
        { stageId: 's2', name: 'Pay', contacts: nulls(3), csat: nulls(3) },
        { stageId: 's3', name: 'Leave', contacts: nulls(3), csat: nulls(3) },
      ],
    });
  });

  it('ignores rows that are not figures: a bad month, negative or non-finite numbers, CSAT without responses', () => {
    const rows = [
      { touchpointId: 'a', period: '2026-6', contacts: 1 },
      { touchpointId: 'a', period: '2026-06', contacts: -4, csat: { responses: 0, satisfied: 0 } },
      { touchpointId: 'b', period: '2026-06', contacts: Number.NaN, csat: { responses: Number.POSITIVE_INFINITY, satisfied: 1 } },
      { touchpointId: 'c', period: '2026-06', contacts: 2 },
    ] as MeasurementRow[];
    const series = stageSeries(fixtureMap(), { rows });
    expect(series?.stages[0]).toMatchObject({ contacts: nulls(12), csat: nulls(12) });
    expect(series?.stages[1]?.contacts.at(-1)).toBe(2);
  });
});
