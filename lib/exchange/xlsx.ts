import ExcelJS from 'exceljs';
import { annotateMap } from '../annotations';
import type { MapAnnotations } from '../annotations';
import type { Action, Discussion, JourneyMap } from '../journey/types';
import { ImportError } from './import-error';
import { MAX_IMPORTED_COLUMNS, MAX_IMPORTED_TOUCHPOINTS, type ImportedJourney } from './imported-journey';
import { ROW_COLUMNS, journeyFromRows, touchpointRows, type ColumnMapping, type RowFigures, type RowValue } from './touchpoint-rows';

/**
 * XLSX (Office Open XML workbook) with exceljs, which writes and reads the
 * format in plain JavaScript, in Node and in a browser, with no install script.
 *
 * Export: three sheets, "Touchpoints" (the CSV's columns, a touchpoint a row;
 * the one an import reads), "Stages" (each stage's annotations) and
 * "Actions". Numbers are number cells and texts are shared strings, which a
 * spreadsheet never runs as formulas, so no text needs CSV's apostrophe;
 * only a text that already starts with apostrophes before =, +, -, @ gets one
 * more, because the import (journeyFromRows) takes one off. Characters XML
 * cannot carry (control characters, a lone surrogate, CR) and a literal
 * "_xHHHH_" are written in the format's own _xHHHH_ escape, which Excel and
 * exceljs read back as the character, so every text survives the round trip.
 * The output depends on nothing but its inputs: the workbook's dates and the
 * zip entries' times are `exportedAt` (the epoch unless given).
 *
 * Import: the first worksheet's cells as text (readXlsxRows), row i of the
 * result being the spreadsheet's row i + 1, then journeyFromRows as for CSV.
 * A hostile file is bounded before exceljs inflates anything: at most 10 MiB,
 * a zip of at most 10,000 entries that unpack to at most 32 MiB, counted by
 * inflating each entry (streamed, and cut off) rather than trusting the sizes
 * the zip declares; then, as for CSV, at most 20,000 rows of touchpoints
 * (40,001 rows in all, blank ones included) and 200 columns.
 */

export const SHEET_NAMES = { touchpoints: 'Touchpoints', stages: 'Stages', actions: 'Actions' } as const;

export const STAGE_COLUMNS = ['stage', 'touchpoints', 'emotion', 'pain', 'painLevel', 'owners', 'accountable', 'ownership', 'suggestedOwner', 'hubCoverage', 'failureDemand', 'openComments', 'votes'] as const;
/** Added to STAGE_COLUMNS when the annotations carry measured figures. */
export const STAGE_MEASURED_COLUMNS = ['measuredPeriod', 'measuredContacts', 'measuredCsat'] as const;
export const ACTION_COLUMNS = ['title', 'touchpoint', 'painPoint', 'ownerTeam', 'due', 'status', 'doneAt', 'createdAt'] as const;

/** The largest file an import reads (the import route's own cap). */
export const MAX_XLSX_BYTES = 10 * 1024 * 1024;
/** What all the zip's entries may unpack to together: our export of a 20,000-touchpoint map (about 14 MiB) fits; exceljs holds some 15× that in memory while it reads (450 MB for 30 MiB). */
export const MAX_XLSX_UNPACKED_BYTES = 16 * 1024 * 1024;
/** Entries in the zip (a workbook has a dozen or so, a few hundred with many sheets and pictures). */
export const MAX_XLSX_ZIP_ENTRIES = 10_000;
/** Rows with values under the header (as for CSV). */
export const MAX_XLSX_DATA_ROWS = MAX_IMPORTED_TOUCHPOINTS;
/** Rows in all, blank ones included: as many blank rows as touchpoint rows (as for CSV). */
export const MAX_XLSX_ROWS = 2 * MAX_IMPORTED_TOUCHPOINTS + 1;
/** Columns a row may use (as for CSV). */
export const MAX_XLSX_COLUMNS = MAX_IMPORTED_COLUMNS;

// ---------------------------------------------------------------------------
// Export

type SheetValue = string | number | null;

/** A formula-like text the import would take an apostrophe off (touchpoint-rows.ts: unescapeFormula). */
const UNESCAPED_ON_IMPORT = /^'+[=+\-@\t\r]/;

