import { annotateMap } from '../../lib/annotations';
import { exportCsv } from '../../lib/exchange/csv';
import { FORMAT_INFO, EXPORT_FORMATS, IMPORT_FORMATS, exportFileName, isExportFormat, isImportFormat, type ExportFormat, type ImportFormat } from '../../lib/exchange/formats';
import { ImportError, type ImportProblem } from '../../lib/exchange/import-error';
import { importFile } from '../../lib/exchange/import-file';
import { attributeImported, exportJson, importJson } from '../../lib/exchange/json';
import { exportMermaid } from '../../lib/exchange/mermaid';
import { IMPORTED_FIELDS, type ColumnMapping, type RowFigures } from '../../lib/exchange/touchpoint-rows';
import type { Discussion, JourneyMap } from '../../lib/journey/types';
import { MapTitleSchema } from '../../lib/journey/validation';
import { periodsOf, touchpointFigures } from '../../lib/measurements/touchpoint-figures';
import { createMapFromPlain } from '../maps/create-map';
import { readStoredMap } from '../maps/read-map';
import type { MeasuredRow } from '../store/measurement-store';
import type { Actor, ServiceContext } from './context';
import type { RateLimiter } from './rate-limiter';
import { heldRooms } from './map-doc';
import { requireRole, summarizeMap, type MapSummary } from './maps';
import { ServiceError } from './service-error';

/**
 * Maps out and in (issue 16): an export is any member's, of the map as
 * stored (everything acknowledged to anyone); an import makes a new map that
 * the caller owns, from the whole file or not at all.
 */

export interface ExportedFile {
  body: string | Uint8Array;
  contentType: string;
  fileName: string;
}

export interface ExportQuery {
  format: string | null;
  /** "0" leaves the discussion (comments, dots) out of the JSON and the CSV's columns. */
  comments: string | null;
}

export async function exportMap(ctx: ServiceContext, actor: Actor, mapId: string, query: ExportQuery): Promise<ExportedFile> {
  const format = query.format ?? '';
  if (!isExportFormat(format)) {
    throw new ServiceError('bad_request', `format must be one of ${EXPORT_FORMATS.join(', ')} (got ${JSON.stringify(format)})`, [{ path: 'format', message: `one of ${EXPORT_FORMATS.join(', ')}` }]);
  }
  if (query.comments !== null && query.comments !== '0' && query.comments !== '1') {
    throw new ServiceError('bad_request', 'comments must be 0 (leave the discussion out) or 1', [{ path: 'comments', message: 'must be 0 or 1' }]);
  }
  await requireRole(ctx, actor, mapId, 'viewer');
  if (format === 'pdf' || format === 'xlsx') await spend(ctx.rateLimits.reportsPerAccount, actor, 'Too many PDF reports and Excel workbooks in a short time: wait a few minutes and try again');
  const { map, discussion } = await readStoredMap(ctx.store, mapId, heldRooms(ctx));
  const withDiscussion = query.comments !== '0';
  return {
    body: await render(ctx, mapId, format, map, withDiscussion ? discussion : null),
    contentType: FORMAT_INFO[format].contentType,
    fileName: exportFileName(map.meta.title, format),
  };
}

async function render(ctx: ServiceContext, mapId: string, format: ExportFormat, map: JourneyMap, discussion: Discussion | null): Promise<string | Uint8Array> {
  if (format === 'json') return exportJson(map, discussion, new Date());
  if (format === 'mermaid') return exportMermaid(map);
  // The measured rows (all months), read once: the latest month's figures per touchpoint, and the web report's annotations.
  const rows = await ctx.measurements.list(mapId);
  if (format === 'csv') return exportCsv(map, discussion, latestFigures(rows));
  const annotations = annotateMap(map, discussion ?? undefined, rows.length > 0 ? { rows } : undefined);
  if (format === 'pdf') return ctx.renderPdfReport({ map, annotations, generatedAt: new Date() });
  const { exportXlsx } = await import('../../lib/exchange/xlsx');
  return exportXlsx(map, discussion, latestFigures(rows), annotations, new Date());
}

/** Each touchpoint's contacts and CSAT of the latest month the contact center pushed figures for. */
function latestFigures(rows: readonly MeasuredRow[]): Map<string, RowFigures> {
  const period = periodsOf(rows)[0] ?? null;
  const figures = new Map<string, RowFigures>();
  if (period === null) return figures;
  for (const [touchpointId, f] of touchpointFigures(rows, period)) figures.set(touchpointId, { period, contacts: f.contacts, csat: f.csat });
  return figures;
}

export interface ImportQuery {
  format: string | null;
  title: string | null;
  /** JSON: { field: "column name" } for CSV. */
  mapping: string | null;
}

