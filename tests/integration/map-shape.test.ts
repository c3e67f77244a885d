/**
 * The map document keeps its shape (DESIGN.md, "The map document keeps its
 * shape"): an editor's update that builds shared types where the schema has
 * none, breaks a field's type or limit, grows the document past its limit,
 * or deletes or doubles the hub is refused whole (4403 with a reason) and
 * stored nowhere; the room goes on, and every valid edit still passes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addConnection,
  addPainPoint,
  addStage,
  addTouchpoint,
  deleteConnection,
  deleteStage,
  deleteTouchpoint,
  getHubId,
  moveTouchpointToStage,
  readMap,
  removePainPoint,
  renameStage,
  setMapTitle,
  updateConnectionLabel,
  updatePainPoint,
  updateTouchpoint,
} from '../../lib/journey/schema';
import { RawClient, destroyAllClients, joinSynced, mapRoom, tokenFor, type CollabClient } from './support/clients';
import { TestServer, readMetric, stopAllServers } from '../support/server';
import { poisonedUpdates } from './support/poisoned-updates';
import { seedWorkspace } from './support/workspace';
import { withServerDatabase } from './support/database';

const MAX_DOC_BYTES = 1024 * 1024;
/** Every refused write carries this, so that the end of the file can look for it everywhere. */
const REFUSED = 'REFUSED-SHAPE';

let server: TestServer;
let mapId: string;
let editor: CollabClient;
let owner: CollabClient;
let nudges = 0;
let refusals = 0;

beforeAll(async () => {
  const workspace = await seedWorkspace(['demo']);
  [mapId = ''] = workspace.mapIds;
  server = await TestServer.start({ web: false, dataDir: workspace.dataDir, env: { MAX_DOC_BYTES: String(MAX_DOC_BYTES) } });
  editor = await joinSynced(server, mapRoom(mapId), 'editor', mapId);
  owner = await joinSynced(server, mapRoom(mapId), 'owner', mapId);
});

afterAll(async () => {
  destroyAllClients();
  await stopAllServers();
});

/** The room still broadcasts valid edits both ways, and nobody else was closed. */
async function othersStillSync(): Promise<void> {
  expect(server.isRunning).toBe(true);
  expect((await server.health()).ok).toBe(true);
  const x = 20_000 + ++nudges;
  updateTouchpoint(editor.doc, 'tp-ivr', { x }, editor.origin);
  await owner.until((doc) => readMap(doc).touchpoints['tp-ivr']?.x === x);
  updateTouchpoint(owner.doc, 'tp-ivr', { y: x }, owner.origin);
  await editor.until((doc) => readMap(doc).touchpoints['tp-ivr']?.y === x);
  expect(editor.closes).toEqual([]);
  expect(owner.closes).toEqual([]);
}

function noTrace(doc: Y.Doc): void {
  expect(JSON.stringify(doc.toJSON())).not.toContain(REFUSED);
}

/** An editor's raw socket sends what `edit` makes of its synced copy; the server must refuse it with 4403. */
async function refused(edit: (doc: Y.Doc) => void, reason: RegExp): Promise<void> {
  const client = await RawClient.connect(server, mapRoom(mapId), tokenFor('editor', mapId));
  await client.sync();
  client.sendUpdate(client.craft(edit));
  const close = await client.closed();
  client.destroy();
  refusals += 1;
  expect(close.code).toBe(4403);
  expect(close.reason).toMatch(reason);
  await othersStillSync();
  noTrace(owner.doc);
  const fresh = await joinSynced(server, mapRoom(mapId), 'viewer', mapId);
  noTrace(fresh.doc);
  fresh.destroy();
}

function touchpointMap(doc: Y.Doc, id: string): Y.Map<unknown> {
  const touchpoint = doc.getMap<unknown>('touchpoints').get(id);
  if (!(touchpoint instanceof Y.Map)) throw new Error(`no touchpoint ${id}`);
  return touchpoint;
}

