/**
 * Issue 5, sharing: invitations, roles, removal, ownership transfer and the
 * audit log over the HTTP API, and role changes reaching open websockets at
 * once (DESIGN.md "Roles": the server enforces them on every message).
 * The real server (production build) on a real SQLite file; one per file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomName } from '../../lib/journey/rooms';
import { readMap, setMapTitle, setPersona } from '../../lib/journey/schema';
import type { MapSummary } from '../../server/services/maps';
import { RawBody, type ErrorBody } from '../support/api-client';
import { TestServer, stopAllServers } from '../support/server';
import { destroyAllCollabClients, type CollabClient } from '../support/collab-client';
import { Team, type Person } from '../support/people';

let server: TestServer;
let team: Team;
/** Olga owns the maps; Eddie and Cora are people with accounts who get invited. */
let olga: Person;
let eddie: Person;
let cora: Person;

const title = (client: CollabClient): string => readMap(client.doc).meta.title;
const persona = (client: CollabClient): string => readMap(client.doc).meta.persona;
const edit = (person: Person) => ({ userId: person.email, kind: 'local' as const });

beforeAll(async () => {
  server = await TestServer.start();
  team = new Team(server);
  [olga, eddie, cora] = await Promise.all([team.signUp('Olga'), team.signUp('Eddie'), team.signUp('Cora')]);
});

afterAll(async () => {
  destroyAllCollabClients();
  await stopAllServers();
});

const rolesOn = async (owner: Person, mapId: string): Promise<Array<[string, string]>> =>
  (await owner.members(mapId)).members.map((m) => [m.email, m.role]);

describe('invitations', () => {
  it('inviting an email without an account makes an invitation; once they sign up, confirm the address and accept, they are a member with that role', async () => {
    const map = await olga.createMap('Onboarding journey');
    const ninaEmail = team.emailFor('Nina');
    const invited = await olga.api.post<{ link: string }>(`/api/maps/${map.id}/members`, { email: ninaEmail.toUpperCase(), role: 'viewer' });
    expect(invited.status).toBe(201);
    expect(invited.body).toEqual({ status: 'invited', email: ninaEmail, role: 'viewer', expiresAt: expect.any(Number) as unknown, link: expect.any(String) as unknown, mailed: false });
    // The owner may change the invitation's role before they join; the link stays the same.
    await olga.setRole(map.id, ninaEmail, 'commenter');
    expect((await olga.members(map.id)).invitations).toEqual([
      { email: ninaEmail, role: 'commenter', createdAt: expect.any(Number) as unknown, expiresAt: expect.any(Number) as unknown, link: invited.body.link },
    ]);

    const nina = await team.signUp('Nina', ninaEmail);
    expect((await nina.api.get<{ maps: MapSummary[] }>('/api/maps')).body.maps).toEqual([]);
    expect(await nina.accept(invited.body.link)).toEqual({ mapId: map.id, role: 'commenter' });
    const hers = await nina.api.get<{ maps: MapSummary[] }>('/api/maps');
    expect(hers.body.maps.map((m) => [m.id, m.role])).toEqual([[map.id, 'commenter']]);
    expect((await nina.collabToken(map.id)).role).toBe('commenter');
    expect(await rolesOn(olga, map.id)).toEqual([
      [olga.email, 'owner'],
      [ninaEmail, 'commenter'],
    ]);
    expect((await olga.members(map.id)).invitations).toEqual([]);

    const audit = await olga.audit(map.id);
    expect(audit.map((e) => [e.action, e.actorEmail, e.targetEmail])).toEqual([
      ['invitation.accepted', ninaEmail, ninaEmail],
      ['invitation.changed', olga.email, ninaEmail],
      ['member.invited', olga.email, ninaEmail],
      ['map.created', olga.email, null],
    ]);
    expect(audit[1]?.detail).toEqual({ from: 'viewer', to: 'commenter' });
  });

  it('a cancelled invitation is gone: its link joins nothing', async () => {
    const map = await olga.createMap('Cancelled invitation');
    const email = team.emailFor('Late');
    const { link } = (await olga.api.post<{ link: string }>(`/api/maps/${map.id}/members`, { email, role: 'editor' })).body;
    await olga.remove(map.id, email);
    expect((await olga.members(map.id)).invitations).toEqual([]);
    const late = await team.signUp('Late', email);
    expect((await late.api.post('/api/invitations/accept', { token: decodeURIComponent(link.split('/').pop() ?? '') })).status).toBe(410);
    expect((await late.api.get<{ maps: MapSummary[] }>('/api/maps')).body.maps).toEqual([]);
    expect((await late.api.get(`/api/maps/${map.id}`)).status).toBe(404);
  });

  it('someone with an account joins from the link; adding a member again or the owner is 409 with a sentence', async () => {
    const map = await olga.createMap('Added at once');
    expect(await olga.invite(map.id, eddie.email, 'editor')).toEqual({ status: 'added', email: eddie.email, role: 'editor' });
    expect((await eddie.api.get<MapSummary>(`/api/maps/${map.id}`)).body.role).toBe('editor');

    const twice = await olga.api.post<ErrorBody>(`/api/maps/${map.id}/members`, { email: eddie.email, role: 'viewer' });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toBe(`${eddie.email} is already a member (editor); change their role instead`);
    const self = await olga.api.post<ErrorBody>(`/api/maps/${map.id}/members`, { email: olga.email, role: 'viewer' });
    expect(self.status).toBe(409);
    expect(self.body.error).toBe('That person owns the map; transfer ownership to change their role');
  });
});

