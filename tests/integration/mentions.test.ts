/**
 * Issue 11 §5: an @mention notifies the person. Comments are written by
 * stock y-websocket clients into the discussion document; once the server
 * has accepted and stored one, each member it mentions (never its author,
 * never someone outside the map) gets one notification in GET
 * /api/notifications, and one mail when SMTP_URL is set (here: a real SMTP
 * server in this process). Refused updates notify no one; nobody reads or
 * marks another person's notifications.
 */
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomName } from '../../lib/journey/rooms';
import { addComment, editComment } from '../../lib/journey/schema';
import type { MapSummary } from '../../server/services/maps';
import type { NotificationView } from '../../server/services/notifications';
import { ApiClient, type ErrorBody } from '../support/api-client';
import { TestServer, stopAllServers } from '../support/server';
import { destroyAllCollabClients, type CollabClient } from '../support/collab-client';
import { Team, type Person } from '../support/people';
import { Mailbox } from '../support/mailbox';
import { waitFor } from '../support/wait';

interface Inbox {
  notifications: NotificationView[];
  unread: number;
}

const TOUCHPOINT = 'tp-phone-support';

let mailbox: Mailbox;
let server: TestServer;
let map: MapSummary;
let olga: Person;
let bob: Person;
let cora: Person;
let vic: Person;
let nina: Person;
const ids = new Map<Person, string>();

async function inboxOf(person: Person): Promise<Inbox> {
  const answer = await person.api.get<Inbox>('/api/notifications');
  expect(answer.status, answer.text).toBe(200);
  return answer.body;
}

async function discussionOf(person: Person): Promise<CollabClient> {
  return person.open(roomName(map.id, 'discussion'));
}

function comment(client: CollabClient, person: Person, body: string): string {
  const authorId = ids.get(person) ?? '';
  return addComment(client.doc, { touchpointId: TOUCHPOINT, authorId, authorName: person.name, body, createdAt: Date.now() }, { userId: authorId, kind: 'local' });
}

async function waitForInbox(person: Person, count: number, what: string): Promise<Inbox> {
  let inbox: Inbox = { notifications: [], unread: 0 };
  await waitFor(
    async () => {
      inbox = await inboxOf(person);
      return inbox.notifications.length >= count;
    },
    { message: what },
  );
  return inbox;
}

const mailsFor = (email: string): ParsedMail[] => mailbox.mails.filter((m) => m.to !== undefined && JSON.stringify(m.to).includes(email));
/** The mention mails (the address confirmations and invitations of the set-up are mail too). */
const mailsTo = (person: Person): ParsedMail[] => mailsFor(person.email).filter((m) => m.subject?.includes('mentioned you'));

async function confirmationLink(email: string): Promise<string> {
  const link = () => mailsFor(email).map((m) => /https?:\/\/\S+\/verify-email\/\S+/.exec(m.text ?? '')?.[0]).find((l) => l !== undefined);
  await waitFor(() => link() !== undefined, { message: `the confirmation mail to ${email}` });
  return link() ?? '';
}

beforeAll(async () => {
  mailbox = await Mailbox.start();
  server = await TestServer.start({ env: { SMTP_URL: mailbox.smtpUrl, MAIL_FROM: 'JourneyHub <hub@example.com>' } });
  const team = new Team(server, { confirmationLink });
  [olga, bob, cora, vic, nina] = await Promise.all([
    team.signUp('Olga Reyes', team.emailFor('olga')),
    team.signUp('Bob Ortiz', team.emailFor('bob')),
    team.signUp('Cora Lind', team.emailFor('cora')),
    team.signUp('Vic Adams', team.emailFor('vic')),
    team.signUp('Nina Stranger', team.emailFor('nina')),
  ]);
  map = await olga.createMap('Mentions journey', 'demo');
  await Promise.all([olga.invite(map.id, bob.email, 'editor'), olga.invite(map.id, cora.email, 'commenter'), olga.invite(map.id, vic.email, 'viewer')]);
  for (const member of (await olga.members(map.id)).members) {
    const person = [olga, bob, cora, vic].find((p) => p.email === member.email);
    if (person) ids.set(person, member.userId);
  }
});

afterAll(async () => {
  destroyAllCollabClients();
  await stopAllServers();
  await mailbox.close();
});

