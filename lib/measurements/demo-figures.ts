import type { JourneyMap, Touchpoint } from '../journey/types';
import type { MetricsRowInput } from './input';
import { monthIndex, monthIndexOfMs, periodOfIndex } from './period';

/**
 * Twelve months of made-up contact-center figures for the demo map, so that a
 * newcomer sees measured data on first start (issue 13 §6). Pure and seeded:
 * the same map and end month give the same rows, whatever the clock.
 *
 * - contacts follow each touchpoint's `contactVolume` (the team's estimate),
 *   with a mild season and ±8 % noise;
 * - CSAT, CES and NPS follow the touchpoint's emotion;
 * - after the month of each done action, its touchpoint's contacts fall to
 *   about half and its CSAT rises: the demo's "did it work?" story;
 * - the stage `csatDropStageId` loses CSAT (and gains effort) over the last
 *   four months: the demo's "something broke" story;
 * - a few touchpoints carry what customers said (verbatims).
 */

export type DemoFigureRow = MetricsRowInput & { touchpointId: string };

export interface DemoFigureMonth {
  period: string;
  rows: DemoFigureRow[];
}

export interface DemoFigureOptions {
  /** Months, ending with (and including) `endPeriod`. */
  months?: number;
  /** The stage whose CSAT falls over the last months; a stage that is not on the map changes nothing. */
  csatDropStageId?: string;
  /** The last day of the end month that a verbatim may be dated (the first start's day): nothing is said in the future. */
  lastDay?: number;
}

export const DEMO_MONTHS = 12;
/** The demo map's stage whose CSAT drops (lib/journey/templates.ts). */
export const DEMO_CSAT_DROP_STAGE_ID = 'stage-get-help';

const DROP_MONTHS = 4;
/** CSAT points (as a share) lost per month of the drop. */
const DROP_PER_MONTH = 0.06;
/** Contacts of a done action's touchpoint from the month after it, as a share of before. */
const AFTER_ACTION = 0.5;

/** What customers said, per demo touchpoint: each month picks up to three. */
const VERBATIMS: Readonly<Record<string, readonly string[]>> = {
  'tp-first-bill': [
    'My first bill was nearly double what I was quoted. Nobody told me about the part month.',
    'Why am I paying for days before my line even worked?',
    'Had to call twice to understand the pro-rated charge.',
  ],
  'tp-install-booking': [
    'Three weeks for an installation slot, and nothing in the evening.',
    'I had to take a day off work for the technician.',
    'Booking was easy once I found a slot.',
  ],
  'tp-ivr': [
    'Seven options and none of them was my problem.',
    'I pressed 0 until I got a person.',
    'The menu sent me round in circles.',
  ],
  'tp-phone-support': [
    'I gave my account number three times.',
    'The agent was great, the wait was not.',
    'Transferred twice and still not fixed.',
    'Lately it takes forever to get through.',
  ],
  'tp-support-chat': ['The chat closed when I switched apps and I lost everything.', 'Quick answer in the chat, thanks.'],
  'tp-help-center': ['The article shows a router I do not have.', 'Could not find anything about my router model.'],
  'tp-cancellation': ['Why can I still not cancel online?', 'It took 40 minutes on the phone to cancel.'],
  'tp-coverage-checker': ['The checker says my street does not exist.', 'Had to call to check if fibre reaches my flat.'],
};

/** FNV-1a: a seed per touchpoint and month, the same on every platform. */
function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32: small, and the same sequence on every platform. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

/** The share of satisfied answers a touchpoint gets at rest: its emotion, read as a satisfaction level. */
function baseSatisfaction(touchpoint: Touchpoint): number {
  return touchpoint.emotion === null ? 0.72 : 0.75 + 0.1 * touchpoint.emotion;
}

/** The month indexes (UTC) after which each touchpoint's done actions took effect: the earliest per touchpoint. */
function doneMonths(map: JourneyMap): Map<string, number> {
  const months = new Map<string, number>();
  for (const action of Object.values(map.actions)) {
    if (action.status !== 'done' || action.doneAt === null) continue;
    const month = monthIndexOfMs(action.doneAt);
    const known = months.get(action.touchpointId);
    if (known === undefined || month < known) months.set(action.touchpointId, month);
  }
  return months;
}

