import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addAction,
  applyChanges,
  deleteAction,
  deleteTouchpoint,
  demoMap,
  diffMaps,
  mergeMaps,
  readMap,
  updateAction,
  writeMap,
  type EditOrigin,
  type JourneyMap,
  type MapChange,
  type Resolutions,
} from '../../lib/journey/index';

/**
 * Actions in the three-way diff, the merge and the restore (issue 13: actions
 * are part of the map, DESIGN.md "Schema v2"). An action is added, removed, or
 * edited field by field (title, ownerTeam, due, painPointId, status); a status
 * change carries its side's doneAt, so that a merged "done" keeps the time it
 * was done (actionOutcomes reads it). An edit on one side of an action the
 * other removed is a conflict, as for touchpoints.
 */

const system: EditOrigin = { userId: 'system', kind: 'system' };
const lead: EditOrigin = { userId: 'lead', kind: 'local' };
const workshop: EditOrigin = { userId: 'workshop', kind: 'local' };
const CREATED = Date.UTC(2026, 8, 1, 9);
const DONE = Date.UTC(2026, 9, 15, 16);

class Fork {
  readonly base: JourneyMap;
  readonly master = new Y.Doc();
  readonly copy = new Y.Doc();

  constructor(prepare: (doc: Y.Doc) => void = () => undefined) {
    writeMap(this.master, demoMap().map, system);
    prepare(this.master);
    Y.applyUpdate(this.copy, Y.encodeStateAsUpdate(this.master));
    this.base = readMap(this.master);
  }

  diff(): MapChange[] {
    return diffMaps(this.base, readMap(this.master), readMap(this.copy));
  }

  merge(resolutions: Resolutions = {}, changes = this.diff()): JourneyMap {
    return applyChanges(this.master, changes.filter((change) => change.side !== 'master'), resolutions, lead);
  }

  refresh(resolutions: Resolutions = {}, changes = this.diff()): JourneyMap {
    return applyChanges(this.copy, changes.filter((change) => change.side !== 'copy'), resolutions, lead);
  }
}

const withActions = (doc: Y.Doc): void => {
  addAction(doc, { id: 'a-ivr', touchpointId: 'tp-ivr', painPointId: 'pp-seven-options', title: 'Cut the menu to four options', ownerTeam: 'Contact Center', status: 'doing' }, CREATED, system);
  addAction(doc, { id: 'a-bill', touchpointId: 'tp-first-bill', title: 'Explain the pro-rated month', due: '2026-12-01' }, CREATED, system);
};

const listed = (changes: readonly MapChange[]) => changes.map((c) => [c.id, c.side, c.conflict] as const);

