import type { MetricsRowInput, StoredMetricsRow } from '../../lib/measurements/input';

/** A stored row without its external key (the key lives in the map document and may change). */
export type MeasuredRow = Omit<StoredMetricsRow, 'externalKey'>;

/** A row of a push, its touchpoint resolved. */
export type ResolvedRow = MetricsRowInput & { touchpointId: string };

/**
 * The contact center's figures (DESIGN.md, "Measured data and outcomes"): one
 * row per map, month and touchpoint, deleted with the map. One implementation
 * per engine, like DocStore; services never see SQL.
 */
export interface MeasurementStore {
  /** Replaces, for `period`, the whole row of each touchpoint named, in one transaction: all or nothing. */
  replace(mapId: string, period: string, rows: readonly ResolvedRow[], now: number): Promise<void>;
  /** Several months of rows at once (the demo's twelve), in one transaction: all or nothing. */
  replaceMonths(mapId: string, months: ReadonlyArray<{ period: string; rows: readonly ResolvedRow[] }>, now: number): Promise<void>;
  /** The map's rows from `from` to `to` (months, inclusive, either open), by period then touchpoint. */
  list(mapId: string, from?: string | null, to?: string | null): Promise<MeasuredRow[]>;
  /** The map's latest month with figures, or null. */
  latestPeriod(mapId: string): Promise<string | null>;
  /** Removes a month of the map; the number of rows removed. */
  deletePeriod(mapId: string, period: string): Promise<number>;
}

/** The columns both engines store, in the order their statements list them. */
export const MEASUREMENT_COLUMNS = [
  'touchpoint_id',
  'period',
  'contacts',
  'csat_responses',
  'csat_satisfied',
  'ces_responses',
  'ces_mean',
  'nps_promoters',
  'nps_passives',
  'nps_detractors',
  'verbatims',
] as const;

export interface MeasurementColumns {
  touchpoint_id: string;
  period: string;
  contacts: number | null;
  csat_responses: number | null;
  csat_satisfied: number | null;
  ces_responses: number | null;
  ces_mean: number | null;
  nps_promoters: number | null;
  nps_passives: number | null;
  nps_detractors: number | null;
  verbatims: string | null;
}

export function rowOfColumns(r: MeasurementColumns): MeasuredRow {
  return {
    touchpointId: r.touchpoint_id,
    period: r.period,
    ...(r.contacts === null ? {} : { contacts: r.contacts }),
    ...(r.csat_responses === null || r.csat_satisfied === null ? {} : { csat: { responses: r.csat_responses, satisfied: r.csat_satisfied } }),
    ...(r.ces_responses === null || r.ces_mean === null ? {} : { ces: { responses: r.ces_responses, mean: r.ces_mean } }),
    ...(r.nps_promoters === null || r.nps_passives === null || r.nps_detractors === null
      ? {}
      : { nps: { promoters: r.nps_promoters, passives: r.nps_passives, detractors: r.nps_detractors } }),
    ...(r.verbatims === null ? {} : { verbatims: JSON.parse(r.verbatims) as NonNullable<StoredMetricsRow['verbatims']> }),
  };
}

/** A row's values: the map, the columns in MEASUREMENT_COLUMNS' order, then the time; appended to `values`. */
export function pushMeasurementValues(values: unknown[], mapId: string, period: string, row: ResolvedRow, now: number): unknown[] {
  values.push(
    mapId,
    row.touchpointId,
    period,
    row.contacts ?? null,
    row.csat?.responses ?? null,
    row.csat?.satisfied ?? null,
    row.ces?.responses ?? null,
    row.ces?.mean ?? null,
    row.nps?.promoters ?? null,
    row.nps?.passives ?? null,
    row.nps?.detractors ?? null,
    row.verbatims === undefined ? null : JSON.stringify(row.verbatims),
    now,
  );
  return values;
}

/** Rows in key order (map, month, touchpoint): a month's rows append to the table's pages instead of splitting them at random. */
export const inKeyOrder = (rows: readonly ResolvedRow[]): ResolvedRow[] => rows.toSorted((a, b) => (a.touchpointId < b.touchpointId ? -1 : a.touchpointId > b.touchpointId ? 1 : 0));

/** Rows a statement: a statement's round trip costs about as much as a row; 50 × 13 parameters is far below both engines' limits. */
export const ROWS_PER_STATEMENT = 50;
