import { tidyPositions } from '../journey/layout';
import type { Discussion, JourneyMap, Touchpoint } from '../journey/types';
import { CHANNELS, type Channel } from '../journey/types';
import { ImportError, type ImportProblem } from './import-error';
import type { ImportedJourney, ImportedTouchpoint } from './imported-journey';

/**
 * A touchpoint a row: what CSV and XLSX export (in this column order, under
 * these names) and what they import, by these names unless a mapping says
 * which column of the file holds which field. The derived columns (figures,
 * pain score, comments, dots) are for reading; an import ignores them.
 */
export const ROW_COLUMNS = [
  'stage',
  'label',
  'channel',
  'owner',
  'externalKey',
  'emotion',
  'contactsEstimate',
  'measuredPeriod',
  'measuredContacts',
  'measuredCsat',
  'painScore',
  'painPoints',
  'openComments',
  'dots',
] as const;
export type RowColumn = (typeof ROW_COLUMNS)[number];

/** The fields an import reads. */
export const IMPORTED_FIELDS = ['stage', 'label', 'channel', 'owner', 'externalKey', 'emotion', 'contactsEstimate', 'painPoints'] as const;
export type ImportedField = (typeof IMPORTED_FIELDS)[number];

/** Which column of the file holds each field (by its header); null: none (not even one of the field's name); left out: the column of the field's own name, if any. */
export type ColumnMapping = Partial<Record<ImportedField, string | null>>;

export type RowValue = string | number | null;
export type ExportRow = Record<RowColumn, RowValue>;

/** A touchpoint's measured figures of one month (the latest), where the contact center pushed some. */
export interface RowFigures {
  period: string;
  contacts: number | null;
  /** 0..100 */
  csat: number | null;
}

/** One pain point a line: "S3 F4: Hold music loops". */
export function formatPainPoints(touchpoint: Touchpoint): string {
  return touchpoint.painPoints.map((p) => `S${p.severity} F${p.frequency}: ${p.text}`).join('\n');
}

/** The touchpoints of the map (not the hub), stage by stage and top to bottom as drawn, the map's own stageless ones last. */
export function orderedTouchpoints(map: JourneyMap): Touchpoint[] {
  const positions = tidyPositions(map);
  const stageOrder = new Map(map.stages.map((stage, index) => [stage.id, index]));
  const column = (tp: Touchpoint) => (tp.stageId === null ? undefined : stageOrder.get(tp.stageId)) ?? map.stages.length;
  return Object.values(map.touchpoints)
    .filter((tp) => tp.kind === 'touchpoint')
    .sort((a, b) => column(a) - column(b) || (positions.get(a.id)?.y ?? 0) - (positions.get(b.id)?.y ?? 0));
}

export function touchpointRows(map: JourneyMap, discussion: Discussion | null, figures: ReadonlyMap<string, RowFigures> = new Map()): ExportRow[] {
  const stageName = new Map(map.stages.map((stage) => [stage.id, stage.name]));
  const openComments = new Map<string, number>();
  for (const comment of Object.values(discussion?.comments ?? {})) {
    if (comment.parentId === null && !comment.resolved) openComments.set(comment.touchpointId, (openComments.get(comment.touchpointId) ?? 0) + 1);
  }
  return orderedTouchpoints(map).map((tp) => {
    const measured = figures.get(tp.id);
    return {
      stage: (tp.stageId === null ? undefined : stageName.get(tp.stageId)) ?? '',
      label: tp.label,
      channel: tp.channel,
      owner: tp.owner ?? '',
      externalKey: tp.externalKey ?? '',
      emotion: tp.emotion,
      contactsEstimate: tp.contactVolume,
      measuredPeriod: measured?.period ?? '',
      measuredContacts: measured?.contacts ?? null,
      measuredCsat: measured?.csat === null || measured?.csat === undefined ? null : Math.round(measured.csat * 10) / 10,
      painScore: tp.painPoints.reduce((sum, p) => sum + p.severity * p.frequency, 0),
      painPoints: formatPainPoints(tp),
      openComments: discussion ? (openComments.get(tp.id) ?? 0) : null,
      dots: discussion ? Object.values(discussion.votes[tp.id] ?? {}).reduce((sum, dots) => sum + dots, 0) : null,
    };
  });
}