describe('an @mention in a comment', () => {
  let first: NotificationView;

  it('reaches the person mentioned, not its author, not someone outside the map; with a mail holding the link', async () => {
    const coraSide = await discussionOf(cora);
    const commentId = comment(coraSide, cora, '@Bob Ortiz can you check this? @Cora Lind @Nina Stranger');
    const inbox = await waitForInbox(bob, 1, "Bob's notification");
    expect(inbox.unread).toBe(1);
    first = inbox.notifications[0] as NotificationView;
    expect(first).toMatchObject({
      kind: 'mention',
      mapId: map.id,
      mapTitle: 'Mentions journey',
      touchpointId: TOUCHPOINT,
      touchpoint: 'Phone support',
      commentId,
      actorName: 'Cora Lind',
      excerpt: '@Bob Ortiz can you check this? @Cora Lind @Nina Stranger',
      read: false,
      href: `/maps/${map.id}?touchpoint=${TOUCHPOINT}&thread=${commentId}`,
    });
    expect(await inboxOf(cora)).toEqual({ notifications: [], unread: 0 });
    expect(await inboxOf(nina)).toEqual({ notifications: [], unread: 0 });
    expect(await inboxOf(olga)).toEqual({ notifications: [], unread: 0 });

    await waitFor(() => mailsTo(bob).length >= 1, { message: "Bob's mail" });
    const [mail] = mailsTo(bob);
    expect(mail?.subject).toBe('Cora Lind mentioned you on "Mentions journey"');
    expect(mail?.from?.text).toContain('hub@example.com');
    expect(mail?.text).toContain('@Bob Ortiz can you check this?');
    const link = `${server.url}/maps/${map.id}?touchpoint=${TOUCHPOINT}&thread=${commentId}`;
    expect(mail?.text).toContain(link);

    // Someone else opening that link reads nothing of Bob's; Bob opening it has read it.
    expect((await cora.session.get(link.slice(server.url.length))).status).toBe(200);
    expect((await inboxOf(bob)).unread).toBe(1);
    expect((await bob.session.get(link.slice(server.url.length))).status).toBe(200);
    expect(await inboxOf(bob)).toMatchObject({ unread: 0, notifications: [{ id: first.id, read: true }] });
  });

  it('a refused update notifies no one; an edit that adds a mention notifies once', async () => {
    // Cora writes under Olga's name: the guard refuses the whole update (4403).
    const forger = await discussionOf(cora);
    addComment(forger.doc, { touchpointId: TOUCHPOINT, authorId: ids.get(olga) ?? '', authorName: olga.name, body: '@Bob Ortiz forged', createdAt: Date.now() }, { userId: 'x', kind: 'local' });
    expect((await forger.closed()).code).toBe(4403);
    // A viewer may not write the discussion at all.
    const viewer = await discussionOf(vic);
    comment(viewer, vic, '@Bob Ortiz from a viewer');
    expect((await viewer.closed()).code).toBe(4403);

    const olgaSide = await discussionOf(olga);
    const id = comment(olgaSide, olga, 'Looks fine to me');
    editComment(olgaSide.doc, id, 'Looks fine to me, @Bob Ortiz?', { userId: ids.get(olga) ?? '', kind: 'local' });
    const inbox = await waitForInbox(bob, 2, "Bob's second notification");
    expect(inbox.notifications.map((n) => [n.actorName, n.excerpt])).toEqual([
      ['Olga Reyes', 'Looks fine to me, @Bob Ortiz?'],
      ['Cora Lind', '@Bob Ortiz can you check this? @Cora Lind @Nina Stranger'],
    ]);
    // Edited again, still mentioning him: no second notice for the same comment.
    editComment(olgaSide.doc, id, 'Looks fine to me, @Bob Ortiz!', { userId: ids.get(olga) ?? '', kind: 'local' });
    const later = comment(olgaSide, olga, '@Cora Lind over to you');
    await waitForInbox(cora, 1, "Cora's notification (the barrier)");
    expect((await inboxOf(cora)).notifications.map((n) => n.commentId)).toEqual([later]);
    expect((await inboxOf(bob)).notifications).toHaveLength(2);
    await waitFor(() => mailsTo(bob).length >= 2 && mailsTo(cora).length >= 1, { message: 'the mails of the second round' });
    expect(mailsTo(bob)).toHaveLength(2);
    expect(mailsTo(olga)).toHaveLength(0);
    expect(mailsTo(nina)).toHaveLength(0);
    expect(mailsTo(vic)).toHaveLength(0);
  });

  it('only its owner reads and marks it; bad bodies are 400s that say what to send', async () => {
    const anonymous = await ApiClient.anonymous(server.url).get<ErrorBody>('/api/notifications');
    expect(anonymous.status).toBe(401);
    // Cora marks Bob's notification: nothing of Bob's changes.
    const byCora = await cora.api.post<{ updated: number; unread: number }>('/api/notifications/read', { ids: [first.id] });
    expect(byCora.status, byCora.text).toBe(200);
    expect(byCora.body.updated).toBe(0);
    expect((await inboxOf(bob)).unread).toBe(1);
    expect((await inboxOf(cora)).notifications.some((n) => n.id === first.id)).toBe(false);

    const SEND = 'Send { "ids": [ … ] } to mark some notifications read, or { "all": true } for all of them';
    for (const [body, error] of [
      [{}, SEND],
      [{ ids: 'all' }, SEND],
      [{ all: false }, SEND],
      [{ ids: [first.id], all: true }, SEND],
      [{ ids: [] }, 'ids must name at least one notification'],
      [{ ids: [-1] }, 'ids.0: ids must be a list of notification ids'],
    ] as const) {
      const refused = await bob.api.post<ErrorBody>('/api/notifications/read', body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error).toBe(error);
    }

    // Already read through the mail's link: nothing changes.
    const again = await bob.api.post<{ updated: number; unread: number }>('/api/notifications/read', { ids: [first.id] });
    expect(again.body).toEqual({ updated: 0, unread: 1 });
    const all = await bob.api.post<{ updated: number; unread: number }>('/api/notifications/read', { all: true });
    expect(all.body).toEqual({ updated: 1, unread: 0 });
    expect((await inboxOf(bob)).notifications.map((n) => n.read)).toEqual([true, true]);
  });

  it('a member taken off the map no longer sees what was said there', async () => {
    expect((await inboxOf(cora)).unread).toBe(1);
    await olga.remove(map.id, cora.email);
    expect(await inboxOf(cora)).toEqual({ notifications: [], unread: 0 });
  });

  it('a mention in a comment holding a NUL or other control characters still reaches its person (PostgreSQL stores no NUL in text)', async () => {
    const before = (await inboxOf(bob)).notifications.length;
    const olgaSide = await discussionOf(olga);
    comment(olgaSide, olga, '@Bob Ortiz pasted from a form:\u0000\u0007done');
    const inbox = await waitForInbox(bob, before + 1, "Bob's notification of the comment with a NUL");
    expect(inbox.notifications[0]?.excerpt).toBe('@Bob Ortiz pasted from a form: done');
  });
});
