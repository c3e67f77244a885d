/**
 * Issue 7 §6, versions against the real server: a named version, what has
 * changed since, restoring it while stock y-websocket clients are connected
 * (both see the map become the version, live), the automatic version kept
 * before a restore and when the last editor leaves after changes, who may do
 * what, and the same through the operators' CLI. History is never rewritten:
 * a restore is a new edit, and restoring its "before" version undoes it.
 * The real server (production build) on a real SQLite file; one per file.
 */
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MapChange } from '../../lib/journey/map-change';
import type { EditOrigin } from '../../lib/journey/origin';
import { roomName } from '../../lib/journey/rooms';
import { addAction, addTouchpoint, deleteAction, deleteTouchpoint, readMap, renameStage, updateAction, updateConnectionLabel, updatePainPoint } from '../../lib/journey/schema';
import type { JourneyMap } from '../../lib/journey/types';
import type { VersionRecord } from '../../server/store/history-store';
import type { MapSummary } from '../../server/services/maps';
import type { VersionView } from '../../server/services/versions';
import type { ErrorBody } from '../support/api-client';
import { TestServer, stopAllServers } from '../support/server';
import { cliFailed, cliOk, runCli, type CliResult } from '../support/cli';
import { destroyAllCollabClients, type CollabClient } from '../support/collab-client';
import { waitFor } from '../support/wait';
import { Team, type Person } from '../support/people';

let server: TestServer;
let team: Team;
/** Olga owns the maps; Eddie edits them; Cora comments and Vic views. */
let olga: Person;
let eddie: Person;
let cora: Person;
let vic: Person;

const cli = (...args: string[]): Promise<CliResult> => runCli(server.dataDir, args);
const origin = (person: Person): EditOrigin => ({ userId: person.email, kind: 'local' });
const open = (person: Person, mapId: string): Promise<CollabClient> => person.open(roomName(mapId, 'map'));

/** What a version restores and the diff covers: the map without its meta (title and persona are the map's own). */
const journeyOf = (map: JourneyMap): Omit<JourneyMap, 'meta'> => ({ stages: map.stages, touchpoints: map.touchpoints, connections: map.connections, actions: map.actions });

function expectStatus<T>(what: string, answer: { status: number; body: T; text: string }, status: number): T {
  expect(answer.status, `${what}: ${answer.text}`).toBe(status);
  return answer.body;
}

async function sharedMap(title: string): Promise<MapSummary> {
  const map = await olga.createMap(title, 'demo');
  await Promise.all([olga.invite(map.id, eddie.email, 'editor'), olga.invite(map.id, cora.email, 'commenter'), olga.invite(map.id, vic.email, 'viewer')]);
  return map;
}

async function saveVersion(person: Person, mapId: string, name: string): Promise<VersionRecord> {
  return expectStatus(`${person.name} saves "${name}"`, await person.api.post<VersionRecord>(`/api/maps/${mapId}/versions`, { name }), 201);
}

async function versionsOf(person: Person, mapId: string): Promise<VersionRecord[]> {
  return expectStatus('list versions', await person.api.get<{ versions: VersionRecord[] }>(`/api/maps/${mapId}/versions`), 200).versions;
}

async function readVersion(person: Person, mapId: string, versionId: string): Promise<VersionView> {
  return expectStatus('read a version', await person.api.get<VersionView>(`/api/maps/${mapId}/versions/${versionId}`), 200);
}

interface Restored {
  restored: VersionRecord;
  backup: VersionRecord;
  changes: number;
}

async function restore(person: Person, mapId: string, versionId: string): Promise<Restored> {
  return expectStatus('restore', await person.api.post<Restored>(`/api/maps/${mapId}/versions/${versionId}/restore`), 200);
}

/** Asks again until `accept` holds; fails at the deadline. For state with no event to wait on (a version kept in the background). */
function poll<T>(ask: () => Promise<T>, accept: (value: T) => boolean, what: string, timeout = 10_000): Promise<T> {
  return waitFor(
    async () => {
      const value = await ask();
      return accept(value) ? { value } : null;
    },
    { timeout, message: what, interval: 50 },
  ).then((found) => found.value);
}

