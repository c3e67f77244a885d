'use client';

import { periodLabel, type TouchpointFigures } from '../../lib/measurements/touchpoint-figures';

const count = (n: number) => n.toLocaleString('en-US');

/**
 * The contact center's figures for this touchpoint in the month shown, beside
 * the workshop's estimate, and what customers said (the verbatims).
 */
export function MeasuredSection({ figures, period, estimate }: { figures: TouchpointFigures | null; period: string | null; estimate: number }) {
  if (period === null) return null;
  const month = periodLabel(period);
  return (
    <section aria-label="Measured by the contact center" className="rounded-md border border-slate-200 p-2">
      <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Measured · {month}</h3>
      {figures === null ? (
        <p className="mt-1 text-xs text-slate-600">The contact center sent no figures for this touchpoint for {month}.</p>
      ) : (
        <>
          <dl className="mt-1 grid grid-cols-2 gap-x-3 gap-y-1 text-sm tabular-nums" data-testid="touchpoint-measured">
            <Figure term="Contacts" value={figures.contacts === null ? '–' : count(figures.contacts)} note={`estimate ${count(estimate)}`} alert={figures.contacts !== null && figures.contacts > estimate} />
            <Figure term="CSAT" value={figures.csat === null ? '–' : `${Math.round(figures.csat)}%`} note={figures.csatResponses > 0 ? `${count(figures.csatResponses)} responses` : null} alert={figures.csat !== null && figures.csat < 60} />
            <Figure term="CES" value={figures.ces === null ? '–' : figures.ces.toFixed(1)} note={figures.ces === null ? null : '1 easy … 7 hard'} alert={false} />
            <Figure term="NPS" value={figures.nps === null ? '–' : `${figures.nps > 0 ? '+' : ''}${Math.round(figures.nps)}`} note={null} alert={figures.nps !== null && figures.nps < 0} />
          </dl>
          <h4 className="mt-2 text-xs font-semibold text-slate-600">What customers said</h4>
          {figures.verbatims.length === 0 ? (
            <p className="mt-0.5 text-xs text-slate-500">No verbatims for {month}.</p>
          ) : (
            <ul className="mt-1 space-y-1.5" aria-label="Verbatims">
              {figures.verbatims.map((v, i) => (
                <li key={i} className="border-l-2 border-indigo-300 pl-2 text-sm text-slate-800">
                  <q className="italic">{v.text}</q>
                  {v.score !== undefined || v.at !== undefined ? (
                    <span className="block text-xs text-slate-500">
                      {[v.score !== undefined ? `score ${v.score}` : null, v.at ?? null].filter((part) => part !== null).join(' · ')}
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

function Figure({ term, value, note, alert }: { term: string; value: string; note: string | null; alert: boolean }) {
  return (
    <div>
      <dt className="text-[11px] text-slate-500 uppercase">{term}</dt>
      <dd className={`font-semibold ${alert ? 'text-rose-800' : 'text-slate-900'}`}>
        {value}
        {note ? <span className="ml-1 text-xs font-normal text-slate-500">{note}</span> : null}
      </dd>
    </div>
  );
}
