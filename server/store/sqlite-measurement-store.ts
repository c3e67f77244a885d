import type { Statement } from 'better-sqlite3';
import type { MetricsRowInput, StoredMetricsRow } from '../../lib/measurements/input';
import type { SqliteDatabase } from '../db/sqlite';

interface Row {
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

/** A stored row without its external key (the key lives in the map document and may change). */
export type MeasuredRow = Omit<StoredMetricsRow, 'externalKey'>;

function toRow(r: Row): MeasuredRow {
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

const COLUMNS = 'touchpoint_id, period, contacts, csat_responses, csat_satisfied, ces_responses, ces_mean, nps_promoters, nps_passives, nps_detractors, verbatims';
const UPSERT = `INSERT OR REPLACE INTO measurements (map_id, ${COLUMNS}, updated_at) VALUES`;
const PLACEHOLDERS = `(${Array.from({ length: 13 }, () => '?').join(', ')})`;
/** 50 × 13 parameters: far below SQLite's limit (32,766). */
const ROWS_PER_STATEMENT = 50;

/** A row's parameters, in UPSERT's column order, appended to `values`. */
function pushValues(values: unknown[], mapId: string, period: string, row: MetricsRowInput & { touchpointId: string }, now: number): unknown[] {
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

/** The measured figures (migrations 9 and 10): one row per map, month and touchpoint. */
export class SqliteMeasurementStore {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: SqliteDatabase) {}

  private sql(text: string): Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** Replaces, for `period`, the whole row of each touchpoint named, in one transaction: all or nothing. */
  replace(mapId: string, period: string, rows: ReadonlyArray<MetricsRowInput & { touchpointId: string }>, now: number): void {
    // In key order (migration 10: map, month, touchpoint), a month's rows append to the table's pages instead of
    // splitting them at random; several rows a statement, as a statement's round trip costs about as much as a row.
    const ordered = rows.toSorted((a, b) => (a.touchpointId < b.touchpointId ? -1 : a.touchpointId > b.touchpointId ? 1 : 0));
    const many = this.sql(`${UPSERT} ${Array.from({ length: ROWS_PER_STATEMENT }, () => PLACEHOLDERS).join(', ')}`);
    const one = this.sql(`${UPSERT} ${PLACEHOLDERS}`);
    this.db.transaction(() => {
      let next = 0;
      for (; next + ROWS_PER_STATEMENT <= ordered.length; next += ROWS_PER_STATEMENT) {
        const values: unknown[] = [];
        for (const row of ordered.slice(next, next + ROWS_PER_STATEMENT)) pushValues(values, mapId, period, row, now);
        many.run(values);
      }
      for (const row of ordered.slice(next)) one.run(pushValues([], mapId, period, row, now));
    })();
  }

  /** Several months of rows at once (the demo's twelve), in one transaction: all or nothing. */
  replaceMonths(mapId: string, months: ReadonlyArray<{ period: string; rows: ReadonlyArray<MetricsRowInput & { touchpointId: string }> }>, now: number): void {
    // replace's own transactions nest as savepoints inside this one.
    this.db.transaction(() => {
      for (const month of months) this.replace(mapId, month.period, month.rows, now);
    })();
  }

  /** The map's rows from `from` to `to` (months, inclusive, either open), by period then touchpoint. */
  list(mapId: string, from: string | null = null, to: string | null = null): MeasuredRow[] {
    const rows = this.sql(
      `SELECT ${COLUMNS} FROM measurements WHERE map_id = ? AND (? IS NULL OR period >= ?) AND (? IS NULL OR period <= ?) ORDER BY period, touchpoint_id`,
    ).all(mapId, from, from, to, to) as Row[];
    return rows.map(toRow);
  }

  /** The map's latest month with figures, or null: the portfolio reads that month only, not every row of every month. */
  latestPeriod(mapId: string): string | null {
    const row = this.sql('SELECT MAX(period) AS period FROM measurements WHERE map_id = ?').get(mapId) as { period: string | null } | undefined;
    return row?.period ?? null;
  }

  /** Removes a month of the map; the number of rows removed. */
  deletePeriod(mapId: string, period: string): number {
    return this.sql('DELETE FROM measurements WHERE map_id = ? AND period = ?').run(mapId, period).changes;
  }
}
