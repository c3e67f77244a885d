import Papa from 'papaparse';
import type { Discussion, JourneyMap } from '../journey/types';
import { ImportError } from './import-error';
import { ROW_COLUMNS, journeyFromRows, touchpointRows, type ColumnMapping, type RowFigures } from './touchpoint-rows';
import { MAX_IMPORTED_COLUMNS, MAX_IMPORTED_TOUCHPOINTS, type ImportedJourney } from './imported-journey';

/**
 * CSV (RFC 4180, comma, CRLF) with papaparse, which quotes what needs it and
 * reads quoted commas, quotes and line breaks back. A text a spreadsheet
 * would run as a formula (=, +, -, @, tab, CR first) is written with a
 * leading apostrophe (papaparse's escapeFormulae), and read back without it;
 * so is a text that starts with apostrophes before such a character.
 * A BOM goes first so that Excel reads the file as UTF-8.
 */
/** What a spreadsheet runs as a formula, and a text that already starts with our escape (so that it survives the round trip). */
const FORMULA_LIKE = /^'*[=+\-@\t\r]/;

export function exportCsv(map: JourneyMap, discussion: Discussion | null, figures?: ReadonlyMap<string, RowFigures>): string {
  const rows = touchpointRows(map, discussion, figures);
  const body = Papa.unparse({ fields: [...ROW_COLUMNS], data: rows.map((row) => ROW_COLUMNS.map((column) => row[column] ?? '')) }, { escapeFormulae: FORMULA_LIKE, newline: '\r\n' });
  return `\uFEFF${body}\r\n`;
}

/**
 * The delimiter, from the header line alone: a comma (ours, and the
 * standard), or the semicolon or tab of a spreadsheet saved in a locale whose
 * decimal mark is the comma. Guessing from the rows (papaparse's own way) can
 * take a semicolon in a cell's text for the delimiter.
 */
function headerDelimiter(text: string): string {
  const header = text.slice(0, text.search(/\r?\n|$/));
  const count = (character: string) => header.split(character).length - 1;
  const [best] = [',', ';', '\t'].sort((a, b) => count(b) - count(a));
  return best && count(best) > 0 ? best : ',';
}

/** A file may hold as many blank rows as touchpoint rows; past that it is no journey but padding. */
const MAX_ROWS_READ = 2 * MAX_IMPORTED_TOUCHPOINTS + 1;

/**
 * The rows of a CSV file as cells; an ImportError for a file papaparse cannot
 * read, and for one past the limits, found row by row as it is read (10 MiB of
 * line breaks would otherwise be ten million rows in memory).
 */
export function readCsvRows(text: string): string[][] {
  const body = text.replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let filled = 0;
  let refusal: string | null = null;
  let quotes: { row: number; message: string } | null = null;
  Papa.parse<string[]>(body, {
    header: false,
    skipEmptyLines: false,
    delimiter: headerDelimiter(body),
    step: (result, parser) => {
      const row = result.data;
      if (row.length > MAX_IMPORTED_COLUMNS) refusal = `Row ${rows.length + 1} has ${row.length.toLocaleString('en-US')} columns; a file takes at most ${MAX_IMPORTED_COLUMNS} columns`;
      else if (row.some((cell) => cell.trim() !== '') && ++filled > MAX_IMPORTED_TOUCHPOINTS + 1) refusal = `The file has more than ${MAX_IMPORTED_TOUCHPOINTS.toLocaleString('en-US')} rows of touchpoints; a file takes at most ${MAX_IMPORTED_TOUCHPOINTS.toLocaleString('en-US')} rows`;
      else if (rows.length >= MAX_ROWS_READ) refusal = `The file has more than ${MAX_ROWS_READ.toLocaleString('en-US')} rows, most of them blank; a file takes at most ${MAX_IMPORTED_TOUCHPOINTS.toLocaleString('en-US')} rows of touchpoints`;
      const unclosed = result.errors.find((error) => error.type === 'Quotes');
      if (unclosed && quotes === null) quotes = { row: rows.length + 1, message: unclosed.message };
      if (refusal !== null) parser.abort();
      else rows.push(row);
    },
  });
  if (refusal !== null) throw new ImportError(refusal, []);
  const fatal = quotes as { row: number; message: string } | null;
  if (fatal) throw new ImportError(`Row ${fatal.row}: ${fatal.message}`, [{ row: fatal.row, message: fatal.message }]);
  return rows;
}

export function importCsv(text: string, options: { title: string; mapping?: ColumnMapping }): ImportedJourney {
  return journeyFromRows(readCsvRows(text), options);
}