/**
 * Characters a shared string cannot hold as themselves, each written as
 * _xHHHH_: XML 1.0's forbidden characters (exceljs would drop them), CR (an XML
 * reader turns it into LF), U+FFFE/U+FFFF, a lone surrogate (it would become
 * U+FFFD), and the underscore of a literal "_xHHHH_" (it would be read as an escape).
 */
const XML_UNSAFE = /_(?=x[0-9A-Fa-f]{4}_)|[\x00-\x08\x0B-\x1F\x7F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function sheetText(text: string): string {
  return text.replace(XML_UNSAFE, (character) => `_x${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`);
}

function cellValue(value: SheetValue): ExcelJS.CellValue {
  if (value === null || value === '') return null;
  return typeof value === 'number' ? value : sheetText(value);
}

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** An ISO 8601 time (UTC) of a timestamp in ms, '' for none or one out of range. */
function isoTime(ms: number | null): string {
  return ms !== null && Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : '';
}

/** Width in characters: the longest line of the column, between 8 and 60. */
function columnWidth(header: string, values: readonly SheetValue[]): number {
  let longest = header.length;
  for (const value of values) {
    if (value === null) continue;
    for (const line of String(value).split('\n')) longest = Math.max(longest, [...line].length);
  }
  return Math.min(60, Math.max(8, longest + 2));
}

function addSheet(workbook: ExcelJS.Workbook, name: string, header: readonly string[], rows: readonly SheetValue[][], formats: Partial<Record<string, string>> = {}): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  sheet.columns = header.map((key, index) => ({
    key,
    width: columnWidth(key, rows.map((row) => row[index] ?? null)),
    ...(formats[key] ? { style: { numFmt: formats[key] } } : {}),
  }));
  sheet.addRow([...header]);
  for (const row of rows) sheet.addRow(row.map(cellValue));
  sheet.getRow(1).font = { bold: true };
  return sheet;
}

function actionRows(map: JourneyMap): SheetValue[][] {
  const byTime = (a: Action, b: Action) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return Object.values(map.actions)
    .sort(byTime)
    .map((action) => {
      const touchpoint = map.touchpoints[action.touchpointId];
      const painPoint = action.painPointId === null ? undefined : touchpoint?.painPoints.find((p) => p.id === action.painPointId);
      const doneAt = isoTime(action.doneAt);
      return [action.title, touchpoint?.label ?? '', painPoint?.text ?? '', action.ownerTeam ?? '', action.due ?? '', action.status, doneAt === '' ? '' : doneAt.slice(0, 10), isoTime(action.createdAt)];
    });
}

function stageRows(annotations: MapAnnotations, withDiscussion: boolean, measured: boolean): SheetValue[][] {
  return annotations.stages.map((stage) => {
    const row: SheetValue[] = [
      stage.name,
      stage.touchpoints,
      stage.emotion === null ? null : round(stage.emotion, 2),
      stage.pain,
      stage.painLevel,
      stage.owners.join(', '),
      stage.accountable ?? '',
      stage.ownership,
      stage.suggestedOwner ?? '',
      stage.hubCoverage,
      stage.failureDemand,
      withDiscussion ? stage.openComments : null,
      withDiscussion ? stage.votes : null,
    ];
    if (measured) row.push(stage.measured?.period ?? '', stage.measured?.contacts ?? null, stage.measured?.csat === null || stage.measured?.csat === undefined ? null : round(stage.measured.csat, 1));
    return row;
  });
}

/**
 * The map as a workbook: "Touchpoints" (ROW_COLUMNS, a row per
 * touchpointRows entry), "Stages" (annotateMap's stage annotations, or those
 * given, with measured figures when they carry some) and "Actions". Open
 * comments and votes are left empty without the discussion.
 */
