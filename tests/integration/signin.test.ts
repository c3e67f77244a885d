/**
 * Issue 12 §4, signing in and signing up, attacked over raw HTTP against the
 * real server (production build) and its real SQLite file:
 * - failed sign-ins are counted per account and client address, so a
 *   stranger's wrong passwords do not lock the owner out;
 * - the client address is the socket's peer, or, behind a proxy named in
 *   TRUST_PROXY, the address that proxy forwards; a forged X-Forwarded-For
 *   from anyone else changes nothing;
 * - passwords are stored as argon2id; an old bcrypt hash still signs in and
 *   is replaced by an argon2id one;
 * - SIGNUP=off|domains:… and a per-address limit on POST /api/signup.
 */
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/api-client';
import { TestServer, stopAllServers } from '../support/server';
import { PASSWORD, Team, type Person } from '../support/people';
import { signInFrom, signUpFrom, type From } from '../support/sign-in-from';
import { withServerDatabase } from './support/database';

const INCORRECT = 'Email or password is incorrect';
const TOO_MANY = 'Too many failed sign-ins. Wait 15 minutes and try again.';

/** Two machines as a server on loopback sees them. */
const STRANGER: From = { localAddress: '127.0.0.1' };
const OWNER: From = { localAddress: '127.0.0.2' };

let plain: TestServer;
let proxied: TestServer;
let closed: TestServer;
let team: Team;
let proxiedTeam: Team;

beforeAll(async () => {
  [plain, proxied, closed] = await Promise.all([
    TestServer.start(),
    // The proxy is 127.0.0.1; 127.0.0.2 is a client that reaches the port directly.
    TestServer.start({ env: { TRUST_PROXY: '127.0.0.1, 10.9.0.0/16', SIGNUP: 'domains:example.com,Example.ORG' } }),
    TestServer.start({ env: { SIGNUP: 'off' } }),
  ]);
  team = new Team(plain);
  proxiedTeam = new Team(proxied);
});

afterAll(async () => {
  await stopAllServers();
});

async function failFiveTimes(server: TestServer, from: From | ((attempt: number) => From), email: string): Promise<void> {
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    const result = await signInFrom(server.url, typeof from === 'function' ? from(attempt) : from, email, `wrong password ${attempt}`);
    expect(result.error, `attempt ${attempt}`).toBe(INCORRECT);
  }
}

async function storedHash(server: TestServer, email: string): Promise<string> {
  const row = await withServerDatabase(server.dataDir, (db) => db.get<{ password_hash: string }>('SELECT password_hash FROM users WHERE email = ?', [email]));
  if (!row) throw new Error(`no user ${email}`);
  return row.password_hash;
}

describe('failed sign-ins are counted per account and address', () => {
  it('five wrong passwords from a stranger lock only the stranger out: the owner signs in from another address, the stranger stays refused', async () => {
    const owner = await team.signUp('Olive');
    await failFiveTimes(plain, STRANGER, owner.email);
    expect(await signInFrom(plain.url, STRANGER, owner.email, PASSWORD)).toMatchObject({ ok: false, error: TOO_MANY });
    expect(await signInFrom(plain.url, OWNER, owner.email, PASSWORD)).toMatchObject({ ok: true, error: null });
  });

  it('without TRUST_PROXY, X-Forwarded-For is the client\'s own word: a stranger who forges a new one each time is still counted by its socket address', async () => {
    const owner = await team.signUp('Fiona');
    await failFiveTimes(plain, (n) => ({ ...STRANGER, headers: { 'x-forwarded-for': `198.51.100.${n}` } }), owner.email);
    const forged = await signInFrom(plain.url, { ...STRANGER, headers: { 'x-forwarded-for': '198.51.100.99' } }, owner.email, PASSWORD);
    expect(forged).toMatchObject({ ok: false, error: TOO_MANY });
    // And forging the owner's would-be address locks nobody else out: the owner, from its own socket, signs in.
    expect(await signInFrom(plain.url, OWNER, owner.email, PASSWORD)).toMatchObject({ ok: true });
  });

  it('with TRUST_PROXY, the address the proxy forwards counts: a stranger behind the proxy fails five times, the owner behind the same proxy signs in', async () => {
    const owner = await proxiedTeam.signUp('Paula');
    const viaProxy = (client: string): From => ({ localAddress: '127.0.0.1', headers: { 'x-forwarded-for': client } });
    await failFiveTimes(proxied, viaProxy('203.0.113.7'), owner.email);
    expect(await signInFrom(proxied.url, viaProxy('203.0.113.7'), owner.email, PASSWORD)).toMatchObject({ ok: false, error: TOO_MANY });
    // Addresses left of the proxy's own entry are the client's word; a chain through a second trusted proxy (10.9.x) is followed.
    expect(await signInFrom(proxied.url, viaProxy('192.0.2.1, 203.0.113.7'), owner.email, PASSWORD)).toMatchObject({ ok: false, error: TOO_MANY });
    expect(await signInFrom(proxied.url, viaProxy('203.0.113.7, 10.9.1.1'), owner.email, PASSWORD)).toMatchObject({ ok: false, error: TOO_MANY });
    expect(await signInFrom(proxied.url, viaProxy('198.51.100.20'), owner.email, PASSWORD)).toMatchObject({ ok: true });
  });

  it('an IPv6 client counts as its /64: a stranger who takes a new address of its /64 for each attempt stays refused; another /64 signs in', async () => {
    const owner = await proxiedTeam.signUp('Vera');
    const viaProxy = (client: string): From => ({ localAddress: '127.0.0.1', headers: { 'x-forwarded-for': client } });
    await failFiveTimes(proxied, (n) => viaProxy(`2001:db8:77:1::${n}`), owner.email);
    expect(await signInFrom(proxied.url, viaProxy('2001:db8:77:1:ffff::99'), owner.email, PASSWORD)).toMatchObject({ ok: false, error: TOO_MANY });
    expect(await signInFrom(proxied.url, viaProxy('2001:db8:77:2::1'), owner.email, PASSWORD)).toMatchObject({ ok: true });
  });

  it('with TRUST_PROXY, a peer that is not the proxy cannot borrow an address with X-Forwarded-For: its failures count against its socket address', async () => {
    const owner = await proxiedTeam.signUp('Quinn');
    // 127.0.0.2 reaches the port directly and claims to be 198.51.100.30 each time.
    const direct: From = { localAddress: '127.0.0.2', headers: { 'x-forwarded-for': '198.51.100.30' } };
    await failFiveTimes(proxied, direct, owner.email);
    expect(await signInFrom(proxied.url, { localAddress: '127.0.0.2', headers: { 'x-forwarded-for': '198.51.100.31' } }, owner.email, PASSWORD)).toMatchObject({
      ok: false,
      error: TOO_MANY,
    });
    // The address it claimed is untouched: the owner, forwarded by the proxy as 198.51.100.30, signs in.
    expect(await signInFrom(proxied.url, { localAddress: '127.0.0.1', headers: { 'x-forwarded-for': '198.51.100.30' } }, owner.email, PASSWORD)).toMatchObject({ ok: true });
  });
});

