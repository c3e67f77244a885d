/** Teams across maps (issue 13 §4) on the hand-made maps of portfolio-fixtures.ts; every figure computed by hand. */
import { describe, expect, it } from 'vitest';
import { preparePortfolioMap } from '../../lib/portfolio/portfolio-map';
import { parseSort, sortRows } from '../../lib/portfolio/table-sort';
import { SpellingTally, teamKey } from '../../lib/portfolio/team-name';
import { TEAMS_SORT, teamsOf, type TeamRow } from '../../lib/portfolio/teams';
import { NOW, TODAY, preparedMaps } from './portfolio-fixtures';
import { hub, journeyMap, painPoint, stage, touchpoint } from './annotations-factory';

const view = () => teamsOf(preparedMaps(), TODAY);
const teamNamed = (key: string): TeamRow => {
  const team = view().teams.find((t) => t.key === key);
  if (team === undefined) throw new Error(`no team ${key}`);
  return team;
};

describe('teamKey and spellings: one team however the maps spell it', () => {
  it('compares trimmed, collapsed, lower-cased, NFKC', () => {
    expect(teamKey('  Field   Ops ')).toBe('field ops');
    expect(teamKey('BILLING')).toBe(teamKey('billing'));
    // A full-width "Ｉ Ｔ" is "I T" after NFKC.
    expect(teamKey('Ｉ\u3000Ｔ')).toBe('i t');
    expect(teamKey('café')).toBe(teamKey('cafe\u0301'));
  });
  it('a blank name, or not a string, is no team', () => {
    for (const blank of ['', '   ', '\t\n', null, undefined, 7, {}]) expect(teamKey(blank)).toBeNull();
  });
  it('shows the spelling used most often, the first by code unit on a tie', () => {
    const tally = new SpellingTally();
    for (const name of ['billing ', 'Billing', 'BILLING', 'Billing']) tally.add(name);
    expect(tally.name).toBe('Billing');
    expect(tally.spellings).toEqual(['BILLING', 'Billing', 'billing']);
    const tie = new SpellingTally();
    tie.add('Field ops');
    tie.add('Field Ops');
    expect(tie.name).toBe('Field Ops');
  });
});