describe('Shared types only where the schema has them', () => {
  it('4,000 nested Y.Maps under a touchpoint are refused, stored nowhere', async () => {
    await refused((doc) => {
      let parent = new Y.Map<unknown>();
      touchpointMap(doc, 'tp-ivr').set(REFUSED, parent);
      for (let depth = 0; depth < 4000; depth++) {
        const child = new Y.Map<unknown>();
        parent.set(`${REFUSED}-${depth}`, child);
        parent = child;
      }
    }, /shape|place|schema/i);
  });

  it('a Y.Map under a root name that is not in the schema is refused', async () => {
    await refused((doc) => doc.getMap<unknown>(REFUSED).set('x', new Y.Map<unknown>()), /.+/);
  });

  it('a Y.Text as a label and a Y.Map as an owner are refused', async () => {
    await refused((doc) => {
      const text = new Y.Text();
      text.insert(0, REFUSED);
      touchpointMap(doc, 'tp-ivr').set('label', text);
    }, /label/);
    await refused((doc) => {
      const owner = new Y.Map<unknown>();
      owner.set('name', REFUSED);
      touchpointMap(doc, 'tp-ivr').set('owner', owner);
    }, /owner/);
  });
});

describe('Fields keep their types and limits', () => {
  it('a label of 201 characters and one of 7 MiB are refused', async () => {
    await refused((doc) => touchpointMap(doc, 'tp-ivr').set('label', REFUSED + 'x'.repeat(201 - REFUSED.length)), /label/);
    await refused((doc) => touchpointMap(doc, 'tp-ivr').set('label', REFUSED + 'x'.repeat(7 * 1024 * 1024)), /label|size limit/);
  });

  it('a pain point that is not a pain point, and an emotion of 9, are refused', async () => {
    await refused((doc) => {
      const painPoints = touchpointMap(doc, 'tp-ivr').get('painPoints');
      if (!(painPoints instanceof Y.Array)) throw new Error('no pain points');
      painPoints.push([{ id: REFUSED, text: REFUSED, severity: 99, frequency: 1 }]);
    }, /severity/);
    await refused((doc) => {
      touchpointMap(doc, 'tp-ivr').set('emotion', 9);
      touchpointMap(doc, 'tp-ivr').set('channel', REFUSED);
    }, /emotion|channel/);
  });

  it('a document past MAX_DOC_BYTES is refused, however valid each touchpoint', async () => {
    await refused((doc) => {
      for (let i = 0; i < 4000; i++) addTouchpoint(doc, { id: `${REFUSED}-${i}`, label: 'x'.repeat(200) }, { userId: 'editor', kind: 'local' });
    }, /large|limit/);
  });
});

describe('The hub is never deleted nor doubled', () => {
  it('deleting the hub is refused', async () => {
    await refused((doc) => {
      const hubId = getHubId(doc);
      if (hubId === null) throw new Error('the demo map has a hub');
      doc.getMap<unknown>('touchpoints').delete(hubId);
      doc.getMap<unknown>('meta').set('title', REFUSED);
    }, /hub/);
  });

  it('turning the hub into a touchpoint is refused', async () => {
    await refused((doc) => {
      const hubId = getHubId(doc);
      if (hubId === null) throw new Error('the demo map has a hub');
      touchpointMap(doc, hubId).set('kind', 'touchpoint');
      touchpointMap(doc, hubId).set('label', REFUSED);
    }, /hub/);
  });

  it('a second touchpoint of kind hub is refused', async () => {
    await refused((doc) => {
      addTouchpoint(doc, { id: REFUSED, label: REFUSED }, { userId: 'editor', kind: 'local' });
      touchpointMap(doc, REFUSED).set('kind', 'hub');
    }, /hub/);
  });
});

