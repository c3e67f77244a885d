import Papa from 'papaparse';
import type { Discussion, JourneyMap } from '../journey/types';
import { ImportError } from './import-error';
import { ROW_COLUMNS, journeyFromRows, touchpointRows, type ColumnMapping, type TouchpointFigures } from './touchpoint-rows';
import type { ImportedJourney } from './imported-journey';

/**
 * CSV (RFC 4180, comma, CRLF) with papaparse, which quotes what needs it and
 * reads quoted commas, quotes and line breaks back. A text a spreadsheet
 * would run as a formula (=, +, -, @, tab, CR first) is written with a
 * leading apostrophe (papaparse's escapeFormulae), and read back without it.
 * A BOM goes first so that Excel reads the file as UTF-8.
 */
export function exportCsv(map: JourneyMap, discussion: Discussion | null, figures?: ReadonlyMap<string, TouchpointFigures>): string {
  const rows = touchpointRows(map, discussion, figures);
  const body = Papa.unparse({ fields: [...ROW_COLUMNS], data: rows.map((row) => ROW_COLUMNS.map((column) => row[column] ?? '')) }, { escapeFormulae: true, newline: '\r\n' });
  return `\uFEFF${body}\r\n`;
}

/** The rows of a CSV file as cells; an ImportError for a file papaparse cannot read. */
export function readCsvRows(text: string): string[][] {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { header: false, skipEmptyLines: false, delimiter: '' });
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
