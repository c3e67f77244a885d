/**
 * Issue 5, maps: every route anonymous (401), with a role too low (403), on
 * someone else's map (404, never data), with bad bodies (400 and a sentence),
 * and the happy paths: create, list, read, annotations, collaboration
 * tokens, rename (live in the map document) and delete (then 404 and 4404).
 * The real server (production build) on a real SQLite file; one per file.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotateMap } from '../../lib/annotations';
import { roomName } from '../../lib/journey/rooms';
import { demoMap } from '../../lib/journey/templates';
import type { MapSummary } from '../../server/services/maps';
import { ApiClient, RawBody, type ErrorBody } from '../support/api-client';
import { TestServer, stopAllServers } from '../support/server';
import { CollabClient, destroyAllCollabClients } from '../support/collab-client';
import { Team, type Person } from '../support/people';

const NOT_FOUND = { error: 'No such map, or you are not a member of it' };
const TITLE_RULE = 'title must be 1 to 200 characters';

let server: TestServer;
let team: Team;
/** Olga owns "Broadband switch" (demo); Eddie edits it, Cora comments, Vic views; Otto is on none of it. */
let olga: Person;
let eddie: Person;
let cora: Person;
let vic: Person;
let otto: Person;
let map: MapSummary;

const metaTitle = (doc: Y.Doc): unknown => doc.getMap('meta').get('title');

beforeAll(async () => {
  server = await TestServer.start();
  team = new Team(server);
  [olga, eddie, cora, vic, otto] = await Promise.all([team.signUp('Olga'), team.signUp('Eddie'), team.signUp('Cora'), team.signUp('Vic'), team.signUp('Otto')]);
  map = await olga.createMap('Broadband switch', 'demo');
  await olga.invite(map.id, eddie.email, 'editor');
  await olga.invite(map.id, cora.email, 'commenter');
  await olga.invite(map.id, vic.email, 'viewer');
  await otto.createMap("Otto's own map");
});

afterAll(async () => {
  destroyAllCollabClients();
  await stopAllServers();
});

/** Every route of the maps API with a body that would succeed, so that only the caller decides the answer. */
function mapRoutes(mapId: string): Array<[method: string, path: string, body?: unknown]> {
  return [
    ['GET', `/api/maps/${mapId}`],
    ['PATCH', `/api/maps/${mapId}`, { title: 'Taken over' }],
    ['DELETE', `/api/maps/${mapId}`],
    ['GET', `/api/maps/${mapId}/annotations`],
    ['GET', `/api/maps/${mapId}/audit`],
    ['POST', `/api/maps/${mapId}/collab-token`],
    ['GET', `/api/maps/${mapId}/members`],
    ['POST', `/api/maps/${mapId}/members`, { email: 'intruder@example.com', role: 'editor' }],
    ['PATCH', `/api/maps/${mapId}/members`, { email: 'intruder@example.com', role: 'owner' }],
    ['DELETE', `/api/maps/${mapId}/members`, { email: 'intruder@example.com' }],
  ];
}

