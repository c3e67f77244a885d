/**
 * The map the canvas bench opens: the shared seeded generator's 2,000
 * touchpoints over 20 stages (tests/bench/generate-map.ts: owners, pain points,
 * a comment each, votes), laid out as a workshop would leave it (each stage's
 * cards in its column, one under another) and linked the way journeys are
 * (each card to the one beside it in the next stage, every 20th to the hub),
 * instead of the generator's random positions and links across the map.
 * Written with the schema module into both documents and stored with the
 * store, as server/maps/create-map.ts stores a new map.
 */
import * as Y from 'yjs';
import { LANE_HEADER_HEIGHT, LANE_WIDTH, CARD_WIDTH, laneLeft } from '../../../lib/journey/layout';
import type { EditOrigin } from '../../../lib/journey/origin';
import { roomName } from '../../../lib/journey/rooms';
import { writeDiscussion, writeMap } from '../../../lib/journey/schema';
import type { Connection, Discussion, JourneyMap } from '../../../lib/journey/types';
import { SqliteAccountStore } from '../../../server/accounts/sqlite-account-store';
import { openSqlite } from '../../../server/db/sqlite';
import { newMapId } from '../../../server/maps/create-map';
import { SqliteDocStore } from '../../../server/store/sqlite-doc-store';
import { generateMap } from '../generate-map';

const SYSTEM: EditOrigin = { userId: 'system', kind: 'system' };
const TOP = LANE_HEADER_HEIGHT + 24;
const ROW_HEIGHT = 140;
const HUB_EVERY = 20;

export interface BigMap {
  map: JourneyMap;
  discussion: Discussion;
  touchpoints: number;
  connections: number;
  rows: number;
}

export function bigMap(touchpointCount: number): BigMap {
  const { map, discussion } = generateMap(touchpointCount);
  const hubId = map.meta.hubId;
  const columns = [...map.stages.map((s) => s.id), null];
  const grid = columns.map((stageId) => Object.values(map.touchpoints).filter((tp) => tp.kind === 'touchpoint' && tp.stageId === stageId));
  grid.forEach((cards, column) =>
    cards.forEach((tp, row) => {
      tp.x = laneLeft(column) + 30;
      tp.y = TOP + row * ROW_HEIGHT;
    }),
  );
  const rows = Math.max(...grid.map((cards) => cards.length));
  const hub = map.touchpoints[hubId];
  if (hub) {
    hub.x = (map.stages.length * LANE_WIDTH - CARD_WIDTH) / 2;
    hub.y = TOP + rows * ROW_HEIGHT;
  }

  const connections: Record<string, Connection> = {};
  const link = (source: string, target: string) => {
    const id = `cn-${Object.keys(connections).length}`;
    connections[id] = { id, source, target, label: '' };
  };
  grid.forEach((cards, column) =>
    cards.forEach((tp, row) => {
      const beside = grid[column + 1]?.[row];
      if (beside && column + 1 < map.stages.length) link(tp.id, beside.id);
      if (row % HUB_EVERY === 0) link(tp.id, hubId);
    }),
  );
  map.connections = connections;
  return { map, discussion, touchpoints: touchpointCount, connections: Object.keys(connections).length, rows };
}

/** Stores the map in DATA_DIR (the server may be running: SQLite in WAL mode) with `ownerId` as its owner and `editorIds` as editors; returns its id. */
export async function storeMap(dataDir: string, model: BigMap, ownerId: string, editorIds: string[] = []): Promise<string> {
  const db = openSqlite(dataDir);
  const store = new SqliteDocStore(db);
  const mapDoc = new Y.Doc();
  const discussionDoc = new Y.Doc();
  try {
    writeMap(mapDoc, model.map, SYSTEM);
    writeDiscussion(discussionDoc, model.discussion, SYSTEM);
    const id = newMapId();
    await store.createMap({ id, title: model.map.meta.title, template: 'blank' }, {
      [roomName(id, 'map')]: Y.encodeStateAsUpdate(mapDoc),
      [roomName(id, 'discussion')]: Y.encodeStateAsUpdate(discussionDoc),
    });
    const accounts = new SqliteAccountStore(db);
    await accounts.setMember(id, ownerId, 'owner', null);
    for (const editorId of editorIds) await accounts.setMember(id, editorId, 'editor', null);
    return id;
  } finally {
    mapDoc.destroy();
    discussionDoc.destroy();
    await store.close();
  }
}