export async function exportXlsx(
  map: JourneyMap,
  discussion: Discussion | null,
  figures?: ReadonlyMap<string, RowFigures>,
  annotations?: MapAnnotations,
  exportedAt: Date = new Date(0),
): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'JourneyHub';
  workbook.lastModifiedBy = 'JourneyHub';
  workbook.title = map.meta.title;
  workbook.subject = map.meta.persona;
  workbook.created = exportedAt;
  workbook.modified = exportedAt;

  const touchpoints = touchpointRows(map, discussion, figures).map((row) =>
    ROW_COLUMNS.map((column): SheetValue => {
      const value: RowValue = row[column];
      return typeof value === 'string' && UNESCAPED_ON_IMPORT.test(value) ? `'${value}` : value;
    }),
  );
  const touchpointSheet = addSheet(workbook, SHEET_NAMES.touchpoints, ROW_COLUMNS, touchpoints);
  touchpointSheet.getColumn('painPoints').alignment = { wrapText: true, vertical: 'top' };

  const stages = annotations ?? annotateMap(map, discussion ?? undefined);
  const measured = stages.stages.some((stage) => stage.measured !== undefined);
  addSheet(workbook, SHEET_NAMES.stages, measured ? [...STAGE_COLUMNS, ...STAGE_MEASURED_COLUMNS] : STAGE_COLUMNS, stageRows(stages, discussion !== null, measured), { hubCoverage: '0%' });

  addSheet(workbook, SHEET_NAMES.actions, ACTION_COLUMNS, actionRows(map));

  const written = await workbook.xlsx.writeBuffer();
  const bytes = new Uint8Array(written as unknown as Uint8Array);
  stampZipTimes(bytes, exportedAt);
  return bytes;
}

// ---------------------------------------------------------------------------
// The zip, read as JSZip (exceljs's unzipper) reads it, to bound what it inflates

const SIGNATURE = { local: 0x04034b50, central: 0x02014b50, end: 0x06054b50, zip64End: 0x06064b50, zip64Locator: 0x07064b50 } as const;

interface ZipEntry {
  /** Where the entry's central directory record starts. */
  central: number;
  /** Where its local header starts. */
  local: number;
  /** 0 stored, 8 deflated. */
  method: number;
  /** Where its data starts, and how many bytes it has. */
  start: number;
  compressedSize: number;
  uncompressedSize: number;
}

class ZipDamaged extends Error {}

class ZipReader {
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private check(at: number, size: number): void {
    if (!Number.isSafeInteger(at) || at < 0 || at + size > this.bytes.length) throw new ZipDamaged('it ends too early');
  }

  u16(at: number): number {
    this.check(at, 2);
    return this.view.getUint16(at, true);
  }

  u32(at: number): number {
    this.check(at, 4);
    return this.view.getUint32(at, true);
  }

  /** A 64-bit field, which JSZip reads right only below 2^31: larger is refused. */
  u64(at: number): number {
    const low = this.u32(at);
    if (this.u32(at + 4) !== 0 || low >= 2 ** 31) throw new ZipDamaged('it declares sizes beyond 2 GiB');
    return low;
  }

  /** A 32-bit size or offset; JSZip reads those of 2^31 and above as negative numbers, so they are refused. */
  size32(at: number): number {
    const value = this.u32(at);
    if (value >= 2 ** 31 && value !== 0xffffffff) throw new ZipDamaged('it declares sizes beyond 2 GiB');
    return value;
  }

  is(at: number, signature: number): boolean {
    return at >= 0 && at + 4 <= this.bytes.length && this.view.getUint32(at, true) === signature;
  }

  lastIndexOf(signature: number): number {
    for (let at = this.bytes.length - 4; at >= 0; at -= 1) if (this.view.getUint32(at, true) === signature) return at;
    return -1;
  }
}

/**
 * The entries of a zip as JSZip 3 finds them (lib/zipEntries.js, zipEntry.js):
 * the last end-of-central-directory record anywhere in the file, ZIP64 when
 * one of its fields says so, data prepended to the archive allowed for, every
 * central directory record in a row, each entry's data after its local
 * header; exactly as many as the end record says, else the zip is refused
 * as damaged. null when the file has no end record: it is no zip.
 */