/** The rows for `endPeriod` and the months before it, oldest month first; within a month, in touchpoint id order. */
export function demoFigures(map: JourneyMap, endPeriod: string, options: DemoFigureOptions = {}): DemoFigureMonth[] {
  const end = monthIndex(endPeriod);
  if (end === null) throw new RangeError(`the end month must be YYYY-MM (got ${JSON.stringify(endPeriod)})`);
  const count = options.months ?? DEMO_MONTHS;
  const dropStage = options.csatDropStageId ?? DEMO_CSAT_DROP_STAGE_ID;
  const touchpoints = Object.values(map.touchpoints)
    .filter((touchpoint) => touchpoint.kind === 'touchpoint')
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const done = doneMonths(map);
  const months: DemoFigureMonth[] = [];
  for (let index = end - count + 1; index <= end; index++) {
    const period = periodOfIndex(index);
    const rows = touchpoints.map((touchpoint) =>
      rowOf(touchpoint, period, index, {
        doneMonth: done.get(touchpoint.id) ?? null,
        dropMonths: touchpoint.stageId === dropStage ? Math.max(0, index - (end - DROP_MONTHS)) : 0,
        lastDay: index === end ? clamp(Math.floor(options.lastDay ?? 28), 1, 28) : 28,
      }),
    );
    months.push({ period, rows });
  }
  return months;
}

function rowOf(touchpoint: Touchpoint, period: string, index: number, story: { doneMonth: number | null; dropMonths: number; lastDay: number }): DemoFigureRow {
  const random = seededRandom(seedOf(`${touchpoint.id}|${period}`));
  const noise = (spread: number) => (random() * 2 - 1) * spread;
  const season = 1 + 0.08 * Math.sin((2 * Math.PI * (index % 12)) / 12);
  const { doneMonth, dropMonths } = story;
  // The month of the action itself is half-way: it was done during it.
  const effect = doneMonth === null || index < doneMonth ? 1 : index === doneMonth ? (1 + AFTER_ACTION) / 2 : AFTER_ACTION;
  const contacts = Math.max(0, Math.round(touchpoint.contactVolume * season * effect * (1 + noise(0.08))));
  const row: DemoFigureRow = { touchpointId: touchpoint.id, contacts };
  if (contacts === 0) return row;

  const improved = doneMonth !== null && index > doneMonth ? 0.08 : 0;
  const satisfaction = clamp(baseSatisfaction(touchpoint) + improved - DROP_PER_MONTH * dropMonths + noise(0.03), 0.2, 0.97);
  const csatResponses = Math.max(1, Math.round(contacts * 0.12));
  row.csat = { responses: csatResponses, satisfied: Math.round(csatResponses * satisfaction) };

  const effort = clamp(3.2 - 0.5 * (touchpoint.emotion ?? 0) + 0.35 * dropMonths - 3 * improved + noise(0.2), 1, 7);
  row.ces = { responses: Math.max(1, Math.round(contacts * 0.05)), mean: Math.round(effort * 10) / 10 };

  const answers = Math.max(1, Math.round(contacts * 0.04));
  const promoters = Math.round(answers * clamp(satisfaction - 0.4, 0.02, 0.6));
  const detractors = Math.min(answers - promoters, Math.round(answers * clamp(0.9 - satisfaction, 0.02, 0.7)));
  row.nps = { promoters, passives: answers - promoters - detractors, detractors };

  const said = VERBATIMS[touchpoint.id];
  if (said !== undefined) {
    // Up to three different things said this month.
    const left = [...said];
    const picked = Math.min(left.length, Math.floor(random() * 4));
    if (picked > 0) {
      const [year, month] = period.split('-');
      row.verbatims = Array.from({ length: picked }, () => {
        const text = left.splice(Math.floor(random() * left.length), 1)[0] ?? '';
        const day = String(1 + Math.floor(random() * story.lastDay)).padStart(2, '0');
        return { text, score: clamp(Math.round(1 + 4 * satisfaction + noise(1)), 1, 5), at: `${year}-${month}-${day}` };
      });
    }
  }
  return row;
}
