import type { Ownership, PainLevel } from '../annotations/types';
import { isOpen, isOverdue } from '../journey/actions';
import type { ActionStatus, Touchpoint } from '../journey/types';
import { stagedTouchpoints, type PortfolioMap } from './portfolio-map';
import { compareText, type SortSpec, type SortValue } from './table-sort';
import { SpellingTally, compareCodeUnits, teamKey } from './team-name';

/**
 * Teams across maps (issue 13 §4): "when everyone owns the customer
 * experience, nobody owns it", made visible. A team is any name given as a
 * stage's accountable team, a touchpoint's owner (the hub's too) or an
 * action's owner team, on any map the person can see; names are compared by
 * teamKey (case, spacing and Unicode form do not split a team).
 *
 * A stage's accountable team is the annotations' `accountable` (DESIGN.md):
 * the team named on the stage, else its single owner — `named` tells which.
 * Pain and contacts are those of the team's touchpoints in stages, as the
 * annotations count them: a touchpoint in no stage counts nowhere, so the
 * teams' figures and Nobody's add up to the maps' own.
 */

export interface MapRef {
  mapId: string;
  mapTitle: string;
}

export interface TeamStage extends MapRef {
  stageId: string;
  stageName: string;
  /** The team is named on the stage (else it is accountable as the stage's single owner). */
  named: boolean;
  pain: number;
  painLevel: PainLevel;
  estimatedContacts: number;
  measuredContacts: number | null;
}

export interface TeamTouchpoint extends MapRef {
  touchpointId: string;
  label: string;
  /** Null for the hub. */
  stageName: string | null;
  hub: boolean;
  pain: number;
  estimatedContacts: number;
  measuredContacts: number | null;
}

/** A stage where the team owns touchpoints but is not the accountable one: shared, and who answers for it. */
export interface SharedStage extends MapRef {
  stageId: string;
  stageName: string;
  ownership: Ownership;
  /** The accountable team, null when nobody is. */
  accountable: string | null;
  owners: string[];
}

export interface TeamAction extends MapRef {
  actionId: string;
  title: string;
  status: ActionStatus;
  due: string | null;
  overdue: boolean;
  /** Null when its touchpoint is gone. */
  touchpointLabel: string | null;
}

export interface TeamRow {
  key: string;
  /** The spelling used most often. */
  name: string;
  /** Every spelling the maps use; more than one is worth tidying. */
  spellings: string[];
  /** How many maps name the team. */
  maps: number;
  accountableFor: TeamStage[];
  /** The heaviest first (pain, then estimated contacts); hubs last. */
  touchpoints: TeamTouchpoint[];
  sharedStages: SharedStage[];
  /** Σ pain on its touchpoints in stages. */
  pain: number;
  estimatedContacts: number;
  /** Σ measured contacts of its touchpoints (each map's latest month); null when none has any. */
  measuredContacts: number | null;
  /** Open and done actions (dropped ones are left out): overdue first, then by due date, then done. */
  actions: TeamAction[];
  openActions: number;
  overdueActions: number;
}

/** What no team answers for, across the maps. */
export interface Nobody {
  /** Fragmented or unowned stages: no accountable team. */
  stages: Array<SharedStage & { suggestedOwner: string | null; pain: number }>;
  unownedTouchpoints: number;
  pain: number;
  estimatedContacts: number;
  measuredContacts: number | null;
  /** Open actions with no owner team. */
  openActionsWithoutTeam: number;
}

export interface TeamsView {
  teams: TeamRow[];
  nobody: Nobody;
}

interface Building {
  spelling: SpellingTally;
  maps: Set<string>;
  row: TeamRow;
}

function painOf(touchpoint: Touchpoint): number {
  let pain = 0;
  for (const point of touchpoint.painPoints) pain += point.severity * point.frequency;
  return pain;
}

const addMeasured = (sum: number | null, value: number | null): number | null => (value === null ? sum : (sum ?? 0) + value);

