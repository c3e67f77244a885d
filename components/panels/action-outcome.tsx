import type { ActionOutcome } from '../../lib/annotations/types';

const contacts = (n: number | null) => (n === null ? 'no data' : Math.round(n).toLocaleString('en-US'));
const csat = (n: number | null) => (n === null ? 'no data' : `${Math.round(n)}%`);

/** Whether a number went the good way: fewer contacts, more satisfied customers. */
function tone(before: number | null, after: number | null, better: 'down' | 'up'): string {
  if (before === null || after === null || before === after) return 'text-slate-800';
  return (after < before) === (better === 'down') ? 'text-emerald-800' : 'text-rose-800';
}

/**
 * What a done action changed: its touchpoint's contacts a month and CSAT in
 * the three months before the month it was done and the three after
 * (actionOutcomes, DESIGN.md "Measured data and outcomes").
 */
export function ActionOutcomeLine({ outcome }: { outcome: ActionOutcome | undefined }) {
  if (!outcome || (outcome.contactsBefore === null && outcome.contactsAfter === null && outcome.csatBefore === null && outcome.csatAfter === null)) {
    return <p className="mt-1 text-xs text-slate-500" data-testid="action-outcome">Outcome: no figures yet for the three months before and after it was done.</p>;
  }
  return (
    <p className="mt-1 text-xs text-slate-700 tabular-nums" data-testid="action-outcome" title="Three months before the month it was done → the three months after">
      Outcome: <span className={tone(outcome.contactsBefore, outcome.contactsAfter, 'down')}>contacts {contacts(outcome.contactsBefore)} → {contacts(outcome.contactsAfter)} a month</span>
      {' · '}
      <span className={tone(outcome.csatBefore, outcome.csatAfter, 'up')}>CSAT {csat(outcome.csatBefore)} → {csat(outcome.csatAfter)}</span>
    </p>
  );
}