describe('who may call what', () => {
  it('every route answers 401 without a session or a token, and says how to sign in', async () => {
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/api/maps'],
      ['POST', '/api/maps', { title: 'Anonymous map' }],
      ...mapRoutes(map.id),
      ['GET', '/api/tokens'],
      ['POST', '/api/tokens', { name: 'sneaky' }],
      ['DELETE', '/api/tokens/some-id'],
    ];
    const anonymous = ApiClient.anonymous(server.url);
    for (const [method, path, body] of routes) {
      const answer = await anonymous.request(method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(401);
      expect(answer.body.error, `${method} ${path}`).toBe('Sign in first, or send a personal access token as "Authorization: Bearer <token>"');
      expect(answer.text).not.toContain('Broadband');
    }
  });

  it("someone else's map is 404 on every route, the same answer as a map that does not exist, never its data", async () => {
    for (const mapId of [map.id, 'no-such-map-0000000000']) {
      for (const [method, path, body] of mapRoutes(mapId)) {
        const answer = await otto.api.request(method, path, body);
        expect(answer.status, `${method} ${path}`).toBe(404);
        expect(answer.body, `${method} ${path}`).toEqual(NOT_FOUND);
      }
    }
    const list = await otto.api.get<{ maps: MapSummary[] }>('/api/maps');
    expect(list.body.maps.map((m) => m.title)).toEqual(["Otto's own map"]);
    // Nothing Otto tried changed the map.
    expect((await olga.api.get<MapSummary>(`/api/maps/${map.id}`)).body.title).toBe('Broadband switch');
    expect((await olga.members(map.id)).invitations).toEqual([]);
  });

  it('Roles: a role too low is 403 with a sentence naming the role needed, and changes nothing', async () => {
    const cases: Array<[Person, string, string, unknown, string]> = [
      [cora, 'PATCH', `/api/maps/${map.id}`, { title: 'Renamed by a commenter' }, 'This needs the editor role or higher; you are a commenter'],
      [vic, 'PATCH', `/api/maps/${map.id}`, { title: 'Renamed by a viewer' }, 'This needs the editor role or higher; you are a viewer'],
      [eddie, 'DELETE', `/api/maps/${map.id}`, undefined, 'This needs the owner role or higher; you are an editor'],
      [eddie, 'GET', `/api/maps/${map.id}/audit`, undefined, 'This needs the owner role or higher; you are an editor'],
      [eddie, 'POST', `/api/maps/${map.id}/members`, { email: otto.email, role: 'viewer' }, 'This needs the owner role or higher; you are an editor'],
      [eddie, 'PATCH', `/api/maps/${map.id}/members`, { email: eddie.email, role: 'owner' }, 'This needs the owner role or higher; you are an editor'],
      [cora, 'PATCH', `/api/maps/${map.id}/members`, { email: cora.email, role: 'editor' }, 'This needs the owner role or higher; you are a commenter'],
      [vic, 'DELETE', `/api/maps/${map.id}/members`, { email: cora.email }, 'This needs the owner role or higher; you are a viewer'],
    ];
    for (const [person, method, path, body, message] of cases) {
      const answer = await person.api.request(method, path, body);
      expect(answer.status, `${person.name}: ${method} ${path}`).toBe(403);
      expect(answer.body.error).toBe(message);
    }
    expect((await olga.api.get<MapSummary>(`/api/maps/${map.id}`)).body.title).toBe('Broadband switch');
    const { members } = await olga.members(map.id);
    expect(members.map((m) => [m.email, m.role])).toEqual([
      [olga.email, 'owner'],
      [eddie.email, 'editor'],
      [cora.email, 'commenter'],
      [vic.email, 'viewer'],
    ]);
  });

  it('Roles: every member reads the map, its annotations and its members; only the owner sees invitations', async () => {
    const pending = team.emailFor('Pending');
    await olga.invite(map.id, pending, 'viewer');
    try {
      for (const person of [eddie, cora, vic]) {
        const summary = await person.api.get<MapSummary>(`/api/maps/${map.id}`);
        expect(summary.status).toBe(200);
        expect(summary.body.title).toBe('Broadband switch');
        expect((await person.api.get(`/api/maps/${map.id}/annotations`)).status).toBe(200);
        expect((await person.members(map.id)).invitations).toEqual([]);
      }
      expect((await olga.members(map.id)).invitations).toEqual([
        { email: pending, role: 'viewer', createdAt: expect.any(Number) as unknown, expiresAt: expect.any(Number) as unknown, link: expect.any(String) as unknown },
      ]);
    } finally {
      await olga.remove(map.id, pending);
    }
  });
});