beforeAll(async () => {
  server = await TestServer.start();
  team = new Team(server);
  [olga, eddie, cora, vic] = await Promise.all([team.signUp('Olga'), team.signUp('Eddie'), team.signUp('Cora'), team.signUp('Vic')]);
});

afterAll(async () => {
  destroyAllCollabClients();
  await stopAllServers();
});

describe('named versions, what changed since, and restoring one live', () => {
  let map: MapSummary;
  let onMap: CollabClient;
  let alsoOnMap: CollabClient;
  let saved: VersionRecord;
  let atSave: JourneyMap;

  beforeAll(async () => {
    map = await sharedMap('Versioned journey');
    [onMap, alsoOnMap] = await Promise.all([open(eddie, map.id), open(olga, map.id)]);
    atSave = readMap(alsoOnMap.doc);
    saved = await saveVersion(olga, map.id, 'Before the workshop');

    // Eddie reworks the map; Olga's socket has it once the server stored it.
    renameStage(onMap.doc, 'stage-buy', 'Purchase', origin(eddie));
    deleteTouchpoint(onMap.doc, 'tp-router-delivery', origin(eddie));
    addTouchpoint(onMap.doc, { id: 'tp-chatbot', label: 'Billing chatbot', stageId: 'stage-use' }, origin(eddie));
    updatePainPoint(onMap.doc, 'tp-first-bill', 'pp-bill-higher', { severity: 5 }, origin(eddie));
    updateConnectionLabel(onMap.doc, 'cx-ivr-hub', 'after seven options', origin(eddie));
    await alsoOnMap.until((doc) => readMap(doc).connections['cx-ivr-hub']?.label === 'after seven options', "Eddie's edits at Olga's client");
  });

  it('saving a version answers with it; GET …/versions/:vid gives the map as it was and every change since', async () => {
    expect(saved).toEqual({ id: expect.any(String) as unknown, mapId: map.id, name: 'Before the workshop', kind: 'named', createdBy: olga.email, createdAt: expect.any(Number) as unknown });
    const view = await readVersion(eddie, map.id, saved.id);
    expect(view.version).toEqual(saved);
    expect(view.map).toEqual(atSave);
    expect(view.discussion.comments['comment-first-bill']).toBeDefined();
    // Each change's side is "copy", meaning the map now.
    expect(view.changes.map((c: MapChange) => [c.id, c.side, c.kind]).sort(([a], [b]) => String(a).localeCompare(String(b)))).toEqual([
      ['cx:cx-ivr-hub:label', 'copy', 'connection.relabeled'],
      ['pp:tp-first-bill:pp-bill-higher:severity', 'copy', 'painPoint.edited'],
      ['stage:stage-buy:name', 'copy', 'stage.renamed'],
      ['tp:tp-chatbot:added', 'copy', 'touchpoint.added'],
      ['tp:tp-router-delivery:removed', 'copy', 'touchpoint.removed'],
    ]);
    expect(view.changes.find((c) => c.id === 'tp:tp-router-delivery:removed')).toMatchObject({ connections: ['cx-delivery-technician'] });
  });

  it('a commenter or a viewer lists and reads versions but may not save or restore one', async () => {
    for (const [person, role] of [[cora, 'a commenter'], [vic, 'a viewer']] as const) {
      expect((await versionsOf(person, map.id)).map((v) => v.id)).toEqual([saved.id]);
      expect((await readVersion(person, map.id, saved.id)).map).toEqual(atSave);
      const save = await person.api.post<ErrorBody>(`/api/maps/${map.id}/versions`, { name: 'Mine' });
      expect([save.status, save.body.error]).toEqual([403, `This needs the editor role or higher; you are ${role}`]);
      const restoring = await person.api.post<ErrorBody>(`/api/maps/${map.id}/versions/${saved.id}/restore`);
      expect([restoring.status, restoring.body.error]).toEqual([403, `This needs the editor role or higher; you are ${role}`]);
    }
    expect((await versionsOf(olga, map.id)).map((v) => v.id)).toEqual([saved.id]);
  });

  it('an unknown version is 404; a name of 0 or 101 characters, or none, is 400 with a sentence', async () => {
    const unknown = await eddie.api.get<ErrorBody>(`/api/maps/${map.id}/versions/no-such-version`);
    expect([unknown.status, unknown.body.error]).toEqual([404, 'No version no-such-version of this map']);
    expect((await eddie.api.post(`/api/maps/${map.id}/versions/no-such-version/restore`)).status).toBe(404);
    // A version of another map is unknown here.
    const other = await olga.createMap('Another map');
    const elsewhere = await saveVersion(olga, other.id, 'Elsewhere');
    expect((await olga.api.get(`/api/maps/${map.id}/versions/${elsewhere.id}`)).status).toBe(404);

    for (const [body, message] of [
      [{ name: '' }, 'name must be 1 to 100 characters'],
      [{ name: '   ' }, 'name must be 1 to 100 characters'],
      [{ name: 'x'.repeat(101) }, 'name must be 1 to 100 characters'],
      [{}, 'name is required'],
    ] as const) {
      const answer = await eddie.api.post<ErrorBody>(`/api/maps/${map.id}/versions`, body);
      expect([answer.status, answer.body.error], JSON.stringify(body)).toEqual([400, message]);
    }
    expect((await versionsOf(olga, map.id)).map((v) => v.id)).toEqual([saved.id]);
    expect((await saveVersion(olga, other.id, ` ${'x'.repeat(100)} `)).name).toBe('x'.repeat(100));
  });

  it('restoring makes the map equal to the version at every open socket, keeps "Before restoring …", and restoring that brings the edits back', async () => {
    const edited = readMap(alsoOnMap.doc);
    const sockets = [onMap.provider.ws, alsoOnMap.provider.ws];
    const result = await restore(olga, map.id, saved.id);
    expect(result.restored).toEqual(saved);
    expect(result.backup).toMatchObject({ mapId: map.id, name: 'Before restoring "Before the workshop"', kind: 'auto', createdBy: olga.email });
    // The five edits undone; the removed touchpoint's connection comes back as a change of its own.
    expect(result.changes).toBe(6);

    const target = journeyOf((await readVersion(vic, map.id, saved.id)).map);
    await Promise.all(
      [onMap, alsoOnMap].map((client, i) => client.until((doc) => isDeepStrictEqual(journeyOf(readMap(doc)), target), `the restored map at client ${i + 1}`)),
    );
    expect(journeyOf(readMap(onMap.doc))).toEqual(target);
    expect(journeyOf(readMap(alsoOnMap.doc))).toEqual(target);
    expect([onMap.provider.ws, alsoOnMap.provider.ws]).toEqual(sockets);
    expect((await readVersion(eddie, map.id, saved.id)).changes).toEqual([]);

    // The state before the restore is a version of its own: nothing was rewritten.
    const backup = await readVersion(eddie, map.id, result.backup.id);
    expect(backup.map).toEqual(edited);
    const undone = await restore(eddie, map.id, result.backup.id);
    expect(undone.backup.name).toBe('Before restoring "Before restoring "Before the workshop""');
    await Promise.all(
      [onMap, alsoOnMap].map((client, i) => client.until((doc) => isDeepStrictEqual(journeyOf(readMap(doc)), journeyOf(edited)), `the edits back at client ${i + 1}`)),
    );
    expect(readMap(onMap.doc).touchpoints['tp-router-delivery']).toBeUndefined();
    expect(readMap(onMap.doc).touchpoints['tp-chatbot']?.label).toBe('Billing chatbot');

    const versions = await versionsOf(olga, map.id);
    expect(versions.map((v) => [v.name, v.kind, v.createdBy])).toEqual([
      ['Before restoring "Before restoring "Before the workshop""', 'auto', eddie.email],
      ['Before restoring "Before the workshop"', 'auto', olga.email],
      ['Before the workshop', 'named', olga.email],
    ]);
    expect((await readVersion(olga, map.id, saved.id)).map).toEqual(atSave);
    const audit = await olga.audit(map.id);
    expect(audit.slice(0, 2).map((e) => [e.action, e.actorEmail, e.detail?.version])).toEqual([
      ['version.restored', eddie.email, 'Before restoring "Before the workshop"'],
      ['version.restored', olga.email, 'Before the workshop'],
    ]);
  });
});

