/**
 * Issue 12 §4: the settings of signing in and up (SIGNUP, TRUST_PROXY) are
 * checked at start-up with a sentence; the client address behind proxies;
 * password hashes (argon2id, old bcrypt ones still verify and are renewed).
 */
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { signupRefusal, type SignupPolicy } from '../../lib/permissions/signup-policy';
import { TrustedProxies, limitKey } from '../../server/auth/client-ip';
import { hashPassword, verifyPassword } from '../../server/auth/passwords';
import { ConfigError, loadConfig } from '../../server/config';

const config = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env }, []);

describe('SIGNUP', () => {
  it.each([
    [{}, { mode: 'open' }],
    [{ SIGNUP: 'open' }, { mode: 'open' }],
    [{ SIGNUP: 'OFF' }, { mode: 'off' }],
    [{ SIGNUP: 'domains:Example.com, @example.org,example.com' }, { mode: 'domains', domains: ['example.com', 'example.org'] }],
  ])('%j is %j', (env, policy) => {
    expect(config(env).signup).toEqual(policy);
  });

  it.each([
    ['closed', 'SIGNUP: SIGNUP must be open, off, or domains: followed by a comma-separated list of domains, e.g. domains:example.com,example.org (got "closed")'],
    ['domains:', 'SIGNUP: SIGNUP must be open, off, or domains: followed by a comma-separated list of domains, e.g. domains:example.com,example.org (no domain after "domains:")'],
    ['domains:example.com,not a domain', '("not a domain" is not a domain name)'],
  ])('SIGNUP=%s stops the start with a sentence', (value, sentence) => {
    expect(() => config({ SIGNUP: value })).toThrow(ConfigError);
    expect(() => config({ SIGNUP: value })).toThrow(sentence);
  });

  it('domains match whole: no subdomain, no look-alike', () => {
    const policy: SignupPolicy = { mode: 'domains', domains: ['example.com'] };
    expect(signupRefusal(policy, 'ana@example.com')).toBeNull();
    expect(signupRefusal(policy, 'ana@sub.example.com')).toBe('Only addresses at example.com can sign up here.');
    expect(signupRefusal(policy, 'ana@example.com.evil.net')).not.toBeNull();
    expect(signupRefusal(policy, 'ana@badexample.com')).not.toBeNull();
  });
});

describe('TRUST_PROXY and the client address', () => {
  it('unset: the socket peer is the client, whatever X-Forwarded-For says', () => {
    const none = config({}).trustedProxies;
    expect(none.clientAddress('127.0.0.1', '203.0.113.9')).toBe('127.0.0.1');
    expect(none.clientAddress('::ffff:10.0.0.3', '203.0.113.9')).toBe('10.0.0.3');
  });

  it('set: the forwarded address of a trusted peer, read from the right past trusted hops; an untrusted peer is itself', () => {
    const proxies = TrustedProxies.parse('10.0.0.5, 172.16.0.0/12, fd00::/8');
    expect(proxies.clientAddress('10.0.0.5', '203.0.113.9')).toBe('203.0.113.9');
    expect(proxies.clientAddress('::ffff:10.0.0.5', 'spoofed, 198.51.100.1, 203.0.113.9, 172.16.4.4')).toBe('203.0.113.9');
    expect(proxies.clientAddress('fd00::1', ['198.51.100.1', '203.0.113.9'])).toBe('203.0.113.9');
    expect(proxies.clientAddress('10.0.0.5', 'not-an-address')).toBe('10.0.0.5');
    expect(proxies.clientAddress('10.0.0.6', '203.0.113.9')).toBe('10.0.0.6');
    expect(proxies.clientAddress('10.0.0.5', undefined)).toBe('10.0.0.5');
    // Every hop a trusted proxy: the leftmost one is as far as anyone can tell.
    expect(proxies.clientAddress('10.0.0.5', '172.16.0.1')).toBe('172.16.0.1');
  });

  it('limits count an IPv4 address as itself and an IPv6 address as its /64, however it is written', () => {
    expect(limitKey('203.0.113.9')).toBe('203.0.113.9');
    expect(limitKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(limitKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(limitKey('2001:0db8:0001:0002:ffff:ffff:ffff:fffe')).toBe('2001:db8:1:2::/64');
    expect(limitKey('2001:db8::7')).toBe('2001:db8:0:0::/64');
    expect(limitKey('::1')).toBe('0:0:0:0::/64');
    expect(limitKey('fe80::1:2:3:4')).toBe('fe80:0:0:0::/64');
    expect(limitKey('unknown')).toBe('unknown');
  });

  it.each(['10.0.0.300', '10.0.0.0/33', 'proxy.internal', '10.0.0.0/8/1', '10.0.0.0/x'])('TRUST_PROXY=%s stops the start with a sentence naming it', (value) => {
    expect(() => config({ TRUST_PROXY: value })).toThrow(`"${value}" is not an IP address or a CIDR range such as 10.0.0.0/8`);
  });
});

describe('password hashes', () => {
  it('argon2id with its own salt; the right password verifies, a wrong one does not, neither asks for a new hash', async () => {
    const [a, b] = await Promise.all([hashPassword('correct horse'), hashPassword('correct horse')]);
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, 'correct horse')).toEqual({ ok: true, rehashed: null });
    expect(await verifyPassword(a, 'correct horsE')).toEqual({ ok: false, rehashed: null });
  });

  it('an old bcrypt hash verifies and comes back as an argon2id one for the same password; a wrong password gets nothing', async () => {
    const old = bcrypt.hashSync('correct horse', 4);
    const check = await verifyPassword(old, 'correct horse');
    expect(check.ok).toBe(true);
    expect(check.rehashed).toMatch(/^\$argon2id\$/);
    expect((await verifyPassword(check.rehashed, 'correct horse')).ok).toBe(true);
    expect(await verifyPassword(old, 'wrong horse')).toEqual({ ok: false, rehashed: null });
  });

  it('no stored hash, or one it cannot read, is a failure and never a throw', async () => {
    expect(await verifyPassword(null, 'anything')).toEqual({ ok: false, rehashed: null });
    expect(await verifyPassword('plain text', 'plain text')).toEqual({ ok: false, rehashed: null });
  });
});