describe('creating and listing maps', () => {
  it('a NUL character in a title or a map id is a 4xx with a sentence on every engine (PostgreSQL cannot store it), and no map is made', async () => {
    const before = (await otto.api.get<{ maps: MapSummary[] }>('/api/maps')).body.maps.length;
    const titled = await otto.api.post<ErrorBody>('/api/maps', { title: 'Before\u0000after', template: 'demo' });
    expect(titled.status, titled.text).toBeGreaterThanOrEqual(400);
    expect(titled.status, titled.text).toBeLessThan(500);
    expect(titled.body.error).toMatch(/\w{3,}/);
    const path = await otto.api.post<ErrorBody>('/api/maps/%00/members', { email: 'someone@example.com', role: 'viewer' });
    expect(path.status, path.text).toBeGreaterThanOrEqual(400);
    expect(path.status, path.text).toBeLessThan(500);
    expect((await otto.api.get<{ maps: MapSummary[] }>('/api/maps')).body.maps).toHaveLength(before);
  });

  it('POST /api/maps creates a map owned by its creator (201); it is listed for them and for nobody else', async () => {
    const created = await eddie.api.post<MapSummary>('/api/maps', { title: '  Moving house  ' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) as unknown,
      title: 'Moving house',
      role: 'owner',
      createdAt: expect.any(Number) as unknown,
      updatedAt: expect.any(Number) as unknown,
      summary: { hotspotStage: null, ownershipGaps: expect.any(Number) as unknown, failureDemand: 0, hubCoverage: null },
      damaged: false,
      damagedMessage: null,
    });
    const mine = await eddie.api.get<{ maps: MapSummary[] }>('/api/maps');
    expect(mine.body.maps.map((m) => [m.title, m.role]).sort()).toEqual([
      ['Broadband switch', 'editor'],
      ['Moving house', 'owner'],
    ]);
    expect((await eddie.api.get<MapSummary>(`/api/maps/${created.body.id}`)).body).toEqual(created.body);
    const others = await otto.api.get<{ maps: MapSummary[] }>('/api/maps');
    expect(others.text).not.toContain(created.body.id);
    expect((await otto.api.get(`/api/maps/${created.body.id}`)).status).toBe(404);
  });

  it('a title of exactly 200 characters is accepted', async () => {
    const title = 't'.repeat(200);
    const created = await eddie.api.post<MapSummary>('/api/maps', { title });
    expect(created.status).toBe(201);
    expect(created.body.title).toBe(title);
  });

  it.each([
    ['no title', {}, 'title is required'],
    ['a title of 0 characters', { title: '' }, TITLE_RULE],
    ['a title of spaces only', { title: '    ' }, TITLE_RULE],
    ['a title of 201 characters', { title: 'x'.repeat(201) }, TITLE_RULE],
    ['a title that is not a string', { title: 42 }, 'title is required'],
    ['an unknown template', { title: 'T', template: 'fancy' }, 'template must be blank or demo (got "fancy")'],
    ['an unknown field', { title: 'T', owner: 'someone@example.com' }, 'owner'],
    ['a JSON array', [], 'expected object'],
    ['malformed JSON', new RawBody('{"title": "unterminated'), 'The request body is not valid JSON'],
    ['no body', new RawBody(''), 'The request needs a JSON body'],
  ])('POST /api/maps with %s is 400 with a sentence', async (_what, body, message) => {
    const answer = await eddie.api.post<ErrorBody>('/api/maps', body);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toContain(message);
  });
});

describe('annotations', () => {
  it('DESIGN "Per-stage annotations": GET /api/maps/:id/annotations of a fresh demo map equals annotateMap of the demo template (hotspot set, ownershipGaps 2)', async () => {
    const fresh = await olga.createMap('Fresh demo', 'demo');
    const answer = await olga.api.get(`/api/maps/${fresh.id}/annotations`);
    expect(answer.status).toBe(200);
    const template = demoMap();
    const expected = JSON.parse(JSON.stringify(annotateMap(template.map, template.discussion))) as unknown;
    // No action is done on a fresh map: no outcomes (DESIGN.md, "Measured data and outcomes").
    expect(answer.body).toEqual({ ...(expected as object), outcomes: [] });
    expect(answer.body).toMatchObject({ hotspotStageId: expect.any(String) as unknown, ownershipGaps: 2 });
    // The dashboard's summary comes from the same annotations.
    const hotspot = template.map.stages.find((s) => s.id === (expected as { hotspotStageId: string }).hotspotStageId);
    expect(fresh.summary).toMatchObject({ hotspotStage: hotspot?.name, ownershipGaps: 2 });
  });
});

describe('collaboration tokens', () => {
  it('POST /api/maps/:id/collab-token answers { token, role, expiresAt } with the caller\'s role, and the token opens the map\'s room', async () => {
    for (const [person, role] of [
      [olga, 'owner'],
      [eddie, 'editor'],
      [cora, 'commenter'],
      [vic, 'viewer'],
    ] as const) {
      const before = Date.now();
      const answer = await person.api.post<{ token: string; role: string; expiresAt: string }>(`/api/maps/${map.id}/collab-token`);
      expect(answer.status).toBe(200);
      expect(Object.keys(answer.body).sort()).toEqual(['expiresAt', 'role', 'token']);
      expect(answer.body.role).toBe(role);
      const expiresAt = Date.parse(answer.body.expiresAt);
      expect(new Date(expiresAt).toISOString()).toBe(answer.body.expiresAt);
      // Short-lived: minutes, not days.
      expect(expiresAt - before).toBeGreaterThan(60_000);
      expect(expiresAt - before).toBeLessThanOrEqual(60 * 60_000);
      const client = await CollabClient.open(server.collabUrl, roomName(map.id, 'map'), answer.body.token);
      expect(metaTitle(client.doc)).toBe('Broadband switch');
      client.destroy();
    }
  });

  it('Websocket protocol: a token for one map is refused on another map\'s room (4403)', async () => {
    const { token } = await eddie.collabToken(map.id);
    const elsewhere = (await eddie.createMap('Elsewhere')).id;
    const client = CollabClient.connect(server.collabUrl, roomName(elsewhere, 'map'), token);
    expect((await client.closed()).code).toBe(4403);
    client.destroy();
  });
});