describe('restoring a version restores the actions too (issue 13)', () => {
  it('an action done, one added and one deleted since the version: the restore brings each back as it was, with its times', async () => {
    const map = await sharedMap('Versioned actions');
    const [onMap, watcher] = await Promise.all([open(eddie, map.id), open(olga, map.id)]);
    const CREATED = Date.UTC(2026, 9, 1, 9);
    addAction(onMap.doc, { id: 'action-bill', touchpointId: 'tp-first-bill', title: 'Explain the pro-rated month', status: 'doing', due: '2026-12-01' }, CREATED, origin(eddie));
    addAction(onMap.doc, { id: 'action-ivr', touchpointId: 'tp-ivr', painPointId: 'pp-seven-options', title: 'Cut the phone menu to four options' }, CREATED, origin(eddie));
    await watcher.until((doc) => Object.keys(readMap(doc).actions).length === 2, 'the actions, stored');
    const atSave = readMap(watcher.doc).actions;
    const saved = await saveVersion(olga, map.id, 'Before the action review');

    updateAction(onMap.doc, 'action-bill', { status: 'done', title: 'Explained the pro-rated month' }, Date.UTC(2026, 10, 5), origin(eddie));
    deleteAction(onMap.doc, 'action-ivr', origin(eddie));
    addAction(onMap.doc, { id: 'action-new', touchpointId: 'tp-cancellation', title: 'Let people cancel online' }, Date.UTC(2026, 10, 6), origin(eddie));
    await watcher.until((doc) => readMap(doc).actions['action-new'] !== undefined && readMap(doc).actions['action-ivr'] === undefined, "Eddie's action edits, stored");

    const view = await readVersion(vic, map.id, saved.id);
    expect(view.map.actions).toEqual(atSave);
    expect(view.changes.map((c) => c.id).sort()).toEqual(['action:action-bill:status', 'action:action-bill:title', 'action:action-ivr:removed', 'action:action-new:added']);

    const result = await restore(olga, map.id, saved.id);
    expect(result.changes).toBe(4);
    await Promise.all([onMap, watcher].map((client, i) => client.until((doc) => isDeepStrictEqual(readMap(doc).actions, atSave), `the restored actions at client ${i + 1}`)));
    expect(readMap(onMap.doc).actions['action-bill']).toMatchObject({ status: 'doing', doneAt: null, createdAt: CREATED, title: 'Explain the pro-rated month' });
    expect((await readVersion(eddie, map.id, saved.id)).changes).toEqual([]);
  });
});