function zipEntries(bytes: Uint8Array): ZipEntry[] | null {
  const zip = new ZipReader(bytes);
  const end = zip.lastIndexOf(SIGNATURE.end);
  if (end < 0) return null;
  const sentinel16 = [4, 6, 8, 10].some((offset) => zip.u16(end + offset) === 0xffff);
  let centralSize = zip.size32(end + 12);
  let centralOffset = zip.size32(end + 16);
  let records = zip.u16(end + 10);
  let expectedEnd: number;
  if (sentinel16 || centralSize === 0xffffffff || centralOffset === 0xffffffff) {
    const locator = zip.lastIndexOf(SIGNATURE.zip64Locator);
    if (locator < 0) throw new ZipDamaged('its ZIP64 end record is missing');
    if (zip.u32(locator + 16) > 1) throw new ZipDamaged('it spans several volumes');
    let record = zip.u64(locator + 8);
    if (!zip.is(record, SIGNATURE.zip64End)) record = zip.lastIndexOf(SIGNATURE.zip64End);
    if (record < 0) throw new ZipDamaged('its ZIP64 end record is missing');
    const recordSize = zip.u64(record + 4);
    records = zip.u64(record + 32);
    centralSize = zip.u64(record + 40);
    centralOffset = zip.u64(record + 48);
    expectedEnd = centralOffset + centralSize + 20 + 12 + recordSize;
  } else {
    expectedEnd = centralOffset + centralSize;
  }
  if (expectedEnd > end) throw new ZipDamaged('its central directory is cut short');
  const zero = end - expectedEnd;
  if (records > MAX_XLSX_ZIP_ENTRIES) throw new ImportError(`The workbook's zip has ${records.toLocaleString('en-US')} entries; an import reads at most ${MAX_XLSX_ZIP_ENTRIES.toLocaleString('en-US')}`, []);

  const entries: ZipEntry[] = [];
  for (let at = zero + centralOffset; zip.is(at, SIGNATURE.central); ) {
    if (entries.length >= records) throw new ZipDamaged('its central directory holds more entries than it says');
    if ((zip.u16(at + 8) & 1) === 1) throw new ZipDamaged('it is encrypted');
    const method = zip.u16(at + 10);
    let compressedSize = zip.size32(at + 20);
    let uncompressedSize = zip.size32(at + 24);
    const nameLength = zip.u16(at + 28);
    const extraLength = zip.u16(at + 30);
    const commentLength = zip.u16(at + 32);
    let local = zip.size32(at + 42);
    // The extra fields, the last of an id winning; ZIP64's (id 1) holds the 64-bit sizes and offset that are 0xffffffff above.
    let zip64Field: number | null = null;
    let zip64Length = 0;
    const extraEnd = at + 46 + nameLength + extraLength;
    for (let field = at + 46 + nameLength; field + 4 < extraEnd; ) {
      const length = zip.u16(field + 2);
      if (zip.u16(field) === 1) {
        zip64Field = field + 4;
        zip64Length = length;
      }
      field += 4 + length;
    }
    if (zip64Field !== null) {
      let next = zip64Field;
      const read64 = (): number => {
        if (next + 8 > zip64Field + zip64Length) throw new ZipDamaged('a ZIP64 field is cut short');
        const value = zip.u64(next);
        next += 8;
        return value;
      };
      if (uncompressedSize === 0xffffffff) uncompressedSize = read64();
      if (compressedSize === 0xffffffff) compressedSize = read64();
      if (local === 0xffffffff) local = read64();
    }
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff || local === 0xffffffff) throw new ZipDamaged('an entry lacks its ZIP64 sizes');
    if (method !== 0 && method !== 8) throw new ZipDamaged(`an entry is packed with method ${method}, neither stored nor deflated`);
    const header = zero + local;
    if (!zip.is(header, SIGNATURE.local)) throw new ZipDamaged('an entry has no local header');
    const start = header + 30 + zip.u16(header + 26) + zip.u16(header + 28);
    if (start + compressedSize > bytes.length) throw new ZipDamaged('an entry runs past the end of the file');
    entries.push({ central: at, local: header, method, start, compressedSize, uncompressedSize });
    at = extraEnd + commentLength;
  }
  // JSZip takes what it finds; what this reader finds must be what the zip says it has, or the two may not see the same entries.
  if (entries.length !== records) throw new ZipDamaged(`its central directory says ${records} entries and holds ${entries.length}`);
  return entries;
}

