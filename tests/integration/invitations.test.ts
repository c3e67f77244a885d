/**
 * Issue 12 §4, email verification and invitations, against the real server
 * with a real SMTP server in this process (the mails are read as a person
 * reads them: the link is taken from the message).
 *
 * - A membership by email attaches only to a verified address: a stranger who
 *   signs up with an invited address, or registered it in advance, gets nothing.
 * - Sign-up mails a signed link that verifies the address; a forged or
 *   expired link verifies nothing; a signed-in person can ask for a new one.
 * - An invitation is a single-use link with an expiry, accepted by the
 *   invited person with a verified address; the owner's answer is the same
 *   whether the address has an account or not.
 */
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MapSummary } from '../../server/services/maps';
import { ApiClient, type ErrorBody } from '../support/api-client';
import { TEST_SECRET, TestServer, stopAllServers } from '../support/server';
import { PASSWORD, Team, type Person } from '../support/people';
import { Mailbox } from '../support/mailbox';
import { waitFor } from '../support/wait';
import { withServerDatabase } from './support/database';

interface InviteAnswer {
  status: string;
  email: string;
  role: string;
  expiresAt: number;
  link: string;
  mailed: boolean;
}

let mailbox: Mailbox;
let server: TestServer;
let team: Team;
let olga: Person;

const mailsTo = (email: string): ParsedMail[] => mailbox.mails.filter((m) => JSON.stringify(m.to ?? '').includes(email));

async function mailTo(email: string, subject: RegExp, count = 1): Promise<ParsedMail> {
  await waitFor(() => mailsTo(email).filter((m) => subject.test(m.subject ?? '')).length >= count, { message: `mail ${count} "${subject.source}" to ${email}` });
  const found = mailsTo(email).filter((m) => subject.test(m.subject ?? ''));
  const mail = found[count - 1];
  if (!mail) throw new Error(`no mail ${count} to ${email}`);
  return mail;
}

function linkIn(mail: ParsedMail, pathPrefix: string): string {
  const match = new RegExp(`https?://[^\\s]+${pathPrefix}[^\\s]+`).exec(mail.text ?? '');
  if (!match) throw new Error(`no ${pathPrefix} link in: ${mail.text}`);
  return match[0];
}

const tokenOf = (link: string): string => decodeURIComponent(link.split('/').pop() ?? '');

/** Signs up and in through the API only, without verifying: the stranger of the attacks. */
async function signUpUnverified(name: string, email: string): Promise<ApiClient> {
  const anonymous = ApiClient.anonymous(server.url);
  const answer = await anonymous.post('/api/signup', { email, name, password: PASSWORD });
  expect(answer.status, answer.text).toBe(202);
  const session = ApiClient.anonymous(server.url);
  expect((await session.signIn(email, PASSWORD)).ok).toBe(true);
  return session;
}

const mapsOf = async (client: ApiClient): Promise<string[]> => (await client.get<{ maps: MapSummary[] }>('/api/maps')).body.maps.map((m) => m.id);

async function invite(owner: Person, mapId: string, email: string, role = 'editor'): Promise<InviteAnswer> {
  const answer = await owner.api.post<InviteAnswer>(`/api/maps/${mapId}/members`, { email, role });
  expect(answer.status, answer.text).toBe(201);
  return answer.body;
}

const accept = (client: ApiClient, link: string) => client.post<{ mapId: string; role: string } & ErrorBody>('/api/invitations/accept', { token: tokenOf(link) });
const verify = (client: ApiClient, link: string) => client.post<{ email: string } & ErrorBody>('/api/verify-email', { token: tokenOf(link) });

beforeAll(async () => {
  mailbox = await Mailbox.start();
  server = await TestServer.start({ env: { SMTP_URL: mailbox.smtpUrl, MAIL_FROM: 'JourneyHub <hub@example.com>' } });
  team = new Team(server, { confirmationLink: async (email) => linkIn(await mailTo(email, /confirm your email/i), '/verify-email/') });
  olga = await team.signUp('Olga');
});

afterAll(async () => {
  await stopAllServers();
  await mailbox.close();
});

