import type { JourneyMap } from '../journey/types';
import { monthIndex, monthIndexOfMs, periodOfIndex } from '../measurements/period';
import type { ActionOutcome, MeasurementRow, Measurements, StageMeasured } from './types';

/**
 * The measured half of the annotations (DESIGN.md, "Measured data and
 * outcomes"): per stage, the contact center's figures for a period P and the
 * six months of contacts ending with it; per done action, its touchpoint's
 * contacts and CSAT in the three months before and after the month it was done.
 * One pass over the rows; a row of a touchpoint in no stage counts nowhere.
 */

const TREND_MONTHS = 6;
const OUTCOME_MONTHS = 3;

/**
 * monthIndex, remembered per distinct string: 120,000 rows name a few dozen
 * months. Rows come grouped by month (the store lists them so), so the last
 * answer is tried first: a string comparison instead of a hash lookup.
 */
function monthIndexer(): (period: string) => number | null {
  const known = new Map<string, number | null>();
  let lastPeriod: unknown = NO_PERIOD;
  let lastIndex: number | null = null;
  return (period) => {
    if (period === lastPeriod) return lastIndex;
    let index = known.get(period);
    if (index === undefined) {
      index = typeof period === 'string' ? monthIndex(period) : null;
      known.set(period, index);
    }
    lastPeriod = period;
    lastIndex = index;
    return index;
  };
}

const NO_PERIOD = Symbol('no period yet');
/** In a row's month slot: the row names no month. */
const NO_MONTH = -1;

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/** Pooled figures over some rows: sums, so that a stage pools exactly as its touchpoints do. */
class Pool {
  contacts = 0;
  contactRows = 0;
  csatResponses = 0;
  csatSatisfied = 0;
  cesResponses = 0;
  cesWeighted = 0;
  promoters = 0;
  passives = 0;
  detractors = 0;

  addContacts(row: MeasurementRow): void {
    if (!isCount(row.contacts)) return;
    this.contacts += row.contacts;
    this.contactRows++;
  }

  addCsat(row: MeasurementRow): void {
    const csat = row.csat;
    if (csat == null || !isCount(csat.responses) || !isCount(csat.satisfied)) return;
    this.csatResponses += csat.responses;
    this.csatSatisfied += csat.satisfied;
  }

  addScores(row: MeasurementRow): void {
    this.addCsat(row);
    const ces = row.ces;
    if (ces != null && isCount(ces.responses) && isCount(ces.mean)) {
      this.cesResponses += ces.responses;
      this.cesWeighted += ces.mean * ces.responses;
    }
    const nps = row.nps;
    if (nps != null && isCount(nps.promoters) && isCount(nps.passives) && isCount(nps.detractors)) {
      this.promoters += nps.promoters;
      this.passives += nps.passives;
      this.detractors += nps.detractors;
    }
  }

  contactsOrNull(): number | null {
    return this.contactRows === 0 ? null : this.contacts;
  }

  csat(): number | null {
    return this.csatResponses === 0 ? null : (100 * this.csatSatisfied) / this.csatResponses;
  }

  ces(): number | null {
    return this.cesResponses === 0 ? null : this.cesWeighted / this.cesResponses;
  }

  nps(): number | null {
    const answers = this.promoters + this.passives + this.detractors;
    return answers === 0 ? null : (100 * (this.promoters - this.detractors)) / answers;
  }
}

/** P: the period asked for, else the latest month among the rows; null without rows (or with no readable month). */
export function measuredPeriodOf(measurements: Measurements | undefined, indexOf = monthIndexer()): string | null {
  if (measurements === undefined || measurements.rows.length === 0) return null;
  if (measurements.period !== undefined) return indexOf(measurements.period) === null ? null : measurements.period;
  let latest: number | null = null;
  for (const row of measurements.rows) {
    const index = indexOf(row.period);
    if (index !== null && (latest === null || index > latest)) latest = index;
  }
  return latest === null ? null : periodOfIndex(latest);
}

