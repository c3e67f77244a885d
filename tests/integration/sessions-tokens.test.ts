/**
 * Issue 12 §4, sessions and access tokens, against the real server
 * (production build), a real SQLite file and raw HTTP / raw websockets:
 * - sessions can be revoked: "sign out everywhere", a password change (the
 *   other sessions end, this one is renewed), and a removal from a map;
 * - personal access tokens have a scope (read | write) and an expiry; a read
 *   token changes nothing, and no token mints tokens;
 * - tokens made before scopes and expiries existed keep working as write
 *   tokens without expiry (README, "Personal access tokens").
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteAccountStore } from '../../server/accounts/sqlite-account-store';
import { MIGRATIONS } from '../../server/db/migrations';
import { SQLITE_FILE, openSqlite } from '../../server/db/sqlite';
import { ensureBuild } from '../e2e/support/build';
import { ApiClient, type ErrorBody } from '../support/api-client';
import { TestServer, stopAllServers } from '../support/server';
import { cliFailed, cliOk, runCli } from '../support/cli';
import { CollabClient, destroyAllCollabClients } from '../support/collab-client';
import { PASSWORD, Team, type CollabToken, type Person } from '../support/people';
import { withServerDatabase } from './support/database';

interface CreatedToken {
  id: string;
  name: string;
  token: string;
  scope: 'read' | 'write';
  expiresAt: number | null;
}
interface TokenListing {
  tokens: Array<{ id: string; name: string; scope: 'read' | 'write'; expiresAt: number | null; revokedAt: number | null }>;
}

const SIGNED_OUT = 'Sign in first, or send a personal access token as "Authorization: Bearer <token>"';
const READ_ONLY = 'This access token can only read: create a token with the write scope to make changes';
const NO_MINTING = 'Access tokens cannot be used here: sign in to manage your account and your tokens';
const DAY_MS = 24 * 60 * 60 * 1000;

let server: TestServer;
let team: Team;

beforeAll(async () => {
  ensureBuild();
  server = await TestServer.start();
  team = new Team(server);
  // A `next build` on two shared cores can take minutes.
}, 600_000);

afterAll(async () => {
  destroyAllCollabClients();
  await stopAllServers();
});

/** A second browser of the same person: its own cookie session. */
async function anotherSession(person: Person, password = person.password): Promise<ApiClient> {
  const browser = ApiClient.anonymous(server.url);
  const signedIn = await browser.signIn(person.email, password);
  expect(signedIn.ok, JSON.stringify(signedIn)).toBe(true);
  return browser;
}

async function collabToken(client: ApiClient, mapId: string): Promise<CollabToken> {
  const answer = await client.post<CollabToken>(`/api/maps/${mapId}/collab-token`);
  expect(answer.status, answer.text).toBe(200);
  return answer.body;
}