describe('renaming', () => {
  it('an editor renames the map: GET /api/maps/:id and the map document (meta.title, live on an open socket) both change', async () => {
    const viewer = await vic.open(roomName(map.id, 'map'));
    expect(metaTitle(viewer.doc)).toBe('Broadband switch');

    const renamed = await eddie.api.patch<MapSummary>(`/api/maps/${map.id}`, { title: '  Broadband switch, 2026  ' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: map.id, title: 'Broadband switch, 2026', role: 'editor' });

    await viewer.until((doc) => metaTitle(doc) === 'Broadband switch, 2026', 'the new title in the open document');
    expect((await olga.api.get<MapSummary>(`/api/maps/${map.id}`)).body.title).toBe('Broadband switch, 2026');
    // A client that joins later reads the new title from the stored document.
    const late = await cora.open(roomName(map.id, 'map'));
    expect(metaTitle(late.doc)).toBe('Broadband switch, 2026');
    const entry = (await olga.audit(map.id)).find((e) => e.action === 'map.renamed');
    expect(entry).toMatchObject({ actorEmail: eddie.email, detail: { title: 'Broadband switch, 2026' } });
    viewer.destroy();
    late.destroy();
  });

  it.each([
    ['a title of 0 characters', { title: '' }, TITLE_RULE],
    ['a title of 201 characters', { title: 'y'.repeat(201) }, TITLE_RULE],
    ['no title', {}, 'title is required'],
    ['an unknown field', { title: 'Fine', template: 'demo' }, 'template'],
    ['malformed JSON', new RawBody('title=x'), 'The request body is not valid JSON'],
  ])('PATCH /api/maps/:id with %s is 400 with a sentence, and the title stays', async (_what, body, message) => {
    const before = (await olga.api.get<MapSummary>(`/api/maps/${map.id}`)).body.title;
    const answer = await olga.api.patch<ErrorBody>(`/api/maps/${map.id}`, body);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toContain(message);
    expect((await olga.api.get<MapSummary>(`/api/maps/${map.id}`)).body.title).toBe(before);
  });
});

describe('deleting', () => {
  it('only the owner deletes a map; then every route is 404, open sockets are closed and a new socket is refused with 4404', async () => {
    const doomed = await olga.createMap('Doomed workshop copy', 'demo');
    await olga.invite(doomed.id, eddie.email, 'editor');
    const staleToken = (await eddie.collabToken(doomed.id)).token;
    const open = await eddie.open(roomName(doomed.id, 'map'));

    const refused = await eddie.api.delete(`/api/maps/${doomed.id}`);
    expect(refused.status).toBe(403);
    expect((await eddie.api.get(`/api/maps/${doomed.id}`)).status).toBe(200);

    const deleted = await olga.api.delete(`/api/maps/${doomed.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');

    for (const person of [olga, eddie]) {
      const answer = await person.api.get(`/api/maps/${doomed.id}`);
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual(NOT_FOUND);
      expect((await person.api.post(`/api/maps/${doomed.id}/collab-token`)).status).toBe(404);
      expect((await person.api.get<{ maps: MapSummary[] }>('/api/maps')).text).not.toContain(doomed.id);
    }
    // The open socket is closed by the server (the member has no map any more).
    expect([4403, 4404]).toContain((await open.closed()).code);
    const again = CollabClient.connect(server.collabUrl, roomName(doomed.id, 'map'), staleToken);
    expect(await again.closed()).toEqual({ code: 4404, reason: 'no such map' });
    const discussion = CollabClient.connect(server.collabUrl, roomName(doomed.id, 'discussion'), staleToken);
    expect((await discussion.closed()).code).toBe(4404);
    open.destroy();
    again.destroy();
    discussion.destroy();
  });
});
