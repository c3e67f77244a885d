'use client';

import { useId, useState } from 'react';
import type * as Y from 'yjs';
import type { EditOrigin } from '../../lib/journey/origin';
import { addPainPoint, removePainPoint, setHubLink, updatePainPoint, updateTouchpoint } from '../../lib/journey/schema';
import { CHANNELS, type JourneyMap, type Touchpoint } from '../../lib/journey/types';
import { EXTERNAL_KEY_MAX_LENGTH, NAME_MAX_LENGTH, PAIN_POINT_TEXT_MAX_LENGTH } from '../../lib/journey/validation';
import { CommitInput } from '../ui/commit-input';
import { useCommit } from './use-commit';
import { ActionsSection } from './actions-section';
import { MeasuredSection } from './measured-section';
import type { ActionOutcome } from '../../lib/annotations/types';
import type { TouchpointFigures } from '../../lib/measurements/touchpoint-figures';

const field = 'mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900 disabled:bg-slate-50 disabled:text-slate-600';
const label = 'block text-xs font-medium text-slate-600';
const LEVELS = [1, 2, 3, 4, 5];


/** What is wrong with a number of contacts being typed, before it is committed; null when nothing is. */
function contactsProblem(text: string): string | null {
  if (text.trim() === '') return 'Contacts a month is needed: type 0 for none.';
  const n = Number(text);
  if (Number.isNaN(n)) return 'Contacts a month must be a number.';
  if (n < 0) return "Contacts a month can't be negative.";
  if (!Number.isInteger(n)) return 'Contacts a month must be a whole number.';
  return null;
}

export interface InspectorProps {
  doc: Y.Doc;
  origin: EditOrigin;
  map: JourneyMap;
  touchpoint: Touchpoint;
  canEdit: boolean;
  /** The month of figures shown (null while the map has none), this touchpoint's row for it, and done actions' outcomes. */
  period: string | null;
  figures: TouchpointFigures | null;
  outcomes: ReadonlyMap<string, ActionOutcome> | null;
}

