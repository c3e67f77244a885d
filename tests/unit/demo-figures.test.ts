/**
 * Issue 13 §6: the demo map ships with twelve months of generated figures
 * (lib/measurements/demo-figures.ts). The rows obey the push's rules
 * (DESIGN.md, "Measured data and outcomes"), the generator is a pure function
 * of the map and the end month, and the figures tell the demo's two stories:
 * contacts fall after the done action, and one stage's CSAT drops.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { actionOutcomes, annotateMap, type MeasurementRow } from '../../lib/annotations';
import { readMap, writeMap } from '../../lib/journey/schema';
import { DEMO_DONE_ACTION_ID, addDemoActions, demoMap } from '../../lib/journey/templates';
import type { JourneyMap } from '../../lib/journey/types';
import { DEMO_CSAT_DROP_STAGE_ID, DEMO_MONTHS, demoFigures } from '../../lib/measurements/demo-figures';
import { MAX_VERBATIMS, parseMetricsRows } from '../../lib/measurements/input';
import { monthIndexOfMs, periodOfIndex, shiftPeriod } from '../../lib/measurements/period';

const SYSTEM = { userId: 'system', kind: 'system' } as const;
/** A first start on 2026-12-02 (any day works; this one is fixed so that the test replays). */
const NOW = Date.UTC(2026, 11, 2, 14, 0);
const END = periodOfIndex(monthIndexOfMs(NOW));

/** The demo map as the first start writes it: the template, then its actions through the schema's writers. */
function demoWithActions(now = NOW): JourneyMap {
  const doc = new Y.Doc();
  try {
    writeMap(doc, demoMap().map, SYSTEM);
    addDemoActions(doc, now, SYSTEM);
    return readMap(doc);
  } finally {
    doc.destroy();
  }
}

const allRows = (months: ReturnType<typeof demoFigures>): MeasurementRow[] => months.flatMap((month) => month.rows.map((row) => ({ ...row, period: month.period })));

describe('demoFigures: twelve months of the demo map', () => {
  const map = demoWithActions();
  const months = demoFigures(map, END);

  it('gives twelve months ending with the end month, one row per touchpoint (never the hub) each month', () => {
    expect(months.map((month) => month.period)).toEqual(Array.from({ length: DEMO_MONTHS }, (_, i) => shiftPeriod(END, i - (DEMO_MONTHS - 1))));
    const touchpoints = Object.values(map.touchpoints).filter((touchpoint) => touchpoint.kind === 'touchpoint').map((touchpoint) => touchpoint.id).sort();
    for (const month of months) expect(month.rows.map((row) => row.touchpointId)).toEqual(touchpoints);
  });

  it('every row passes the push rules (lib/measurements/input.ts): counts, csat, ces 1..7, nps, verbatims up to 20 of 1–1,000 characters', () => {
    let verbatims = 0;
    for (const month of months) {
      const parsed = parseMetricsRows(month.period, month.rows, (row) =>
        row.touchpointId !== undefined && Object.hasOwn(map.touchpoints, row.touchpointId) ? { touchpointId: row.touchpointId } : { problem: 'unknown touchpoint' },
      );
      expect(parsed).toMatchObject({ ok: true, period: month.period });
      for (const row of month.rows) {
        expect(row.verbatims?.length ?? 0).toBeLessThanOrEqual(MAX_VERBATIMS);
        verbatims += row.verbatims?.length ?? 0;
        for (const said of row.verbatims ?? []) expect(said.at?.startsWith(month.period)).toBe(true);
      }
    }
    expect(verbatims).toBeGreaterThan(0);
  });

  it('contacts stay close to each touchpoint’s estimate (contactVolume) where no action changed them', () => {
    const touchpoint = map.touchpoints['tp-phone-support'];
    if (touchpoint === undefined) throw new Error('the demo map has no tp-phone-support');
    for (const month of months) {
      const contacts = month.rows.find((row) => row.touchpointId === touchpoint.id)?.contacts ?? -1;
      expect(contacts).toBeGreaterThan(touchpoint.contactVolume * 0.8);
      expect(contacts).toBeLessThan(touchpoint.contactVolume * 1.2);
    }
    expect(months.every((month) => month.rows.find((row) => row.touchpointId === 'tp-social-ads')?.contacts === 0)).toBe(true);
  });

  it('is deterministic: the same map and end month give the same rows; another end month gives other rows', () => {
    expect(demoFigures(demoWithActions(), END)).toEqual(months);
    expect(demoFigures(map, shiftPeriod(END, 1))).not.toEqual(months);
  });

  it('dates nothing said after the first start’s day (lastDay) in the end month', () => {
    const [last] = demoFigures(map, END, { lastDay: 2 }).slice(-1);
    const dates = (last?.rows ?? []).flatMap((row) => (row.verbatims ?? []).map((said) => said.at ?? ''));
    expect(dates.length).toBeGreaterThan(0);
    for (const at of dates) expect(at <= `${END}-02`).toBe(true);
  });

  it('refuses an end month that is not YYYY-MM', () => {
    expect(() => demoFigures(map, '2026-13')).toThrow(/YYYY-MM/);
  });
});

