'use client';

import Link from 'next/link';
import { useMemo, useState } from 'react';
import { annotateMap } from '../../lib/annotations';
import { mergeMaps } from '../../lib/journey/merge-maps';
import type { MapChange, Resolution } from '../../lib/journey/map-change';
import type { JourneyMap } from '../../lib/journey/types';
import { formatCount } from '../report/format';
import { callApi } from '../ui/api';
import { groupByStage } from './change-list';

interface Props {
  copyId: string;
  masterId: string;
  masterTitle: string;
  status: 'open' | 'merged';
  changes: MapChange[];
  base: JourneyMap;
  master: JourneyMap;
  copy: JourneyMap;
  canMerge: boolean;
  canRefresh: boolean;
}

function headline(map: JourneyMap) {
  const a = annotateMap(map);
  return { gaps: a.ownershipGaps, hotspot: map.stages.find((s) => s.id === a.hotspotStageId)?.name ?? 'None', demand: a.failureDemand };
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') {
    // A kept thing is shown by its name: an action's title, a touchpoint's label, a stage's name, a pain point's text.
    const v = value as Record<string, unknown>;
    const name = ['summary', 'title', 'label', 'name', 'text'].map((key) => v[key]).find((field) => typeof field === 'string' && field !== '');
    return typeof name === 'string' ? name : JSON.stringify(value);
  }
  return String(value);
}

