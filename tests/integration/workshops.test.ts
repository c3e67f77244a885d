/**
 * Issue 7 §6, master maps and workshop copies against the real server: who
 * may mark a master and start a copy, a copy and its master edited at once
 * by stock y-websocket clients, the three-way diff over HTTP, a merge that
 * the master's open sockets receive live (with an automatic version before
 * it and an audit entry), a refresh that the copy's open sockets receive
 * live, and the same workflow through the operators' CLI.
 * The real server (production build) on a real SQLite file; one per file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EditOrigin } from '../../lib/journey/origin';
import type { MapChange, MapConflict } from '../../lib/journey/map-change';
import { roomName } from '../../lib/journey/rooms';
import { addAction, addTouchpoint, deleteAction, readDiscussion, readMap, renameStage, updateAction, updateTouchpoint } from '../../lib/journey/schema';
import type { JourneyMap } from '../../lib/journey/types';
import type { VersionRecord } from '../../server/store/history-store';
import type { MapSummary } from '../../server/services/maps';
import type { WorkshopDiff, WorkshopSummary } from '../../server/services/workshops';
import type { ErrorBody } from '../support/api-client';
import { TestServer, stopAllServers } from '../support/server';
import { cliFailed, cliOk, runCli, type CliResult } from '../support/cli';
import { destroyAllCollabClients, type CollabClient } from '../support/collab-client';
import { Team, type Person } from '../support/people';

let server: TestServer;
let team: Team;
/** Olga owns the masters; Eddie edits them and runs the workshops; Cora comments and Vic views. */
let olga: Person;
let eddie: Person;
let cora: Person;
let vic: Person;

const cli = (...args: string[]): Promise<CliResult> => runCli(server.dataDir, args);
const origin = (person: Person): EditOrigin => ({ userId: person.email, kind: 'local' });
const mapOf = (client: CollabClient): JourneyMap => readMap(client.doc);
/** What the diff covers: the map without its meta (title and persona are each map's own). */
const journeyOf = (map: JourneyMap): Omit<JourneyMap, 'meta'> => ({ stages: map.stages, touchpoints: map.touchpoints, connections: map.connections, actions: map.actions });
const open = (person: Person, mapId: string): Promise<CollabClient> => person.open(roomName(mapId, 'map'));

function expectStatus<T>(what: string, answer: { status: number; body: T; text: string }, status: number): T {
  expect(answer.status, `${what}: ${answer.text}`).toBe(status);
  return answer.body;
}

/** A demo map owned by Olga, with Eddie as editor, Cora as commenter and Vic as viewer. */
async function sharedMap(title: string): Promise<MapSummary> {
  const map = await olga.createMap(title, 'demo');
  await Promise.all([olga.invite(map.id, eddie.email, 'editor'), olga.invite(map.id, cora.email, 'commenter'), olga.invite(map.id, vic.email, 'viewer')]);
  return map;
}

async function markMaster(owner: Person, mapId: string): Promise<void> {
  expect(expectStatus('mark master', await owner.api.post(`/api/maps/${mapId}/master`, { master: true }), 200)).toEqual({ id: mapId, master: true });
}

async function startWorkshop(person: Person, masterId: string, title: string): Promise<MapSummary> {
  return expectStatus(`${person.name} starts a workshop`, await person.api.post<MapSummary>(`/api/maps/${masterId}/workshops`, { title }), 201);
}

async function diffOf(person: Person, copyId: string): Promise<WorkshopDiff> {
  return expectStatus(`${person.name} reads the diff`, await person.api.get<WorkshopDiff>(`/api/maps/${copyId}/diff`), 200);
}

/** [id, side, conflict] of each change, sorted: the review as a list. */
const listed = (changes: readonly MapChange[]): Array<[string, string, boolean]> =>
  changes.map((c): [string, string, boolean] => [c.id, c.side, c.conflict]).sort(([a], [b]) => a.localeCompare(b));

