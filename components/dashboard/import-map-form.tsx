'use client';

import { useRouter } from 'next/navigation';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { ImportError } from '../../lib/exchange/import-error';
import { readCsvRows } from '../../lib/exchange/csv';
import { importFormatOf, type ImportFormat } from '../../lib/exchange/formats';
import { IMPORTED_FIELDS, type ColumnMapping, type ImportedField } from '../../lib/exchange/touchpoint-rows';
import { MAX_IMPORT_BODY_BYTES } from '../../lib/http/same-origin';

const FIELD_LABELS: Record<ImportedField, string> = {
  stage: 'Stage',
  label: 'Touchpoint (label)',
  channel: 'Channel',
  owner: 'Owner (team)',
  externalKey: 'External key',
  emotion: 'Emotion (−2 to 2)',
  contactsEstimate: 'Contacts a month',
  painPoints: 'Pain points',
};

const PREVIEW_ROWS = 5;
const SHOWN_PROBLEMS = 12;

interface Problem {
  row: number | null;
  path?: string;
  message: string;
}


/** Each field from the column of its own name, as the export writes them, when the file has one. */
function defaultMapping(header: readonly string[]): Partial<Record<ImportedField, string>> {
  const mapping: Partial<Record<ImportedField, string>> = {};
  for (const field of IMPORTED_FIELDS) {
    const column = header.find((name) => name.trim().toLowerCase() === field.toLowerCase());
    if (column !== undefined) mapping[field] = column;
  }
  return mapping;
}

/**
 * A new map from a file: JSON as exported, Mermaid journey text, or a
 * spreadsheet's CSV, whose columns the person maps to the fields, seeing the
 * first rows as they will come in. The server checks every row again and
 * either makes the whole map or says which rows are wrong.
 */