describe('teamsOf', () => {
  it('names every team owning a card or a hub, named accountable, or owning an action; no team from a card in no stage alone', () => {
    expect(view().teams.map((t) => t.key).sort()).toEqual(['billing', 'contact center', 'field ops', 'it', 'marketing', 'sales']);
  });

  it('Billing: one team across both maps and three spellings; accountable for Bill (its single owner) and Sign up (named)', () => {
    const billing = teamNamed('billing');
    expect(billing).toMatchObject({ name: 'Billing', spellings: ['BILLING', 'Billing', 'billing'], maps: 2, pain: 6, estimatedContacts: 305, measuredContacts: null, openActions: 1, overdueActions: 0 });
    expect(billing.accountableFor).toEqual([
      { mapId: 'map-a', mapTitle: 'Broadband', stageId: 's3', stageName: 'Bill', named: false, pain: 5, painLevel: 'low', estimatedContacts: 320, measuredContacts: null },
      { mapId: 'map-b', mapTitle: 'Mobile', stageId: 'u1', stageName: 'Sign up', named: true, pain: 6, painLevel: 'medium', estimatedContacts: 5, measuredContacts: null },
    ]);
    expect(billing.touchpoints.map((t) => [t.mapTitle, t.label, t.stageName, t.pain, t.estimatedContacts])).toEqual([
      // The heaviest first: pain 6 before pain 0.
      ['Mobile', 'SIM activation', 'Sign up', 6, 5],
      ['Broadband', 'First bill', 'Bill', 0, 300],
    ]);
    // Its own cards are in stages it answers for: nothing shared.
    expect(billing.sharedStages).toEqual([]);
    expect(billing.actions.map((a) => [a.actionId, a.status, a.overdue, a.touchpointLabel])).toEqual([['a2', 'proposed', false, 'First bill']]);
  });

  it('Sales: accountable for Order (named) with its measured 40; its done action listed, not open', () => {
    const sales = teamNamed('sales');
    expect(sales).toMatchObject({ maps: 1, pain: 6, estimatedContacts: 100, measuredContacts: 40, openActions: 0, overdueActions: 0 });
    expect(sales.accountableFor).toEqual([{ mapId: 'map-a', mapTitle: 'Broadband', stageId: 's1', stageName: 'Order', named: true, pain: 7, painLevel: 'low', estimatedContacts: 110, measuredContacts: 40 }]);
    expect(sales.touchpoints.map((t) => t.touchpointId)).toEqual(['t1']);
    expect(sales.actions.map((a) => [a.actionId, a.status])).toEqual([['a3', 'done']]);
  });

  it('Marketing shares Order, which Sales answers for; Field Ops and IT share Install, which nobody answers for', () => {
    expect(teamNamed('marketing').sharedStages.map((s) => [s.stageName, s.ownership, s.accountable])).toEqual([['Order', 'owned', 'Sales']]);
    expect(teamNamed('marketing').accountableFor).toEqual([]);
    const field = teamNamed('field ops');
    expect(field).toMatchObject({ name: 'Field Ops', spellings: ['Field Ops', 'Field ops'], pain: 16, estimatedContacts: 200, measuredContacts: 60, openActions: 1, overdueActions: 1 });
    expect(field.sharedStages.map((s) => [s.stageName, s.ownership, s.accountable, s.owners])).toEqual([['Install', 'fragmented', null, ['Field ops', 'IT']]]);
    expect(field.actions.map((a) => [a.actionId, a.overdue])).toEqual([['a1', true]]);
    // IT's only action was dropped.
    expect(teamNamed('it')).toMatchObject({ pain: 4, estimatedContacts: 50, actions: [], openActions: 0 });
  });

  it('the contact center owns both hubs ("Contact  Center" and "Contact center"), which carry no pain or contacts', () => {
    const cc = teamNamed('contact center');
    expect(cc).toMatchObject({ name: 'Contact Center', maps: 2, pain: 0, estimatedContacts: 0, measuredContacts: null });
    expect(cc.touchpoints.map((t) => [t.mapTitle, t.hub, t.stageName])).toEqual([
      ['Broadband', true, null],
      ['Mobile', true, null],
    ]);
  });

  it('Nobody: Install (fragmented, suggested Field ops), Direct debit without owner (pain 5, 20 contacts), one open action without a team', () => {
    const { nobody } = view();
    expect(nobody.stages.map((s) => [s.mapTitle, s.stageName, s.ownership, s.suggestedOwner, s.pain])).toEqual([['Broadband', 'Install', 'fragmented', 'Field ops', 20]]);
    expect(nobody).toMatchObject({ unownedTouchpoints: 1, pain: 5, estimatedContacts: 20, measuredContacts: null, openActionsWithoutTeam: 1 });
  });

  it("the teams' and Nobody's pain and estimated contacts add up to the maps' own (cards in no stage count nowhere)", () => {
    const { teams, nobody } = view();
    const maps = preparedMaps();
    const sum = (f: (t: TeamRow) => number) => teams.reduce((n, t) => n + f(t), 0);
    expect(sum((t) => t.pain) + nobody.pain).toBe(maps.reduce((n, m) => n + m.annotations.stages.reduce((p, s) => p + s.pain, 0), 0));
    expect(sum((t) => t.estimatedContacts) + nobody.estimatedContacts).toBe(maps.reduce((n, m) => n + m.annotations.failureDemand, 0));
  });

  it('an unowned stage is Nobody\'s, with the hub owner as its suggestion', () => {
    const map = journeyMap({ stages: [stage('z', null, 'Lost')], touchpoints: [touchpoint('q', 'z', { painPoints: [painPoint(1, 2)] }), hub()] });
    const { teams, nobody } = teamsOf([preparePortfolioMap({ id: 'm', title: 'M', role: 'viewer', updatedAt: NOW, map, rows: [] })], TODAY);
    expect(teams.map((t) => t.key)).toEqual(['contact center']);
    expect(nobody.stages.map((s) => [s.stageName, s.ownership, s.suggestedOwner])).toEqual([['Lost', 'unowned', 'Contact center']]);
  });

  it('sorts by pain (the default), largest first, then by name; a bad query reads as the default', () => {
    const order = (query: unknown) => sortRows(TEAMS_SORT, view().teams, parseSort(TEAMS_SORT, query)).map((t) => t.name);
    expect(order({})).toEqual(['Field Ops', 'Billing', 'Sales', 'IT', 'Marketing', 'Contact Center']);
    expect(order({ sort: 'drop table', dir: 'sideways' })).toEqual(order({}));
    expect(order({ sort: 'team' })).toEqual(['Billing', 'Contact Center', 'Field Ops', 'IT', 'Marketing', 'Sales']);
    // Measured contacts: Field Ops 60, Sales 40; the rest have none and come last in both directions.
    expect(order({ sort: 'measured', dir: 'asc' }).slice(0, 2)).toEqual(['Sales', 'Field Ops']);
  });
});