/** The review of a workshop copy: choose its changes, settle conflicts, see what the merge does to the annotations. */
export function MergeReview(props: Props) {
  const copyChanges = props.changes.filter((c) => c.side === 'copy' || c.conflict);
  const masterChanges = props.changes.filter((c) => c.side === 'master');
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(copyChanges.filter((c) => !c.conflict).map((c) => c.id)));
  const [resolutions, setResolutions] = useState<Record<string, Resolution>>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const preview = useMemo(() => {
    const settled = Object.fromEntries(Object.entries(resolutions).filter(([id]) => chosen.has(id)));
    try {
      return { before: headline(props.master), after: headline(mergeMaps(props.base, props.master, props.copy, [...chosen], settled)), error: null };
    } catch (e) {
      return { before: headline(props.master), after: null, error: (e as Error).message };
    }
  }, [chosen, resolutions, props.base, props.master, props.copy]);

  const unresolved = [...chosen].filter((id) => props.changes.find((c) => c.id === id)?.conflict && !resolutions[id]);

  const toggle = (id: string) => {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setChosen(next);
  };

  async function post(path: string, body: unknown, success: string) {
    setBusy(true);
    setError(null);
    try {
      await callApi(path, 'POST', body);
      setDone(success);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <div role="status" className="rounded-lg border border-emerald-200 bg-emerald-50 p-5 text-emerald-950">
        <p className="font-medium">{done}</p>
        <div className="mt-3 flex gap-4 text-sm">
          <Link href={`/maps/${props.masterId}`} className="font-medium text-indigo-700 underline">Open the master</Link>
          <Link href={`/maps/${props.copyId}`} className="font-medium text-indigo-700 underline">Back to the workshop copy</Link>
        </div>
      </div>
    );
  }

  const groups = groupByStage(copyChanges, props.copy.stages.length >= props.master.stages.length ? props.copy.stages : props.master.stages);
  const figure = (label: string, before: string | number, after: string | number | undefined) => (
    <div className="rounded-md bg-white p-3 ring-1 ring-slate-200">
      <p className="text-[11px] font-semibold text-slate-500 uppercase">{label}</p>
      <p className="mt-0.5 text-sm tabular-nums text-slate-900">
        {before} → <strong className={after !== undefined && after !== before ? 'text-indigo-700' : ''}>{after ?? '…'}</strong>
      </p>
    </div>
  );

  return (
    <div className="space-y-6">
      {props.status === 'merged' ? <p className="rounded-md bg-slate-100 p-3 text-sm text-slate-700">This workshop copy was merged; it stays readable.</p> : null}
      <section aria-label="Preview of the merge" className="rounded-lg border border-indigo-200 bg-indigo-50/50 p-4">
        <h2 className="text-sm font-semibold text-slate-800">The master after this merge</h2>
        <div className="mt-2 grid grid-cols-3 gap-3" data-testid="merge-preview">
          {figure('Ownership gaps', preview.before.gaps, preview.after?.gaps)}
          {figure('Hotspot', preview.before.hotspot, preview.after?.hotspot)}
          {figure('Failure demand', formatCount(preview.before.demand), preview.after ? formatCount(preview.after.demand) : undefined)}
        </div>
        {preview.error ? <p className="mt-2 text-xs text-rose-700">{preview.error}</p> : null}
      </section>

      {copyChanges.length === 0 ? (
        <p className="text-sm text-slate-600">The workshop copy has no changes of its own since the fork.</p>
      ) : (
        <form
          aria-label="Changes of the workshop copy"
          onSubmit={(e) => {
            e.preventDefault();
            const settled = Object.fromEntries(Object.entries(resolutions).filter(([id]) => chosen.has(id)));
            void post(`/api/maps/${props.copyId}/merge`, { changes: [...chosen], resolutions: settled }, `Merged ${chosen.size} changes into “${props.masterTitle}”.`);
          }}
          className="space-y-5"
        >
          {groups.map((group) => (
            <fieldset key={group.key} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
              <legend className="px-1 text-sm font-semibold text-slate-800">{group.name}</legend>
              <ul className="space-y-2">
                {group.changes.map((c) =>
                  c.conflict ? (
                    <li key={c.id} className="rounded-md border border-amber-300 bg-amber-50 p-3" data-testid={`conflict-${c.id}`}>
                      <label className="flex items-center gap-2 text-sm font-medium text-amber-950">
                        <input type="checkbox" checked={chosen.has(c.id)} disabled={!props.canMerge} onChange={() => toggle(c.id)} />
                        {c.summary}
                      </label>
                      <div className="mt-2 grid grid-cols-2 gap-2 text-sm">
                        {(['master', 'copy'] as const).map((side) => (
                          <label key={side} className={`rounded-md border bg-white p-2 ${resolutions[c.id] === side ? 'border-indigo-500 ring-2 ring-indigo-200' : 'border-slate-200'}`}>
                            <span className="flex items-center gap-2 text-xs font-semibold text-slate-600 uppercase">
                              <input type="radio" name={`resolve-${c.id}`} value={side} checked={resolutions[c.id] === side} disabled={!props.canMerge} onChange={() => { setResolutions({ ...resolutions, [c.id]: side }); setChosen(new Set(chosen).add(c.id)); }} />
                              Keep the {side}&apos;s
                            </span>
                            <span className="mt-1 block text-slate-800">{describe(c[side].after ?? c[side].summary)}</span>
                            <span className="mt-0.5 block text-xs text-slate-500">{c[side].summary}</span>
                          </label>
                        ))}
                      </div>
                    </li>
                  ) : (
                    <li key={c.id}>
                      <label className="flex items-start gap-2 text-sm text-slate-800">
                        <input type="checkbox" className="mt-1" checked={chosen.has(c.id)} disabled={!props.canMerge} onChange={() => toggle(c.id)} aria-label={c.summary} />
                        <span>{c.summary}</span>
                      </label>
                    </li>
                  ),
                )}
              </ul>
            </fieldset>
          ))}
          {error ? <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">{error}</p> : null}
          {props.canMerge && props.status === 'open' ? (
            <div className="flex items-center gap-3">
              <button type="submit" disabled={busy || chosen.size === 0 || unresolved.length > 0} className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700 disabled:opacity-50">
                Merge {chosen.size} {chosen.size === 1 ? 'change' : 'changes'} into the master
              </button>
              {unresolved.length > 0 ? <span className="text-sm text-amber-800">Choose a side for {unresolved.length} conflict{unresolved.length > 1 ? 's' : ''}.</span> : null}
            </div>
          ) : !props.canMerge ? (
            <p className="text-sm text-slate-600">Only the master&apos;s owner and editors can merge.</p>
          ) : null}
        </form>
      )}

      <section aria-label="Changes of the master since the fork" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="text-sm font-semibold text-slate-800">The master moved on: {masterChanges.length} {masterChanges.length === 1 ? 'change' : 'changes'} since the fork</h2>
        <ul className="mt-2 max-h-60 space-y-1 overflow-y-auto text-sm text-slate-700">
          {masterChanges.map((c) => (
            <li key={c.id}>{c.summary}</li>
          ))}
        </ul>
        {props.canRefresh && props.status === 'open' && masterChanges.length > 0 ? (
          <button type="button" disabled={busy} onClick={() => void post(`/api/maps/${props.copyId}/refresh`, {}, 'The workshop copy now has the master’s changes (conflicts left as they were).')} className="mt-3 rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50">
            Pull the master&apos;s changes into this copy
          </button>
        ) : null}
      </section>
    </div>
  );
}