/** `today` 'YYYY-MM-DD' for overdue actions. Teams in no particular order: sort them with TEAMS_SORT. */
export function teamsOf(maps: readonly PortfolioMap[], today: string): TeamsView {
  const building = new Map<string, Building>();
  const team = (name: string, mapId: string): TeamRow | null => {
    const key = teamKey(name);
    if (key === null) return null;
    let entry = building.get(key);
    if (entry === undefined) {
      entry = {
        spelling: new SpellingTally(),
        maps: new Set(),
        row: { key, name: '', spellings: [], maps: 0, accountableFor: [], touchpoints: [], sharedStages: [], pain: 0, estimatedContacts: 0, measuredContacts: null, actions: [], openActions: 0, overdueActions: 0 },
      };
      building.set(key, entry);
    }
    entry.spelling.add(name);
    entry.maps.add(mapId);
    return entry.row;
  };
  const nobody: Nobody = { stages: [], unownedTouchpoints: 0, pain: 0, estimatedContacts: 0, measuredContacts: null, openActionsWithoutTeam: 0 };

  for (const prepared of maps) {
    const { map, annotations, rowsByTouchpoint } = prepared;
    const ref: MapRef = { mapId: prepared.id, mapTitle: prepared.title };
    const stageNames = new Map(annotations.stages.map((stage) => [stage.stageId, stage.name]));
    const measuredOf = (touchpointId: string): number | null => {
      const contacts = rowsByTouchpoint.get(touchpointId)?.contacts;
      return typeof contacts === 'number' ? contacts : null;
    };

    const staged = stagedTouchpoints(map);
    // The record key is the touchpoint's id, as the annotations read it.
    for (const [touchpointId, touchpoint] of Object.entries(map.touchpoints)) {
      const isHub = touchpoint.kind === 'hub' && touchpointId === map.meta.hubId;
      const stageId = staged.get(touchpointId);
      if (!isHub && stageId === undefined) continue;
      const pain = isHub ? 0 : painOf(touchpoint);
      const estimated = isHub ? 0 : touchpoint.contactVolume;
      const measured = isHub ? null : measuredOf(touchpointId);
      const owner = touchpoint.owner === null ? null : team(touchpoint.owner, ref.mapId);
      if (owner === null) {
        if (isHub) continue;
        nobody.unownedTouchpoints++;
        nobody.pain += pain;
        nobody.estimatedContacts += estimated;
        nobody.measuredContacts = addMeasured(nobody.measuredContacts, measured);
        continue;
      }
      owner.touchpoints.push({
        ...ref,
        touchpointId,
        label: touchpoint.label,
        stageName: stageId === undefined ? null : (stageNames.get(stageId) ?? null),
        hub: isHub,
        pain,
        estimatedContacts: estimated,
        measuredContacts: measured,
      });
      owner.pain += pain;
      owner.estimatedContacts += estimated;
      owner.measuredContacts = addMeasured(owner.measuredContacts, measured);
    }

    for (const action of Object.values(map.actions)) {
      const open = isOpen(action);
      const owner = action.ownerTeam === null ? null : team(action.ownerTeam, ref.mapId);
      if (owner === null) {
        if (open) nobody.openActionsWithoutTeam++;
        continue;
      }
      if (action.status === 'dropped') continue;
      const overdue = isOverdue(action, today);
      owner.actions.push({
        ...ref,
        actionId: action.id,
        title: action.title,
        status: action.status,
        due: action.due,
        overdue,
        touchpointLabel: map.touchpoints[action.touchpointId]?.label ?? null,
      });
      if (open) owner.openActions++;
      if (overdue) owner.overdueActions++;
    }

    // After the touchpoints: a stage's owners and its single-owner accountable team are teams by then.
    const namedAccountable = new Map<string, boolean>();
    for (const stage of map.stages) if (!namedAccountable.has(stage.id)) namedAccountable.set(stage.id, teamKey(stage.accountable) !== null);
    for (const stage of annotations.stages) {
      const namedOnStage = namedAccountable.get(stage.stageId) ?? false;
      const accountableKey = teamKey(stage.accountable);
      const accountable = stage.accountable === null ? null : namedOnStage ? team(stage.accountable, ref.mapId) : (building.get(accountableKey ?? '')?.row ?? null);
      accountable?.accountableFor.push({
        ...ref,
        stageId: stage.stageId,
        stageName: stage.name,
        named: namedOnStage,
        pain: stage.pain,
        painLevel: stage.painLevel,
        estimatedContacts: stage.failureDemand,
        measuredContacts: stage.measured?.contacts ?? null,
      });
      const shared: SharedStage = { ...ref, stageId: stage.stageId, stageName: stage.name, ownership: stage.ownership, accountable: stage.accountable, owners: stage.owners };
      const sharedWith = new Set<string>();
      for (const owner of stage.owners) {
        const key = teamKey(owner);
        if (key === null || key === accountableKey || sharedWith.has(key)) continue;
        sharedWith.add(key);
        building.get(key)?.row.sharedStages.push(shared);
      }
      if (stage.ownership === 'fragmented' || stage.ownership === 'unowned') nobody.stages.push({ ...shared, suggestedOwner: stage.suggestedOwner, pain: stage.pain });
    }
  }

  const teams = [...building.values()].map(({ spelling, maps: named, row }) => ({
    ...row,
    name: spelling.name,
    spellings: spelling.spellings,
    maps: named.size,
    touchpoints: row.touchpoints.sort(touchpointOrder),
    actions: row.actions.sort(actionOrder),
  }));
  return { teams, nobody };
}