describe('password hashes', () => {
  it('a new account\'s password is stored as argon2id (OWASP settings), never in the clear', async () => {
    const person = await team.signUp('Hana');
    const stored = await storedHash(plain, person.email);
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(stored).not.toContain(PASSWORD);
  });

  it('an account with an old bcrypt hash still signs in, and its hash becomes argon2id; a wrong password changes nothing', async () => {
    const person: Person = await team.signUp('Bert');
    const legacy = bcrypt.hashSync(PASSWORD, 10);
    await withServerDatabase(plain.dataDir, (db) => db.run('UPDATE users SET password_hash = ? WHERE email = ?', [legacy, person.email]));
    expect((await ApiClient.anonymous(plain.url).signIn(person.email, 'not the password')).error).toBe(INCORRECT);
    expect(await storedHash(plain, person.email)).toBe(legacy);

    expect((await ApiClient.anonymous(plain.url).signIn(person.email, PASSWORD)).ok).toBe(true);
    const rehashed = await storedHash(plain, person.email);
    expect(rehashed).toMatch(/^\$argon2id\$/);
    expect((await ApiClient.anonymous(plain.url).signIn(person.email, PASSWORD)).ok).toBe(true);
    expect(await storedHash(plain, person.email)).toBe(rehashed);
  });
});

describe('sign-up policy (SIGNUP) and its limit', () => {
  it('SIGNUP=off: POST /api/signup is 403 with a sentence, and no account exists afterwards', async () => {
    const email = team.emailFor('Closed');
    const answer = await signUpFrom(closed.url, {}, { email, name: 'Closed', password: PASSWORD });
    expect(answer).toEqual({
      status: 403,
      body: { error: 'Sign-up is closed on this server: ask an owner of a map to invite you, or an operator to create your account.' },
    });
    expect((await ApiClient.anonymous(closed.url).signIn(email, PASSWORD)).error).toBe(INCORRECT);
  });

  it('SIGNUP=domains:…: an address of another domain is 403 naming the domains; one of a listed domain (any case) signs up', async () => {
    const outsider = await signUpFrom(proxied.url, {}, { email: 'mallory@evil.example.net', name: 'Mallory', password: PASSWORD });
    expect(outsider).toEqual({ status: 403, body: { error: 'Only addresses at example.com or example.org can sign up here.' } });
    // A look-alike subdomain is another domain.
    expect((await signUpFrom(proxied.url, {}, { email: 'm@example.com.evil.net', name: 'M', password: PASSWORD })).status).toBe(403);
    expect((await signUpFrom(proxied.url, {}, { email: 'm@sub.example.com', name: 'M', password: PASSWORD })).status).toBe(403);
    const insider = await signUpFrom(proxied.url, {}, { email: `Otto.${process.pid}@Example.ORG`, name: 'Otto', password: PASSWORD });
    expect(insider.status).toBe(202);
    expect((await ApiClient.anonymous(proxied.url).signIn(`otto.${process.pid}@example.org`, PASSWORD)).ok).toBe(true);
  });

  it('one address gets 30 sign-ups an hour, then 429 with a sentence; another address still signs up', async () => {
    const from = (client: string): From => ({ localAddress: '127.0.0.1', headers: { 'x-forwarded-for': client } });
    for (let n = 1; n <= 30; n += 1) {
      const answer = await signUpFrom(proxied.url, from('203.0.113.50'), { email: proxiedTeam.emailFor(`Bulk${n}`), name: `Bulk ${n}`, password: PASSWORD });
      expect(answer.status, `sign-up ${n}`).toBe(202);
    }
    const email = proxiedTeam.emailFor('Bulk31');
    const refused = await signUpFrom(proxied.url, from('203.0.113.50'), { email, name: 'Bulk 31', password: PASSWORD });
    expect(refused).toEqual({ status: 429, body: { error: 'Too many sign-ups from your address. Wait an hour and try again.' } });
    expect((await ApiClient.anonymous(proxied.url).signIn(email, PASSWORD)).error).toBe(INCORRECT);
    expect((await signUpFrom(proxied.url, from('203.0.113.51'), { email, name: 'Bulk 31', password: PASSWORD })).status).toBe(202);
  });
});