describe('Valid edits of every kind still pass', () => {
  it('stages, touchpoints, connections, pain points and labels: added, changed, moved and deleted, seen by the owner', async () => {
    const doc = editor.doc;
    const origin = editor.origin;
    setMapTitle(doc, 'Shape kept', origin);
    const stageId = addStage(doc, { name: 'Shape stage' }, origin);
    renameStage(doc, stageId, 'Shape stage, renamed', origin);
    const a = addTouchpoint(doc, { label: 'Shape A', stageId, painPoints: [{ text: 'slow', severity: 3, frequency: 2 }] }, origin);
    const b = addTouchpoint(doc, { label: 'Shape B', channel: 'phone', owner: 'IT', emotion: -2, contactVolume: 40 }, origin);
    updateTouchpoint(doc, a, { label: 'x'.repeat(200), owner: 'Billing', emotion: 2 }, origin);
    moveTouchpointToStage(doc, b, stageId, origin, { x: 120, y: 240 });
    const painId = addPainPoint(doc, b, { text: 'y'.repeat(500), severity: 5, frequency: 5 }, origin);
    updatePainPoint(doc, b, painId, { severity: 1 }, origin);
    const connection = addConnection(doc, { source: a, target: b, label: 'then' }, origin);
    updateConnectionLabel(doc, connection, 'afterwards', origin);
    await owner.until((d) => readMap(d).connections[connection]?.label === 'afterwards' && readMap(d).touchpoints[b]?.painPoints[0]?.severity === 1);
    expect(readMap(owner.doc)).toEqual(readMap(doc));
    removePainPoint(doc, b, painId, origin);
    deleteConnection(doc, connection, origin);
    deleteTouchpoint(doc, a, origin);
    deleteTouchpoint(doc, b, origin);
    deleteStage(doc, stageId, origin);
    await owner.until((d) => readMap(d).stages.every((stage) => stage.id !== stageId) && readMap(d).touchpoints[a] === undefined);
    expect(readMap(owner.doc)).toEqual(readMap(doc));
    expect(editor.closes).toEqual([]);
  });

  it('/api/metrics counts the refusals under reason "shape"', async () => {
    expect(await server.metric('journeyhub_refused_total', { reason: 'shape' })).toBe(refusals);
  });

  it('after a restart on the same DATA_DIR, the map holds every accepted edit and no refused one', async () => {
    const before = readMap(owner.doc);
    destroyAllClients();
    await server.stop();
    server = await server.restart();
    const reloaded = await joinSynced(server, mapRoom(mapId), 'viewer', mapId);
    expect(readMap(reloaded.doc)).toEqual(before);
    noTrace(reloaded.doc);
  });
});

describe('Loading survives a bad stored update', () => {
  it('an update that throws while the log replays is set aside and counted; the rest loads and the room opens', async () => {
    const writer = await joinSynced(server, mapRoom(mapId), 'owner', mapId);
    const observer = await joinSynced(server, mapRoom(mapId), 'viewer', mapId);
    updateTouchpoint(writer.doc, 'tp-ivr', { label: 'Before the poison' }, writer.origin);
    await observer.until((doc) => readMap(doc).touchpoints['tp-ivr']?.label === 'Before the poison');
    const before = readMap(observer.doc);
    destroyAllClients();
    await server.stop();
    await withServerDatabase(server.dataDir, async (db) => {
      for (const update of poisonedUpdates(REFUSED)) await db.run('INSERT INTO doc_updates (room, data, created_at) VALUES (?, ?, ?)', [mapRoom(mapId), update, Date.now()]);
    });
    server = await server.restart();
    const reader = await joinSynced(server, mapRoom(mapId), 'viewer', mapId);
    expect(readMap(reader.doc)).toEqual(before);
    const text = await (await fetch(`${server.url}/api/metrics`)).text();
    expect(readMetric(text, 'journeyhub_stored_updates_set_aside_total')).toBeGreaterThanOrEqual(1);
    const editorNow = await joinSynced(server, mapRoom(mapId), 'editor', mapId);
    updateTouchpoint(editorNow.doc, 'tp-ivr', { label: 'After the poison' }, editorNow.origin);
    await reader.until((doc) => readMap(doc).touchpoints['tp-ivr']?.label === 'After the poison');
  });
});
