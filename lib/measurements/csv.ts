/**
 * The CSV of `metrics push` (README, "Measured data"): a header line with the
 * columns below (any order; externalKey required), then one touchpoint a line.
 * An empty cell is a figure not sent. No quoting: none of the columns holds a
 * comma (external keys with commas are pushed through the API as JSON).
 */

export const METRICS_CSV_COLUMNS = [
  'externalKey',
  'contacts',
  'csat_responses',
  'csat_satisfied',
  'ces_responses',
  'ces_mean',
  'nps_promoters',
  'nps_passives',
  'nps_detractors',
] as const;

type Column = (typeof METRICS_CSV_COLUMNS)[number];

export interface CsvRow {
  /** The 1-based line of the file the row came from. */
  line: number;
  row: Record<string, unknown>;
}

export class MetricsCsvError extends Error {}

const isColumn = (name: string): name is Column => (METRICS_CSV_COLUMNS as readonly string[]).includes(name);

/** The rows of the file as push rows (`{ externalKey, contacts?, csat?, ces?, nps? }`), or a MetricsCsvError naming the line. */
export function parseMetricsCsv(text: string): CsvRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((cell) => cell.trim());
  for (const name of header) {
    if (!isColumn(name)) throw new MetricsCsvError(`line 1: unknown column "${name}"; the columns are ${METRICS_CSV_COLUMNS.join(',')}`);
  }
  if (!header.includes('externalKey')) throw new MetricsCsvError('line 1: the header needs an externalKey column');
  if (new Set(header).size !== header.length) throw new MetricsCsvError('line 1: a column is named twice');
  const rows: CsvRow[] = [];
  lines.slice(1).forEach((text, index) => {
    const line = index + 2;
    if (text.trim() === '') return;
    const cells = text.split(',').map((cell) => cell.trim());
    if (cells.length !== header.length) throw new MetricsCsvError(`line ${line}: ${cells.length} cells where the header has ${header.length}`);
    const value: Partial<Record<Column, string>> = {};
    header.forEach((name, i) => {
      const cell = cells[i] ?? '';
      if (cell !== '' && isColumn(name)) value[name] = cell;
    });
    const number = (name: Column): number | undefined => {
      const cell = value[name];
      if (cell === undefined) return undefined;
      const parsed = Number(cell);
      if (!Number.isFinite(parsed)) throw new MetricsCsvError(`line ${line}: ${name} "${cell}" is not a number`);
      return parsed;
    };
    const pair = <A extends string, B extends string>(a: A, an: Column, b: B, bn: Column) => {
      const x = number(an);
      const y = number(bn);
      return x === undefined && y === undefined ? undefined : { [a]: x, [b]: y };
    };
    const row: Record<string, unknown> = { externalKey: value.externalKey ?? '' };
    const contacts = number('contacts');
    if (contacts !== undefined) row.contacts = contacts;
    const csat = pair('responses', 'csat_responses', 'satisfied', 'csat_satisfied');
    if (csat) row.csat = csat;
    const ces = pair('responses', 'ces_responses', 'mean', 'ces_mean');
    if (ces) row.ces = ces;
    const promoters = number('nps_promoters');
    const passives = number('nps_passives');
    const detractors = number('nps_detractors');
    if (promoters !== undefined || passives !== undefined || detractors !== undefined) row.nps = { promoters, passives, detractors };
    rows.push({ line, row });
  });
  if (rows.length === 0) throw new MetricsCsvError('the file has no rows after its header');
  return rows;
}