describe('roles and removal', () => {
  it('changing a role changes what the member may do at once, with an audit entry naming both people', async () => {
    const map = await olga.createMap('Role change');
    await olga.invite(map.id, eddie.email, 'editor');
    expect((await eddie.api.patch(`/api/maps/${map.id}`, { title: 'Renamed by Eddie' })).status).toBe(200);

    await olga.setRole(map.id, eddie.email, 'viewer');
    const refused = await eddie.api.patch<ErrorBody>(`/api/maps/${map.id}`, { title: 'Renamed again' });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('This needs the editor role or higher; you are a viewer');
    expect((await eddie.collabToken(map.id)).role).toBe('viewer');

    const [entry] = await olga.audit(map.id);
    expect(entry).toMatchObject({ action: 'member.role_changed', actorEmail: olga.email, targetEmail: eddie.email, detail: { from: 'editor', to: 'viewer' } });
  });

  it('a removed member loses the map (404 on every read); removing them again, or the owner, says why', async () => {
    const map = await olga.createMap('Removal');
    await olga.invite(map.id, eddie.email, 'commenter');
    await olga.remove(map.id, eddie.email);
    expect(await rolesOn(olga, map.id)).toEqual([[olga.email, 'owner']]);
    expect((await eddie.api.get(`/api/maps/${map.id}`)).status).toBe(404);
    expect((await eddie.api.post(`/api/maps/${map.id}/collab-token`)).status).toBe(404);
    expect((await eddie.api.get<{ maps: MapSummary[] }>('/api/maps')).text).not.toContain(map.id);
    expect((await olga.audit(map.id))[0]).toMatchObject({ action: 'member.removed', actorEmail: olga.email, targetEmail: eddie.email, detail: { role: 'commenter' } });

    const again = await olga.api.delete<ErrorBody>(`/api/maps/${map.id}/members`, { email: eddie.email });
    expect(again.status).toBe(404);
    expect(again.body.error).toBe(`${eddie.email} is not a member of this map`);
    const owner = await olga.api.delete<ErrorBody>(`/api/maps/${map.id}/members`, { email: olga.email });
    expect(owner.status).toBe(409);
    expect(owner.body.error).toBe('The owner cannot be removed; transfer ownership first');
    const selfDemotion = await olga.api.patch<ErrorBody>(`/api/maps/${map.id}/members`, { email: olga.email, role: 'editor' });
    expect(selfDemotion.status).toBe(409);
    expect(selfDemotion.body.error).toBe('You own this map; transfer ownership to someone else first');
  });

  it('Roles: transferring ownership leaves exactly one owner; the former owner is an editor; the audit log names both emails', async () => {
    const map = await olga.createMap('Handover');
    await olga.invite(map.id, eddie.email, 'commenter');
    await olga.invite(map.id, cora.email, 'viewer');

    await olga.setRole(map.id, eddie.email, 'owner');
    const roles = await rolesOn(eddie, map.id);
    expect(roles.filter(([, role]) => role === 'owner')).toEqual([[eddie.email, 'owner']]);
    expect(roles).toEqual([
      [eddie.email, 'owner'],
      [olga.email, 'editor'],
      [cora.email, 'viewer'],
    ]);
    expect((await olga.api.get<MapSummary>(`/api/maps/${map.id}`)).body.role).toBe('editor');

    // The former owner manages nothing any more; the new owner does.
    expect((await olga.api.get(`/api/maps/${map.id}/audit`)).status).toBe(403);
    expect((await olga.api.delete(`/api/maps/${map.id}`)).status).toBe(403);
    expect((await olga.api.patch(`/api/maps/${map.id}/members`, { email: eddie.email, role: 'viewer' })).status).toBe(403);
    const [entry] = await eddie.audit(map.id);
    expect(entry).toMatchObject({ action: 'ownership.transferred', actorEmail: olga.email, targetEmail: eddie.email, detail: { formerOwnerRole: 'editor' } });
    await eddie.setRole(map.id, cora.email, 'editor');
    expect((await cora.collabToken(map.id)).role).toBe('editor');
  });

  it('ownership goes only to a member: an outsider or a pending invitation is 404', async () => {
    const map = await olga.createMap('No stray owners');
    const pending = team.emailFor('Pending');
    await olga.invite(map.id, pending, 'editor');
    for (const email of [cora.email, pending]) {
      const answer = await olga.api.patch<ErrorBody>(`/api/maps/${map.id}/members`, { email, role: 'owner' });
      expect(answer.status).toBe(404);
      expect(answer.body.error).toBe(`${email} is not a member of this map`);
    }
    expect(await rolesOn(olga, map.id)).toEqual([[olga.email, 'owner']]);
  });

  it.each([
    ['POST', { email: 'x@example.com', role: 'admin' }, 'role must be one of editor, commenter, viewer (got "admin")'],
    ['POST', { email: 'x@example.com', role: 'owner' }, 'role must be one of editor, commenter, viewer (got "owner")'],
    ['POST', { email: 'x@example.com' }, 'role must be one of editor, commenter, viewer (got undefined)'],
    ['POST', { email: 'not-an-email', role: 'viewer' }, 'email must be an email address (got "not-an-email")'],
    ['POST', { email: 'x@example.com', role: 'viewer', note: 'hi' }, 'note'],
    ['POST', new RawBody('{"email":"x@example.com",'), 'The request body is not valid JSON'],
    ['PATCH', { email: 'x@example.com', role: 'admin' }, 'role must be one of owner, editor, commenter, viewer (got "admin")'],
    ['PATCH', { role: 'viewer' }, 'email is required'],
    ['PATCH', new RawBody('nope'), 'The request body is not valid JSON'],
    ['DELETE', {}, 'email is required'],
    ['DELETE', new RawBody(''), 'The request needs a JSON body'],
  ])('%s /api/maps/:id/members with a bad body (%j) is 400 with a sentence', async (method, body, message) => {
    const map = (await olga.api.get<{ maps: MapSummary[] }>('/api/maps')).body.maps[0];
    const answer = await olga.api.request(method, `/api/maps/${map?.id ?? 'none'}/members`, body);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toContain(message);
  });
});