/** The heaviest first: pain, then estimated contacts; hubs last. */
function touchpointOrder(a: TeamTouchpoint, b: TeamTouchpoint): number {
  return Number(a.hub) - Number(b.hub) || b.pain - a.pain || b.estimatedContacts - a.estimatedContacts || compareText(a.mapTitle, b.mapTitle) || compareText(a.label, b.label) || compareCodeUnits(a.touchpointId, b.touchpointId);
}

function actionOrder(a: TeamAction, b: TeamAction): number {
  const rank = (action: TeamAction): number => (action.overdue ? 0 : action.status === 'done' ? 2 : 1);
  return rank(a) - rank(b) || compareCodeUnits(a.due ?? '9999-99-99', b.due ?? '9999-99-99') || compareText(a.mapTitle, b.mapTitle) || compareCodeUnits(a.actionId, b.actionId);
}

export const TEAM_COLUMNS = ['team', 'accountable', 'touchpoints', 'shared', 'pain', 'estimated', 'measured', 'open', 'overdue'] as const;
export type TeamColumn = (typeof TEAM_COLUMNS)[number];

export const TEAMS_SORT: SortSpec<TeamColumn, TeamRow> = {
  columns: TEAM_COLUMNS,
  defaultSort: 'pain',
  firstDir: { team: 'asc', accountable: 'desc', touchpoints: 'desc', shared: 'desc', pain: 'desc', estimated: 'desc', measured: 'desc', open: 'desc', overdue: 'desc' },
  value: teamValue,
  tieBreak: (a, b) => compareText(a.name, b.name) || compareCodeUnits(a.key, b.key),
};

function teamValue(row: TeamRow, column: TeamColumn): SortValue {
  switch (column) {
    case 'team':
      return row.name;
    case 'accountable':
      return row.accountableFor.length;
    case 'touchpoints':
      return row.touchpoints.filter((t) => !t.hub).length;
    case 'shared':
      return row.sharedStages.length;
    case 'pain':
      return row.pain;
    case 'estimated':
      return row.estimatedContacts;
    case 'measured':
      return row.measuredContacts;
    case 'open':
      return row.openActions;
    case 'overdue':
      return row.overdueActions;
  }
}
