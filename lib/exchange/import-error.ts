/**
 * Why a file could not be imported: a sentence, and what is wrong where
 * (a row or line of a CSV, XLSX or Mermaid file by its number; a place in a
 * JSON file by its path). Nothing of such a file is ever applied.
 */
export interface ImportProblem {
  /** The row as a spreadsheet numbers it (the header is row 1, the first touchpoint row 2), or the line of a Mermaid file; null when the problem is not a row's. */
  row: number | null;
  /** Where in a JSON file, as a path (e.g. "map.touchpoints.tp-1.label"). */
  path?: string;
  message: string;
}

export class ImportError extends Error {
  constructor(
    message: string,
    readonly details: ImportProblem[],
  ) {
    super(message);
    this.name = 'ImportError';
  }
}
