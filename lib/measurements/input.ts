import { z } from 'zod';
import { isPeriod } from './period';

/**
 * A push of measured figures (DESIGN.md, "Measured data and outcomes"):
 * `{ period, rows: [{ externalKey | touchpointId, contacts?, csat?, ces?, nps?, verbatims? }] }`.
 * Each row is checked on its own so that a 400 can name every bad row
 * (`{ row, message }`), not only the first.
 */

/** Rows one push may carry: 5,000 touchpoints fit four times over; more is split by touchpoint. */
export const MAX_ROWS_PER_PUSH = 20_000;
export const MAX_VERBATIMS = 20;
export const MAX_VERBATIM_LENGTH = 1_000;

const count = (name: string) =>
  z.number({ error: `${name} must be a number` }).int(`${name} must be a whole number`).min(0, `${name} must be 0 or more`).max(Number.MAX_SAFE_INTEGER, `${name} is too large`);

const Csat = z
  .object({ responses: count('csat.responses').min(1, 'csat.responses must be 1 or more'), satisfied: count('csat.satisfied') }, { error: 'csat must be { responses, satisfied }' })
  .strict()
  .refine((csat) => csat.satisfied <= csat.responses, { error: 'csat.satisfied must not exceed csat.responses' });

const Ces = z
  .object(
    {
      responses: count('ces.responses').min(1, 'ces.responses must be 1 or more'),
      mean: z.number({ error: 'ces.mean must be a number' }).min(1, 'ces.mean must be from 1 to 7').max(7, 'ces.mean must be from 1 to 7'),
    },
    { error: 'ces must be { responses, mean }' },
  )
  .strict();

const Nps = z
  .object({ promoters: count('nps.promoters'), passives: count('nps.passives'), detractors: count('nps.detractors') }, { error: 'nps must be { promoters, passives, detractors }' })
  .strict()
  .refine((nps) => nps.promoters + nps.passives + nps.detractors >= 1, { error: 'nps needs at least one answer (promoters + passives + detractors ≥ 1)' });

const Verbatim = z
  .object(
    {
      text: z.string({ error: 'a verbatim text must be text' }).min(1, 'a verbatim text must not be empty').max(MAX_VERBATIM_LENGTH, `a verbatim text is at most ${MAX_VERBATIM_LENGTH} characters`),
      score: z.number({ error: 'a verbatim score must be a number' }).refine(Number.isFinite, 'a verbatim score must be a finite number').optional(),
      at: z.iso.date({ error: 'a verbatim "at" must be an ISO date (YYYY-MM-DD)' }).optional(),
    },
    { error: 'a verbatim must be { text, score?, at? }' },
  )
  .strict();

export type Verbatim = z.infer<typeof Verbatim>;

const Verbatims = z.array(Verbatim, { error: 'verbatims must be a list' }).max(MAX_VERBATIMS, `at most ${MAX_VERBATIMS} verbatims a row`);

const Figures = z.object({
  contacts: count('contacts').optional(),
  csat: Csat.optional(),
  ces: Ces.optional(),
  nps: Nps.optional(),
  verbatims: Verbatims.optional(),
});

const KEY = z.string({ error: 'must be text' }).min(1, 'must not be empty').max(200, 'is at most 200 characters');

/** One row as sent: the touchpoint by `externalKey` or `touchpointId` (exactly one), and at least one figure. */
export const MetricsRowInput = Figures.extend({ externalKey: KEY.optional(), touchpointId: KEY.optional() })
  .strict()
  .refine((row) => (row.externalKey === undefined) !== (row.touchpointId === undefined), { error: 'name the touchpoint by externalKey or by touchpointId (one of them)' })
  .refine((row) => row.contacts !== undefined || row.csat !== undefined || row.ces !== undefined || row.nps !== undefined || row.verbatims !== undefined, {
    error: 'a row needs at least one figure: contacts, csat, ces, nps or verbatims',
  });
export type MetricsRowInput = z.infer<typeof MetricsRowInput>;

export const PeriodSchema = z.string({ error: 'period must be a month as YYYY-MM' }).refine(isPeriod, { error: 'period must be a month as YYYY-MM (e.g. 2026-11)' });

/** The envelope; rows are left unknown here and checked one by one (parseRows). */
export const MetricsPushEnvelope = z
  .object({
    period: z.unknown(),
    rows: z.array(z.unknown(), { error: 'rows must be a list of rows' }).min(1, 'rows must hold at least one row').max(MAX_ROWS_PER_PUSH, `at most ${MAX_ROWS_PER_PUSH} rows a push: split the batch`),
  }, { error: 'the body must be { period, rows }' })
  .strict();

/** A stored row with its figures, as GET /api/maps/:id/metrics answers it. */
export interface StoredMetricsRow {
  touchpointId: string;
  externalKey: string | null;
  period: string;
  contacts?: number;
  csat?: { responses: number; satisfied: number };
  ces?: { responses: number; mean: number };
  nps?: { promoters: number; passives: number; detractors: number };
  verbatims?: Verbatim[];
}

export type RowProblem = { row: number; message: string } | { path: 'period'; message: string };