export function ImportMapForm() {
  const router = useRouter();
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<ImportFormat>('csv');
  const [rows, setRows] = useState<string[][] | null>(null);
  const [mapping, setMapping] = useState<Partial<Record<ImportedField, string>>>({});
  const [title, setTitle] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);

  const header = rows?.[0] ?? [];
  const preview = useMemo(() => (rows ?? []).slice(1).filter((row) => row.some((cell) => cell.trim() !== '')).slice(0, PREVIEW_ROWS), [rows]);

  async function pick(picked: File | null) {
    setError(null);
    setProblems([]);
    setRows(null);
    setFile(null);
    if (!picked) return;
    if (picked.size > MAX_IMPORT_BODY_BYTES) {
      setError(`${picked.name} is ${(picked.size / (1024 * 1024)).toFixed(1)} MiB; a map can be imported from at most ${MAX_IMPORT_BODY_BYTES / (1024 * 1024)} MiB`);
      return;
    }
    const detected = importFormatOf(picked.name);
    setFile(picked);
    setFormat(detected);
    setTitle(picked.name.replace(/\.[^.]+$/, '').slice(0, 200));
    if (detected === 'csv' || detected === 'xlsx') await readColumns(picked, detected);
  }

  async function readColumns(picked: File, as: 'csv' | 'xlsx') {
    try {
      // exceljs (about 1 MB) is fetched only when a workbook is picked.
      const read = as === 'csv' ? readCsvRows(await picked.text()) : await (await import('../../lib/exchange/xlsx')).readXlsxRows(new Uint8Array(await picked.arrayBuffer()));
      setRows(read);
      setMapping(defaultMapping(read[0] ?? []));
    } catch (e) {
      setError(e instanceof ImportError ? e.message : `The file cannot be read as ${as === 'csv' ? 'CSV' : 'an Excel workbook'}: ${(e as Error).message}`);
    }
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setProblems([]);
    const query = new URLSearchParams({ format });
    if (title.trim() !== '') query.set('title', title.trim());
    if (format === 'csv' || format === 'xlsx') {
      // Null for a field left unmapped: the server must not fall back to a same-named column the person chose to leave out.
      const chosen: ColumnMapping = {};
      for (const field of IMPORTED_FIELDS) chosen[field] = mapping[field] ?? null;
      query.set('mapping', JSON.stringify(chosen));
    }
    try {
      const res = await fetch(`/api/maps/import?${query.toString()}`, { method: 'POST', headers: { 'content-type': file.type || 'application/octet-stream' }, body: file });
      const data = (await res.json().catch(() => null)) as { id?: string; error?: string; details?: Problem[] } | null;
      if (res.status === 201 && data?.id) {
        router.push(`/maps/${data.id}`);
        return;
      }
      setError(data?.error ?? `The server answered ${res.status}`);
      setProblems(Array.isArray(data?.details) ? data.details : []);
    } catch (e) {
      setError(`The file could not be sent: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  }

  const labelMapped = (format !== 'csv' && format !== 'xlsx') || mapping.label !== undefined;
  return (
    <form onSubmit={submit} aria-label="Import a map" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 className="text-sm font-semibold text-slate-900">Import a map from a file</h2>
      <p className="mt-0.5 text-xs text-slate-600">A spreadsheet (Excel or CSV, a touchpoint a row), a JourneyHub JSON export, or a Mermaid journey. Up to 10 MiB.</p>
      <div className="mt-3 flex flex-wrap items-end gap-3">
        <label className="flex flex-col text-sm font-medium text-slate-700">
          File
          <input
            type="file"
            accept=".csv,.tsv,.txt,.xlsx,.json,.mmd,.mermaid,text/csv,application/json"
            onChange={(event) => void pick(event.currentTarget.files?.[0] ?? null)}
            className="mt-1 text-sm font-normal file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:text-sm file:font-medium file:text-slate-800 hover:file:bg-slate-200"
          />
        </label>
        {file ? (
          <>
            <label className="flex flex-col text-sm font-medium text-slate-700">
              Format
              <select
                value={format}
                onChange={(event) => {
                  const next = event.currentTarget.value as ImportFormat;
                  setFormat(next);
                  setRows(null);
                  if (next === 'csv' || next === 'xlsx') void readColumns(file, next);
                }}
                className="mt-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-normal"
              >
                <option value="csv">CSV (a touchpoint a row)</option>
                <option value="xlsx">Excel workbook (.xlsx, its first sheet)</option>
                <option value="json">JourneyHub JSON</option>
                <option value="mermaid">Mermaid journey</option>
              </select>
            </label>
            <label className="flex min-w-56 flex-1 flex-col text-sm font-medium text-slate-700">
              Title of the new map
              <input value={title} maxLength={200} onChange={(event) => setTitle(event.currentTarget.value)} placeholder="the file's own title" className="mt-1 rounded-md border border-slate-300 px-3 py-2 text-sm font-normal" />
            </label>
          </>
        ) : null}
      </div>

      {file && (format === 'csv' || format === 'xlsx') && rows ? (
        <fieldset className="mt-4">
          <legend className="text-sm font-semibold text-slate-900">Which column holds what</legend>
          <div className="mt-2 grid grid-cols-2 gap-x-4 gap-y-2 sm:grid-cols-4">
            {IMPORTED_FIELDS.map((field) => (
              <label key={field} className="flex flex-col text-xs font-medium text-slate-700">
                {FIELD_LABELS[field]}
                {field === 'label' ? <span className="sr-only"> (required)</span> : null}
                <select
                  aria-label={FIELD_LABELS[field]}
                  value={mapping[field] ?? ''}
                  onChange={(event) => {
                    const column = event.currentTarget.value;
                    setMapping((was) => {
                      const next = { ...was };
                      if (column === '') delete next[field];
                      else next[field] = column;
                      return next;
                    });
                  }}
                  className={`mt-1 rounded-md border bg-white px-2 py-1.5 text-sm font-normal ${field === 'label' && mapping.label === undefined ? 'border-rose-400' : 'border-slate-300'}`}
                >
                  <option value="">{field === 'label' ? 'Choose a column…' : '(not in the file)'}</option>
                  {header.map((column, index) => (
                    <option key={`${column}-${index}`} value={column}>
                      {column || `(column ${index + 1})`}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </div>
          <div className="mt-3 overflow-x-auto">
            <table className="min-w-full text-left text-xs" aria-labelledby={`${id}-preview`}>
              <caption id={`${id}-preview`} className="pb-1 text-left text-xs font-semibold text-slate-700">
                The first {preview.length} of {Math.max(0, (rows?.length ?? 1) - 1)} rows, as they will come in
              </caption>
              <thead>
                <tr className="border-b border-slate-200 text-slate-600">
                  {IMPORTED_FIELDS.filter((field) => mapping[field] !== undefined).map((field) => (
                    <th key={field} className="px-2 py-1 font-medium">
                      {FIELD_LABELS[field]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.map((row, index) => (
                  <tr key={index} className="border-b border-slate-100 text-slate-800">
                    {IMPORTED_FIELDS.filter((field) => mapping[field] !== undefined).map((field) => (
                      <td key={field} className="max-w-56 truncate px-2 py-1" title={row[header.indexOf(mapping[field] ?? '')] ?? ''}>
                        {row[header.indexOf(mapping[field] ?? '')] ?? ''}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </fieldset>
      ) : null}

      {file ? (
        <div className="mt-4 flex items-center gap-3">
          <button type="submit" disabled={busy || !labelMapped} className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700 disabled:opacity-60">
            {busy ? 'Importing…' : 'Import as a new map'}
          </button>
          {!labelMapped ? <span className="text-xs text-rose-700">Choose the column that holds the touchpoints&apos; labels.</span> : null}
        </div>
      ) : null}

      {error ? (
        <div role="alert" className="mt-3 rounded-md border border-rose-200 bg-rose-50 p-3 text-sm text-rose-800">
          <p className="font-medium">{error}</p>
          {problems.length > 0 ? (
            <ul className="mt-1 list-disc pl-5">
              {problems.slice(0, SHOWN_PROBLEMS).map((problem, index) => (
                <li key={index}>
                  {problem.row !== null && problem.row !== undefined ? `Row ${problem.row}: ` : problem.path ? `${problem.path}: ` : ''}
                  {problem.message}
                </li>
              ))}
              {problems.length > SHOWN_PROBLEMS ? <li>and {problems.length - SHOWN_PROBLEMS} more</li> : null}
            </ul>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
