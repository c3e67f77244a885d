/**
 * Issue 5, accounts: sign-up, sign-in through next-auth, its rate limit,
 * cookie sessions and personal access tokens, against the real server
 * (production build) and a real SQLite file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, RawBody, SESSION_COOKIE, type ErrorBody } from '../support/api-client';
import { TestServer, stopAllServers } from '../support/server';
import { PASSWORD, Team, type Person } from '../support/people';

const INCORRECT = 'Email or password is incorrect';
const TOO_MANY = 'Too many failed sign-ins. Wait 15 minutes and try again.';
const SIGNED_UP = { message: 'Account ready: sign in with your email and password. Check your mail for the link that confirms your address.' };

interface TokenListing {
  tokens: Array<{ id: string; name: string; createdAt: number; lastUsedAt: number | null; revokedAt: number | null }>;
}

let server: TestServer;
let team: Team;
/** Two people most tests share; tests that lock an account out or check sign-up sign up their own. */
let kim: Person;
let lee: Person;
const anonymous = () => ApiClient.anonymous(server.url);

beforeAll(async () => {
  server = await TestServer.start({ seedDemo: true });
  team = new Team(server);
  [kim, lee] = await Promise.all([team.signUp('Kim'), team.signUp('Lee')]);
});

afterAll(async () => {
  await stopAllServers();
});

describe('sign-up (POST /api/signup)', () => {
  it('a new email gets 202 and then signs in with its password', async () => {
    const email = team.emailFor('Ana');
    const answer = await anonymous().post('/api/signup', { email, name: 'Ana', password: PASSWORD });
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual(SIGNED_UP);

    const browser = anonymous();
    const signedIn = await browser.signIn(email, PASSWORD);
    expect(signedIn).toMatchObject({ ok: true, status: 200, error: null });
    // next-auth's URLs name the port the server listens on, also with PORT=0.
    expect(new URL((signedIn.body as { url: string }).url).origin).toBe(server.url);
    expect(browser.sessionCookie).toBeDefined();
    const maps = await browser.get<{ maps: unknown[] }>('/api/maps');
    expect(maps.status).toBe(200);
    expect(maps.body).toEqual({ maps: [] });
  });

  it('does not tell who has an account: an existing email answers exactly like a new one (202), and its password is unchanged', async () => {
    const ana = await team.signUp('Ana');
    const again = await anonymous().post('/api/signup', { email: ana.email, name: 'Impostor', password: 'another password' });
    const fresh = await anonymous().post('/api/signup', { email: team.emailFor('Fresh'), name: 'Fresh', password: 'another password' });
    expect(again.status).toBe(202);
    expect({ status: again.status, text: again.text }).toEqual({ status: fresh.status, text: fresh.text });

    const impostor = await anonymous().signIn(ana.email, 'another password');
    expect(impostor).toMatchObject({ ok: false, status: 401, error: INCORRECT });
    const owner = await anonymous().signIn(ana.email, PASSWORD);
    expect(owner.ok).toBe(true);
  });

  it('does not tell who has an account by its timing either: an existing email takes as long as a new one (both hash the password)', async () => {
    const timed = async (email: string): Promise<number> => {
      const started = performance.now();
      expect((await anonymous().post('/api/signup', { email, name: 'Timed', password: 'timing password' })).status).toBe(202);
      return performance.now() - started;
    };
    const existing = Math.min(await timed(kim.email), await timed(kim.email));
    const fresh = Math.min(await timed(team.emailFor('Timed')), await timed(team.emailFor('Timed')));
    // The argon2id hash (about 50 ms) dominates both; skipping it answers an existing email many times faster.
    expect(existing).toBeGreaterThan(fresh * 0.25);
  });

  it('the email is matched without case or surrounding spaces', async () => {
    const email = team.emailFor('Case');
    expect((await anonymous().post('/api/signup', { email: `  ${email.toUpperCase()} `, name: 'Case', password: PASSWORD })).status).toBe(202);
    expect((await anonymous().signIn(email, PASSWORD)).ok).toBe(true);
  });

  it.each([
    ['an email that is not one', { email: 'not-an-email', name: 'X', password: PASSWORD }, 'email must be an email address (got "not-an-email")'],
    ['a short password', { email: 'short@example.com', name: 'X', password: 'seven77' }, 'password must be at least 8 characters'],
    ['no name', { email: 'noname@example.com', password: PASSWORD }, 'name is required'],
    ['an empty name', { email: 'noname@example.com', name: '   ', password: PASSWORD }, 'name must not be empty'],
    ['malformed JSON', new RawBody('{"email": '), 'The request body is not valid JSON'],
    ['no body', new RawBody(''), 'The request needs a JSON body'],
  ])('a bad body (%s) is 400 with a sentence that says what is wrong', async (_what, body, message) => {
    const answer = await anonymous().post<ErrorBody>('/api/signup', body);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toContain(message);
  });
});