export function Inspector({ doc, origin, map, touchpoint, canEdit, period, figures, outcomes }: InspectorProps) {
  const [error, setError] = useState<string | null>(null);
  const commit = useCommit(setError);
  const ids = useId();
  const tp = touchpoint;
  const owners = [...new Set(Object.values(map.touchpoints).map((t) => t.owner).filter((o): o is string => !!o))].sort();
  const update = (patch: Parameters<typeof updateTouchpoint>[2]) => commit(() => updateTouchpoint(doc, tp.id, patch, origin));
  const hubId = map.meta.hubId;
  const drivesContacts = Object.values(map.connections).some((c) => (c.source === tp.id && c.target === hubId) || (c.source === hubId && c.target === tp.id));

  return (
    <div className="space-y-3" aria-label="Touchpoint details">
      {tp.kind === 'hub' ? <p className="rounded bg-indigo-50 px-2 py-1 text-xs text-indigo-900">The contact center: the hub of every map. It cannot be deleted.</p> : null}
      <div>
        <label htmlFor={`${ids}-label`} className={label}>Label</label>
        <CommitInput id={`${ids}-label`} value={tp.label} disabled={!canEdit} maxLength={NAME_MAX_LENGTH} className={field} onCommit={(v) => update({ label: v })} />
      </div>
      <div className="grid grid-cols-2 gap-2">
        <div>
          <label htmlFor={`${ids}-channel`} className={label}>Channel</label>
          <select id={`${ids}-channel`} value={tp.channel} disabled={!canEdit} onChange={(e) => update({ channel: e.target.value as Touchpoint['channel'] })} className={field}>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>{c}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${ids}-emotion`} className={label}>Emotion</label>
          <select
            id={`${ids}-emotion`}
            value={tp.emotion === null ? '' : String(tp.emotion)}
            disabled={!canEdit}
            onChange={(e) => update({ emotion: e.target.value === '' ? null : Number(e.target.value) })}
            className={field}
          >
            <option value="">unknown</option>
            <option value="-2">−2 awful</option>
            <option value="-1">−1 poor</option>
            <option value="0">0 neutral</option>
            <option value="1">+1 good</option>
            <option value="2">+2 great</option>
          </select>
        </div>
      </div>
      <div>
        <label htmlFor={`${ids}-owner`} className={label}>Owner (team)</label>
        <CommitInput id={`${ids}-owner`} value={tp.owner ?? ''} disabled={!canEdit} maxLength={NAME_MAX_LENGTH} list={`${ids}-owners`} className={field} onCommit={(v) => update({ owner: v.trim() === '' ? null : v })} />
        <datalist id={`${ids}-owners`}>
          {owners.map((o) => (
            <option key={o} value={o} />
          ))}
        </datalist>
      </div>
      {tp.kind === 'touchpoint' ? (
        <div className="grid grid-cols-2 gap-2">
          <div>
            <label htmlFor={`${ids}-stage`} className={label}>Stage</label>
            <select id={`${ids}-stage`} value={tp.stageId ?? ''} disabled={!canEdit} onChange={(e) => update({ stageId: e.target.value === '' ? null : e.target.value })} className={field}>
              {map.stages.map((s) => (
                <option key={s.id} value={s.id}>{s.name}</option>
              ))}
              <option value="">(unstaged)</option>
            </select>
          </div>
          <div>
            <label htmlFor={`${ids}-volume`} className={label}>Contacts / month</label>
            <CommitInput
              id={`${ids}-volume`}
              type="number"
              min={0}
              step={1}
              inputMode="numeric"
              value={String(tp.contactVolume)}
              disabled={!canEdit}
              className={field}
              onDraft={(v) => setError(contactsProblem(v))}
              onCommit={(v) => {
                const problem = contactsProblem(v);
                if (problem) setError(problem);
                else update({ contactVolume: Number(v) });
              }}
            />
          </div>
        </div>
      ) : null}
      {tp.kind === 'touchpoint' ? (
        <div>
          <label htmlFor={`${ids}-key`} className={label}>External key</label>
          <CommitInput
            id={`${ids}-key`}
            value={tp.externalKey ?? ''}
            disabled={!canEdit}
            maxLength={EXTERNAL_KEY_MAX_LENGTH}
            placeholder={canEdit ? 'e.g. a contact-reason code' : ''}
            aria-describedby={`${ids}-key-help`}
            className={field}
            onCommit={(v) => update({ externalKey: v })}
          />
          <p id={`${ids}-key-help`} className="mt-0.5 text-xs text-slate-500">
            The key of this touchpoint in the contact center&apos;s systems, so measured figures land here.
          </p>
        </div>
      ) : null}
      {tp.kind === 'touchpoint' && hubId ? (
        <label className="flex items-start gap-2 rounded-md border border-indigo-100 bg-indigo-50/60 px-2 py-1.5 text-sm text-slate-800">
          <input
            type="checkbox"
            className="mt-0.5 h-4 w-4 accent-indigo-600"
            checked={drivesContacts}
            disabled={!canEdit}
            onChange={(e) => commit(() => setHubLink(doc, tp.id, e.target.checked, origin))}
          />
          <span>
            Drives contacts to the contact center
            <span className="block text-xs text-slate-600">Links this card to the hub (a dashed line on the map).</span>
          </span>
        </label>
      ) : null}
      {error ? <p role="alert" className="rounded bg-rose-50 px-2 py-1 text-xs text-rose-800">{error}</p> : null}
      {tp.kind === 'touchpoint' ? <MeasuredSection figures={figures} period={period} estimate={tp.contactVolume} /> : null}
      {tp.kind === 'touchpoint' ? <PainPoints doc={doc} origin={origin} touchpoint={tp} canEdit={canEdit} onError={setError} /> : null}
      <ActionsSection doc={doc} origin={origin} map={map} touchpoint={tp} canEdit={canEdit} outcomes={outcomes} onError={setError} />
    </div>
  );
}

function PainPoints({ doc, origin, touchpoint, canEdit, onError }: { doc: Y.Doc; origin: EditOrigin; touchpoint: Touchpoint; canEdit: boolean; onError: (m: string | null) => void }) {
  const commit = useCommit(onError);
  const [text, setText] = useState('');
  const [severity, setSeverity] = useState(3);
  const [frequency, setFrequency] = useState(3);
  return (
    <section aria-label="Pain points">
      <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Pain points</h3>
      {touchpoint.painPoints.length === 0 ? <p className="mt-1 text-xs text-slate-500">None recorded.</p> : null}
      <ul className="mt-1 space-y-2">
        {touchpoint.painPoints.map((p) => (
          <li key={p.id} className="rounded-md border border-slate-200 bg-white p-2">
            <CommitInput id={`pain-${p.id}`} aria-label="Pain point text" value={p.text} disabled={!canEdit} maxLength={PAIN_POINT_TEXT_MAX_LENGTH} className={field} onCommit={(v) => commit(() => updatePainPoint(doc, touchpoint.id, p.id, { text: v }, origin))} />
            <div className="mt-1 flex items-center gap-2 text-xs text-slate-600">
              <label>
                Severity{' '}
                <select aria-label={`Severity of ${p.text}`} value={p.severity} disabled={!canEdit} onChange={(e) => commit(() => updatePainPoint(doc, touchpoint.id, p.id, { severity: Number(e.target.value) }, origin))} className="rounded border border-slate-300 px-1">
                  {LEVELS.map((n) => <option key={n}>{n}</option>)}
                </select>
              </label>
              <label>
                Frequency{' '}
                <select aria-label={`Frequency of ${p.text}`} value={p.frequency} disabled={!canEdit} onChange={(e) => commit(() => updatePainPoint(doc, touchpoint.id, p.id, { frequency: Number(e.target.value) }, origin))} className="rounded border border-slate-300 px-1">
                  {LEVELS.map((n) => <option key={n}>{n}</option>)}
                </select>
              </label>
              <span className="ml-auto font-semibold tabular-nums" title="severity × frequency">{p.severity * p.frequency}</span>
              {canEdit ? (
                <button type="button" onClick={() => commit(() => removePainPoint(doc, touchpoint.id, p.id, origin))} className="text-rose-700 hover:text-rose-900" aria-label={`Remove pain point ${p.text}`}>
                  Remove
                </button>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
      {canEdit ? (
        <form
          className="mt-2 space-y-1 rounded-md border border-dashed border-slate-300 p-2"
          aria-label="Add a pain point"
          onSubmit={(e) => {
            e.preventDefault();
            commit(() => {
              addPainPoint(doc, touchpoint.id, { text, severity, frequency }, origin);
              setText('');
            });
          }}
        >
          <input value={text} onChange={(e) => setText(e.target.value)} maxLength={PAIN_POINT_TEXT_MAX_LENGTH} placeholder="What hurts?" aria-label="New pain point" className={field} />
          <div className="flex items-center gap-2 text-xs text-slate-600">
            <label>
              Severity{' '}
              <select aria-label="New pain point severity" value={severity} onChange={(e) => setSeverity(Number(e.target.value))} className="rounded border border-slate-300 px-1">
                {LEVELS.map((n) => <option key={n}>{n}</option>)}
              </select>
            </label>
            <label>
              Frequency{' '}
              <select aria-label="New pain point frequency" value={frequency} onChange={(e) => setFrequency(Number(e.target.value))} className="rounded border border-slate-300 px-1">
                {LEVELS.map((n) => <option key={n}>{n}</option>)}
              </select>
            </label>
            <button type="submit" className="ml-auto rounded bg-slate-800 px-2 py-1 font-medium text-white hover:bg-slate-900">
              Add pain point
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
