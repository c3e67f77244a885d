'use client';

import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import type { ExportFormat } from '../../lib/exchange/formats';
import type { ImageFormat, ImageScope } from './canvas-image';

const PAGES: Array<[string, string, string]> = [
  ['report', 'Annotations report', 'pain, ownership and contacts per stage'],
  ['history', 'Version history', 'named versions, restore'],
  ['workshops', 'Workshops', 'copies of this map, review and merge'],
  ['members', 'Members', 'who is on the map, roles, audit log'],
];

const DOWNLOADS: Array<[ExportFormat, string, string]> = [
  ['json', 'JSON', 'the whole map, to import again'],
  ['csv', 'CSV', 'a touchpoint a row, for a spreadsheet'],
  ['xlsx', 'Excel', 'touchpoints, stage annotations and actions'],
  ['mermaid', 'Mermaid', 'a journey diagram for docs and wikis'],
  ['pdf', 'PDF', 'the report, to print or send'],
];

/**
 * The map's other pages, its downloads and (for editors) "Tidy up", one
 * button in the toolbar: at 1280 px the toolbar keeps to one row in every state.
 */
export function MapPagesMenu({
  mapId,
  onImage,
  onTidyUp,
  onImportFile,
}: {
  mapId: string;
  onImage?: (format: ImageFormat, scope: ImageScope) => void;
  onTidyUp?: () => void;
  /** Only while the map has no touchpoints: a file comes into an empty map. */
  onImportFile?: () => void;
}) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('pointerdown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);
  return (
    <div ref={root} className="relative">
      <button
        type="button"
        aria-expanded={open}
        aria-controls="map-pages"
        title="This map's report, history, workshops and members; download it; tidy it up"
        onClick={() => setOpen((was) => !was)}
        className={`rounded-md px-2 py-1.5 text-sm whitespace-nowrap ${open ? 'bg-slate-900 text-white' : 'text-slate-700 hover:bg-slate-100'}`}
      >
        Map ▾
      </button>
      {open ? (
        <nav id="map-pages" aria-label="This map's pages" className="absolute top-full right-0 z-30 mt-1 w-72 rounded-lg border border-slate-200 bg-white py-1 shadow-lg">
          {PAGES.map(([path, label, what]) => (
            <Link key={path} href={`/maps/${mapId}/${path}`} className="block px-3 py-2 hover:bg-slate-50">
              <span className="block text-sm font-medium text-slate-900">{label}</span>
              <span className="block text-xs text-slate-600">{what}</span>
            </Link>
          ))}
          <div role="group" aria-label="Downloads" className="mt-1 border-t border-slate-100 pt-1">
            <p className="px-3 pt-1 pb-0.5 text-xs font-semibold tracking-wide text-slate-500 uppercase">Download</p>
            {DOWNLOADS.map(([format, label, what]) => (
              <a key={format} href={`/api/maps/${mapId}/export?format=${format}`} download onClick={() => setOpen(false)} className="block px-3 py-1.5 hover:bg-slate-50">
                <span className="text-sm font-medium text-slate-900">{label}</span> <span className="text-xs text-slate-600">{what}</span>
              </a>
            ))}
            {onImage
              ? (['png', 'svg'] as const).map((format) => (
                  <div key={format} className="flex items-baseline gap-2 px-3 py-1.5">
                    <span className="text-sm font-medium text-slate-900">{format.toUpperCase()}</span>
                    {(
                      [
                        ['map', 'whole map'],
                        ['view', 'current view'],
                      ] as const
                    ).map(([scope, label]) => (
                      <button
                        key={scope}
                        type="button"
                        aria-label={`${format.toUpperCase()} picture of the ${label}`}
                        onClick={() => {
                          setOpen(false);
                          onImage(format, scope);
                        }}
                        className="rounded px-1 text-xs text-indigo-700 underline-offset-2 hover:underline"
                      >
                        {label}
                      </button>
                    ))}
                  </div>
                ))
              : null}
          </div>
          {onImportFile ? (
            <MenuAction
              label="Import a file into this map…"
              hint="Excel, CSV, JSON or Mermaid: its stages and cards replace the empty ones; one undo takes it back"
              onClick={() => {
                setOpen(false);
                onImportFile();
              }}
            />
          ) : null}
          {onTidyUp ? (
            <MenuAction
              label="Tidy up the layout"
              hint="each stage's cards in a column, no overlaps; one undo puts them back"
              onClick={() => {
                setOpen(false);
                onTidyUp();
              }}
            />
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}

/** A change to the map from the menu, set apart from the pages and downloads above it. */
function MenuAction({ label, hint, onClick }: { label: string; hint: string; onClick: () => void }) {
  return (
    <div className="mt-1 border-t border-slate-100 pt-1">
      <button type="button" onClick={onClick} className="block w-full px-3 py-2 text-left hover:bg-slate-50">
        <span className="block text-sm font-medium text-slate-900">{label}</span>
        <span className="block text-xs text-slate-600">{hint}</span>
      </button>
    </div>
  );
}
