import { ImportError } from '../../lib/exchange/import-error';
import { importFormatOf } from '../../lib/exchange/formats';
import { importFile } from '../../lib/exchange/import-file';
import { MAX_IMPORT_BODY_BYTES } from '../../lib/http/same-origin';
import type { JourneyMap } from '../../lib/journey/types';

/**
 * A file read in the browser as a map to pour into the open, empty one
 * (lib/exchange/fill-empty-map.ts): JSON as exported, a spreadsheet (CSV or
 * Excel, columns by the export's names) or Mermaid, by its extension. An
 * ImportError says what is wrong, the first rows' problems included.
 */
export async function readMapFile(file: File): Promise<JourneyMap> {
  if (file.size > MAX_IMPORT_BODY_BYTES) throw new ImportError(`${file.name} is ${(file.size / (1024 * 1024)).toFixed(1)} MiB; a file of at most ${MAX_IMPORT_BODY_BYTES / (1024 * 1024)} MiB comes in`, []);
  const title = file.name.replace(/\.[^.]+$/, '') || null;
  return (await importFile(importFormatOf(file.name), new Uint8Array(await file.arrayBuffer()), { title })).map;
}

/** An import's refusal as one line for the canvas's message: the sentence and the first problems by row. */
export function importRefusal(error: unknown): string {
  if (!(error instanceof ImportError)) return `The file could not be imported: ${error instanceof Error ? error.message : String(error)}`;
  const rows = error.details.slice(0, 3).map((p) => `${p.row !== null ? `row ${p.row}` : (p.path ?? '')}: ${p.message}`);
  return [error.message, ...rows].join(' · ');
}