/** How many bytes raw deflate data inflates to, counting at most `limit + 1`; null when this runtime cannot inflate raw deflate. */
async function inflatedSize(data: Uint8Array, limit: number): Promise<number | null> {
  let stream: DecompressionStream;
  try {
    stream = new DecompressionStream('deflate-raw');
  } catch {
    return null;
  }
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  // Fed a little at a time, so that one write never inflates into more than a few MiB, and stopped at the limit.
  const feeding = (async () => {
    const step = 4096;
    for (let at = 0; at < data.length; at += step) {
      await writer.ready;
      await writer.write(data.slice(at, at + step));
    }
    await writer.close();
  })();
  feeding.catch(() => undefined);
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return size;
    }
  }
  await feeding;
  return size;
}

/** Refuses a zip that would unpack to more than MAX_XLSX_UNPACKED_BYTES, whatever sizes it declares. */
async function checkUnpackedSize(entries: readonly ZipEntry[], bytes: Uint8Array): Promise<void> {
  const tooBig = () => new ImportError(`The workbook unpacks to more than ${MAX_XLSX_UNPACKED_BYTES / 1024 / 1024} MiB; an import unpacks at most that much`, []);
  let declared = 0;
  for (const entry of entries) declared += Math.max(entry.uncompressedSize, entry.method === 0 ? entry.compressedSize : 0);
  if (declared > MAX_XLSX_UNPACKED_BYTES) throw tooBig();
  let unpacked = 0;
  for (const entry of entries) {
    if (entry.method === 0) {
      unpacked += entry.compressedSize;
      continue;
    }
    let size: number | null;
    try {
      size = await inflatedSize(bytes.subarray(entry.start, entry.start + entry.compressedSize), Math.min(entry.uncompressedSize, MAX_XLSX_UNPACKED_BYTES - unpacked));
    } catch {
      throw new ZipDamaged('an entry does not inflate');
    }
    // Without raw inflate (Node before 20.12), the declared sizes are all there is to go by.
    if (size === null) return;
    if (size > entry.uncompressedSize) throw new ZipDamaged('an entry inflates to more than it declares');
    unpacked += size;
    if (unpacked > MAX_XLSX_UNPACKED_BYTES) throw tooBig();
  }
}

/** Sets every entry's modification time (MS-DOS, UTC) to `at`, which JSZip stamps with the time of writing. */
function stampZipTimes(bytes: Uint8Array, at: Date): void {
  const entries = zipEntries(bytes);
  if (!entries) throw new Error('exceljs wrote no zip');
  const clamped = new Date(Math.min(Math.max(at.getTime(), Date.UTC(1980, 0, 1)), Date.UTC(2107, 11, 31, 23, 59, 58)));
  const time = (clamped.getUTCHours() << 11) | (clamped.getUTCMinutes() << 5) | (clamped.getUTCSeconds() >> 1);
  const date = ((clamped.getUTCFullYear() - 1980) << 9) | ((clamped.getUTCMonth() + 1) << 5) | clamped.getUTCDate();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const entry of entries) {
    for (const field of [entry.central + 12, entry.local + 10]) {
      view.setUint16(field, time, true);
      view.setUint16(field + 2, date, true);
    }
  }
}

// ---------------------------------------------------------------------------
// Import

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** 'YYYY-MM-DD' of a date cell (exceljs reads them as UTC). */
function isoDate(value: Date): string {
  return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
}

/** A cell's value as the text a person sees in it (less number formats): never a formula's evaluation. */
function plainText(value: unknown, formula: () => string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return isoDate(value);
  if (!isRecord(value)) return '';
  if (Array.isArray(value.richText)) return value.richText.map((run: unknown) => (isRecord(run) && typeof run.text === 'string' ? run.text : '')).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    // The result the spreadsheet saved, else the formula itself as text.
    return value.result === undefined || value.result === null ? `=${formula()}` : plainText(value.result, () => '');
  }
  if (typeof value.error === 'string') return value.error;
  if ('hyperlink' in value) return plainText(value.text, () => '');
  return '';
}

function cellText(cell: ExcelJS.Cell): string {
  return plainText(cell.value, () => cell.formula ?? '');
}