describe('role changes on open websockets', () => {
  it('Roles + Websocket protocol 4403: an editor demoted to viewer has their next write refused at once, and it never reaches another client', async () => {
    const map = await olga.createMap('Live demotion');
    await olga.invite(map.id, eddie.email, 'editor');
    const room = roomName(map.id, 'map');
    const watcher = await olga.open(room);
    const editor = await eddie.open(room);

    setPersona(editor.doc, 'Written by Eddie as an editor', edit(eddie));
    await watcher.until((doc) => readMap(doc).meta.persona === 'Written by Eddie as an editor', "the editor's write at the owner's client");

    await olga.setRole(map.id, eddie.email, 'viewer');
    setMapTitle(editor.doc, 'Hijacked by a viewer', edit(eddie));
    expect(await editor.closed()).toEqual({ code: 4403, reason: 'a viewer may not change the map' });

    // Anything the refused socket sent would have been fanned out before this later marker.
    const marker = await olga.open(room);
    expect(title(marker)).toBe('Live demotion');
    setPersona(marker.doc, 'Marker after the refusal', edit(olga));
    await watcher.until((doc) => readMap(doc).meta.persona === 'Marker after the refusal', 'the marker at the owner\'s client');
    expect(title(watcher)).toBe('Live demotion');
    expect((await olga.api.get<MapSummary>(`/api/maps/${map.id}`)).body.title).toBe('Live demotion');
    expect(persona(marker)).toBe('Marker after the refusal');
  });

  it('Roles: removing a member closes their open sockets (map and discussion) with 4403', async () => {
    const map = await olga.createMap('Live removal');
    await olga.invite(map.id, cora.email, 'commenter');
    const mapSocket = await cora.open(roomName(map.id, 'map'));
    const discussionSocket = await cora.open(roomName(map.id, 'discussion'));
    const owners = await olga.open(roomName(map.id, 'map'));

    await olga.remove(map.id, cora.email);
    expect(await mapSocket.closed()).toEqual({ code: 4403, reason: 'you are no longer a member of this map' });
    expect((await discussionSocket.closed()).code).toBe(4403);
    // The owner's socket on the same room is untouched.
    expect(owners.closedWith).toBeNull();
    expect(owners.provider.wsconnected).toBe(true);
  });
});