describe('the demo’s stories, as the annotations read them', () => {
  const map = demoWithActions();
  const rows = allRows(demoFigures(map, END));

  it('the demo has one done action (about five months before the end month), one open overdue, one open due later', () => {
    const actions = Object.values(map.actions);
    expect(actions).toHaveLength(3);
    const done = map.actions[DEMO_DONE_ACTION_ID];
    expect(done?.status).toBe('done');
    expect(monthIndexOfMs(done?.doneAt ?? 0)).toBe(monthIndexOfMs(NOW) - 5);
    const today = new Date(NOW).toISOString().slice(0, 10);
    const open = actions.filter((action) => action.status === 'proposed' || action.status === 'doing');
    expect(open.filter((action) => action.due !== null && action.due < today)).toHaveLength(1);
    expect(open.filter((action) => action.due !== null && action.due > today)).toHaveLength(1);
  });

  it('actionOutcomes: the done action’s touchpoint has fewer contacts and better CSAT after it than before', () => {
    const outcomes = actionOutcomes(map, { rows });
    expect(outcomes).toHaveLength(1);
    const [outcome] = outcomes;
    expect(outcome?.actionId).toBe(DEMO_DONE_ACTION_ID);
    expect(outcome?.contactsBefore).not.toBeNull();
    expect(outcome?.contactsAfter).not.toBeNull();
    expect(outcome?.contactsAfter ?? Infinity).toBeLessThan((outcome?.contactsBefore ?? 0) * 0.7);
    expect(outcome?.csatAfter ?? 0).toBeGreaterThan(outcome?.csatBefore ?? 100);
  });

  it('the stage of the done action: its contacts fall clearly after it (the six-month trend)', () => {
    const stageId = map.touchpoints['tp-first-bill']?.stageId;
    const trend = annotateMap(map, undefined, { rows }).stages.find((stage) => stage.stageId === stageId)?.measured?.contactsTrend ?? [];
    // The trend is the six months ending with the end month: the done month is its first.
    const [doneMonth, ...after] = trend;
    const before = annotateMap(map, undefined, { rows, period: shiftPeriod(END, -6) }).stages.find((stage) => stage.stageId === stageId)?.measured?.contacts ?? 0;
    expect(doneMonth).not.toBeNull();
    for (const month of after) expect(month ?? Infinity).toBeLessThan(before * 0.9);
  });

  it(`the CSAT-drop stage (${DEMO_CSAT_DROP_STAGE_ID}): its CSAT falls month by month over the last four months`, () => {
    const csatIn = (period: string) => annotateMap(map, undefined, { rows, period }).stages.find((stage) => stage.stageId === DEMO_CSAT_DROP_STAGE_ID)?.measured?.csat ?? null;
    const series = [-4, -3, -2, -1, 0].map((shift) => csatIn(shiftPeriod(END, shift)));
    expect(series.every((value) => value !== null)).toBe(true);
    for (let i = 1; i < series.length; i++) expect(series[i] ?? Infinity).toBeLessThan(series[i - 1] ?? 0);
    expect((series[0] ?? 0) - (series[4] ?? 100)).toBeGreaterThan(15);
    // The other stages hold steady over the same months.
    const other = (period: string) => annotateMap(map, undefined, { rows, period }).stages.find((stage) => stage.stageId === 'stage-discover')?.measured?.csat ?? 0;
    expect(Math.abs(other(END) - other(shiftPeriod(END, -4)))).toBeLessThan(10);
  });

  it('holds on any first-start day: the end of a month, the start of a year', () => {
    for (const now of [Date.UTC(2027, 0, 1, 0, 5), Date.UTC(2026, 1, 28, 23, 59), Date.UTC(2028, 6, 31, 12)]) {
      const dated = demoWithActions(now);
      const end = periodOfIndex(monthIndexOfMs(now));
      const [outcome] = actionOutcomes(dated, { rows: allRows(demoFigures(dated, end)) });
      expect(outcome?.contactsAfter ?? Infinity).toBeLessThan(outcome?.contactsBefore ?? 0);
    }
  });
});