async function loadWorkbook(data: Uint8Array): Promise<ExcelJS.Workbook> {
  if (data.byteLength > MAX_XLSX_BYTES) {
    throw new ImportError(`The file is ${(data.byteLength / 1024 / 1024).toFixed(1)} MiB; an XLSX import takes at most ${MAX_XLSX_BYTES / 1024 / 1024} MiB`, []);
  }
  if (data.byteLength === 0) throw new ImportError('The file is empty: an XLSX workbook holds a header row and a row per touchpoint', []);
  const notXlsx = (why: string) => new ImportError(`The file is not an XLSX workbook: ${why}. Save it from the spreadsheet as "Excel Workbook (.xlsx)"`, []);
  // An OLE2 compound file: Excel 97-2003's .xls, or an .xlsx encrypted with a password.
  if (data.byteLength >= 8 && [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1].every((byte, index) => data[index] === byte)) {
    throw notXlsx('it is an Excel 97-2003 workbook (.xls) or one protected with a password');
  }
  try {
    const entries = zipEntries(data);
    if (!entries) throw notXlsx('it is not a zip archive, as an .xlsx file is');
    await checkUnpackedSize(entries, data);
  } catch (error) {
    if (error instanceof ZipDamaged) throw notXlsx(`its zip archive is damaged (${error.message})`);
    throw error;
  }
  const workbook = new ExcelJS.Workbook();
  try {
    // Parts the rows do not need are skipped: less work, less to go wrong.
    await workbook.xlsx.load(data as unknown as Parameters<ExcelJS.Xlsx['load']>[0], { ignoreNodes: ['dataValidations', 'conditionalFormatting', 'hyperlinks', 'extLst', 'drawing', 'picture', 'tableParts'] });
  } catch (error) {
    throw notXlsx(`exceljs could not read it (${error instanceof Error ? error.message : String(error)})`);
  }
  return workbook;
}

/**
 * The first worksheet's rows as the texts of their cells, the header first:
 * rows[i] is the spreadsheet's row i + 1 (an empty row is []), a row as long as
 * its last cell with a value, '' for an empty cell. Rich text is its plain text,
 * a number String(number), a date 'YYYY-MM-DD', a formula the result the file
 * saved with it (else "=" and the formula; nothing is ever evaluated), a
 * merged range its value in every cell it covers.
 */
export async function readXlsxRows(data: Uint8Array): Promise<string[][]> {
  const workbook = await loadWorkbook(data);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new ImportError('The file has no worksheet (a zip of something else, or a workbook of chart sheets only): the first worksheet should hold a header row and a row per touchpoint', []);
  const rows: string[][] = [];
  let filled = 0;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: false }, (cell, column) => {
      const text = cellText(cell);
      if (text === '') return;
      if (column > MAX_XLSX_COLUMNS) {
        const message = `Row ${rowNumber} has a value in column ${column}; a file takes at most ${MAX_XLSX_COLUMNS} columns`;
        throw new ImportError(message, [{ row: rowNumber, message }]);
      }
      cells[column - 1] = text;
    });
    if (cells.length === 0) return;
    if (++filled > MAX_XLSX_DATA_ROWS + 1) {
      throw new ImportError(`The sheet has more than ${MAX_XLSX_DATA_ROWS.toLocaleString('en-US')} rows of touchpoints; a file takes at most ${MAX_XLSX_DATA_ROWS.toLocaleString('en-US')} rows`, []);
    }
    if (rowNumber > MAX_XLSX_ROWS) {
      throw new ImportError(`The sheet has values in row ${rowNumber.toLocaleString('en-US')}, past ${MAX_XLSX_ROWS.toLocaleString('en-US')} rows, most of them blank; a file takes at most ${MAX_XLSX_DATA_ROWS.toLocaleString('en-US')} rows of touchpoints`, []);
    }
    rows[rowNumber - 1] = Array.from(cells, (text) => text ?? '');
  });
  return Array.from(rows, (row) => row ?? []);
}

/** The first worksheet as a journey, its columns read as for CSV (journeyFromRows). */
export async function importXlsx(data: Uint8Array, options: { title: string; mapping?: ColumnMapping }): Promise<ImportedJourney> {
  return journeyFromRows(await readXlsxRows(data), options);
}