describe('automatic versions', () => {
  it('the last editor leaving a map after changes keeps a version of it; leaving without changes keeps none', async () => {
    const map = await sharedMap('Editing session');
    // A viewer stays connected throughout: only editors count.
    const viewer = await open(vic, map.id);

    const idle = await open(eddie, map.id);
    idle.destroy();

    const editor = await open(eddie, map.id);
    renameStage(editor.doc, 'stage-use', 'Get going', origin(eddie));
    await viewer.until((doc) => readMap(doc).stages.find((s) => s.id === 'stage-use')?.name === 'Get going', "the editor's edit at the viewer");
    editor.destroy();

    const versions = await poll(() => versionsOf(olga, map.id), (list) => list.length > 0, 'an automatic version after the editor left');
    expect(versions).toEqual([
      { id: expect.any(String) as unknown, mapId: map.id, name: 'Automatic: after an editing session', kind: 'auto', createdBy: 'system', createdAt: expect.any(Number) as unknown },
    ]);
    const view = await readVersion(vic, map.id, versions[0]?.id ?? '');
    expect(view.map.stages.find((s) => s.id === 'stage-use')?.name).toBe('Get going');
    expect(view.changes).toEqual([]);
    expect(viewer.closedWith).toBeNull();
  });

  it('an editor leaving while another is still on the map (on any process) keeps no version; the last one leaving keeps one with both their edits', async () => {
    const map = await sharedMap('Two editors');
    const [owner, editor] = await Promise.all([open(olga, map.id), open(eddie, map.id)]);
    renameStage(editor.doc, 'stage-use', 'Eddie was here', origin(eddie));
    await owner.until((doc) => readMap(doc).stages.find((s) => s.id === 'stage-use')?.name === 'Eddie was here', "Eddie's edit at Olga's client");
    // Both present, as a browser is (its cursor): each process then knows the other is there, wherever their sockets are.
    for (const client of [owner, editor]) client.provider.awareness.setLocalStateField('cursor', { x: 0, y: 0 });
    await waitFor(() => owner.provider.awareness.getStates().size >= 2 && editor.provider.awareness.getStates().size >= 2, { message: 'each sees the other present' });
    editor.destroy();
    renameStage(owner.doc, 'stage-buy', 'Olga was here', origin(olga));
    const watcher = await open(vic, map.id);
    await watcher.until((doc) => readMap(doc).stages.find((s) => s.id === 'stage-buy')?.name === 'Olga was here', "Olga's edit at the viewer");
    owner.destroy();
    const versions = await poll(() => versionsOf(olga, map.id), (list) => list.length > 0, 'the automatic version after the last editor left');
    // Eddie's leaving, earlier, would have kept one of its own by now.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await versionsOf(olga, map.id)).toHaveLength(1);
    const view = await readVersion(vic, map.id, versions[0]?.id ?? '');
    expect(view.map.stages.map((s) => s.name)).toEqual(expect.arrayContaining(['Eddie was here', 'Olga was here']));
    watcher.destroy();
  });
});