describe('sign out everywhere (DELETE /api/account/sessions)', () => {
  it('ends every cookie session of the person, this one too; a new sign-in works; their access tokens are not sessions and keep working', async () => {
    const kim = await team.signUp('Kim');
    const laptop = await anotherSession(kim);
    const phone = await anotherSession(kim);
    expect((await phone.get('/api/maps')).status).toBe(200);

    const answer = await laptop.delete('/api/account/sessions');
    expect(answer.status, answer.text).toBe(204);

    for (const client of [laptop, phone, kim.session]) {
      const refused = await client.get<ErrorBody>('/api/maps');
      expect(refused.status).toBe(401);
      expect(refused.body.error).toBe(SIGNED_OUT);
      expect((await client.post(`/api/maps`, { title: 'After sign-out', template: 'blank' })).status).toBe(401);
    }
    // The session the browser reads for its pages is gone too.
    expect((await phone.get('/api/auth/session')).body).toEqual({});

    const again = await anotherSession(kim);
    expect((await again.get('/api/maps')).status).toBe(200);
    expect((await kim.api.get('/api/maps')).status).toBe(200);
  });

  it('closes the person\'s open sockets with 4401, and a collaboration token minted before no longer opens a room', async () => {
    const kim = await team.signUp('Kim');
    const map = await kim.createMap('Signed-out sockets');
    const laptop = await anotherSession(kim);
    const open = await CollabClient.open(server.collabUrl, map.id, (await collabToken(laptop, map.id)).token);
    const unused = (await collabToken(laptop, map.id)).token;

    expect((await laptop.delete('/api/account/sessions')).status).toBe(204);

    expect((await open.closed()).code).toBe(4401);
    const late = CollabClient.connect(server.collabUrl, map.id, unused);
    expect(await late.closed()).toEqual({ code: 4401, reason: 'you were signed out; sign in again' });
    expect((await laptop.post(`/api/maps/${map.id}/collab-token`)).status).toBe(401);
  });

  it('an operator does it with `user signout --email`: the sessions end at once, open sockets close with 4401 at the server\'s next check', async () => {
    const kim = await team.signUp('Kim');
    const map = await kim.createMap('Operator sign-out');
    const laptop = await anotherSession(kim);
    const open = await CollabClient.open(server.collabUrl, map.id, (await collabToken(laptop, map.id)).token);

    expect(cliOk(await runCli(server.dataDir, ['user', 'signout', '--email', kim.email, '--json']))).toEqual({ email: kim.email, signedOut: true });

    expect((await laptop.get('/api/maps')).status).toBe(401);
    // The CLI is another process: the server learns of it when it checks its sockets (every 10 s).
    expect(await open.closed(30_000)).toEqual({ code: 4401, reason: 'you were signed out; sign in again' });
    const nobody = team.emailFor('Nobody');
    cliFailed(await runCli(server.dataDir, ['user', 'signout', '--email', nobody]), 1, `No account with the email ${nobody}.`);
  }, 90_000);

  it('needs the signed-in session: an access token cannot sign its person out', async () => {
    const kim = await team.signUp('Kim');
    const answer = await kim.api.delete<ErrorBody>('/api/account/sessions');
    expect(answer.status).toBe(403);
    expect(answer.body.error).toBe(NO_MINTING);
    expect((await kim.session.get('/api/maps')).status).toBe(200);
  });
});

