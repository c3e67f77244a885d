/**
 * Issue 12 §6: people on a workshop copy who are not on its master see
 * nothing of the master but what the copy holds: not the master's content
 * (the diff, the review page), not its title as renamed since the fork, not
 * how far it moved (the copy's canvas and workshops pages), not its title in
 * the merged answer of the collaboration token. Real server (production
 * build), raw HTTP with a cookie session for the pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomName } from '../../lib/journey/rooms';
import { addTouchpoint, readMap } from '../../lib/journey/schema';
import type { MapSummary } from '../../server/services/maps';
import type { WorkshopDiff } from '../../server/services/workshops';
import { TestServer, stopAllServers } from '../support/server';
import { destroyAllCollabClients } from '../support/collab-client';
import { Team, type Person } from '../support/people';
import { waitFor } from '../support/wait';

const SECRET_TITLE = 'Acquisition of Rival Corp (board only)';
const SECRET_LABEL = 'Layoff announcement call';

let server: TestServer;
let team: Team;
let olga: Person;
let eddie: Person;
let xena: Person;
let copy: MapSummary;

beforeAll(async () => {
  server = await TestServer.start();
  team = new Team(server);
  [olga, eddie, xena] = await Promise.all([team.signUp('Olga'), team.signUp('Eddie'), team.signUp('Xena')]);
  const master = await olga.createMap('Board journey', 'demo');
  await olga.invite(master.id, eddie.email, 'editor');
  expect((await olga.api.post(`/api/maps/${master.id}/master`, { master: true })).status).toBe(200);
  const started = await eddie.api.post<MapSummary>(`/api/maps/${master.id}/workshops`, { title: 'Open workshop' });
  expect(started.status, started.text).toBe(201);
  copy = started.body;
  // Xena is on the copy only: a workshop guest.
  await eddie.invite(copy.id, xena.email, 'editor');

  // After the fork the master is renamed and gains a touchpoint the guest must not learn of.
  expect((await olga.api.patch(`/api/maps/${master.id}`, { title: SECRET_TITLE })).status).toBe(200);
  const onMaster = await olga.open(roomName(master.id, 'map'));
  addTouchpoint(onMaster.doc, { id: 'tp-secret', label: SECRET_LABEL, stageId: 'stage-use', channel: 'phone', x: 40, y: 600 }, { userId: olga.email, kind: 'local' });
  await onMaster.until((doc) => 'tp-secret' in readMap(doc).touchpoints, 'the secret touchpoint');
  // Eddie, on both, sees it in the diff: it is stored.
  await waitFor(
    async () => {
      const diff = await eddie.api.get<WorkshopDiff>(`/api/maps/${copy.id}/diff`);
      return diff.status === 200 && diff.text.includes(SECRET_LABEL);
    },
    { timeout: 5_000, interval: 100, message: 'the secret touchpoint in the diff of the copy' },
  );
  expect((await eddie.api.get(`/api/maps/${copy.id}/diff`)).text).toContain(SECRET_LABEL);
});

afterAll(async () => {
  destroyAllCollabClients();
  await stopAllServers();
});

const leaks = (text: string): string[] => [SECRET_TITLE, SECRET_LABEL, 'the master moved'].filter((s) => text.includes(s));

describe('a member of a workshop copy only', () => {
  it('the diff and a refresh from the master are "no such map" (404) and the review page is not found, with nothing of the master in either', async () => {
    const diff = await xena.api.get(`/api/maps/${copy.id}/diff`);
    expect(diff.status).toBe(404);
    expect(leaks(diff.text)).toEqual([]);
    // Nor can an editor of the copy pull the master's changes into it.
    const refresh = await xena.api.post(`/api/maps/${copy.id}/refresh`, {});
    expect(refresh.status).toBe(404);
    expect(leaks(refresh.text)).toEqual([]);
    const review = await xena.session.get(`/maps/${copy.id}/merge`);
    expect(review.status).toBe(404);
    expect(leaks(review.text)).toEqual([]);
  });

  it("the copy's canvas page and workshops page say it is a workshop copy, without the master's new title or how far it moved", async () => {
    for (const page of [`/maps/${copy.id}`, `/maps/${copy.id}/workshops`]) {
      const answer = await xena.session.get(page);
      expect([page, answer.status]).toEqual([page, 200]);
      expect([page, leaks(answer.text)]).toEqual([page, []]);
      expect(answer.text).toContain('workshop');
    }
    // Eddie, on both, still sees the master's title and its moves.
    const forEddie = await eddie.session.get(`/maps/${copy.id}/workshops`);
    expect(forEddie.text).toContain(SECRET_TITLE);
    expect(forEddie.text).toContain('the master moved');
  });

  it("after the merge, the collaboration token's answer does not name the master's title to the guest", async () => {
    const diff = (await eddie.api.get<WorkshopDiff>(`/api/maps/${copy.id}/diff`)).body;
    const merged = await eddie.api.post(`/api/maps/${copy.id}/merge`, { changes: diff.changes.filter((c) => c.side === 'copy' && !c.conflict).map((c) => c.id), resolutions: {} });
    expect(merged.status, merged.text).toBe(200);
    const answer = await xena.api.post(`/api/maps/${copy.id}/collab-token`);
    expect(answer.status).toBe(200);
    expect(leaks(answer.text)).toEqual([]);
    expect(answer.text).toContain('"merged"');
    expect((await eddie.api.post(`/api/maps/${copy.id}/collab-token`)).text).toContain(SECRET_TITLE);
  });
});