describe('a membership by email attaches only to a verified address', () => {
  it('a stranger who signs up with an invited address gets nothing: the invitation waits', async () => {
    const map = await olga.createMap('Invited address');
    const email = team.emailFor('Ivy');
    await invite(olga, map.id, email, 'editor');
    const stranger = await signUpUnverified('Stranger', email);
    expect(await mapsOf(stranger)).toEqual([]);
    expect((await stranger.get(`/api/maps/${map.id}`)).status).toBe(404);
    const list = await olga.members(map.id);
    expect(list.members.map((m) => m.email)).toEqual([olga.email]);
    expect(list.invitations.map((i) => i.email)).toEqual([email]);
  });

  it('an address registered in advance does not receive the membership when the owner adds it', async () => {
    const map = await olga.createMap('Registered in advance');
    const email = team.emailFor('Pre');
    const stranger = await signUpUnverified('Pre-registered', email);
    await invite(olga, map.id, email, 'editor');
    expect(await mapsOf(stranger)).toEqual([]);
    expect((await olga.members(map.id)).members.map((m) => m.email)).toEqual([olga.email]);
  });

  it('the unverified holder of the invited address cannot accept the link: it says to confirm the address first', async () => {
    const map = await olga.createMap('Accept unverified');
    const email = team.emailFor('Una');
    const una = await signUpUnverified('Una', email);
    const { link } = await invite(olga, map.id, email, 'viewer');
    const refused = await accept(una, link);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe(`Confirm your email address ${email} first: open the link we mailed you, or ask for a new one on /verify-email.`);
    expect(await mapsOf(una)).toEqual([]);
  });
});

describe('the answer to an invitation never tells whether the address has an account', () => {
  it('no account, an unverified account and a verified account get the same answer, each with a link and an expiry', async () => {
    const map = await olga.createMap('Same answer');
    const nobody = team.emailFor('Nobody');
    const unverified = team.emailFor('Unverified');
    await signUpUnverified('Unverified', unverified);
    const verified = await team.signUp('Verified');
    const answers = await Promise.all([nobody, unverified, verified.email].map((email) => invite(olga, map.id, email, 'commenter')));
    const shapes = answers.map(({ email, link, expiresAt, ...rest }) => ({ ...rest, email: typeof email, link: typeof link, expiresAt: typeof expiresAt }));
    expect(shapes).toEqual([0, 1, 2].map(() => ({ status: 'invited', role: 'commenter', mailed: true, email: 'string', link: 'string', expiresAt: 'number' })));
    for (const answer of answers) {
      expect(answer.link).toMatch(new RegExp(`^${server.url}/invitations/`));
      expect(answer.expiresAt).toBeGreaterThan(Date.now() + 6 * 24 * 3_600_000);
    }
    // Verified or not, nobody is a member until they accept.
    expect((await olga.members(map.id)).members.map((m) => m.email)).toEqual([olga.email]);
    expect(await mapsOf(verified.api)).not.toContain(map.id);
  });
});