describe('changing the password (POST /api/account/password)', () => {
  const NEW_PASSWORD = 'a brand new passphrase';

  it('changes it, keeps this session (renewed), ends every other session; the old password no longer signs in', async () => {
    const kim = await team.signUp('Kim');
    const laptop = await anotherSession(kim);
    const phone = await anotherSession(kim);
    const oldCookie = laptop.sessionCookie;

    const answer = await laptop.post<{ message: string }>('/api/account/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toEqual({ message: 'Password changed. Your other sessions are signed out.' });
    expect(laptop.sessionCookie).not.toBe(oldCookie);

    expect((await laptop.get('/api/maps')).status).toBe(200);
    expect((await phone.get('/api/maps')).status).toBe(401);
    expect((await kim.session.get('/api/maps')).status).toBe(401);
    // The old cookie, replayed, is one of the other sessions now.
    const replay = ApiClient.anonymous(server.url);
    replay.setCookie('next-auth.session-token', oldCookie ?? '');
    expect((await replay.get('/api/maps')).status).toBe(401);

    expect((await ApiClient.anonymous(server.url).signIn(kim.email, PASSWORD)).ok).toBe(false);
    expect((await ApiClient.anonymous(server.url).signIn(kim.email, NEW_PASSWORD)).ok).toBe(true);
  });

  it('refuses with a sentence a person can act on, and changes nothing', async () => {
    const kim = await team.signUp('Kim');
    const cases: Array<[unknown, number, string]> = [
      [{ currentPassword: 'not my password', newPassword: NEW_PASSWORD }, 400, 'Your current password is not correct'],
      [{ currentPassword: PASSWORD, newPassword: 'short' }, 400, 'newPassword: password must be at least 8 characters'],
      [{ currentPassword: PASSWORD, newPassword: PASSWORD }, 400, 'The new password is the one you have: choose another'],
      [{ newPassword: NEW_PASSWORD }, 400, 'currentPassword: your current password is required'],
    ];
    for (const [body, status, error] of cases) {
      const answer = await kim.session.post<ErrorBody>('/api/account/password', body);
      expect({ status: answer.status, error: answer.body.error }).toEqual({ status, error });
    }
    expect((await kim.session.get('/api/maps')).status).toBe(200);
    expect((await ApiClient.anonymous(server.url).signIn(kim.email, PASSWORD)).ok).toBe(true);
  });

  it('tells a single sign-on account that it has no password here', async () => {
    const kim = await team.signUp('Kim');
    // An account made by single sign-on has no password hash (server/auth/oidc.ts).
    await withServerDatabase(server.dataDir, (db) => db.run('UPDATE users SET password_hash = NULL WHERE email = ?', [kim.email]));
    const answer = await kim.session.post<ErrorBody>('/api/account/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(answer.status).toBe(409);
    expect(answer.body.error).toBe('Your account signs in with single sign-on and has no password here: change it with your identity provider');
    const page = await kim.session.get<{ hasPassword: boolean }>('/api/account');
    expect(page.body).toMatchObject({ hasPassword: false });
  });

  it('needs the signed-in session: an access token cannot change the password', async () => {
    const kim = await team.signUp('Kim');
    const answer = await kim.api.post<ErrorBody>('/api/account/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect({ status: answer.status, error: answer.body.error }).toEqual({ status: 403, error: NO_MINTING });
    expect((await ApiClient.anonymous(server.url).signIn(kim.email, PASSWORD)).ok).toBe(true);
  });
});

describe('removed from a map', () => {
  it('the removed member\'s session, access token and unused collaboration token all lose the map', async () => {
    const [owner, ben] = await Promise.all([team.signUp('Olga'), team.signUp('Ben')]);
    const map = await owner.createMap('Removal');
    await owner.invite(map.id, ben.email, 'editor');
    const minted = (await collabToken(ben.session, map.id)).token;
    const open = await CollabClient.open(server.collabUrl, map.id, minted);

    await owner.remove(map.id, ben.email);

    expect((await open.closed()).code).toBe(4403);
    for (const client of [ben.session, ben.api]) {
      expect((await client.get(`/api/maps/${map.id}`)).status).toBe(404);
      expect((await client.get(`/api/maps/${map.id}/annotations`)).status).toBe(404);
      expect((await client.post(`/api/maps/${map.id}/collab-token`)).status).toBe(404);
    }
    const late = CollabClient.connect(server.collabUrl, map.id, minted);
    expect((await late.closed()).code).toBe(4403);
  });
});

describe('personal access tokens: scope and expiry', () => {
  it('are made with a scope and an expiry, listed with both; the defaults are write and 90 days', async () => {
    const kim = await team.signUp('Kim');
    const before = Date.now();
    const read = await kim.session.post<CreatedToken>('/api/tokens', { name: 'reporting', scope: 'read', expiresInDays: 30 });
    expect(read.status, read.text).toBe(201);
    expect(read.body).toMatchObject({ name: 'reporting', scope: 'read' });
    expect(read.body.expiresAt).toBeGreaterThanOrEqual(before + 30 * DAY_MS);
    expect(read.body.expiresAt).toBeLessThanOrEqual(Date.now() + 30 * DAY_MS);

    const plain = await kim.session.post<CreatedToken>('/api/tokens', { name: 'plain' });
    expect(plain.body.scope).toBe('write');
    expect(plain.body.expiresAt).toBeGreaterThanOrEqual(before + 90 * DAY_MS);

    const listing = await kim.session.get<TokenListing>('/api/tokens');
    expect(listing.body.tokens.find((t) => t.id === read.body.id)).toMatchObject({ scope: 'read', expiresAt: read.body.expiresAt });
  });

  it('refuses a scope or an expiry it does not know, with a sentence', async () => {
    const kim = await team.signUp('Kim');
    const cases: Array<[unknown, string]> = [
      [{ name: 'x', scope: 'admin' }, 'scope must be "read", "write" or "metrics"'],
      [{ name: 'x', expiresInDays: 0 }, 'expiresInDays: a token lasts from 1 to 365 days'],
      [{ name: 'x', expiresInDays: 366 }, 'expiresInDays: a token lasts from 1 to 365 days'],
      [{ name: 'x', expiresInDays: 1.5 }, 'expiresInDays: a token lasts a whole number of days'],
    ];
    for (const [body, error] of cases) {
      const answer = await kim.session.post<ErrorBody>('/api/tokens', body);
      expect({ status: answer.status, error: answer.body.error }).toEqual({ status: 400, error });
    }
    const listing = await kim.session.get<TokenListing>('/api/tokens');
    expect(listing.body.tokens.map((t) => t.name)).toEqual(['tests']);
  });

  it('a read token reads, and every route that changes something answers 403 with a sentence; nothing changes', async () => {
    const [kim, ben] = await Promise.all([team.signUp('Kim'), team.signUp('Ben')]);
    const map = await kim.createMap('Read only');
    await kim.invite(map.id, ben.email, 'editor');
    const version = await kim.api.post<{ id: string }>(`/api/maps/${map.id}/versions`, { name: 'v1' });
    const { token } = (await kim.session.post<CreatedToken>('/api/tokens', { name: 'reader', scope: 'read', expiresInDays: 30 })).body;
    const reader = ApiClient.withToken(server.url, token);

    expect((await reader.get('/api/maps')).status).toBe(200);
    expect((await reader.get(`/api/maps/${map.id}`)).status).toBe(200);
    expect((await reader.get(`/api/maps/${map.id}/annotations`)).status).toBe(200);
    expect((await reader.get(`/api/maps/${map.id}/members`)).status).toBe(200);

    const writes: Array<[string, string, unknown?]> = [
      ['POST', '/api/maps', { title: 'New', template: 'blank' }],
      ['PATCH', `/api/maps/${map.id}`, { title: 'Renamed' }],
      ['DELETE', `/api/maps/${map.id}`],
      ['POST', `/api/maps/${map.id}/members`, { email: team.emailFor('Zed'), role: 'viewer' }],
      ['PATCH', `/api/maps/${map.id}/members`, { email: ben.email, role: 'viewer' }],
      ['DELETE', `/api/maps/${map.id}/members`, { email: ben.email }],
      ['POST', `/api/maps/${map.id}/master`, { master: true }],
      ['POST', `/api/maps/${map.id}/workshops`, {}],
      ['POST', `/api/maps/${map.id}/merge`, {}],
      ['POST', `/api/maps/${map.id}/refresh`, {}],
      ['POST', `/api/maps/${map.id}/versions`, { name: 'v2' }],
      ['POST', `/api/maps/${map.id}/versions/${version.body.id}/restore`],
      ['POST', '/api/notifications/read', { all: true }],
      ['DELETE', `/api/tokens/${version.body.id}`],
    ];
    for (const [method, route, body] of writes) {
      const answer = await reader.request<ErrorBody>(method, route, body);
      expect({ route: `${method} ${route}`, status: answer.status, error: answer.body.error }).toEqual({ route: `${method} ${route}`, status: 403, error: READ_ONLY });
    }
    const after = await kim.api.get<{ title: string }>(`/api/maps/${map.id}`);
    expect(after.body.title).toBe('Read only');
    expect((await kim.members(map.id)).members.find((m) => m.email === ben.email)?.role).toBe('editor');
    expect((await kim.api.get<{ maps: unknown[] }>('/api/maps')).body.maps).toHaveLength(1);

    // Live reading is reading: the collaboration token of a read token is a viewer's, and its writes are refused.
    const viewer = await collabToken(reader, map.id);
    expect(viewer.role).toBe('viewer');
    const client = await CollabClient.open(server.collabUrl, map.id, viewer.token);
    client.doc.getMap('meta').set('title', 'Written with a read token');
    expect((await client.closed()).code).toBe(4403);
    expect((await kim.api.get<{ title: string }>(`/api/maps/${map.id}`)).body.title).toBe('Read only');
  });

  it('no token mints tokens: POST /api/tokens with a bearer token is 403, whatever its scope', async () => {
    const kim = await team.signUp('Kim');
    const answer = await kim.api.post<ErrorBody>('/api/tokens', { name: 'minted by a token', scope: 'write', expiresInDays: 30 });
    expect({ status: answer.status, error: answer.body.error }).toEqual({ status: 403, error: NO_MINTING });
    const listing = await kim.session.get<TokenListing>('/api/tokens');
    expect(listing.body.tokens.map((t) => t.name)).toEqual(['tests']);
  });

  it('an expired token answers 401 with a sentence that says when it expired', async () => {
    const kim = await team.signUp('Kim');
    const created = (await kim.session.post<CreatedToken>('/api/tokens', { name: 'short', scope: 'write', expiresInDays: 1 })).body;
    const holder = ApiClient.withToken(server.url, created.token);
    expect((await holder.get('/api/maps')).status).toBe(200);

    const expiredAt = Date.UTC(2026, 0, 15, 12, 0, 0);
    await withServerDatabase(server.dataDir, (db) => db.run('UPDATE personal_access_tokens SET expires_at = ? WHERE id = ?', [expiredAt, created.id]));
    const answer = await holder.get<ErrorBody>('/api/maps');
    expect({ status: answer.status, error: answer.body.error }).toEqual({
      status: 401,
      error: 'This access token expired on 2026-01-15: create a new one in Settings → Access tokens',
    });
  });

  it('pat create --scope read --expires-days 7 makes a read token; an unknown scope exits 2 with a sentence', async () => {
    const kim = await team.signUp('Kim');
    const made = cliOk(await runCli(server.dataDir, ['pat', 'create', '--email', kim.email, '--name', 'cli reader', '--scope', 'read', '--expires-days', '7', '--json']));
    expect(made).toMatchObject({ scope: 'read' });
    const reader = ApiClient.withToken(server.url, String(made.token));
    expect((await reader.get('/api/maps')).status).toBe(200);
    expect((await reader.post<ErrorBody>('/api/maps', { title: 'No', template: 'blank' })).body.error).toBe(READ_ONLY);

    cliFailed(await runCli(server.dataDir, ['pat', 'create', '--email', kim.email, '--scope', 'admin']), 2, '--scope must be "read", "write" or "metrics".');
    cliFailed(await runCli(server.dataDir, ['pat', 'create', '--email', kim.email, '--expires-days', 'soon']), 2, '--expires-days must be a whole number of days from 1 to 365.');
  });
});

describe('tokens from before scopes and expiries (migration 5)', () => {
  it('keep working as write tokens that never expire', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyhub-legacy-'));
    try {
      // A database as the previous release left it: migrations 1–4 and a token with no scope or expiry columns.
      const old = new Database(path.join(dir, SQLITE_FILE));
      old.exec('CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
      for (const migration of MIGRATIONS.filter((m) => m.id <= 4)) {
        old.exec(migration.sql);
        old.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(migration.id, migration.name, Date.now());
      }
      const hash = crypto.createHash('sha256').update('jhp_legacy').digest('hex');
      old.prepare("INSERT INTO users (id, email, name, password_hash, created_at) VALUES ('u1', 'old@example.com', 'Old', NULL, 1)").run();
      old.prepare("INSERT INTO personal_access_tokens (id, user_id, name, token_hash, created_at) VALUES ('t1', 'u1', 'old', ?, 1)").run(hash);
      old.close();

      const db = openSqlite(dir);
      const token = await new SqliteAccountStore(db).useToken(hash);
      db.close();
      expect(token).toMatchObject({ id: 't1', scope: 'write', expiresAt: null, revokedAt: null });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
