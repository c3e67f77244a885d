import Papa from 'papaparse';
import type { Discussion, JourneyMap } from '../journey/types';
import { ImportError } from './import-error';
import { ROW_COLUMNS, journeyFromRows, touchpointRows, type ColumnMapping, type RowFigures } from './touchpoint-rows';
import type { ImportedJourney } from './imported-journey';

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

/** The rows of a CSV file as cells; an ImportError for a file papaparse cannot read. */
export function readCsvRows(text: string): string[][] {
  const body = text.replace(/^\uFEFF/, '');
  const parsed = Papa.parse<string[]>(body, { header: false, skipEmptyLines: false, delimiter: headerDelimiter(body) });
  const fatal = parsed.errors.find((error) => error.type === 'Quotes');
  if (fatal) {
    const row = typeof fatal.row === 'number' ? fatal.row + 1 : null;
    throw new ImportError(`${row === null ? 'The file' : `Row ${row}`}: ${fatal.message}`, [{ row, message: fatal.message }]);
  }
  return parsed.data;
}

export function importCsv(text: string, options: { title: string; mapping?: ColumnMapping }): ImportedJourney {
  return journeyFromRows(readCsvRows(text), options);
}
