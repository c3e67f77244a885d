/**
 * Issue 5, the operators' CLI (`node --import tsx server/cli.ts`): each
 * command's output (text, and one JSON object on the last line with --json),
 * its errors (a sentence on stderr; exit 2 for usage and bad input, 1 for not
 * found and conflicts), run on the DATA_DIR of a server that is running, which
 * sees every change at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomName } from '../../lib/journey/rooms';
import { readMap } from '../../lib/journey/schema';
import type { MapSummary } from '../../server/services/maps';
import { ApiClient } from '../support/api-client';
import { TestServer, stopAllServers } from '../support/server';
import { cliFailed, cliOk, runCli, type CliResult } from '../support/cli';
import { CollabClient, destroyAllCollabClients } from '../support/collab-client';
import { Team, type Person } from '../support/people';

const USAGE_FIRST_LINE = 'Usage: npm run cli -- <command> [options] [--json]';

let server: TestServer;
let team: Team;
let olga: Person;
const cli = (...args: string[]): Promise<CliResult> => runCli(server.dataDir, args);

beforeAll(async () => {
  server = await TestServer.start();
  team = new Team(server);
  olga = await team.signUp('Olga');
});

afterAll(async () => {
  destroyAllCollabClients();
  await stopAllServers();
});

describe('usage', () => {
  it('no command, an unknown command or an unknown option: exit 2 and the usage on stderr; --help: exit 0 and the usage on stdout', async () => {
    const [none, unknown, badOption, help] = await Promise.all([cli(), cli('frobnicate', 'now'), cli('map', 'list', '--colour', 'red'), cli('--help')]);
    expect(none.code).toBe(2);
    expect(none.stderr.split('\n')[0]).toBe(USAGE_FIRST_LINE);
    cliFailed(unknown, 2, 'Unknown command "frobnicate now".');
    expect(unknown.stderr).toContain(USAGE_FIRST_LINE);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain("Unknown option '--colour'");
    expect(badOption.stderr).toContain(USAGE_FIRST_LINE);
    expect(help.code).toBe(0);
    expect(help.stdout.split('\n')[0]).toBe(USAGE_FIRST_LINE);
    expect(help.stderr).toBe('');
  });
});

describe('user add', () => {
  it('creates an account that the running server signs in; the same email again is exit 1 (a JSON line too with --json); bad input is exit 2 naming what is wrong', async () => {
    const email = team.emailFor('Ursula');
    const added = cliOk(await cli('user', 'add', '--email', email, '--name', 'Ursula Ops', '--password', 'long enough pw', '--json'));
    expect(added).toEqual({ id: expect.any(String) as unknown, email, name: 'Ursula Ops' });
    expect((await ApiClient.anonymous(server.url).signIn(email, 'long enough pw')).ok).toBe(true);

    const [again, badEmail, noPassword] = await Promise.all([
      cli('user', 'add', '--email', email, '--name', 'Twin', '--password', 'long enough pw', '--json'),
      cli('user', 'add', '--email', 'ursula-at-example', '--name', 'U', '--password', 'long enough pw'),
      cli('user', 'add', '--email', team.emailFor('NoPw'), '--name', 'U'),
    ]);
    cliFailed(again, 1, 'An account with this email already exists.');
    // With --json an error is a JSON line too, with its kind.
    expect(again.json).toEqual({ error: 'An account with this email already exists', kind: 'conflict' });
    cliFailed(badEmail, 2, 'email must be an email address (got "ursula-at-example").');
    cliFailed(noPassword, 2, '--password is required.');
  });
});

describe('maps and members', () => {
  it('map create makes a map that the running server lists for its owner; map list shows every map or one person\'s', async () => {
    const created = cliOk(await cli('map', 'create', '--title', 'Ops-made map', '--owner', olga.email, '--template', 'demo', '--json'));
    expect(created).toEqual({ id: expect.any(String) as unknown, title: 'Ops-made map', owner: olga.email });
    const seen = await olga.api.get<MapSummary>(`/api/maps/${String(created.id)}`);
    expect(seen.body).toMatchObject({ title: 'Ops-made map', role: 'owner', summary: { ownershipGaps: 2 } });

    const [all, hers] = await Promise.all([cli('map', 'list', '--json'), cli('map', 'list', '--email', olga.email, '--json')]);
    const allMaps = cliOk(all).maps as Array<{ id: string; title: string }>;
    expect(allMaps.map((m) => m.id)).toContain(created.id);
    const herMaps = cliOk(hers).maps as Array<{ id: string; role: string }>;
    expect(herMaps.find((m) => m.id === created.id)?.role).toBe('owner');

    const [unknownOwner, longTitle] = await Promise.all([
      cli('map', 'create', '--title', 'Orphan', '--owner', 'nobody@example.com'),
      cli('map', 'create', '--title', 'z'.repeat(201), '--owner', olga.email, '--template', 'blank'),
    ]);
    cliFailed(unknownOwner, 1, 'No account with the email nobody@example.com.');
    cliFailed(longTitle, 2, 'title must be 1 to 200 characters.');
  });

  it('member add: a confirmed account is added and sees the map over the API at once; an email without one is invited, with a link to pass on; errors say why', async () => {
    const map = await olga.createMap('Shared by ops');
    const eddie = await team.signUp('Eddie');
    const added = cliOk(await cli('member', 'add', '--map', map.id, '--email', eddie.email, '--role', 'editor', '--json'));
    expect(added).toEqual({ status: 'added', email: eddie.email, role: 'editor', map: map.id });
    expect((await eddie.api.get<MapSummary>(`/api/maps/${map.id}`)).body.role).toBe('editor');

    const ninaEmail = team.emailFor('Nina');
    const invited = await cli('member', 'add', '--map', map.id, '--email', ninaEmail, '--role', 'viewer');
    expect(invited.code).toBe(0);
    // The operator passes the link on; Nina accepts it once her address is confirmed.
    const [, link = ''] = /^invited \S+ as viewer: (\S+\/invitations\/\S+)\n$/.exec(invited.stdout) ?? [];
    expect(link, invited.stdout).not.toBe('');
    const nina = await team.signUp('Nina', ninaEmail);
    expect((await nina.api.get(`/api/maps/${map.id}`)).status).toBe(404);
    await nina.accept(link);
    expect((await nina.api.get<MapSummary>(`/api/maps/${map.id}`)).body.role).toBe('viewer');

    // The audit log names the owner the operator acted for.
    const audit = await olga.audit(map.id);
    expect(audit.find((e) => e.action === 'member.added')).toMatchObject({ actorEmail: olga.email, targetEmail: eddie.email });

    const [owner, noMap, twice] = await Promise.all([
      cli('member', 'add', '--map', map.id, '--email', eddie.email, '--role', 'owner'),
      cli('member', 'add', '--map', 'no-such-map', '--email', eddie.email, '--role', 'viewer'),
      cli('member', 'add', '--map', map.id, '--email', eddie.email, '--role', 'viewer'),
    ]);
    cliFailed(owner, 2, 'role must be one of editor, commenter, viewer (got "owner").');
    cliFailed(noMap, 1, 'No map with the id no-such-map.');
    cliFailed(twice, 1, `${eddie.email} is already a member (editor); change their role instead.`);
  });

  it('member remove: the map is gone for them on the running server, and their open socket is closed (4403) at its next role check; the owner or a stranger cannot be removed', async () => {
    const map = await olga.createMap('Removed by ops');
    const cora = await team.signUp('Cora');
    await olga.invite(map.id, cora.email, 'commenter');
    const socket = await cora.open(roomName(map.id, 'discussion'));

    const removed = cliOk(await cli('member', 'remove', '--map', map.id, '--email', cora.email, '--json'));
    expect(removed).toEqual({ email: cora.email, map: map.id });
    expect((await cora.api.get(`/api/maps/${map.id}`)).status).toBe(404);

    const [owner, stranger] = await Promise.all([
      cli('member', 'remove', '--map', map.id, '--email', olga.email),
      cli('member', 'remove', '--map', map.id, '--email', 'stranger@example.com'),
    ]);
    cliFailed(owner, 1, 'The owner cannot be removed; transfer ownership first.');
    cliFailed(stranger, 1, 'stranger@example.com is not a member of this map.');

    // The CLI has no line to the server's sockets: the server re-checks open sockets' roles every 10 s.
    expect(await socket.closed(20_000)).toEqual({ code: 4403, reason: 'you are no longer a member of this map' });
  });
});

describe('map ids that start with a dash', () => {
  it('--map -x… and --map=-x… are read as the id (a map made before ids stopped starting with "-" can start with one); --map=ID works; --map followed by one of its options is still a usage error', async () => {
    const map = await olga.createMap('Taken with --map=');
    const eddie = await team.signUp('Dashiell');
    const [spaced, joined, equals, missing] = await Promise.all([
      cli('member', 'add', '--map', '-oldDashId0123456789ab', '--email', eddie.email, '--role', 'viewer'),
      cli('version', 'list', '--map=-oldDashId0123456789ab', '--email', olga.email),
      cli('member', 'add', `--map=${map.id}`, '--email', eddie.email, '--role', 'viewer', '--json'),
      cli('member', 'add', '--map', '--json', '--email', eddie.email, '--role', 'viewer'),
    ]);
    cliFailed(spaced, 1, 'No map with the id -oldDashId0123456789ab.');
    expect(joined.code).toBe(1);
    expect(joined.stderr).not.toContain('Usage:');
    expect(cliOk(equals)).toEqual({ status: 'added', email: eddie.email, role: 'viewer', map: map.id });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("Option '--map' argument is ambiguous");
  });
});

describe('tokens', () => {
  it('token: a collaboration token for the member\'s role opens the map on the running server; for a non-member it is exit 1', async () => {
    const map = await olga.createMap('Token map');
    const minted = cliOk(await cli('token', '--map', map.id, '--email', olga.email, '--json'));
    expect(Object.keys(minted).sort()).toEqual(['expiresAt', 'role', 'token']);
    expect(minted.role).toBe('owner');
    const client = await CollabClient.open(server.collabUrl, roomName(map.id, 'map'), String(minted.token));
    expect(readMap(client.doc).meta.title).toBe('Token map');
    client.destroy();

    const outsider = await team.signUp('Otto');
    cliFailed(await cli('token', '--map', map.id, '--email', outsider.email), 1, 'No such map, or you are not a member of it.');
  });

  it('pat create makes a Bearer token the running server accepts; pat revoke makes it 401 at once; revoking again or an unknown id is exit 1', async () => {
    const made = cliOk(await cli('pat', 'create', '--email', olga.email, '--name', 'nightly export', '--json'));
    expect(made).toMatchObject({ name: 'nightly export', token: expect.stringMatching(/^jhp_/) as unknown });
    const script = ApiClient.withToken(server.url, String(made.token));
    const maps = await script.get<{ maps: MapSummary[] }>('/api/maps');
    expect(maps.status).toBe(200);
    expect(maps.body.maps.length).toBeGreaterThan(0);

    const revoked = cliOk(await cli('pat', 'revoke', '--id', String(made.id), '--json'));
    expect(revoked).toEqual({ id: made.id, revoked: true });
    expect((await script.get('/api/maps')).status).toBe(401);

    const [twice, unknown] = await Promise.all([cli('pat', 'revoke', '--id', String(made.id)), cli('pat', 'revoke', '--id', 'no-such-token')]);
    cliFailed(twice, 1, 'This token is already revoked.');
    cliFailed(unknown, 1, 'No token with the id no-such-token.');
  });
});
