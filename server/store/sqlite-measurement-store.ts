import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../db/sqlite';
import {
  MEASUREMENT_COLUMNS,
  ROWS_PER_STATEMENT,
  inKeyOrder,
  pushMeasurementValues,
  rowOfColumns,
  type MeasuredRow,
  type MeasurementColumns,
  type MeasurementStore,
  type ResolvedRow,
} from './measurement-store';

const COLUMNS = MEASUREMENT_COLUMNS.join(', ');
const UPSERT = `INSERT OR REPLACE INTO measurements (map_id, ${COLUMNS}, updated_at) VALUES`;
const PLACEHOLDERS = `(${Array.from({ length: MEASUREMENT_COLUMNS.length + 2 }, () => '?').join(', ')})`;

/** The measured figures (migrations 9 and 10): one row per map, month and touchpoint. */
export class SqliteMeasurementStore implements MeasurementStore {
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

  async replace(mapId: string, period: string, rows: readonly ResolvedRow[], now: number): Promise<void> {
    this.write(mapId, period, rows, now);
  }

  /** One month's rows in one transaction (a savepoint inside replaceMonths' own). */
  private write(mapId: string, period: string, rows: readonly ResolvedRow[], now: number): void {
    const ordered = inKeyOrder(rows);
    const many = this.sql(`${UPSERT} ${Array.from({ length: ROWS_PER_STATEMENT }, () => PLACEHOLDERS).join(', ')}`);
    const one = this.sql(`${UPSERT} ${PLACEHOLDERS}`);
    this.db.transaction(() => {
      let next = 0;
      for (; next + ROWS_PER_STATEMENT <= ordered.length; next += ROWS_PER_STATEMENT) {
        const values: unknown[] = [];
        for (const row of ordered.slice(next, next + ROWS_PER_STATEMENT)) pushMeasurementValues(values, mapId, period, row, now);
        many.run(values);
      }
      for (const row of ordered.slice(next)) one.run(pushMeasurementValues([], mapId, period, row, now));
    })();
  }

  async replaceMonths(mapId: string, months: ReadonlyArray<{ period: string; rows: readonly ResolvedRow[] }>, now: number): Promise<void> {
    // write's own transactions nest as savepoints inside this one.
    this.db.transaction(() => {
      for (const month of months) this.write(mapId, month.period, month.rows, now);
    })();
  }

  async list(mapId: string, from: string | null = null, to: string | null = null): Promise<MeasuredRow[]> {
    const rows = this.sql(
      `SELECT ${COLUMNS} FROM measurements WHERE map_id = ? AND (? IS NULL OR period >= ?) AND (? IS NULL OR period <= ?) ORDER BY period, touchpoint_id`,
    ).all(mapId, from, from, to, to) as MeasurementColumns[];
    return rows.map(rowOfColumns);
  }

  async latestPeriod(mapId: string): Promise<string | null> {
    const row = this.sql('SELECT MAX(period) AS period FROM measurements WHERE map_id = ?').get(mapId) as { period: string | null } | undefined;
    return row?.period ?? null;
  }

  async deletePeriod(mapId: string, period: string): Promise<number> {
    return this.sql('DELETE FROM measurements WHERE map_id = ? AND period = ?').run(mapId, period).changes;
  }
}