// ---------------------------------------------------------------------------
// Import

/** A spreadsheet's escape of a formula-like text (what our exports write, csv.ts): one leading apostrophe goes. */
function unescapeFormula(value: string): string {
  return /^''*[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

const PAIN_LINE = /^S(\d+)\s*F(\d+)\s*:\s*(.*)$/is;

function readPainPoints(cell: string): ImportedTouchpoint['painPoints'] {
  return cell
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const match = PAIN_LINE.exec(line);
      // A line typed without scores is a pain point of middling severity and frequency.
      return match ? { text: match[3] ?? '', severity: Number(match[1]), frequency: Number(match[2]) } : { text: line, severity: 3, frequency: 3 };
    });
}

/** A number, or the text itself when it is none, so that the row's error quotes what the cell holds. */
function numberOrText(cell: string, empty: number | null): number | string | null {
  if (cell === '') return empty;
  const value = Number(cell);
  return Number.isNaN(value) ? cell : value;
}

function readChannel(cell: string): Channel | string {
  if (cell === '') return 'other';
  const lower = cell.toLowerCase();
  return (CHANNELS as readonly string[]).includes(lower) ? (lower as Channel) : cell;
}

/**
 * Rows of cells (the first one the header) into a journey: each field from
 * its column (`mapping`, else the column of its own name, case and spaces
 * aside). `rowNumber(i)` is the number a person sees for data row i
 * (a spreadsheet's: the header is row 1).
 */
export function journeyFromRows(rows: readonly (readonly unknown[])[], options: { title: string; mapping?: ColumnMapping }): ImportedJourney {
  const [header, ...data] = rows;
  if (!header || header.length === 0) throw new ImportError('The file is empty: it needs a header row and a row per touchpoint', []);
  const names = header.map((cell) => String(cell ?? '').trim());
  const columnOf = new Map<string, number>();
  names.forEach((name, index) => {
    const key = name.toLowerCase();
    if (!columnOf.has(key)) columnOf.set(key, index);
  });
  const problems: ImportProblem[] = [];
  const at = new Map<ImportedField, number>();
  for (const field of IMPORTED_FIELDS) {
    const wanted = options.mapping?.[field];
    if (wanted === null) continue;
    const index = columnOf.get((wanted ?? field).trim().toLowerCase());
    if (index !== undefined) at.set(field, index);
    else if (wanted !== undefined) problems.push({ row: 1, message: `The mapping reads ${field} from the column "${wanted}", which the file does not have (its columns: ${names.map((n) => `"${n}"`).join(', ')})` });
  }
  if (!at.has('label') && problems.length === 0) {
    problems.push({ row: 1, message: `No column holds the touchpoints' labels: name one "label", or map label to one of ${names.map((n) => `"${n}"`).join(', ')}` });
  }
  if (problems.length > 0) throw new ImportError(problems[0]?.message ?? 'The header is not valid', problems);

  const cell = (row: readonly unknown[], field: ImportedField): string => {
    const index = at.get(field);
    const value = index === undefined ? undefined : row[index];
    return unescapeFormula(value === undefined || value === null ? '' : String(value).trim());
  };
  const stages: string[] = [];
  const touchpoints: ImportedTouchpoint[] = [];
  data.forEach((row, index) => {
    if (row.every((value) => value === null || value === undefined || String(value).trim() === '')) return;
    const owner = cell(row, 'owner');
    const key = cell(row, 'externalKey');
    const stage = cell(row, 'stage');
    if (stage !== '' && !stages.some((s) => s.toLowerCase() === stage.toLowerCase())) stages.push(stage);
    touchpoints.push({
      row: index + 2,
      stage,
      label: cell(row, 'label'),
      channel: readChannel(cell(row, 'channel')) as Channel,
      owner: owner === '' ? null : owner,
      externalKey: key === '' ? null : key,
      emotion: numberOrText(cell(row, 'emotion'), null) as number | null,
      contactVolume: numberOrText(cell(row, 'contactsEstimate'), 0) as number,
      painPoints: readPainPoints(cell(row, 'painPoints')),
    });
  });
  return { title: options.title, persona: '', stages, touchpoints };
}
