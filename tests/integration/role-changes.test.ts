/**
 * Issue 11 §2, "the screen tells the truth", on the server's side: a role
 * change reaches open sockets as a close with RoleChanged (the client comes
 * back with a token for the new role), a removed member or a deleted map is
 * explained to former members only, and a merged workshop copy is read-only
 * for everyone, over HTTP and over the websocket.
 * Stock y-websocket clients; the real server on a real SQLite file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../lib/collab/close-codes';
import type { EditOrigin } from '../../lib/journey/origin';
import { roomName } from '../../lib/journey/rooms';
import { readMap, setMapTitle, setPersona, updateTouchpoint } from '../../lib/journey/schema';
import type { MapSummary } from '../../server/services/maps';
import type { ErrorBody } from '../support/api-client';
import { TestServer, stopAllServers } from '../support/server';
import { CollabClient, destroyAllCollabClients, type Close } from '../support/collab-client';
import { Team, type Person } from '../support/people';

let server: TestServer;
let team: Team;
let olga: Person;
let eddie: Person;
let cora: Person;
let stranger: Person;

const origin = (person: Person): EditOrigin => ({ userId: person.email, kind: 'local' });
const today = (): string => new Date().toISOString().slice(0, 10);

interface NoAccessBody {
  error: string;
  details?: { access: 'removed' | 'deleted'; by: string; at: number };
}

beforeAll(async () => {
  server = await TestServer.start();
  team = new Team(server);
  [olga, eddie, cora, stranger] = await Promise.all([team.signUp('Olga'), team.signUp('Eddie'), team.signUp('Cora'), team.signUp('Stranger')]);
});

afterAll(async () => {
  destroyAllCollabClients();
  await stopAllServers();
});

describe('a role changed while the map is open', () => {
  it('a downgraded member\'s sockets close with RoleChanged at once; the client reconnects by itself as a viewer and her next write is refused (4403)', async () => {
    const map = await olga.createMap('Downgrade');
    await olga.invite(map.id, eddie.email, 'editor');
    const onMap = await eddie.open(roomName(map.id, 'map'));
    const onDiscussion = await eddie.open(roomName(map.id, 'discussion'));
    const closes = [onMap.nextClose(), onDiscussion.nextClose()];

    await olga.setRole(map.id, eddie.email, 'viewer');
    for (const close of await Promise.all(closes)) expect(close).toEqual({ code: CloseCode.RoleChanged, reason: 'your role on this map changed; reconnect' });
    // Not final: the stock client comes back with its old token, which now counts as a viewer's.
    await onMap.whenSynced();
    expect(onMap.closedWith).toBeNull();

    setPersona(onMap.doc, 'Written after the downgrade', origin(eddie));
    expect(await onMap.closed()).toEqual({ code: CloseCode.Forbidden, reason: 'a viewer may not change the map' });
    const reader = await olga.open(roomName(map.id, 'map'));
    expect(readMap(reader.doc).meta.persona).not.toBe('Written after the downgrade');
    // The token route says who made the change, for the sentence the canvas shows.
    const token = await eddie.api.post<{ role: string; roleChangedBy?: string }>(`/api/maps/${map.id}/collab-token`);
    expect(token.body).toMatchObject({ role: 'viewer', roleChangedBy: 'Olga' });
    expect((await olga.api.post<{ roleChangedBy?: string }>(`/api/maps/${map.id}/collab-token`)).body.roleChangedBy).toBeUndefined();
  });

  it('an edit made while the socket was closed for the change is refused when a reconnecting viewer holds it, not kept as if accepted', async () => {
    const map = await olga.createMap('Edit in the gap');
    await olga.invite(map.id, eddie.email, 'editor');
    const onMap = await eddie.open(roomName(map.id, 'map'));
    const close = onMap.nextClose();
    await olga.setRole(map.id, eddie.email, 'viewer');
    await close;
    // Typed while there was no socket: the server asks the client for what it has on reconnect.
    setMapTitle(onMap.doc, 'Typed in the gap', origin(eddie));
    expect((await onMap.closed()).code).toBe(CloseCode.Forbidden);
    expect((await olga.api.get<MapSummary>(`/api/maps/${map.id}`)).body.title).toBe('Edit in the gap');
  });

  it('an upgrade closes the socket too, so that the client asks for a token with the new role', async () => {
    const map = await olga.createMap('Upgrade');
    await olga.invite(map.id, cora.email, 'viewer');
    const onMap = await cora.open(roomName(map.id, 'map'));
    const close = onMap.nextClose();
    await olga.setRole(map.id, cora.email, 'editor');
    expect((await close).code).toBe(CloseCode.RoleChanged);
    expect((await cora.collabToken(map.id)).role).toBe('editor');
  });

  it('a socket of someone else on the map, or of the same person on another map, is left alone', async () => {
    const [map, other] = await Promise.all([olga.createMap('Left alone'), olga.createMap('Another map')]);
    await Promise.all([olga.invite(map.id, eddie.email, 'editor'), olga.invite(other.id, eddie.email, 'editor'), olga.invite(map.id, cora.email, 'editor')]);
    const [eddieOther, coraHere] = await Promise.all([eddie.open(roomName(other.id, 'map')), cora.open(roomName(map.id, 'map'))]);
    let closed = 0;
    for (const client of [eddieOther, coraHere]) client.provider.on('connection-close', () => (closed += 1));
    await olga.setRole(map.id, eddie.email, 'commenter');
    // A write after the change still goes through on the untouched sockets.
    setPersona(coraHere.doc, 'Still an editor', origin(cora));
    const reader = await olga.open(roomName(map.id, 'map'));
    await reader.until((doc) => readMap(doc).meta.persona === 'Still an editor', "Cora's write after Eddie's change");
    expect(closed).toBe(0);
  });
});

describe('removed, or the map deleted', () => {
  it('a removed member gets 4403 on open sockets; the token route (which the canvas asks) then says they no longer have access, and who removed them', async () => {
    const map = await olga.createMap('Removal explained');
    await olga.invite(map.id, eddie.email, 'commenter');
    const onMap = await eddie.open(roomName(map.id, 'map'));
    const minted = await eddie.collabToken(map.id);
    await olga.remove(map.id, eddie.email);
    expect(await onMap.closed()).toEqual({ code: CloseCode.Forbidden, reason: 'you are no longer a member of this map' });

    const token = await eddie.api.post<NoAccessBody>(`/api/maps/${map.id}/collab-token`);
    expect(token.status).toBe(404);
    expect(token.body).toEqual({ error: `You no longer have access to this map: Olga removed you on ${today()}`, details: { access: 'removed', by: 'Olga', at: expect.any(Number) as unknown } });
    // The other routes keep the one answer for every map one may not see.
    expect((await eddie.api.get<NoAccessBody>(`/api/maps/${map.id}`)).body).toEqual({ error: 'No such map, or you are not a member of it' });
    // A new socket with a token minted before the removal is refused as well.
    const late = CollabClient.connect(server.collabUrl, roomName(map.id, 'map'), minted.token);
    expect(await late.closed()).toEqual({ code: CloseCode.Forbidden, reason: 'you are not a member of this map' });
  });

  it('after a deletion, its members learn who deleted it; a stranger still gets "no such map"', async () => {
    const map = await olga.createMap('Deleted while open');
    await olga.invite(map.id, cora.email, 'editor');
    await olga.invite(map.id, eddie.email, 'viewer');
    await olga.remove(map.id, eddie.email);
    const onMap = await cora.open(roomName(map.id, 'map'));
    expect((await olga.api.delete(`/api/maps/${map.id}`)).status).toBe(204);
    expect((await onMap.closed()).code).toBe(CloseCode.NotFound);

    const cora404 = await cora.api.post<NoAccessBody>(`/api/maps/${map.id}/collab-token`);
    expect(cora404.status).toBe(404);
    expect(cora404.body).toMatchObject({ error: `This map was deleted by Olga on ${today()}`, details: { access: 'deleted', by: 'Olga' } });
    // Eddie was removed before the deletion: he lost access, he was not there when it went.
    expect((await eddie.api.post<NoAccessBody>(`/api/maps/${map.id}/collab-token`)).body.details?.access).toBe('removed');
    for (const id of [map.id, 'no-such-map']) {
      const answer = await stranger.api.post<ErrorBody>(`/api/maps/${id}/collab-token`);
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({ error: 'No such map, or you are not a member of it' });
    }
  });
});

describe('a merged workshop copy is read-only', () => {
  it('its open sockets reconnect as viewers at the merge; writes over the socket and HTTP are refused with a sentence', async () => {
    const master = await olga.createMap('Master to merge into', 'demo');
    await olga.invite(master.id, eddie.email, 'editor');
    expect((await olga.api.post(`/api/maps/${master.id}/master`, { master: true })).status).toBe(200);
    const copy = (await eddie.api.post<MapSummary>(`/api/maps/${master.id}/workshops`, { title: 'Merged workshop' })).body;
    const onCopy = await eddie.open(roomName(copy.id, 'map'));
    updateTouchpoint(onCopy.doc, 'tp-phone-support', { contactVolume: 1234 }, origin(eddie));
    const reader = await eddie.open(roomName(copy.id, 'map'));
    await reader.until((doc) => readMap(doc).touchpoints['tp-phone-support']?.contactVolume === 1234, 'the copy edit');
    const closes = [onCopy.nextClose(), reader.nextClose()];

    const merged = await eddie.api.post(`/api/maps/${copy.id}/merge`, { changes: ['tp:tp-phone-support:contactVolume'], resolutions: {} });
    expect(merged.status, merged.text).toBe(200);
    for (const close of await Promise.all(closes)) expect(close.code).toBe(CloseCode.RoleChanged);

    const token = await eddie.collabToken(copy.id);
    expect(token).toMatchObject({ role: 'viewer', merged: { masterId: master.id, masterTitle: 'Master to merge into', mergedAt: expect.any(Number) as unknown } });
    // Eddie still owns the copy (Olga, the master's owner, came along as an editor): the members list says so, the documents do not let him write.
    expect((await eddie.members(copy.id)).members.map((m) => [m.email, m.role])).toEqual([
      [eddie.email, 'owner'],
      [olga.email, 'editor'],
    ]);

    await onCopy.whenSynced();
    updateTouchpoint(onCopy.doc, 'tp-phone-support', { contactVolume: 99 }, origin(eddie));
    expect(await onCopy.closed()).toEqual({ code: CloseCode.Forbidden, reason: 'a viewer may not change the map' });
    const fresh = await eddie.open(roomName(copy.id, 'discussion'));
    expect(fresh.closedWith).toBeNull();

    const rename = await eddie.api.patch<ErrorBody>(`/api/maps/${copy.id}`, { title: 'Renamed after the merge' });
    expect(rename.status).toBe(409);
    expect(rename.body.error).toBe(`This workshop copy was merged into "Master to merge into" on ${today()}; it is read-only now`);
    expect((await eddie.api.get<MapSummary>(`/api/maps/${copy.id}`)).body.title).toBe('Merged workshop');

    // Measured figures are the map's content too: a push or a delete of a month is refused alike, and nothing is stored.
    const readOnly = `This workshop copy was merged into "Master to merge into" on ${today()}; it is read-only now`;
    const push = await eddie.api.put<ErrorBody>(`/api/maps/${copy.id}/metrics`, { period: '2026-11', rows: [{ externalKey: 'CR-PHONE-SUPPORT', contacts: 5 }] });
    expect(push.status, push.text).toBe(409);
    expect(push.body.error).toBe(readOnly);
    const remove = await eddie.api.delete<ErrorBody>(`/api/maps/${copy.id}/metrics/2026-11`);
    expect(remove.status, remove.text).toBe(409);
    expect(remove.body.error).toBe(readOnly);
    expect((await eddie.api.get<{ rows: unknown[] }>(`/api/maps/${copy.id}/metrics`)).body.rows).toEqual([]);
  });
});
