import type { JourneyMap } from '../journey/types';
import { monthIndex, periodOfIndex } from '../measurements/period';
import { measuredPeriodOf } from './measured';
import type { Measurements } from './types';

/**
 * The report's charts over time (issue 13 §5): each stage's contacts and CSAT
 * for each month of the window ending with P (the period of the annotations),
 * pooled over the stage's touchpoints exactly as DESIGN.md, "Measured data and
 * outcomes", pools a stage's `measured` for P, so that the last point of a
 * line is the figure the stage table shows.
 */

export const SERIES_MONTHS = 12;

export interface StageSeries {
  stageId: string;
  name: string;
  /** Σ contacts per month, oldest first; null for a month where no row of the stage has contacts. */
  contacts: (number | null)[];
  /** 100 × Σ satisfied / Σ responses per month; null for a month without responses. */
  csat: (number | null)[];
}

export interface MeasuredSeries {
  /** The window's months, 'YYYY-MM', oldest first, ending with P. */
  months: string[];
  /** One per stage, in the map's order. */
  stages: StageSeries[];
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/** Null when there is no P: no rows, or a period that is not a month. */
export function stageSeries(map: JourneyMap, measurements: Measurements, monthCount = SERIES_MONTHS): MeasuredSeries | null {
  const period = measuredPeriodOf(measurements);
  const last = period === null ? null : monthIndex(period);
  if (last === null) return null;
  const first = last - monthCount + 1;

  const stageIndex = new Map(map.stages.map((stage, index) => [stage.id, index]));
  const stageOf = new Map<string, number>();
  for (const [id, touchpoint] of Object.entries(map.touchpoints)) {
    // The hub and unstaged touchpoints belong to no stage (as in annotateMap).
    const index = touchpoint.kind === 'touchpoint' && touchpoint.stageId !== null ? stageIndex.get(touchpoint.stageId) : undefined;
    if (index !== undefined) stageOf.set(id, index);
  }

  // 120,000 rows name a few dozen months: parse each month once.
  const months = new Map<string, number | null>();
  const monthOf = (period: unknown): number | null => {
    if (typeof period !== 'string') return null;
    let index = months.get(period);
    if (index === undefined) months.set(period, (index = monthIndex(period)));
    return index;
  };
  const cells = () => Array.from({ length: monthCount }, () => ({ contacts: 0, contactRows: 0, responses: 0, satisfied: 0 }));
  const pools = map.stages.map(cells);
  for (const row of measurements.rows) {
    const month = monthOf(row.period);
    const stage = stageOf.get(row.touchpointId);
    if (month === null || month < first || month > last || stage === undefined) continue;
    const cell = pools[stage]?.[month - first];
    if (cell === undefined) continue;
    if (isCount(row.contacts)) {
      cell.contacts += row.contacts;
      cell.contactRows++;
    }
    const csat = row.csat;
    if (csat != null && isCount(csat.responses) && isCount(csat.satisfied)) {
      cell.responses += csat.responses;
      cell.satisfied += csat.satisfied;
    }
  }

  return {
    months: Array.from({ length: monthCount }, (_, offset) => periodOfIndex(first + offset)),
    stages: map.stages.map((stage, index) => {
      const cellsOf = pools[index] ?? cells();
      return {
        stageId: stage.id,
        name: stage.name,
        contacts: cellsOf.map((cell) => (cell.contactRows === 0 ? null : cell.contacts)),
        csat: cellsOf.map((cell) => (cell.responses === 0 ? null : (100 * cell.satisfied) / cell.responses)),
      };
    }),
  };
}
