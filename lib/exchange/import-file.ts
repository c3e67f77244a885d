import type { Discussion, JourneyMap } from '../journey/types';
import { importCsv } from './csv';
import type { ImportFormat } from './formats';
import { ImportError } from './import-error';
import { buildMap } from './imported-journey';
import { importJson } from './json';
import { importMermaid } from './mermaid';
import type { ColumnMapping } from './touchpoint-rows';

export const DEFAULT_IMPORTED_TITLE = 'Imported journey';

/**
 * A file of any import format as the plain model of a map (and, for JSON, its
 * discussion): what the import route and the canvas's "into this map" both
 * read. An ImportError says what is wrong, by row or path.
 */
export async function importFile(
  format: ImportFormat,
  data: Uint8Array,
  options: { title: string | null; mapping?: ColumnMapping },
): Promise<{ map: JourneyMap; discussion: Discussion | null }> {
  const title = options.title ?? DEFAULT_IMPORTED_TITLE;
  const mapping = options.mapping ? { mapping: options.mapping } : {};
  switch (format) {
    case 'json':
      return importJson(utf8(data));
    case 'csv':
      return { map: buildMap(importCsv(utf8(data), { title, ...mapping })), discussion: null };
    case 'mermaid':
      // A Mermaid file names its own title; one given wins.
      return { map: buildMap(importMermaid(utf8(data), options.title ? { title: options.title } : {})), discussion: null };
    case 'xlsx': {
      // exceljs (about 1 MB in a browser) comes with the first workbook.
      const { importXlsx } = await import('./xlsx');
      return { map: buildMap(await importXlsx(data, { title, ...mapping })), discussion: null };
    }
  }
}

/** UTF-8, strictly: a file in another encoding would come in as mojibake, so it is refused with a sentence instead. */
function utf8(data: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    throw new ImportError('The file is not UTF-8 text: save it as UTF-8 (in Excel: "CSV UTF-8") and import it again', []);
  }
}