describe('sign-in (next-auth credentials)', () => {
  it('an unknown email and a wrong password get the same answer, and no session', async () => {
    const unknownBrowser = anonymous();
    const wrongBrowser = anonymous();
    const unknown = await unknownBrowser.signIn(team.emailFor('Nobody'), PASSWORD);
    const wrong = await wrongBrowser.signIn(lee.email, 'not the password');
    expect(unknown).toMatchObject({ ok: false, status: 401, error: INCORRECT });
    expect({ status: wrong.status, error: wrong.error, body: wrong.body }).toEqual({ status: unknown.status, error: unknown.error, body: unknown.body });
    expect(unknownBrowser.sessionCookie).toBeUndefined();
    expect(wrongBrowser.sessionCookie).toBeUndefined();
  });

  it('rate limit: after 5 wrong passwords for one account the 6th attempt says "Too many failed sign-ins…", even with the right password; other accounts still sign in', async () => {
    const ana = await team.signUp('Ana');
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const result = await anonymous().signIn(ana.email, `wrong password ${attempt}`);
      expect(result.error, `attempt ${attempt}`).toBe(INCORRECT);
    }
    const sixth = await anonymous().signIn(ana.email, 'wrong password 6');
    expect(sixth).toMatchObject({ ok: false, error: TOO_MANY });
    const right = await anonymous().signIn(ana.email, PASSWORD);
    expect(right).toMatchObject({ ok: false, error: TOO_MANY });
    // The limit is per account and address (and per address at 30): Lee is not locked out.
    expect((await anonymous().signIn(lee.email, PASSWORD)).ok).toBe(true);
  });
});

describe('the demo workspace (SEED_DEMO=on)', () => {
  it('the password, written on first start to a 0600 file in DATA_DIR since stdout is no terminal, signs in as the demo user, who owns the demo map', async () => {
    const password = server.demoPassword;
    expect(password).toMatch(/^\S{8,}$/);
    const demo = anonymous();
    expect((await demo.signIn('demo@journeyhub.local', password ?? '')).ok).toBe(true);
    const maps = await demo.get<{ maps: Array<{ title: string; role: string; summary: { ownershipGaps: number } }> }>('/api/maps');
    expect(maps.body.maps).toEqual([expect.objectContaining({ title: 'Switching to FiberNet broadband', role: 'owner', summary: expect.objectContaining({ ownershipGaps: 2 }) as unknown })]);
    // The log line names the map and the file, never the password; nothing on stdout holds it.
    const file = path.join(server.dataDir, 'demo-credentials.txt');
    expect(server.logs.find((l) => l.msg === 'first start: created the demo map')).toMatchObject({ credentialsFile: file });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.stringify(server.logs)).not.toContain(password);
    expect(server.stdout).not.toContain(password);
  });
});

describe('cookie sessions', () => {
  it('the session cookie from sign-in reaches the API as that user; a forged cookie or none is 401', async () => {
    const map = await kim.createMap('Cookie map');
    const viaCookie = await kim.session.get<{ maps: Array<{ id: string }> }>('/api/maps');
    expect(viaCookie.status).toBe(200);
    expect(viaCookie.body.maps.map((m) => m.id)).toEqual([map.id]);

    const forged = anonymous();
    forged.setCookie(SESSION_COOKIE, `${kim.session.sessionCookie ?? ''}x`);
    const forgedAnswer = await forged.get('/api/maps');
    expect(forgedAnswer.status).toBe(401);
    expect(forgedAnswer.body.error).toMatch(/^Sign in first/);

    const none = await anonymous().get('/api/maps');
    expect(none.status).toBe(401);
    expect(none.body.error).toBe('Sign in first, or send a personal access token as "Authorization: Bearer <token>"');
  });

  it('signing out through next-auth clears the session cookie; the API then answers 401', async () => {
    const browser = anonymous();
    expect((await browser.signIn(kim.email, PASSWORD)).ok).toBe(true);
    expect((await browser.get('/api/maps')).status).toBe(200);
    expect(await browser.signOut()).toBe(200);
    expect(browser.sessionCookie).toBeUndefined();
    expect((await browser.get('/api/maps')).status).toBe(401);
  });

  it('pages need a session: without one the browser is sent to /login and back', async () => {
    const res = await fetch(new URL('/maps/abc', server.url), { redirect: 'manual' });
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe('/login?callbackUrl=%2Fmaps%2Fabc');
  });
});

