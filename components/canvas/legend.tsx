import type { ReactNode } from 'react';
import type { Ownership, PainLevel } from '../../lib/annotations/types';
import { OwnershipBadge, PainBadge } from '../report/badges';
import { EMOTION_FACE, SEVERITY } from './nodes/touchpoint-node';

const PAIN_LEVELS: Array<[PainLevel, string]> = [
  ['none', 'no pain point'],
  ['low', 'under 5 per touchpoint'],
  ['medium', '5 to under 10'],
  ['high', '10 to under 15'],
  ['critical', '15 or more'],
];

const OWNERSHIP: Array<[Ownership, string]> = [
  ['owned', 'one accountable team: set in the header, or the only team that owns its touchpoints'],
  ['fragmented', 'no accountable team and several owners: everyone owns it, so nobody does'],
  ['unowned', 'no accountable team and no owner at all'],
  ['empty', 'the stage has no touchpoints yet'],
];

const chip = 'inline-flex shrink-0 items-center rounded px-1.5 text-[11px] font-medium';

function Row({ sample, children }: { sample: ReactNode; children: ReactNode }) {
  return (
    <li className="flex items-start gap-3">
      <span className="flex w-28 shrink-0 flex-wrap justify-end gap-1">{sample}</span>
      <span className="text-slate-700">{children}</span>
    </li>
  );
}

/** What the colours, badges and chips of the canvas mean, in the words of DESIGN.md's annotations. */
export function Legend() {
  return (
    <div className="space-y-4 text-xs" data-testid="legend">
      <section aria-labelledby="legend-pain">
        <h3 id="legend-pain" className="mb-1.5 text-sm font-semibold text-slate-900">Pain (stage header colour)</h3>
        <p className="mb-2 text-slate-600">
          A pain point scores <strong>severity × frequency</strong> (each 1–5, so 1–25). A stage&apos;s pain is the sum over its touchpoints; its level is that pain per touchpoint. The stage with the most pain is the <span className="rounded bg-red-600 px-1 font-bold text-white">HOTSPOT</span>.
        </p>
        <ul className="space-y-1">
          {PAIN_LEVELS.map(([level, what]) => (
            <Row key={level} sample={<PainBadge level={level} />}>{what}</Row>
          ))}
        </ul>
      </section>
      <section aria-labelledby="legend-ownership">
        <h3 id="legend-ownership" className="mb-1.5 text-sm font-semibold text-slate-900">Ownership (stage header)</h3>
        <ul className="space-y-1">
          {OWNERSHIP.map(([ownership, what]) => (
            <Row key={ownership} sample={<OwnershipBadge ownership={ownership} />}>{what}</Row>
          ))}
        </ul>
        <p className="mt-2 text-slate-600">Where no team is accountable, the header suggests one: the owner whose touchpoints carry the most pain.</p>
      </section>
      <section aria-labelledby="legend-hub">
        <h3 id="legend-hub" className="mb-1.5 text-sm font-semibold text-slate-900">The contact center (hub)</h3>
        <ul className="space-y-1">
          <Row sample={<span className="font-semibold tabular-nums">Hub 60%</span>}>hub coverage: the share of the stage&apos;s touchpoints connected to the contact center, directly or through other touchpoints</Row>
          <Row sample={<span className="font-semibold tabular-nums">1,200 contacts/mo</span>}>failure demand: the contacts a month the stage&apos;s touchpoints drive to the contact center</Row>
          <Row sample={<svg width="56" height="8" aria-hidden><line x1="0" y1="4" x2="56" y2="4" stroke="#6366f1" strokeWidth="2" strokeDasharray="6 4" /></svg>}>a connection to or from the hub</Row>
        </ul>
      </section>
      <section aria-labelledby="legend-card">
        <h3 id="legend-card" className="mb-1.5 text-sm font-semibold text-slate-900">A touchpoint card</h3>
        <ul className="space-y-1">
          <Row sample={[1, 3, 5].map((s) => <span key={s} className={`${chip} ${SEVERITY[s]}`}>{s * 3}</span>)}>its pain points&apos; scores, coloured by severity (pale: 1, dark red: 5)</Row>
          <Row sample={[-2, 0, 2].map((e) => <span key={e} className={`${chip} ${EMOTION_FACE[e]?.className ?? ''}`}>{EMOTION_FACE[e]?.label.split(' ')[0]}</span>)}>the customer&apos;s emotion there, from −2 (very unhappy) to +2 (delighted)</Row>
          <Row sample={<span className={`${chip} text-slate-600`}>☎ 800/mo</span>}>contacts a month it drives to the contact center</Row>
          <Row sample={<span className={`${chip} text-indigo-700`}>● 3</span>}>dots it received in the vote</Row>
          <Row sample={<span className="grid h-5 min-w-5 place-items-center rounded-full bg-violet-600 px-1 text-[11px] font-bold text-white">2</span>}>open comment threads</Row>
          <Row sample={<span className="font-medium text-rose-700">No owner</span>}>no team owns this touchpoint</Row>
        </ul>
      </section>
      <section aria-labelledby="legend-emotion">
        <h3 id="legend-emotion" className="mb-1.5 text-sm font-semibold text-slate-900">Emotion curve</h3>
        <p className="text-slate-600">
          The line across the stage headers: each stage&apos;s average emotion over its touchpoints, from −2 to +2; points below the dashed zero line are red.
        </p>
      </section>
    </div>
  );
}