const firstMessage = (error: z.ZodError): string => {
  const issue = error.issues[0];
  if (!issue) return 'is not valid';
  const path = issue.path.filter((part) => typeof part === 'string' || typeof part === 'number').join('.');
  // Messages that already name their field read best alone.
  return path === '' || issue.message.includes(String(issue.path[0] ?? '')) ? issue.message : `${path}: ${issue.message}`;
};

const ROW_FIELDS: ReadonlySet<string> = new Set(['contacts', 'csat', 'ces', 'nps', 'verbatims', 'externalKey', 'touchpointId']);

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isKey = (value: unknown): value is string => typeof value === 'string' && value.length >= 1 && value.length <= 200;

/** An object as JSON.parse makes them (fields are then read with for…in, as zod reads them: inherited ones count too). */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** Every enumerable field of `value` is one of `fields`, all of which it has (their values are checked by the caller). */
function hasExactly(value: Record<string, unknown>, fields: readonly string[]): boolean {
  let found = 0;
  for (const key in value) {
    if (!fields.includes(key) || !Object.hasOwn(value, key)) return false;
    found++;
  }
  return found === fields.length;
}

/**
 * The row itself when MetricsRowInput would take it as it is, checked
 * without zod, or null to let zod decide and word the problem: a push of
 * 5,000 rows spent most of its validation in zod's general machinery, and
 * copied every row. Only ever says yes where the schema does, with the data
 * it gives (tests/unit/measured-rows.test.ts); verbatims, rare, go through zod.
 */
export function quickRow(raw: unknown): MetricsRowInput | null {
  if (!isPlainRecord(raw)) return null;
  let fields = 0;
  for (const key in raw) {
    if (!ROW_FIELDS.has(key) || !Object.hasOwn(raw, key) || raw[key] === undefined) return null;
    fields++;
  }
  const { contacts, csat, ces, nps, verbatims, externalKey, touchpointId } = raw;
  if ((externalKey === undefined) === (touchpointId === undefined) || fields < 2) return null;
  if ((externalKey !== undefined && !isKey(externalKey)) || (touchpointId !== undefined && !isKey(touchpointId))) return null;
  if (contacts !== undefined && !isCount(contacts)) return null;
  if (csat !== undefined) {
    if (!isPlainRecord(csat) || !hasExactly(csat, CSAT_FIELDS)) return null;
    const { responses, satisfied } = csat;
    if (!isCount(responses) || responses < 1 || !isCount(satisfied) || satisfied > responses) return null;
  }
  if (ces !== undefined) {
    if (!isPlainRecord(ces) || !hasExactly(ces, CES_FIELDS)) return null;
    const { responses, mean } = ces;
    if (!isCount(responses) || responses < 1 || typeof mean !== 'number' || !(mean >= 1 && mean <= 7)) return null;
  }
  if (nps !== undefined) {
    if (!isPlainRecord(nps) || !hasExactly(nps, NPS_FIELDS)) return null;
    const { promoters, passives, detractors } = nps;
    if (!isCount(promoters) || !isCount(passives) || !isCount(detractors) || promoters + passives + detractors < 1) return null;
  }
  if (verbatims !== undefined) {
    const parsed = Verbatims.safeParse(verbatims);
    if (!parsed.success) return null;
    return { ...(raw as MetricsRowInput), verbatims: parsed.data };
  }
  return raw as MetricsRowInput;
}

const isNamed = (row: MetricsRowInput, touchpointId: string): row is MetricsRowInput & { touchpointId: string } => row.touchpointId === touchpointId;

const CSAT_FIELDS = ['responses', 'satisfied'];
const CES_FIELDS = ['responses', 'mean'];
const NPS_FIELDS = ['promoters', 'passives', 'detractors'];

/**
 * The rows of a push, each resolved to a touchpoint id by `resolve` (null: no
 * touchpoint of the map), or every problem found, each naming its row.
 */
export function parseMetricsRows(
  period: unknown,
  rows: readonly unknown[],
  resolve: (row: MetricsRowInput) => { touchpointId: string } | { problem: string },
): { ok: true; period: string; rows: Array<MetricsRowInput & { touchpointId: string }> } | { ok: false; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const periodCheck = PeriodSchema.safeParse(period);
  if (!periodCheck.success) problems.push({ path: 'period', message: firstMessage(periodCheck.error) });
  const seen = new Map<string, number>();
  const parsed: Array<MetricsRowInput & { touchpointId: string }> = [];
  rows.forEach((raw, index) => {
    let data = quickRow(raw);
    if (data === null) {
      const row = MetricsRowInput.safeParse(raw);
      if (!row.success) {
        problems.push({ row: index, message: firstMessage(row.error) });
        return;
      }
      data = row.data;
    }
    const resolved = resolve(data);
    if ('problem' in resolved) {
      problems.push({ row: index, message: resolved.problem });
      return;
    }
    const earlier = seen.get(resolved.touchpointId);
    if (earlier !== undefined) {
      problems.push({ row: index, message: `names the same touchpoint as row ${earlier}: send one row per touchpoint and month` });
      return;
    }
    seen.set(resolved.touchpointId, index);
    // A row named by its id is already what the store takes: no copy of 5,000 rows.
    parsed.push(isNamed(data, resolved.touchpointId) ? data : { ...data, touchpointId: resolved.touchpointId });
  });
  if (problems.length > 0 || !periodCheck.success) return { ok: false, problems };
  return { ok: true, period: periodCheck.data, rows: parsed };
}