/**
 * Each stage's `measured`, by stage index; `stageOf` gives a touchpoint's
 * stage index, or -1 for one in no stage (the hub, unstaged, unknown).
 * Each row's month is read once (into `months`, when P is the latest month
 * and must be found first); only the rows of the six months ending with P
 * go further.
 */
export function measureStages(
  measurements: Measurements | undefined,
  stageCount: number,
  stageOf: (touchpointId: string) => number,
): { period: string; stages: StageMeasured[] } | null {
  if (measurements === undefined || measurements.rows.length === 0) return null;
  const rows = measurements.rows;
  const indexOf = monthIndexer();
  let months: Int32Array | null = null;
  let last: number;
  if (measurements.period !== undefined) {
    const asked = indexOf(measurements.period);
    if (asked === null) return null;
    last = asked;
  } else {
    months = new Int32Array(rows.length);
    last = NO_MONTH;
    for (let r = 0; r < rows.length; r++) {
      const index = indexOf(rows[r]?.period ?? '') ?? NO_MONTH;
      months[r] = index;
      if (index > last) last = index;
    }
    if (last === NO_MONTH) return null;
  }
  const period = measurements.period ?? periodOfIndex(last);
  const first = last - TREND_MONTHS + 1;
  const pools: Pool[][] = Array.from({ length: stageCount }, () => Array.from({ length: TREND_MONTHS }, () => new Pool()));
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (row === undefined) continue;
    const index = months === null ? (indexOf(row.period) ?? NO_MONTH) : (months[r] ?? NO_MONTH);
    if (index === NO_MONTH || index < first || index > last) continue;
    const stage = stageOf(row.touchpointId);
    const pool = stage < 0 ? undefined : pools[stage]?.[index - first];
    if (pool === undefined) continue;
    pool.addContacts(row);
    if (index === last) pool.addScores(row);
  }
  const stages = pools.map((trend): StageMeasured => {
    const current = trend[TREND_MONTHS - 1] ?? new Pool();
    return {
      period,
      contacts: current.contactsOrNull(),
      csat: current.csat(),
      ces: current.ces(),
      nps: current.nps(),
      contactsTrend: trend.map((month) => month.contactsOrNull()),
    };
  });
  return { period, stages };
}

/** Outcomes of the map's done actions, also of those whose touchpoint is gone. */
export function actionOutcomes(map: JourneyMap, measurements: Measurements): ActionOutcome[] {
  const actions = Object.entries(map.actions ?? {}).filter(([, action]) => action?.status === 'done');
  if (actions.length === 0) return [];
  const wanted = new Set(actions.map(([, action]) => action.touchpointId));
  const indexOf = monthIndexer();
  const rowsOf = new Map<string, MeasurementRow[]>();
  for (const row of measurements.rows) {
    if (!wanted.has(row.touchpointId)) continue;
    let list = rowsOf.get(row.touchpointId);
    if (list === undefined) rowsOf.set(row.touchpointId, (list = []));
    list.push(row);
  }
  return actions.map(([actionId, action]) => {
    const done = typeof action.doneAt === 'number' && Number.isFinite(action.doneAt) ? monthIndexOfMs(action.doneAt) : null;
    const before = new Pool();
    const after = new Pool();
    if (done !== null) {
      for (const row of rowsOf.get(action.touchpointId) ?? []) {
        const index = indexOf(row.period);
        if (index === null) continue;
        const pool = index >= done - OUTCOME_MONTHS && index < done ? before : index > done && index <= done + OUTCOME_MONTHS ? after : null;
        pool?.addContacts(row);
        pool?.addCsat(row);
      }
    }
    const mean = (pool: Pool): number | null => (pool.contactRows === 0 ? null : pool.contacts / pool.contactRows);
    return { actionId, contactsBefore: mean(before), contactsAfter: mean(after), csatBefore: before.csat(), csatAfter: after.csat() };
  });
}
