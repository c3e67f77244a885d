import { FORMAT_INFO, EXPORT_FORMATS } from '../../lib/exchange/formats';

const SHORT: Record<(typeof EXPORT_FORMATS)[number], string> = { json: 'JSON', csv: 'CSV', xlsx: 'Excel', mermaid: 'Mermaid', pdf: 'PDF' };

/** The map's downloads beside the report's print button: the same files as the canvas's "Map ▾" menu. */
export function DownloadLinks({ mapId }: { mapId: string }) {
  return (
    <nav aria-label="Downloads" className="flex items-center gap-1 text-sm print:hidden">
      <span className="text-slate-600">Download</span>
      {EXPORT_FORMATS.map((format) => (
        <a key={format} href={`/api/maps/${mapId}/export?format=${format}`} download title={FORMAT_INFO[format].label} className="rounded-md px-2 py-1 font-medium text-indigo-700 hover:bg-indigo-50">
          {SHORT[format]}
        </a>
      ))}
    </nav>
  );
}