describe('diffMaps: actions (issue 13)', () => {
  it('an action added in the copy is a change with a sentence and the stage of its touchpoint; merged, it is the copy’s action whole', () => {
    const fork = new Fork();
    addAction(fork.copy, { id: 'a-new', touchpointId: 'tp-support-chat', painPointId: 'pp-chat-closes', title: 'Keep the chat open', ownerTeam: 'E-commerce', due: '2027-01-15' }, CREATED, workshop);
    const changes = fork.diff();
    expect(listed(changes)).toEqual([['action:a-new:added', 'copy', false]]);
    expect(changes[0]).toMatchObject({ kind: 'action.added', target: { type: 'action', actionId: 'a-new' }, stageId: 'stage-get-help', summary: 'Added action "Keep the chat open" to touchpoint "Support chat"' });
    const merged = fork.merge();
    expect(merged.actions['a-new']).toEqual(readMap(fork.copy).actions['a-new']);
    expect(readMap(fork.master).actions).toEqual(readMap(fork.copy).actions);
  });

  it('a status change carries the copy’s doneAt: merged, the master’s action is done at the time it was done in the copy', () => {
    const fork = new Fork(withActions);
    updateAction(fork.copy, 'a-ivr', { status: 'done' }, DONE, workshop);
    const changes = fork.diff();
    expect(listed(changes)).toEqual([['action:a-ivr:status', 'copy', false]]);
    expect(changes[0]).toMatchObject({ kind: 'action.changed', field: 'status', before: 'doing', after: 'done', doneAt: DONE, summary: 'Changed the status of action "Cut the menu to four options" from in progress to done' });
    fork.merge();
    expect(readMap(fork.master).actions['a-ivr']).toMatchObject({ status: 'done', doneAt: DONE, createdAt: CREATED });
  });

  it('title, owner team, due date and pain point are each a change of their own; removing an action is one', () => {
    const fork = new Fork(withActions);
    updateAction(fork.copy, 'a-bill', { title: 'Show an example bill', ownerTeam: 'Billing', due: null }, DONE, workshop);
    updateAction(fork.copy, 'a-ivr', { painPointId: null }, DONE, workshop);
    deleteAction(fork.master, 'a-ivr', lead);
    const copyOnly = new Fork(withActions);
    deleteAction(copyOnly.copy, 'a-bill', workshop);
    expect(listed(copyOnly.diff())).toEqual([['action:a-bill:removed', 'copy', false]]);
    expect(copyOnly.diff()[0]?.summary).toBe('Removed action "Explain the pro-rated month"');
    copyOnly.merge();
    expect(readMap(copyOnly.master).actions['a-bill']).toBeUndefined();

    const changes = fork.diff();
    expect(listed(changes).filter(([id]) => id.startsWith('action:a-bill'))).toEqual([
      ['action:a-bill:title', 'copy', false],
      ['action:a-bill:ownerTeam', 'copy', false],
      ['action:a-bill:due', 'copy', false],
    ]);
    expect(changes.map((c) => c.summary).filter((s) => s.includes('Show an example bill') || s.includes('pro-rated'))).toEqual([
      'Renamed action "Explain the pro-rated month" to "Show an example bill"',
      'Made "Billing" the owner team of action "Show an example bill"',
      'Removed the due date of action "Show an example bill" (was 2026-12-01)',
    ]);
    // The master removed a-ivr, the copy unlinked its pain point: a conflict, kept or removed by the resolution.
    expect(changes.find((c) => c.id === 'action:a-ivr:removed')).toMatchObject({ conflict: true, master: { kind: 'action.removed' }, copy: { kind: 'action.kept', after: { painPointId: null } } });
    const kept = fork.merge({ 'action:a-ivr:removed': 'copy' });
    expect(kept.actions).toEqual(readMap(fork.copy).actions);
    expect(readMap(fork.master).actions).toEqual(readMap(fork.copy).actions);
  });

  it('both sides changing a status differently is a conflict; the same status on both is no change', () => {
    const fork = new Fork(withActions);
    updateAction(fork.master, 'a-ivr', { status: 'dropped' }, DONE, lead);
    updateAction(fork.copy, 'a-ivr', { status: 'done' }, DONE, workshop);
    updateAction(fork.master, 'a-bill', { status: 'doing' }, DONE, lead);
    updateAction(fork.copy, 'a-bill', { status: 'doing' }, DONE, workshop);
    const changes = fork.diff();
    expect(listed(changes)).toEqual([['action:a-ivr:status', 'both', true]]);
    fork.merge({ 'action:a-ivr:status': 'copy' });
    expect(readMap(fork.master).actions['a-ivr']).toMatchObject({ status: 'done', doneAt: DONE });
    const other = new Fork(withActions);
    updateAction(other.master, 'a-ivr', { status: 'done' }, DONE, lead);
    updateAction(other.copy, 'a-ivr', { status: 'dropped' }, DONE, workshop);
    other.merge({ 'action:a-ivr:status': 'master' });
    expect(readMap(other.master).actions['a-ivr']).toMatchObject({ status: 'done', doneAt: DONE });
  });

  it('a refresh pulls the master’s actions into the copy the same way', () => {
    const fork = new Fork(withActions);
    addAction(fork.master, { id: 'a-master', touchpointId: 'tp-cancellation', title: 'Cancel online' }, CREATED, lead);
    updateAction(fork.master, 'a-bill', { status: 'done' }, DONE, lead);
    fork.refresh();
    expect(readMap(fork.copy).actions).toEqual(readMap(fork.master).actions);
  });

  it('an action stays when its touchpoint goes (its outcome is still read); the merge adds one on a touchpoint the master removed', () => {
    const fork = new Fork();
    deleteTouchpoint(fork.master, 'tp-ivr', lead);
    addAction(fork.copy, { id: 'a-late', touchpointId: 'tp-ivr', title: 'Too late' }, CREATED, workshop);
    fork.merge();
    expect(readMap(fork.master).actions['a-late']).toEqual(readMap(fork.copy).actions['a-late']);
  });

  it('mergeMaps previews the chosen action changes, and leaves out the ones not chosen', () => {
    const fork = new Fork(withActions);
    addAction(fork.copy, { id: 'a-new', touchpointId: 'tp-ivr', title: 'Callback instead of waiting' }, CREATED, workshop);
    updateAction(fork.copy, 'a-ivr', { status: 'done' }, DONE, workshop);
    const master = readMap(fork.master);
    const preview = mergeMaps(fork.base, master, readMap(fork.copy), ['action:a-ivr:status']);
    expect(preview.actions['a-new']).toBeUndefined();
    expect(preview.actions['a-ivr']).toMatchObject({ status: 'done', doneAt: DONE });
  });

  it('restoring (the diff of now against a version, applied) brings the actions back exactly', () => {
    const doc = new Y.Doc();
    writeMap(doc, demoMap().map, system);
    withActions(doc);
    const version = readMap(doc);
    updateAction(doc, 'a-ivr', { status: 'done', title: 'Done it' }, DONE, lead);
    deleteAction(doc, 'a-bill', lead);
    addAction(doc, { id: 'a-since', touchpointId: 'tp-ivr', title: 'Since the version' }, DONE, lead);
    const now = readMap(doc);
    applyChanges(doc, diffMaps(now, now, version), {}, system);
    expect(readMap(doc).actions).toEqual(version.actions);
  });
});
