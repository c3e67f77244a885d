/**
 * A touchpoint's measured figures as cards and the inspector show them, the
 * months a period picker offers, and where measured contacts exceed the
 * workshop's estimate (issue 13 §3), on hand-computed fixtures.
 */
import { describe, expect, it } from 'vitest';
import type { StoredMetricsRow } from '../../lib/measurements/input';
import { contactsAboveEstimate, periodLabel, periodsOf, touchpointFigures } from '../../lib/measurements/touchpoint-figures';
import { hub, journeyMap, stage, touchpoint } from './annotations-factory';

const row = (touchpointId: string, period: string, fields: Partial<StoredMetricsRow> = {}): StoredMetricsRow => ({ touchpointId, externalKey: null, period, ...fields });

describe('touchpoint figures', () => {
  const rows = [
    row('a', '2026-10', { contacts: 900 }),
    row('a', '2026-11', { contacts: 1200, csat: { responses: 40, satisfied: 30 }, ces: { responses: 10, mean: 3.5 }, nps: { promoters: 5, passives: 3, detractors: 2 }, verbatims: [{ text: 'Nobody called back' }] }),
    row('b', '2026-11', { csat: { responses: 8, satisfied: 2 } }),
    row('c', '2025-12', { contacts: 5 }),
  ];

  it('reads the month asked for: CSAT as 100 × satisfied / responses, NPS as 100 × (promoters − detractors) / answers', () => {
    const figures = touchpointFigures(rows, '2026-11');
    expect(figures.get('a')).toEqual({ contacts: 1200, csat: 75, csatResponses: 40, ces: 3.5, nps: 30, verbatims: [{ text: 'Nobody called back' }] });
    expect(figures.get('b')).toEqual({ contacts: null, csat: 25, csatResponses: 8, ces: null, nps: null, verbatims: [] });
    expect(figures.has('c')).toBe(false);
    expect(touchpointFigures(rows, '2026-10').get('a')?.contacts).toBe(900);
    expect(touchpointFigures(rows, null).size).toBe(0);
  });

  it('offers the months with figures, the latest first, each once, across a year boundary', () => {
    expect(periodsOf(rows)).toEqual(['2026-11', '2026-10', '2025-12']);
    expect(periodsOf([])).toEqual([]);
    expect(periodLabel('2026-11')).toBe('Nov 2026');
    expect(periodLabel('2025-01')).toBe('Jan 2025');
  });

  it('lists touchpoints whose measured contacts exceed the estimate, the largest excess first, never the hub', () => {
    const map = journeyMap({
      stages: [stage('s1')],
      touchpoints: [
        touchpoint('a', 's1', { label: 'Checkout', contactVolume: 1000 }),
        touchpoint('b', 's1', { label: 'Delivery', contactVolume: 10 }),
        touchpoint('c', 's1', { label: 'Bill', contactVolume: 500 }),
        touchpoint('d', 's1', { label: 'Alpha', contactVolume: 0 }),
        hub(),
      ],
    });
    const figures = touchpointFigures(
      [row('a', '2026-11', { contacts: 1200 }), row('b', '2026-11', { contacts: 210 }), row('c', '2026-11', { contacts: 400 }), row('d', '2026-11', { contacts: 200 }), row('hub', '2026-11', { contacts: 99_999 })],
      '2026-11',
    );
    expect(contactsAboveEstimate(map, figures, 5).map((a) => [a.touchpoint.id, a.measured, a.estimate, a.excess])).toEqual([
      ['d', 200, 0, 200],
      ['a', 1200, 1000, 200],
      ['b', 210, 10, 200],
    ]);
    expect(contactsAboveEstimate(map, figures, 1)).toHaveLength(1);
  });
});