describe('verifying an email address', () => {
  it('sign-up mails a link; it verifies the address, after which the invitation is accepted once and a second use is refused', async () => {
    const map = await olga.createMap('Verified then accepted');
    const email = team.emailFor('Vera');
    const answer = await invite(olga, map.id, email, 'commenter');
    const invitationMail = await mailTo(email, /invited you/i);
    expect(invitationMail.subject).toBe('Olga invited you to "Verified then accepted" on JourneyHub');
    expect(linkIn(invitationMail, '/invitations/')).toBe(answer.link);

    const vera = await signUpUnverified('Vera', email);
    const confirm = linkIn(await mailTo(email, /confirm your email/i), '/verify-email/');
    expect(confirm).toMatch(new RegExp(`^${server.url}/verify-email/`));
    const verified = await verify(ApiClient.anonymous(server.url), confirm);
    expect(verified.status, verified.text).toBe(200);
    expect(verified.body.email).toBe(email);

    const accepted = await accept(vera, answer.link);
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.body).toEqual({ mapId: map.id, role: 'commenter' });
    expect(await mapsOf(vera)).toEqual([map.id]);
    expect((await olga.members(map.id)).invitations).toEqual([]);
    const audit = await olga.audit(map.id);
    expect(audit[0]).toMatchObject({ action: 'invitation.accepted', actorEmail: email, targetEmail: email, detail: { role: 'commenter' } });

    const again = await accept(vera, answer.link);
    expect(again.status).toBe(410);
    expect(again.body.error).toBe('This invitation is no longer valid: it was accepted, revoked or replaced. Ask the owner of the map for a new one.');
  });

  it('a forged or altered link verifies nothing; an expired one says to ask for a new one', async () => {
    const email = team.emailFor('Fay');
    const fay = await signUpUnverified('Fay', email);
    const confirm = linkIn(await mailTo(email, /confirm your email/i), '/verify-email/');
    const token = tokenOf(confirm);
    const forged = await ApiClient.anonymous(server.url).post<ErrorBody>('/api/verify-email', { token: `${token.slice(0, -4)}AAAA` });
    expect(forged.status).toBe(400);
    expect(forged.body.error).toBe('This confirmation link is not valid. Sign in and ask for a new one on /verify-email.');
    const garbage = await ApiClient.anonymous(server.url).post<ErrorBody>('/api/verify-email', { token: 'x'.repeat(5000) });
    expect(garbage.status).toBe(400);

    // Still unverified: an invitation cannot be accepted.
    const map = await olga.createMap('Forged confirmation');
    const { link } = await invite(olga, map.id, email);
    expect((await accept(fay, link)).status).toBe(403);

    const { emailVerificationToken } = await import('../../server/accounts/email-verification-token');
    const userId = (await withServerDatabase(server.dataDir, (db) => db.get<{ id: string }>('SELECT id FROM users WHERE email = ?', [email])))?.id ?? '';
    const expired = emailVerificationToken(TEST_SECRET, { userId, email }, Date.now() - 25 * 3_600_000);
    const late = await ApiClient.anonymous(server.url).post<ErrorBody>('/api/verify-email', { token: expired });
    expect(late.status).toBe(400);
    expect(late.body.error).toBe('This confirmation link has expired. Sign in and ask for a new one on /verify-email.');
  });

  it('a signed-in person asks for a new link; it works; asking too often is refused with a sentence', async () => {
    const email = team.emailFor('Rex');
    const rex = await signUpUnverified('Rex', email);
    const resent = await rex.post<{ message: string }>('/api/verify-email/resend', {});
    expect(resent.status, resent.text).toBe(202);
    expect(resent.body.message).toBe(`We sent a new link to ${email}.`);
    const second = await mailTo(email, /confirm your email/i, 2);
    expect((await verify(ApiClient.anonymous(server.url), linkIn(second, '/verify-email/'))).status).toBe(200);
    const done = await rex.post<ErrorBody>('/api/verify-email/resend', {});
    expect(done.status).toBe(409);
    expect(done.body.error).toBe(`${email} is already confirmed.`);

    const other = team.emailFor('Rhea');
    const rhea = await signUpUnverified('Rhea', other);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await rhea.post('/api/verify-email/resend', {})).status);
    expect(statuses).toEqual([202, 202, 202, 202, 429, 429]);
    const limited = await rhea.post<ErrorBody>('/api/verify-email/resend', {});
    expect(limited.body.error).toBe('Too many confirmation mails asked for. Wait an hour and try again.');
  });
});

describe('invitation links', () => {
  it('only the invited address accepts; an expired link is refused; re-inviting makes a new link and kills the old one', async () => {
    const map = await olga.createMap('Links');
    const eve = await team.signUp('Eve');
    const { link } = await invite(olga, map.id, team.emailFor('Someone'), 'editor');
    const wrong = await accept(eve.api, link);
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toMatch(/^This invitation was sent to someone\.\d+\.\d+@example\.com; you are signed in as eve\.\d+\.\d+@example\.com\.$/);
    const forged = await accept(eve.api, `${link.slice(0, -3)}abc`);
    expect(forged.status).toBe(404);
    expect(forged.body.error).toBe('This invitation link is not valid. Check that you copied all of it.');

    const first = await invite(olga, map.id, eve.email, 'viewer');
    const replaced = await invite(olga, map.id, eve.email, 'commenter');
    expect(replaced.link).not.toBe(first.link);
    expect((await accept(eve.api, first.link)).status).toBe(410);

    await withServerDatabase(server.dataDir, (db) => db.run('UPDATE map_invitations SET expires_at = ? WHERE map_id = ?', [Date.now() - 1000, map.id]));
    const expired = await accept(eve.api, replaced.link);
    expect(expired.status).toBe(410);
    expect(expired.body.error).toBe('This invitation has expired. Ask the owner of the map for a new one.');
    expect(await mapsOf(eve.api)).not.toContain(map.id);

    const fresh = await invite(olga, map.id, eve.email, 'commenter');
    expect((await accept(eve.api, fresh.link)).body).toEqual({ mapId: map.id, role: 'commenter' });
  });

  it('the owner lists pending invitations with their link and expiry, and revokes one: its link is dead', async () => {
    const map = await olga.createMap('Revoke');
    const ned = await team.signUp('Ned');
    const answer = await invite(olga, map.id, ned.email, 'viewer');
    const [pending] = (await olga.members(map.id)).invitations;
    expect(pending).toEqual({ email: ned.email, role: 'viewer', createdAt: expect.any(Number) as unknown, expiresAt: answer.expiresAt, link: answer.link });
    await olga.remove(map.id, ned.email);
    expect((await accept(ned.api, answer.link)).status).toBe(410);
  });
});