describe('personal access tokens (Bearer)', () => {
  it('a token made with a session works as Bearer; the list never shows the secret; revoked, it is 401', async () => {
    const made = await kim.session.post<{ id: string; name: string; token: string; createdAt: number }>('/api/tokens', { name: 'CI export' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ name: 'CI export', token: expect.stringMatching(/^jhp_/) as unknown });

    const script = ApiClient.withToken(server.url, made.body.token);
    expect((await script.get('/api/maps')).status).toBe(200);

    const listing = await kim.session.get<TokenListing>('/api/tokens');
    expect(listing.status).toBe(200);
    expect(listing.text).not.toContain(made.body.token);
    const listed = listing.body.tokens.find((t) => t.id === made.body.id);
    expect(listed).toMatchObject({ name: 'CI export', revokedAt: null, lastUsedAt: expect.any(Number) as unknown });
    expect(Object.keys(listed ?? {}).sort()).toEqual(['createdAt', 'expired', 'expiresAt', 'id', 'lastUsedAt', 'name', 'revokedAt', 'scope', 'userId']);

    const revoked = await kim.session.delete(`/api/tokens/${made.body.id}`);
    expect(revoked.status).toBe(204);
    const after = await script.get('/api/maps');
    expect(after.status).toBe(401);
    expect(after.body.error).toBe('The access token is invalid or revoked');
    const twice = await kim.session.delete(`/api/tokens/${made.body.id}`);
    expect(twice.status).toBe(409);
    expect(twice.body.error).toBe('This token is already revoked');
  });

  it('a token is its owner\'s alone: another user cannot revoke it (404) or see it, and it keeps working', async () => {
    const made = await kim.session.post<{ id: string; token: string }>('/api/tokens', { name: 'kept' });
    expect(made.status).toBe(201);
    const attempt = await lee.api.delete(`/api/tokens/${made.body.id}`);
    expect(attempt.status).toBe(404);
    expect(attempt.body.error).toBe(`No token with the id ${made.body.id}`);
    expect((await ApiClient.withToken(server.url, made.body.token).get('/api/maps')).status).toBe(200);
    expect((await lee.api.get<TokenListing>('/api/tokens')).text).not.toContain(made.body.id);
  });

  it.each([
    ['an unknown token', 'Bearer jhp_notarealtokenatall'],
    ['a token without the prefix', 'Bearer abcdef'],
    ['no token after Bearer', 'Bearer '],
    ['another scheme', 'Basic YW5hOnB3'],
  ])('%s is 401, never a fall-back to the cookie', async (_what, authorization) => {
    const res = await fetch(new URL('/api/maps', server.url), {
      headers: { authorization, cookie: `${SESSION_COOKIE}=${kim.session.sessionCookie ?? ''}` },
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as ErrorBody).error).toBe('The access token is invalid or revoked');
  });

  it.each([
    ['an empty name', { name: '  ' }, 'name must not be empty'],
    ['a name of 101 characters', { name: 'n'.repeat(101) }, 'name must be at most 100 characters'],
    ['an unknown scope', { name: 'ok', scope: 'admin' }, 'scope must be "read", "write" or "metrics"'],
    ['an unknown field', { name: 'ok', admin: true }, 'admin'],
    ['malformed JSON', new RawBody('{name:'), 'The request body is not valid JSON'],
  ])('POST /api/tokens with %s is 400 with a sentence', async (_what, body, message) => {
    // Only a signed-in session makes tokens (sessions-tokens.test.ts).
    const answer = await kim.session.post<ErrorBody>('/api/tokens', body);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toContain(message);
  });
});
