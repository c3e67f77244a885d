/**
 * The figuresAt signal of a push (DESIGN.md, "Measured data and outcomes"),
 * made against the live room's document without a copy of it, on the real
 * server: pushes with nobody on the map (the room loaded by the push, left
 * idle, loaded again), then with a canvas open; every client ends on the
 * last push's figuresAt, and a canvas opened later holds the same document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readMap } from '../../lib/journey/schema';
import { demoMap } from '../../lib/journey/templates';
import { ensureBuild } from '../e2e/support/build';
import { TestServer, stopAllServers } from '../support/server';
import { destroyAllCollabClients } from '../support/collab-client';
import { Team } from '../support/people';

let server: TestServer;
let team: Team;

const KEYED = Object.values(demoMap().map.touchpoints).filter((t) => t.externalKey !== null);

beforeAll(async () => {
  ensureBuild();
  server = await TestServer.start();
  team = new Team(server);
}, 600_000);

afterAll(async () => {
  destroyAllCollabClients();
  await stopAllServers();
});

describe('the figuresAt signal', () => {
  it('each push moves figuresAt on, whether the room was loaded or not; every copy of the document agrees', async () => {
    const kim = await team.signUp('Kim');
    const mapId = (await kim.createMap('Signals', 'demo')).id;
    const push = async (period: string, contacts: number) => {
      const rows = KEYED.map((t) => ({ externalKey: t.externalKey, contacts }));
      const answer = await kim.api.put(`/api/maps/${mapId}/metrics`, { period, rows });
      expect(answer.status, answer.text).toBe(200);
    };
    // Nobody on the map: the first push loads the room, later ones find it loaded or (idle 200 ms in tests) not.
    let before = Date.now();
    for (const [i, period] of ['2026-08', '2026-09', '2026-10'].entries()) {
      before = Date.now();
      await push(period, i + 1);
    }
    const first = await kim.open(mapId);
    expect(readMap(first.doc).meta.figuresAt ?? 0).toBeGreaterThanOrEqual(before);

    // With a canvas open, a push and a month deleted each reach it.
    const seen = readMap(first.doc).meta.figuresAt ?? 0;
    await push('2026-11', 4);
    await first.until((doc) => (readMap(doc).meta.figuresAt ?? 0) > seen, 'figuresAt after a push with the canvas open', 5_000);
    const afterPush = readMap(first.doc).meta.figuresAt ?? 0;
    expect((await kim.api.delete(`/api/maps/${mapId}/metrics/2026-08`)).status).toBe(200);
    await first.until((doc) => (readMap(doc).meta.figuresAt ?? 0) > afterPush, 'figuresAt after a month is deleted', 5_000);

    const second = await kim.open(mapId);
    await second.until((doc) => readMap(doc).meta.figuresAt === readMap(first.doc).meta.figuresAt, 'the same figuresAt in a second canvas', 5_000);
    expect(Y.encodeStateVector(second.doc)).toEqual(Y.encodeStateVector(first.doc));
    expect(second.doc.getMap('meta').toJSON()).toEqual(first.doc.getMap('meta').toJSON());
  });
});
