import { z } from 'zod';
import type { StoredMetricsRow } from './input';

/**
 * GET /api/maps/:id/metrics's answer as the browser reads it: checked for
 * the shape the canvas relies on (the server checked every figure's rules
 * when it was pushed), so a proxy's error page or an older server's answer
 * is a message, not a broken canvas.
 */
const count = z.number().finite().min(0);
const StoredRow = z.object({
  touchpointId: z.string(),
  externalKey: z.string().nullable(),
  period: z.string(),
  contacts: count.optional(),
  csat: z.object({ responses: count, satisfied: count }).optional(),
  ces: z.object({ responses: count, mean: z.number().finite() }).optional(),
  nps: z.object({ promoters: count, passives: count, detractors: count }).optional(),
  verbatims: z.array(z.object({ text: z.string(), score: z.number().finite().optional(), at: z.string().optional() })).optional(),
});

export const StoredRowsAnswer = z.object({ rows: z.array(StoredRow) });

export function parseStoredRows(body: unknown): StoredMetricsRow[] | null {
  const parsed = StoredRowsAnswer.safeParse(body);
  return parsed.success ? parsed.data.rows : null;
}