describe('the CLI: version save, list, restore', () => {
  it('saves, lists and restores versions with --json; errors are a sentence and an exit code', async () => {
    const map = await sharedMap('Versions from the CLI');
    const [saved, tooLong, byViewer] = await Promise.all([
      cli('version', 'save', '--map', map.id, '--email', olga.email, '--name', 'Baseline', '--json'),
      cli('version', 'save', '--map', map.id, '--email', olga.email, '--name', 'x'.repeat(101)),
      cli('version', 'save', '--map', map.id, '--email', vic.email, '--name', 'Mine'),
    ]);
    const baseline = cliOk(saved);
    expect(baseline).toEqual({ id: expect.any(String) as unknown, mapId: map.id, name: 'Baseline', kind: 'named', createdBy: olga.email, createdAt: expect.any(Number) as unknown });
    cliFailed(tooLong, 2, 'name must be 1 to 100 characters.');
    cliFailed(byViewer, 1, 'This needs the editor role or higher; you are a viewer.');

    // An edit by a stock client; it leaves before the CLI writes, since the CLI writes to the store, not to open rooms.
    const editor = await open(eddie, map.id);
    const watcher = await open(olga, map.id);
    updatePainPoint(editor.doc, 'tp-first-bill', 'pp-bill-higher', { severity: 5 }, origin(eddie));
    await watcher.until((doc) => readMap(doc).touchpoints['tp-first-bill']?.painPoints[0]?.severity === 5, "the edit at Olga's client");
    editor.destroy();
    watcher.destroy();

    const [listed, listedText, unknown] = await Promise.all([
      cli('version', 'list', '--map', map.id, '--email', cora.email, '--json'),
      cli('version', 'list', '--map', map.id, '--email', cora.email),
      cli('version', 'restore', '--map', map.id, '--id', 'no-such-version', '--email', olga.email),
    ]);
    const names = (cliOk(listed).versions as VersionRecord[]).map((v) => v.name);
    expect(names).toContain('Baseline');
    expect(listedText.stdout).toMatch(new RegExp(`^${String(baseline.id)}\\t\\S+\\tnamed\\tBaseline$`, 'm'));
    cliFailed(unknown, 1, 'No version no-such-version of this map.');

    const restored = cliOk(await cli('version', 'restore', '--map', map.id, '--id', String(baseline.id), '--email', eddie.email, '--json'));
    expect(restored).toMatchObject({ restored: { id: baseline.id, name: 'Baseline' }, backup: { name: 'Before restoring "Baseline"', kind: 'auto', createdBy: eddie.email }, changes: 1 });
    // What the store holds now: nothing has changed since the baseline.
    expect((await readVersion(olga, map.id, String(baseline.id))).changes).toEqual([]);
    const backupId = String((restored.backup as VersionRecord).id);
    expect((await readVersion(olga, map.id, backupId)).map.touchpoints['tp-first-bill']?.painPoints[0]?.severity).toBe(5);
  });
});
