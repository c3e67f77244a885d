/**
 * The exchange formats a map goes out and comes in as, and what an export is
 * sent with: its content type and a file name made of the map's title.
 */
export const EXPORT_FORMATS = ['json', 'csv', 'xlsx', 'mermaid', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const IMPORT_FORMATS = ['json', 'csv', 'xlsx', 'mermaid'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const FORMAT_INFO: Record<ExportFormat, { contentType: string; extension: string; label: string }> = {
  json: { contentType: 'application/json; charset=utf-8', extension: 'json', label: 'JSON (the whole map, to import again)' },
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv', label: 'CSV (a touchpoint a row)' },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx', label: 'Excel (touchpoints, stage annotations, actions)' },
  mermaid: { contentType: 'text/plain; charset=utf-8', extension: 'mmd', label: 'Mermaid journey' },
  pdf: { contentType: 'application/pdf', extension: 'pdf', label: 'PDF report (the map, annotations, gaps and actions)' },
};

/** The import format a file's name says: .json, .xlsx, .mmd or .mermaid; anything else is read as CSV. */
export function importFormatOf(fileName: string): ImportFormat {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.xlsx')) return 'xlsx';
  if (lower.endsWith('.mmd') || lower.endsWith('.mermaid')) return 'mermaid';
  return 'csv';
}

export const isExportFormat = (value: string): value is ExportFormat => (EXPORT_FORMATS as readonly string[]).includes(value);
export const isImportFormat = (value: string): value is ImportFormat => (IMPORT_FORMATS as readonly string[]).includes(value);

/** A file name's stem from the title: letters and digits of any script kept, the rest a dash; "journey-map" when nothing is left. */
export function fileStem(title: string): string {
  const stem = title
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return stem || 'journey-map';
}

export function exportFileName(title: string, format: ExportFormat): string {
  return `${fileStem(title)}.${FORMAT_INFO[format].extension}`;
}

/**
 * The Content-Disposition of a download (RFC 6266): an ASCII `filename` for
 * old clients and the UTF-8 one in `filename*` (RFC 5987), so that "Réclamations"
 * arrives as itself. Neither can carry a quote or a line break: the name is made of letters, digits, dashes and a dot.
 */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '') || 'journey-map';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
