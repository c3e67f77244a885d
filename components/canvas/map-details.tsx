'use client';

import { useEffect, useRef, useState } from 'react';
import type * as Y from 'yjs';
import { MAP_TITLE_MAX, PERSONA_MAX, mapTitleProblem, personaProblem } from '../../lib/journey/field-messages';
import type { EditOrigin } from '../../lib/journey/origin';
import { setPersona } from '../../lib/journey/schema';
import { callApi } from '../ui/api';

export interface MapTitleProps {
  mapId: string;
  title: string;
  canEdit: boolean;
  onError: (message: string) => void;
}

/**
 * The map's title in the workspace header; a click puts it in edit (owners
 * and editors). It is saved through PATCH /api/maps/:id, which renames the
 * map's record (the maps list, the report, the history) and the title in the
 * map document together, live for everyone on the map; writing the document
 * alone would leave the record behind.
 */
export function MapTitle({ mapId, title, canEdit, onError }: MapTitleProps) {
  const [draft, setDraft] = useState<string | null>(null);
  // Shown from Enter until the document's title changes: the new title arrives through the document,
  // sometimes a moment after the request has answered.
  const [saving, setSaving] = useState<{ value: string; from: string } | null>(null);

  const save = async (value: string) => {
    setDraft(null);
    const next = value.trim();
    if (next === title) return;
    const problem = mapTitleProblem(next);
    if (problem) return onError(problem);
    setSaving({ value: next, from: title });
    try {
      await callApi(`/api/maps/${mapId}`, 'PATCH', { title: next });
    } catch (error) {
      setSaving(null);
      onError(`Couldn't rename the map: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const shown = saving !== null && title === saving.from ? saving.value : title;
  if (!canEdit) {
    return (
      <h1 className="max-w-[28ch] min-w-0 truncate font-semibold text-slate-900" title={shown} data-testid="map-title">
        {shown}
      </h1>
    );
  }
  if (draft !== null) {
    return (
      <input
        autoFocus
        onFocus={(e) => e.currentTarget.select()}
        value={draft}
        maxLength={MAP_TITLE_MAX}
        aria-label="Map title"
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => void save(draft)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') e.currentTarget.blur();
          if (e.key === 'Escape') setDraft(null);
        }}
        className="w-[28ch] min-w-0 rounded border border-indigo-400 px-1.5 py-0.5 font-semibold text-slate-900 focus:outline-none"
      />
    );
  }
  return (
    // The title gives way (truncated) before anything else in the header's one row.
    <h1 className="max-w-[28ch] min-w-0" data-testid="map-title">
      <button
        type="button"
        onClick={() => setDraft(shown)}
        title="Rename the map"
        aria-label={`Map title: ${shown}. Click to rename`}
        className="block max-w-full truncate rounded px-1 text-left font-semibold text-slate-900 hover:bg-slate-100"
      >
        {shown}
      </button>
    </h1>
  );
}

export interface MapDetailsProps {
  mapDoc: Y.Doc;
  origin: EditOrigin;
  persona: string;
  onError: (message: string) => void;
}

/**
 * The map's details beyond its title: the persona whose journey it is (shown
 * on the report). Owners and editors; saved into the map document as one
 * undoable change of the person.
 */
export function MapDetails({ mapDoc, origin, persona, onError }: MapDetailsProps) {
  const [draft, setDraft] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (draft === null) return;
    const close = (event: PointerEvent) => {
      if (!(event.target instanceof Node) || !box.current?.contains(event.target)) setDraft(null);
    };
    window.addEventListener('pointerdown', close, true);
    return () => window.removeEventListener('pointerdown', close, true);
  }, [draft]);

  const save = () => {
    if (draft === null) return;
    const problem = personaProblem(draft);
    if (problem) return onError(problem);
    try {
      setPersona(mapDoc, draft.trim(), origin);
      setDraft(null);
    } catch {
      onError("Couldn't save the persona. Try again; if it keeps failing, reload the map.");
    }
  };

  return (
    <div ref={box} className="relative shrink-0">
      <button
        type="button"
        aria-expanded={draft !== null}
        onClick={() => setDraft((d) => (d === null ? persona : null))}
        aria-label="Map details"
        title="Map details: who the journey is about (persona)"
        className="grid h-7 w-7 place-items-center rounded-md text-slate-600 hover:bg-slate-100 hover:text-slate-900"
      >
        <svg viewBox="0 0 16 16" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth={1.5} aria-hidden>
          <circle cx="8" cy="8" r="6.5" />
          <path d="M8 7.2v4M8 4.6v.1" strokeLinecap="round" />
        </svg>
      </button>
      {draft !== null ? (
        <div
          role="dialog"
          aria-label="Map details"
          className="absolute top-9 left-0 z-50 w-[360px] space-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-xl"
          onKeyDown={(e) => {
            // Typing here is not a canvas shortcut.
            e.stopPropagation();
            if (e.key === 'Escape') setDraft(null);
          }}
        >
          <label className="block font-medium text-slate-900" htmlFor="map-persona">
            Persona
          </label>
          <p className="text-slate-600">Whose journey is this? It heads the report.</p>
          <textarea
            id="map-persona"
            autoFocus
            rows={4}
            value={draft}
            maxLength={PERSONA_MAX}
            placeholder="e.g. Maya, 34, works from home, switching broadband after a move"
            onChange={(e) => setDraft(e.target.value)}
            className="w-full rounded border border-slate-300 px-2 py-1.5 focus:border-indigo-400 focus:outline-none"
          />
          <div className="flex items-center justify-between">
            <span className="text-xs text-slate-500 tabular-nums">
              {draft.length} / {PERSONA_MAX} characters
            </span>
            <span className="flex gap-2">
              <button type="button" onClick={() => setDraft(null)} className="rounded-md px-3 py-1.5 text-slate-700 hover:bg-slate-100">
                Cancel
              </button>
              <button type="button" onClick={save} className="rounded-md bg-indigo-600 px-3 py-1.5 font-semibold text-white hover:bg-indigo-700">
                Save
              </button>
            </span>
          </div>
        </div>
      ) : null}
    </div>
  );
}