async function versionsOf(person: Person, mapId: string): Promise<VersionRecord[]> {
  return expectStatus('list versions', await person.api.get<{ versions: VersionRecord[] }>(`/api/maps/${mapId}/versions`), 200).versions;
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

describe('master maps and starting a workshop', () => {
  it('only the owner marks a master; only a master has workshops; an editor starts a copy that they own and that holds the master', async () => {
    const master = await sharedMap('Broadband journey');

    const notMaster = await eddie.api.post<ErrorBody>(`/api/maps/${master.id}/workshops`, {});
    expect(notMaster.status).toBe(409);
    expect(notMaster.body.error).toBe('Only a master map has workshop copies; its owner can mark it as master');

    const byEditor = await eddie.api.post<ErrorBody>(`/api/maps/${master.id}/master`, { master: true });
    expect(byEditor.status).toBe(403);
    expect(byEditor.body.error).toBe('This needs the owner role or higher; you are an editor');
    const badBody = await olga.api.post<ErrorBody>(`/api/maps/${master.id}/master`, { master: 'yes' });
    expect(badBody.status).toBe(400);
    expect(badBody.body.error).toBe('master must be true or false');

    await markMaster(olga, master.id);

    for (const [person, role] of [[cora, 'a commenter'], [vic, 'a viewer']] as const) {
      const refused = await person.api.post<ErrorBody>(`/api/maps/${master.id}/workshops`, {});
      expect(refused.status).toBe(403);
      expect(refused.body.error).toBe(`This needs the editor role or higher; you are ${role}`);
    }

    const copy = await startWorkshop(eddie, master.id, 'Spring workshop');
    expect(copy).toMatchObject({ title: 'Spring workshop', role: 'owner' });
    expect(copy.id).not.toBe(master.id);
    // Issue 11 §5: the master's members come along with their roles; one owner per map, so the master's owner edits the copy.
    expect((await eddie.members(copy.id)).members.map((m) => [m.email, m.role])).toEqual([
      [eddie.email, 'owner'],
      [olga.email, 'editor'],
      [cora.email, 'commenter'],
      [vic.email, 'viewer'],
    ]);
    expect((await vic.api.get<MapSummary>(`/api/maps/${copy.id}`)).body.role).toBe('viewer');

    // The copy holds the master's journey (a stock client on each reads the same), under its own title.
    const [onMaster, onCopy] = await Promise.all([open(olga, master.id), open(eddie, copy.id)]);
    expect(journeyOf(mapOf(onCopy))).toEqual(journeyOf(mapOf(onMaster)));
    expect(mapOf(onCopy).meta).toEqual({ ...mapOf(onMaster).meta, title: 'Spring workshop' });
    expect(mapOf(onMaster).meta.title).toBe('Broadband journey');
    expect(listed((await diffOf(eddie, copy.id)).changes)).toEqual([]);

    // A copy is not a master itself, and the master lists its copies to any member.
    const copyAsMaster = await eddie.api.post<ErrorBody>(`/api/maps/${copy.id}/master`, { master: true });
    expect(copyAsMaster.status).toBe(409);
    expect(copyAsMaster.body.error).toBe('A workshop copy cannot be a master; start the workshop from the master');
    const { workshops } = expectStatus('list workshops', await vic.api.get<{ workshops: WorkshopSummary[] }>(`/api/maps/${master.id}/workshops`), 200);
    expect(workshops).toEqual([
      { id: copy.id, title: 'Spring workshop', startedBy: eddie.email, startedAt: expect.any(Number) as unknown, status: 'open', mergedAt: null, copyChanges: 0, masterChanges: 0, conflicts: 0, damaged: false, damagedMessage: null },
    ]);
    const [started, marked] = await olga.audit(master.id);
    expect(started).toMatchObject({ action: 'workshop.started', actorEmail: eddie.email, detail: { copyId: copy.id, title: 'Spring workshop' } });
    expect(marked).toMatchObject({ action: 'map.marked_master', actorEmail: olga.email });
  });
});

describe('issue 11 §5: a named copy, with or without the master\'s comments, and participants added by its starter', () => {
  it('refuses a blank or over-long name and a non-boolean withComments in plain words', async () => {
    const master = await sharedMap('Naming journey');
    await markMaster(olga, master.id);
    for (const [body, error] of [
      [{ title: '   ' }, 'title: Give the workshop copy a name'],
      [{ title: 'x'.repeat(201) }, 'title: A workshop name can be at most 200 characters'],
      [{ title: 'Tuesday', withComments: 'yes' }, 'withComments must be true or false'],
    ] as const) {
      const refused = await eddie.api.post<ErrorBody>(`/api/maps/${master.id}/workshops`, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error).toBe(error);
    }
    expect((await olga.api.get<{ workshops: WorkshopSummary[] }>(`/api/maps/${master.id}/workshops`)).body.workshops).toEqual([]);
  });

  it('a copy starts without the master\'s comments unless asked; the owner starting it keeps the master\'s members and adds a participant', async () => {
    const master = await sharedMap('Comments journey');
    await markMaster(olga, master.id);
    const onMaster = await olga.open(roomName(master.id, 'discussion'));
    const masterComments = Object.keys(readDiscussion(onMaster.doc).comments);
    expect(masterComments.length).toBeGreaterThan(0);

    const plain = await startWorkshop(olga, master.id, 'Tuesday');
    const withComments = expectStatus('start with comments', await olga.api.post<MapSummary>(`/api/maps/${master.id}/workshops`, { title: 'Wednesday', withComments: true }), 201);
    const [plainDiscussion, fullDiscussion] = await Promise.all([olga.open(roomName(plain.id, 'discussion')), olga.open(roomName(withComments.id, 'discussion'))]);
    expect(readDiscussion(plainDiscussion.doc).comments).toEqual({});
    expect(Object.keys(readDiscussion(fullDiscussion.doc).comments).sort()).toEqual([...masterComments].sort());

    // The master's owner started it: they own the copy, the others keep their roles.
    expect((await olga.members(plain.id)).members.map((m) => [m.email, m.role])).toEqual([
      [olga.email, 'owner'],
      [eddie.email, 'editor'],
      [cora.email, 'commenter'],
      [vic.email, 'viewer'],
    ]);
    const guest = await team.signUp('Gina');
    expect((await guest.api.get(`/api/maps/${plain.id}`)).status).toBe(404);
    await olga.invite(plain.id, guest.email, 'editor');
    expect((await guest.api.get<MapSummary>(`/api/maps/${plain.id}`)).body.role).toBe('editor');
    // A participant of the copy is not a member of the master.
    expect((await guest.api.get(`/api/maps/${master.id}`)).status).toBe(404);
    const [accepted, invited, started] = await olga.audit(plain.id);
    expect(accepted).toMatchObject({ action: 'invitation.accepted', targetEmail: guest.email, detail: { role: 'editor' } });
    expect(invited).toMatchObject({ action: 'member.invited', actorEmail: olga.email, targetEmail: guest.email, detail: { role: 'editor' } });
    expect(started).toMatchObject({ action: 'workshop.started', actorEmail: olga.email, detail: { masterId: master.id, members: 4, withComments: false } });
  });
});

describe('a workshop copy and its master edited at once, then merged', () => {
  let master: MapSummary;
  let copy: MapSummary;
  /** Olga edits the master; Cora (a commenter) only watches it. */
  let onMaster: CollabClient;
  let masterWatcher: CollabClient;
  /** Eddie edits the copy; Vic, an editor of the copy but a viewer of the master, watches it. */
  let onCopy: CollabClient;
  let copyWatcher: CollabClient;

  const CONFLICT = 'tp:tp-ivr:label';
  const CHOSEN = ['stage:stage-buy:name', 'tp:tp-chatbot:added', 'tp:tp-first-bill:owner', CONFLICT];

  beforeAll(async () => {
    master = await sharedMap('Master for merging');
    await markMaster(olga, master.id);
    copy = await startWorkshop(eddie, master.id, 'Billing workshop');
    // Vic came along from the master as a viewer; the workshop needs him editing.
    await eddie.setRole(copy.id, vic.email, 'editor');
    [onMaster, masterWatcher, onCopy, copyWatcher] = await Promise.all([open(olga, master.id), open(cora, master.id), open(eddie, copy.id), open(vic, copy.id)]);

    // Both sides at once, as two workshops in two rooms would.
    renameStage(onCopy.doc, 'stage-buy', 'Purchase', origin(eddie));
    addTouchpoint(
      onCopy.doc,
      { id: 'tp-chatbot', label: 'Billing chatbot', stageId: 'stage-use', channel: 'chat', x: 40, y: 600, painPoints: [{ id: 'pp-loops', text: 'Loops back to the menu', severity: 4, frequency: 3 }] },
      origin(eddie),
    );
    updateTouchpoint(onCopy.doc, 'tp-first-bill', { owner: 'Finance' }, origin(eddie));
    updateTouchpoint(onCopy.doc, 'tp-setup-guide', { emotion: 1 }, origin(eddie));
    updateTouchpoint(onCopy.doc, 'tp-ivr', { label: 'Voice assistant' }, origin(eddie));
    updateTouchpoint(onMaster.doc, 'tp-sales-chat', { label: 'Sales chat (24/7)' }, origin(olga));
    updateTouchpoint(onMaster.doc, 'tp-ivr', { label: 'Smart IVR' }, origin(olga));

    // Another socket has them only once the server stored them.
    await Promise.all([
      copyWatcher.until((doc) => readMap(doc).touchpoints['tp-ivr']?.label === 'Voice assistant' && readMap(doc).touchpoints['tp-setup-guide']?.emotion === 1, "the copy's edits at another client"),
      masterWatcher.until((doc) => readMap(doc).touchpoints['tp-ivr']?.label === 'Smart IVR' && readMap(doc).touchpoints['tp-sales-chat']?.label === 'Sales chat (24/7)', "the master's edits at another client"),
    ]);
  });

  it('GET /diff lists each side\'s changes with its side and the conflict with both values; the workshop list counts them', async () => {
    const diff = await diffOf(eddie, copy.id);
    expect(diff).toMatchObject({ masterId: master.id, copyId: copy.id, status: 'open' });
    expect(listed(diff.changes)).toEqual([
      ['stage:stage-buy:name', 'copy', false],
      ['tp:tp-chatbot:added', 'copy', false],
      ['tp:tp-first-bill:owner', 'copy', false],
      [CONFLICT, 'both', true],
      ['tp:tp-sales-chat:label', 'master', false],
      ['tp:tp-setup-guide:emotion', 'copy', false],
    ]);
    const conflict = diff.changes.find((c): c is MapConflict => c.id === CONFLICT && c.conflict);
    expect(conflict).toMatchObject({ master: { before: 'Phone menu (IVR)', after: 'Smart IVR' }, copy: { before: 'Phone menu (IVR)', after: 'Voice assistant' } });
    expect(diff.changes.find((c) => c.id === 'tp:tp-chatbot:added')).toMatchObject({
      kind: 'touchpoint.added',
      after: { label: 'Billing chatbot', painPoints: [{ id: 'pp-loops', text: 'Loops back to the menu', severity: 4, frequency: 3 }] },
    });
    // The three plain maps come along, read from the store.
    expect(diff.copy).toEqual(mapOf(copyWatcher));
    expect(diff.master).toEqual(mapOf(masterWatcher));

    const { workshops } = expectStatus('list workshops', await olga.api.get<{ workshops: WorkshopSummary[] }>(`/api/maps/${master.id}/workshops`), 200);
    expect(workshops).toMatchObject([{ id: copy.id, status: 'open', copyChanges: 4, masterChanges: 1, conflicts: 1 }]);
  });

  it('a bad merge body is 400 with a sentence and changes nothing; merging needs the editor role on the master', async () => {
    const cases: Array<[body: unknown, message: string]> = [
      [{ changes: ['tp:no-such-touchpoint:label'] }, 'There is no change "tp:no-such-touchpoint:label" between the copy and its master now; reload the review'],
      [{ changes: CHOSEN }, `"${CONFLICT}" is a conflict: say which side wins ("copy" or "master")`],
      [{ changes: CHOSEN, resolutions: { [CONFLICT]: 'theirs' } }, 'a resolution is "copy" or "master"'],
      [{ changes: ['tp:tp-sales-chat:label'] }, '"tp:tp-sales-chat:label" is a change of the master, not of the copy'],
      [{ changes: ['stage:stage-buy:name'], resolutions: { [CONFLICT]: 'copy' } }, `"${CONFLICT}" is not a chosen conflict; only those take a resolution`],
      [{ resolutions: {} }, 'changes must be a list of change ids'],
    ];
    for (const [body, message] of cases) {
      const answer = await eddie.api.post<ErrorBody>(`/api/maps/${copy.id}/merge`, body);
      expect({ status: answer.status, error: answer.body.error }, JSON.stringify(body)).toEqual({ status: 400, error: expect.stringContaining(message) as unknown });
    }

    // Otto is no member of the copy: the same 404 as for a map that is no copy, or none at all.
    const otto = await team.signUp('Otto');
    const notCopy = await olga.createMap('Not a workshop copy');
    for (const id of [copy.id, notCopy.id, 'no-such-map']) {
      for (const path of ['merge', 'refresh']) {
        const answer = await otto.api.post<ErrorBody>(`/api/maps/${id}/${path}`, { changes: [] });
        expect([answer.status, answer.body.error], `${path} ${id}`).toEqual([404, 'No such map, or you are not a member of it']);
      }
    }

    // Vic edits the copy but only views the master: the master decides.
    const byViewerOfMaster = await vic.api.post<ErrorBody>(`/api/maps/${copy.id}/merge`, { changes: CHOSEN, resolutions: { [CONFLICT]: 'copy' } });
    expect(byViewerOfMaster.status).toBe(403);
    expect(byViewerOfMaster.body.error).toBe('This needs the editor role or higher; you are a viewer');
    // Olga owns the master but is no member of the copy (she came along as an editor; Eddie takes her off).
    await eddie.remove(copy.id, olga.email);
    expect((await olga.api.post(`/api/maps/${copy.id}/merge`, { changes: CHOSEN, resolutions: { [CONFLICT]: 'copy' } })).status).toBe(404);

    expect(await versionsOf(olga, master.id)).toEqual([]);
    expect((await diffOf(eddie, copy.id)).status).toBe('open');
    expect(mapOf(masterWatcher).stages.find((s) => s.id === 'stage-buy')?.name).toBe('Buy');
  });

  it('merging chosen changes and a resolved conflict reaches the open master sockets live, keeps the master\'s own edits, leaves the rest out, and is history', async () => {
    const before = mapOf(masterWatcher);
    const sockets = [onMaster.provider.ws, masterWatcher.provider.ws];

    const merged = await eddie.api.post(`/api/maps/${copy.id}/merge`, { changes: CHOSEN, resolutions: { [CONFLICT]: 'copy' } });
    expect(merged.status, merged.text).toBe(200);
    expect(merged.body).toEqual({ masterId: master.id, applied: 4 });

    const mergedIn = (map: JourneyMap): boolean =>
      map.stages.find((s) => s.id === 'stage-buy')?.name === 'Purchase' &&
      map.touchpoints['tp-chatbot'] !== undefined &&
      map.touchpoints['tp-first-bill']?.owner === 'Finance' &&
      map.touchpoints['tp-ivr']?.label === 'Voice assistant';
    await Promise.all([
      onMaster.until((doc) => mergedIn(readMap(doc)), "the merge at the owner's client"),
      masterWatcher.until((doc) => mergedIn(readMap(doc)), "the merge at the commenter's client"),
    ]);
    // Live on the sockets that were open: none of them reconnected.
    expect([onMaster.provider.ws, masterWatcher.provider.ws]).toEqual(sockets);
    expect([onMaster.closedWith, masterWatcher.closedWith]).toEqual([null, null]);

    const now = mapOf(masterWatcher);
    expect(now.touchpoints['tp-chatbot']).toMatchObject({ label: 'Billing chatbot', stageId: 'stage-use', channel: 'chat', x: 40, y: 600, painPoints: [{ id: 'pp-loops', text: 'Loops back to the menu', severity: 4, frequency: 3 }] });
    // The master's own edit stays; the copy's unchosen edit stays out.
    expect(now.touchpoints['tp-sales-chat']?.label).toBe('Sales chat (24/7)');
    expect(now.touchpoints['tp-setup-guide']?.emotion).toBe(before.touchpoints['tp-setup-guide']?.emotion);
    expect(now.touchpoints['tp-setup-guide']?.emotion).toBe(0);
    expect(mapOf(onMaster)).toEqual(now);

    // Against the fork, only the unchosen copy edit and the master's own edit are left.
    const after = await diffOf(eddie, copy.id);
    expect(after.status).toBe('merged');
    expect(listed(after.changes)).toEqual([
      ['tp:tp-sales-chat:label', 'master', false],
      ['tp:tp-setup-guide:emotion', 'copy', false],
    ]);
    expect(after.master).toEqual(now);

    const [auditEntry] = await olga.audit(master.id);
    expect(auditEntry).toMatchObject({ action: 'workshop.merged', actorEmail: eddie.email, detail: { copyId: copy.id, title: 'Billing workshop', conflicts: 1 } });
    expect([...((auditEntry?.detail?.changes as string[] | undefined) ?? [])].sort()).toEqual([...CHOSEN].sort());

    // The master as it was before the merge is an automatic version.
    const versions = await versionsOf(olga, master.id);
    expect(versions).toEqual([
      { id: expect.any(String) as unknown, mapId: master.id, name: 'Before merging "Billing workshop"', kind: 'auto', createdBy: eddie.email, createdAt: expect.any(Number) as unknown },
    ]);
    const kept = expectStatus('read the version', await cora.api.get<{ map: JourneyMap }>(`/api/maps/${master.id}/versions/${versions[0]?.id ?? ''}`), 200);
    expect(kept.map).toEqual(before);
  });

  it('a merged copy is not merged or refreshed again, stays readable (read-only since the merge), and the master lists it as merged', async () => {
    const again = await eddie.api.post<ErrorBody>(`/api/maps/${copy.id}/merge`, { changes: ['tp:tp-setup-guide:emotion'] });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('This workshop copy was merged already');
    const refresh = await eddie.api.post<ErrorBody>(`/api/maps/${copy.id}/refresh`);
    expect(refresh.status).toBe(409);
    expect(refresh.body.error).toBe('This workshop copy was merged already');

    expect(expectStatus('read the copy', await vic.api.get<MapSummary>(`/api/maps/${copy.id}`), 200).title).toBe('Billing workshop');
    expect(onCopy.closedWith).toBeNull();
    expect(mapOf(onCopy).touchpoints['tp-setup-guide']?.emotion).toBe(1);

    const { workshops } = expectStatus('list workshops', await olga.api.get<{ workshops: WorkshopSummary[] }>(`/api/maps/${master.id}/workshops`), 200);
    expect(workshops).toMatchObject([{ id: copy.id, status: 'merged', mergedAt: expect.any(Number) as unknown }]);
  });
});

describe('refresh: the master\'s changes into the copy', () => {
  let master: MapSummary;
  let copy: MapSummary;
  let onMaster: CollabClient;
  let masterWatcher: CollabClient;
  let onCopy: CollabClient;

  const CONFLICT = 'tp:tp-cancellation:owner';

  beforeAll(async () => {
    master = await sharedMap('Master for refreshing');
    await markMaster(olga, master.id);
    copy = await startWorkshop(eddie, master.id, 'Retention workshop');
    [onMaster, masterWatcher, onCopy] = await Promise.all([open(olga, master.id), open(cora, master.id), open(eddie, copy.id)]);

    renameStage(onMaster.doc, 'stage-discover', 'Awareness', origin(olga));
    updateTouchpoint(onMaster.doc, 'tp-phone-support', { contactVolume: 2000 }, origin(olga));
    updateTouchpoint(onMaster.doc, 'tp-cancellation', { owner: 'Retention' }, origin(olga));
    updateTouchpoint(onCopy.doc, 'tp-cancellation', { owner: 'Billing' }, origin(eddie));
    updateTouchpoint(onCopy.doc, 'tp-router-return', { label: 'Router return by post' }, origin(eddie));
    const copyWatcher = await open(eddie, copy.id);
    await Promise.all([
      masterWatcher.until((doc) => readMap(doc).touchpoints['tp-cancellation']?.owner === 'Retention', "the master's edits at another client"),
      copyWatcher.until((doc) => readMap(doc).touchpoints['tp-router-return']?.label === 'Router return by post', "the copy's edits at another client"),
    ]);
    copyWatcher.destroy();
  });

  it('pulls every non-conflicting master change into the copy, live for its open socket; the next diff no longer lists them, and the conflict stays one', async () => {
    expect(listed((await diffOf(eddie, copy.id)).changes)).toEqual([
      ['stage:stage-discover:name', 'master', false],
      [CONFLICT, 'both', true],
      ['tp:tp-phone-support:contactVolume', 'master', false],
      ['tp:tp-router-return:label', 'copy', false],
    ]);

    // Refreshing needs the editor role on the copy (Cora came along from the master as a commenter).
    expect((await cora.api.post(`/api/maps/${copy.id}/refresh`)).status).toBe(403);

    const socket = onCopy.provider.ws;
    const refreshed = await eddie.api.post(`/api/maps/${copy.id}/refresh`);
    expect(refreshed.status, refreshed.text).toBe(200);
    expect(refreshed.body).toEqual({ applied: 2 });
    await onCopy.until(
      (doc) => readMap(doc).stages[0]?.name === 'Awareness' && readMap(doc).touchpoints['tp-phone-support']?.contactVolume === 2000,
      "the master's changes at the copy's open client",
    );
    expect(onCopy.provider.ws).toBe(socket);
    // The conflict and the copy's own edit are as they were, and the master has nothing of the copy.
    expect(mapOf(onCopy).touchpoints['tp-cancellation']?.owner).toBe('Billing');
    expect(mapOf(onCopy).touchpoints['tp-router-return']?.label).toBe('Router return by post');
    expect(mapOf(onMaster).touchpoints['tp-router-return']?.label).toBe('Router return');

    expect(listed((await diffOf(eddie, copy.id)).changes)).toEqual([
      [CONFLICT, 'both', true],
      ['tp:tp-router-return:label', 'copy', false],
    ]);
    const [entry] = await eddie.audit(copy.id);
    expect(entry).toMatchObject({ action: 'workshop.refreshed', actorEmail: eddie.email, detail: { changes: 2 } });
  });

  it('pulls only the chosen changes with their resolutions; a master change left out stays the master\'s, not an undo by the copy', async () => {
    renameStage(onMaster.doc, 'stage-choose', 'Compare', origin(olga));
    await masterWatcher.until((doc) => readMap(doc).stages[1]?.name === 'Compare', "the master's rename at another client");
    expect(listed((await diffOf(eddie, copy.id)).changes)).toEqual([
      ['stage:stage-choose:name', 'master', false],
      [CONFLICT, 'both', true],
      ['tp:tp-router-return:label', 'copy', false],
    ]);

    const unresolved = await eddie.api.post<ErrorBody>(`/api/maps/${copy.id}/refresh`, { changes: [CONFLICT] });
    expect([unresolved.status, unresolved.body.error]).toEqual([400, `"${CONFLICT}" is a conflict: say which side wins ("copy" or "master")`]);
    const copySide = await eddie.api.post<ErrorBody>(`/api/maps/${copy.id}/refresh`, { changes: ['tp:tp-router-return:label'] });
    expect([copySide.status, copySide.body.error]).toEqual([400, '"tp:tp-router-return:label" is a change of the copy, not of the master']);

    const refreshed = await eddie.api.post(`/api/maps/${copy.id}/refresh`, { changes: [CONFLICT], resolutions: { [CONFLICT]: 'master' } });
    expect(refreshed.status, refreshed.text).toBe(200);
    expect(refreshed.body).toEqual({ applied: 1 });
    await onCopy.until((doc) => readMap(doc).touchpoints['tp-cancellation']?.owner === 'Retention', "the master's side of the conflict at the copy's client");
    expect(mapOf(onCopy).stages[1]?.name).toBe('Choose');

    expect(listed((await diffOf(eddie, copy.id)).changes)).toEqual([
      ['stage:stage-choose:name', 'master', false],
      ['tp:tp-router-return:label', 'copy', false],
    ]);
  });
});

describe('the CLI: map master, workshop start, diff, merge --all', () => {
  it('marks a master, starts a copy, lists its changes and merges every one that is not a conflict; each error is a sentence and an exit code', async () => {
    const master = await sharedMap('Master for the CLI');
    const [notOwner, notMaster, notCopy] = await Promise.all([
      cli('map', 'master', '--map', master.id, '--email', eddie.email, '--json'),
      cli('workshop', 'start', '--map', master.id, '--email', eddie.email, '--json'),
      cli('diff', '--map', master.id, '--email', eddie.email),
    ]);
    cliFailed(notOwner, 1, 'This needs the owner role or higher; you are an editor.');
    expect(notOwner.json).toEqual({ error: 'This needs the owner role or higher; you are an editor', kind: 'forbidden' });
    cliFailed(notMaster, 1, 'Only a master map has workshop copies; its owner can mark it as master.');
    cliFailed(notCopy, 1, 'This map is not a workshop copy.');

    expect(cliOk(await cli('map', 'master', '--map', master.id, '--email', olga.email, '--json'))).toEqual({ id: master.id, master: true });
    const started = cliOk(await cli('workshop', 'start', '--map', master.id, '--email', eddie.email, '--title', 'CLI workshop', '--json'));
    expect(started).toEqual({ id: expect.any(String) as unknown, title: 'CLI workshop' });
    const copyId = String(started.id);
    expect(expectStatus('read the copy', await eddie.api.get<MapSummary>(`/api/maps/${copyId}`), 200).role).toBe('owner');

    const [onMaster, onCopy] = await Promise.all([open(olga, master.id), open(eddie, copyId)]);
    renameStage(onCopy.doc, 'stage-renew', 'Renew', origin(eddie));
    updateTouchpoint(onCopy.doc, 'tp-first-bill', { emotion: 1 }, origin(eddie));
    updateTouchpoint(onCopy.doc, 'tp-ivr', { owner: 'Digital' }, origin(eddie));
    updateTouchpoint(onMaster.doc, 'tp-ivr', { owner: 'Telephony' }, origin(olga));
    const [copyWatcher, masterWatcher] = await Promise.all([open(eddie, copyId), open(olga, master.id)]);
    await Promise.all([
      copyWatcher.until((doc) => readMap(doc).touchpoints['tp-ivr']?.owner === 'Digital', "the copy's edits at another client"),
      masterWatcher.until((doc) => readMap(doc).touchpoints['tp-ivr']?.owner === 'Telephony', "the master's edit at another client"),
    ]);

    const [diffJson, diffText, noAll] = await Promise.all([
      cli('diff', '--map', copyId, '--email', eddie.email, '--json'),
      cli('diff', '--map', copyId, '--email', eddie.email),
      cli('merge', '--map', copyId, '--email', eddie.email),
    ]);
    expect(listed(cliOk(diffJson).changes as MapChange[])).toEqual([
      ['stage:stage-renew:name', 'copy', false],
      ['tp:tp-first-bill:emotion', 'copy', false],
      ['tp:tp-ivr:owner', 'both', true],
    ]);
    expect(diffText.code).toBe(0);
    expect(diffText.stdout).toContain('copy\tRenamed stage "Renew or leave" to "Renew"\tstage:stage-renew:name\n');
    expect(diffText.stdout).toMatch(/^both\tCONFLICT Conflict: the master made "Telephony" the owner of touchpoint .*\ttp:tp-ivr:owner$/m);
    cliFailed(noAll, 2, 'merge takes --all (choose single changes in the review page or with POST /api/maps/:id/merge).');

    const merged = cliOk(await cli('merge', '--map', copyId, '--email', eddie.email, '--all', '--json'));
    expect(merged).toEqual({ masterId: master.id, applied: 2, conflictsLeftOut: 1 });

    // What the store holds now (the CLI writes to it, not to the server's open rooms).
    const after = await diffOf(eddie, copyId);
    expect(after.status).toBe('merged');
    expect(listed(after.changes)).toEqual([['tp:tp-ivr:owner', 'both', true]]);
    expect(after.master.stages.find((s) => s.id === 'stage-renew')?.name).toBe('Renew');
    expect(after.master.touchpoints['tp-first-bill']?.emotion).toBe(1);
    expect(after.master.touchpoints['tp-ivr']?.owner).toBe('Telephony');
    expect((await versionsOf(olga, master.id)).map((v) => [v.name, v.kind, v.createdBy])).toEqual([['Before merging "CLI workshop"', 'auto', eddie.email]]);
    expect((await olga.audit(master.id))[0]).toMatchObject({ action: 'workshop.merged', actorEmail: eddie.email });

    const [twice, byViewer] = await Promise.all([
      cli('merge', '--map', copyId, '--email', eddie.email, '--all', '--json'),
      cli('workshop', 'start', '--map', master.id, '--email', vic.email),
    ]);
    cliFailed(twice, 1, 'This workshop copy was merged already.');
    expect(twice.json).toEqual({ error: 'This workshop copy was merged already', kind: 'conflict' });
    cliFailed(byViewer, 1, 'This needs the editor role or higher; you are a viewer.');
  });
});

describe('actions travel with a merge (issue 13: actions are part of the map)', () => {
  let master: MapSummary;
  let copy: MapSummary;
  let onMaster: CollabClient;
  let masterWatcher: CollabClient;
  let onCopy: CollabClient;

  const CREATED = Date.UTC(2026, 10, 3, 9);
  const DONE_AT = Date.UTC(2026, 10, 20, 15);
  const CONFLICT = 'action:action-slots:removed';

  beforeAll(async () => {
    master = await sharedMap('Master with actions');
    await markMaster(olga, master.id);
    [onMaster, masterWatcher] = await Promise.all([open(olga, master.id), open(cora, master.id)]);
    addAction(onMaster.doc, { id: 'action-ivr', touchpointId: 'tp-ivr', painPointId: 'pp-seven-options', title: 'Cut the phone menu to four options', ownerTeam: 'Contact Center', status: 'doing' }, CREATED, origin(olga));
    addAction(onMaster.doc, { id: 'action-slots', touchpointId: 'tp-install-booking', title: 'Offer evening slots' }, CREATED, origin(olga));
    await masterWatcher.until((doc) => Object.keys(readMap(doc).actions).length === 2, "the master's actions, stored");
    copy = await startWorkshop(eddie, master.id, 'Actions workshop');
    onCopy = await open(eddie, copy.id);

    // The copy: one action added, one done, one dropped from the map; the master reworded the one the copy removed.
    addAction(onCopy.doc, { id: 'action-chat', touchpointId: 'tp-support-chat', painPointId: 'pp-chat-closes', title: 'Keep the chat open in the background', ownerTeam: 'E-commerce', due: '2027-02-01' }, CREATED, origin(eddie));
    updateAction(onCopy.doc, 'action-ivr', { status: 'done' }, DONE_AT, origin(eddie));
    deleteAction(onCopy.doc, 'action-slots', origin(eddie));
    updateAction(onMaster.doc, 'action-slots', { title: 'Offer evening and weekend slots' }, CREATED, origin(olga));
    const copyWatcher = await open(eddie, copy.id);
    await Promise.all([
      copyWatcher.until((doc) => readMap(doc).actions['action-ivr']?.status === 'done' && readMap(doc).actions['action-slots'] === undefined && readMap(doc).actions['action-chat'] !== undefined, "the copy's actions, stored"),
      masterWatcher.until((doc) => readMap(doc).actions['action-slots']?.title === 'Offer evening and weekend slots', "the master's edit, stored"),
    ]);
  });

  it('the diff lists an added action, a status change, and an edit against a removal as a conflict, each with a sentence and its stage', async () => {
    const diff = await diffOf(eddie, copy.id);
    expect(listed(diff.changes)).toEqual([
      ['action:action-chat:added', 'copy', false],
      ['action:action-ivr:status', 'copy', false],
      [CONFLICT, 'both', true],
    ]);
    const byId = new Map(diff.changes.map((c) => [c.id, c]));
    expect(byId.get('action:action-chat:added')).toMatchObject({ kind: 'action.added', stageId: 'stage-get-help', summary: 'Added action "Keep the chat open in the background" to touchpoint "Support chat"' });
    expect(byId.get('action:action-ivr:status')).toMatchObject({ kind: 'action.changed', field: 'status', before: 'doing', after: 'done', doneAt: DONE_AT, stageId: 'stage-get-help', summary: 'Changed the status of action "Cut the phone menu to four options" from in progress to done' });
    expect(byId.get(CONFLICT)).toMatchObject({ stageId: 'stage-buy', master: { kind: 'action.kept' }, copy: { kind: 'action.removed' } });
    const { workshops } = expectStatus('list workshops', await olga.api.get<{ workshops: WorkshopSummary[] }>(`/api/maps/${master.id}/workshops`), 200);
    expect(workshops).toMatchObject([{ id: copy.id, copyChanges: 2, masterChanges: 0, conflicts: 1 }]);
  });

  it('merging them carries the actions into the master whole: the copy’s ids, creation and done times; the removal where the copy wins', async () => {
    const merged = await eddie.api.post(`/api/maps/${copy.id}/merge`, { changes: ['action:action-chat:added', 'action:action-ivr:status', CONFLICT], resolutions: { [CONFLICT]: 'copy' } });
    expect(merged.status, merged.text).toBe(200);
    expect(merged.body).toEqual({ masterId: master.id, applied: 3 });
    await masterWatcher.until((doc) => readMap(doc).actions['action-chat'] !== undefined && readMap(doc).actions['action-slots'] === undefined, 'the merged actions at the master');
    const actions = mapOf(masterWatcher).actions;
    expect(actions['action-chat']).toEqual({ id: 'action-chat', touchpointId: 'tp-support-chat', painPointId: 'pp-chat-closes', title: 'Keep the chat open in the background', ownerTeam: 'E-commerce', due: '2027-02-01', status: 'proposed', doneAt: null, createdAt: CREATED });
    expect(actions['action-ivr']).toMatchObject({ status: 'done', doneAt: DONE_AT, createdAt: CREATED });
    expect(Object.keys(actions).sort()).toEqual(['action-chat', 'action-ivr']);
  });
});