/** A new map of the caller's from the file; a 400 with every bad row (`details: [{ row, message }]`) and no map otherwise. */
export async function importMap(ctx: ServiceContext, actor: Actor, query: ImportQuery, file: Buffer): Promise<MapSummary> {
  const format = query.format ?? '';
  if (!isImportFormat(format)) {
    throw new ServiceError('bad_request', `format must be one of ${IMPORT_FORMATS.join(', ')} (got ${JSON.stringify(format)})`, [{ path: 'format', message: `one of ${IMPORT_FORMATS.join(', ')}` }]);
  }
  const title = readTitle(query.title);
  const mapping = readMapping(query.mapping, format);
  await spend(ctx.rateLimits.importsPerAccount, actor, 'Too many imports in a short time: wait a few minutes and try again');
  let imported: Awaited<ReturnType<typeof importFile>>;
  try {
    const read = () => importFile(format, new Uint8Array(file.buffer, file.byteOffset, file.byteLength), { title, ...(mapping ? { mapping } : {}) });
    imported = format === 'xlsx' ? await oneWorkbookAtATime(read) : await read();
  } catch (error) {
    if (error instanceof ImportError) throw new ServiceError('bad_request', error.message, cappedProblems(error.details));
    throw error;
  }
  const { map } = imported;
  const discussion = imported.discussion ? attributeImported(imported.discussion, actor.id) : { comments: {}, votes: {} };
  const finalTitle = title ?? map.meta.title;
  const record = await createMapFromPlain(ctx.store, { title: finalTitle, map, discussion, template: `import:${format}` });
  await ctx.accounts.setMember(record.id, actor.id, 'owner', {
    mapId: record.id,
    actorEmail: actor.email,
    action: 'map.imported',
    targetEmail: null,
    detail: { title: finalTitle, format, touchpoints: Object.keys(map.touchpoints).length - 1, bytes: file.byteLength },
  });
  return summarizeMap(ctx, record, 'owner');
}

/** At most this many problems in a 400: enough to fix a file, never a second copy of a hostile one. */
const MAX_LISTED_PROBLEMS = 100;

function cappedProblems(problems: ImportProblem[]): ImportProblem[] {
  if (problems.length <= MAX_LISTED_PROBLEMS) return problems;
  return [...problems.slice(0, MAX_LISTED_PROBLEMS), { row: null, message: `and ${problems.length - MAX_LISTED_PROBLEMS} more problems like these` }];
}

/** One of the account's heavy requests: refused (429) past the limit, counted otherwise, whatever comes of it. */
async function spend(limiter: RateLimiter, actor: Actor, sentence: string): Promise<void> {
  if (await limiter.blocked(actor.id)) throw new ServiceError('rate_limited', sentence);
  await limiter.fail(actor.id);
}

function readTitle(value: string | null): string | null {
  if (value === null || value.trim() === '') return null;
  const parsed = MapTitleSchema.safeParse(value);
  if (!parsed.success) throw new ServiceError('bad_request', parsed.error.issues[0]?.message ?? 'title is not valid', [{ path: 'title', message: parsed.error.issues[0]?.message ?? 'not valid' }]);
  return parsed.data;
}

/**
 * exceljs holds some fifteen times a workbook's unpacked size while it reads
 * it (up to ~250 MB at the 16 MiB cap): one workbook at a time per process,
 * the next waits, so that a few uploads at once cannot take the memory of every map's room.
 */
let workbookQueue: Promise<unknown> = Promise.resolve();
function oneWorkbookAtATime<T>(read: () => Promise<T>): Promise<T> {
  const turn = workbookQueue.then(read, read);
  workbookQueue = turn.catch(() => undefined);
  return turn;
}

function readMapping(value: string | null, format: ImportFormat): ColumnMapping | undefined {
  if (value === null || value === '') return undefined;
  if (format !== 'csv' && format !== 'xlsx') throw new ServiceError('bad_request', 'mapping is for CSV and XLSX files only', [{ path: 'mapping', message: 'for CSV and XLSX only' }]);
  let data: unknown;
  try {
    data = JSON.parse(value);
  } catch {
    throw new ServiceError('bad_request', 'mapping must be JSON: { "label": "column name", … }', [{ path: 'mapping', message: 'not JSON' }]);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ServiceError('bad_request', 'mapping must be an object: { "label": "column name", … }', [{ path: 'mapping', message: 'not an object' }]);
  const mapping: ColumnMapping = {};
  for (const [field, column] of Object.entries(data)) {
    if (!(IMPORTED_FIELDS as readonly string[]).includes(field)) throw new ServiceError('bad_request', `mapping names ${JSON.stringify(field)}, which is no field; the fields are ${IMPORTED_FIELDS.join(', ')}`, [{ path: `mapping.${field}`, message: 'no such field' }]);
    if (column !== null && (typeof column !== 'string' || column.length === 0 || column.length > 200)) {
      throw new ServiceError('bad_request', `mapping.${field} must be a column name (1 to 200 characters), or null for none`, [{ path: `mapping.${field}`, message: 'a column name or null' }]);
    }
    mapping[field as keyof ColumnMapping] = column;
  }
  return mapping;
}
