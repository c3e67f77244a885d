import { inTransaction, type PgClient, type PgPool } from '../db/postgres';
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
const WIDTH = MEASUREMENT_COLUMNS.length + 2;
// A push replaces each named row whole: every column from the new row, absent figures as NULL.
const ON_CONFLICT = `ON CONFLICT (map_id, period, touchpoint_id) DO UPDATE SET ${[...MEASUREMENT_COLUMNS.filter((c) => c !== 'touchpoint_id' && c !== 'period'), 'updated_at']
  .map((c) => `${c} = EXCLUDED.${c}`)
  .join(', ')}`;

function upsert(rows: number): string {
  const tuples = Array.from({ length: rows }, (_, r) => `(${Array.from({ length: WIDTH }, (_, c) => `$${r * WIDTH + c + 1}`).join(', ')})`);
  return `INSERT INTO measurements (map_id, ${COLUMNS}, updated_at) VALUES ${tuples.join(', ')} ${ON_CONFLICT}`;
}

const MANY = upsert(ROWS_PER_STATEMENT);

/** The measured figures on PostgreSQL (PG migration 2): the same rows and answers as SqliteMeasurementStore. */
export class PgMeasurementStore implements MeasurementStore {
  constructor(private readonly pool: PgPool) {}

  async replace(mapId: string, period: string, rows: readonly ResolvedRow[], now: number): Promise<void> {
    await inTransaction(this.pool, (client) => write(client, mapId, period, rows, now));
  }

  async replaceMonths(mapId: string, months: ReadonlyArray<{ period: string; rows: readonly ResolvedRow[] }>, now: number): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      for (const month of months) await write(client, mapId, month.period, month.rows, now);
    });
  }

  async list(mapId: string, from: string | null = null, to: string | null = null): Promise<MeasuredRow[]> {
    const { rows } = await this.pool.query<MeasurementColumns>(
      `SELECT ${COLUMNS} FROM measurements WHERE map_id = $1 AND ($2::text IS NULL OR period >= $2) AND ($3::text IS NULL OR period <= $3) ORDER BY period, touchpoint_id`,
      [mapId, from, to],
    );
    return rows.map(rowOfColumns);
  }

  async latestPeriod(mapId: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ period: string | null }>('SELECT MAX(period) AS period FROM measurements WHERE map_id = $1', [mapId]);
    return rows[0]?.period ?? null;
  }

  async deletePeriod(mapId: string, period: string): Promise<number> {
    const result = await this.pool.query('DELETE FROM measurements WHERE map_id = $1 AND period = $2', [mapId, period]);
    return result.rowCount ?? 0;
  }
}

async function write(client: PgClient, mapId: string, period: string, rows: readonly ResolvedRow[], now: number): Promise<void> {
  const ordered = inKeyOrder(rows);
  let next = 0;
  for (; next + ROWS_PER_STATEMENT <= ordered.length; next += ROWS_PER_STATEMENT) {
    const values: unknown[] = [];
    for (const row of ordered.slice(next, next + ROWS_PER_STATEMENT)) pushMeasurementValues(values, mapId, period, row, now);
    await client.query(MANY, values);
  }
  const rest = ordered.slice(next);
  if (rest.length > 0) {
    const values: unknown[] = [];
    for (const row of rest) pushMeasurementValues(values, mapId, period, row, now);
    await client.query(upsert(rest.length), values);
  }
}
