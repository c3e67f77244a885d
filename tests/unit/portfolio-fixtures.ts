/**
 * Two hand-made maps for the portfolio and teams tests; every expected figure
 * in those tests is computed by hand from what is written here.
 */
import type { MeasurementRow } from '../../lib/annotations/types';
import type { Action, JourneyMap } from '../../lib/journey/types';
import { preparePortfolioMap, type PortfolioMap } from '../../lib/portfolio/portfolio-map';
import { hub, journeyMap, painPoint, stage, touchpoint } from './annotations-factory';

export const DAY = 24 * 60 * 60 * 1000;
export const NOW = Date.UTC(2026, 11, 2, 12);
export const TODAY = '2026-12-02';

function action(id: string, touchpointId: string, fields: Partial<Action>): Action {
  return { id, touchpointId, painPointId: null, title: `Action ${id}`, ownerTeam: null, due: null, status: 'proposed', doneAt: null, createdAt: NOW - 30 * DAY, ...fields };
}

function withActions(map: JourneyMap, actions: Action[]): JourneyMap {
  return { ...map, actions: Object.fromEntries(actions.map((a) => [a.id, a])) };
}

/**
 * Broadband: Order (Sales named; Sales and Marketing own cards, pain 6 + 1),
 * Install (nobody named; Field ops 16 and IT 4: fragmented, the hotspot),
 * Bill (nobody named; "billing " owns one card, one card has no owner: owned by
 * its single owner). t7 is in no stage and counts nowhere.
 */
export function broadband(): JourneyMap {
  const map = journeyMap({
    stages: [stage('s1', 'Sales', 'Order'), stage('s2', null, 'Install'), stage('s3', null, 'Bill')],
    touchpoints: [
      touchpoint('t1', 's1', { label: 'Web order', owner: 'Sales', painPoints: [painPoint(3, 2)], contactVolume: 100 }),
      touchpoint('t2', 's1', { label: 'Offer mail', owner: 'Marketing', painPoints: [painPoint(1, 1)], contactVolume: 10 }),
      touchpoint('t3', 's2', { label: 'Engineer visit', owner: 'Field ops', painPoints: [painPoint(4, 4)], contactVolume: 200 }),
      touchpoint('t4', 's2', { label: 'Router setup', owner: 'IT', painPoints: [painPoint(2, 2)], contactVolume: 50 }),
      touchpoint('t5', 's3', { label: 'First bill', owner: 'billing ', contactVolume: 300 }),
      touchpoint('t6', 's3', { label: 'Direct debit', owner: null, painPoints: [painPoint(5, 1)], contactVolume: 20 }),
      touchpoint('t7', null, { label: 'Loose card', owner: 'Sales', painPoints: [painPoint(5, 5)], contactVolume: 999 }),
      hub('Contact center'),
    ],
  });
  map.meta = { ...map.meta, title: 'Broadband', reviewedAt: NOW - 10 * DAY, reviewedBy: 'Lea', figuresAt: NOW - DAY };
  return withActions(map, [
    action('a1', 't3', { ownerTeam: 'Field Ops', status: 'doing', due: '2026-11-01' }),
    action('a2', 't5', { ownerTeam: 'Billing', due: '2026-12-31' }),
    action('a3', 't1', { ownerTeam: 'Sales', status: 'done', doneAt: NOW - 40 * DAY }),
    action('a4', 't2', { ownerTeam: null }),
    action('a5', 't4', { ownerTeam: 'IT', status: 'dropped', due: '2026-01-01' }),
  ]);
}

/** November's figures for Broadband, with one October row and one for the unstaged card (both ignored). */
export const BROADBAND_ROWS: MeasurementRow[] = [
  { touchpointId: 't1', period: '2026-11', contacts: 40, csat: { responses: 10, satisfied: 8 } },
  { touchpointId: 't3', period: '2026-11', contacts: 60, csat: { responses: 10, satisfied: 2 } },
  { touchpointId: 't7', period: '2026-11', contacts: 1000, csat: { responses: 100, satisfied: 100 } },
  { touchpointId: 't1', period: '2026-10', contacts: 5 },
];

/** Mobile: one stage named "BILLING", its one card owned by "Billing"; the hub's owner spelled "Contact  Center". Never reviewed, no figures. */
export function mobile(): JourneyMap {
  const map = journeyMap({
    stages: [stage('u1', 'BILLING', 'Sign up')],
    touchpoints: [touchpoint('v1', 'u1', { label: 'SIM activation', owner: 'Billing', painPoints: [painPoint(2, 3)], contactVolume: 5 }), hub('Contact  Center')],
  });
  map.meta = { ...map.meta, title: 'Mobile' };
  return map;
}

export function preparedMaps(): PortfolioMap[] {
  return [
    preparePortfolioMap({ id: 'map-a', title: 'Broadband', role: 'owner', updatedAt: NOW, map: broadband(), rows: BROADBAND_ROWS.filter((r) => r.period === '2026-11') }),
    preparePortfolioMap({ id: 'map-b', title: 'Mobile', role: 'commenter', updatedAt: NOW, map: mobile(), rows: [] }),
  ];
}
