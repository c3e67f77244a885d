/**
 * The people of a test and what they do through the HTTP API, so that a test
 * reads like the workflow: `const dana = await team.signUp('Dana')`,
 * `await dana.invite(map.id, ben.email, 'commenter')`.
 *
 * Each person signs up through POST /api/signup, confirms their address with
 * the link the server sends (in its log without SMTP, or read from the test's
 * mailbox), signs in through next-auth (a cookie session) and makes a personal
 * access token with it; `api` calls with the token, `session` with the cookie.
 * An invitation to someone of the team is accepted by them at once, as they
 * would from its link.
 */
import type { AuditEntry } from '../../server/accounts/account-store';
import type { MapSummary } from '../../server/services/maps';
import type { MemberList } from '../../server/services/members';
import type { Role } from '../../lib/permissions/roles';
import { ApiClient, type Answer } from './api-client';
import type { TestServer } from './server';
import { CollabClient } from './collab-client';

export const PASSWORD = 'correct horse battery';

export interface CollabToken {
  token: string;
  role: Role;
  expiresAt: string;
}

function expectStatus<T>(what: string, answer: Answer<T>, status: number): T {
  if (answer.status !== status) throw new Error(`${what}: expected ${status}, got ${answer.status}: ${answer.text}`);
  return answer.body;
}

export class Person {
  constructor(
    readonly server: TestServer,
    readonly name: string,
    readonly email: string,
    readonly password: string,
    /** Bearer: the person's personal access token. */
    readonly api: ApiClient,
    /** The cookie session the token was made with. */
    readonly session: ApiClient,
  ) {}

  async createMap(title: string, template: 'blank' | 'demo' = 'blank'): Promise<MapSummary> {
    return expectStatus(`${this.name} creates "${title}"`, await this.api.post<MapSummary>('/api/maps', { title, template }), 201);
  }

  /** Invites by email; someone of the team accepts from the link ('added'), anyone else is left 'invited'. */
  async invite(mapId: string, email: string, role: Role): Promise<{ status: 'added' | 'invited'; email: string; role: Role }> {
    const answer = expectStatus(`${this.name} invites ${email}`, await this.api.post<InviteAnswer>(`/api/maps/${mapId}/members`, { email, role }), 201);
    const invitee = teamMembers.get(`${this.server.url} ${answer.email}`);
    if (!invitee) return { status: 'invited', email: answer.email, role: answer.role };
    await invitee.accept(answer.link);
    return { status: 'added', email: answer.email, role: answer.role };
  }

  /** Accepts an invitation from its link. */
  async accept(link: string): Promise<{ mapId: string; role: Role }> {
    const token = decodeURIComponent(new URL(link).pathname.split('/').pop() ?? '');
    return expectStatus(`${this.name} accepts an invitation`, await this.api.post<{ mapId: string; role: Role }>('/api/invitations/accept', { token }), 200);
  }

  async setRole(mapId: string, email: string, role: Role): Promise<void> {
    expectStatus(`${this.name} makes ${email} ${role}`, await this.api.patch(`/api/maps/${mapId}/members`, { email, role }), 200);
  }

  async remove(mapId: string, email: string): Promise<void> {
    expectStatus(`${this.name} removes ${email}`, await this.api.delete(`/api/maps/${mapId}/members`, { email }), 200);
  }

  async members(mapId: string): Promise<MemberList> {
    return expectStatus(`${this.name} lists members`, await this.api.get<MemberList>(`/api/maps/${mapId}/members`), 200);
  }

  async audit(mapId: string): Promise<AuditEntry[]> {
    return expectStatus(`${this.name} reads the audit log`, await this.api.get<{ entries: AuditEntry[] }>(`/api/maps/${mapId}/audit`), 200).entries;
  }

  async collabToken(mapId: string): Promise<CollabToken> {
    return expectStatus(`${this.name} asks for a collab token`, await this.api.post<CollabToken>(`/api/maps/${mapId}/collab-token`), 200);
  }

  /** Opens a room of the map with a fresh collab token and waits for the sync. */
  async open(room: string): Promise<CollabClient> {
    const mapId = room.split('.', 1)[0] ?? room;
    const { token } = await this.collabToken(mapId);
    return CollabClient.open(this.server.collabUrl, room, token, undefined, { id: this.email, name: this.name });
  }
}

interface InviteAnswer {
  status: 'invited';
  email: string;
  role: Role;
  link: string;
  expiresAt: number;
  mailed: boolean;
}

/** The people every Team signed up, by server URL and email: an invitation to one of them is accepted by them. */
const teamMembers = new Map<string, Person>();

let counter = 0;

export interface TeamOptions {
  /**
   * The confirmation link mailed to an address, when the server has SMTP_URL
   * (the test reads its mailbox). Without it, the link is read from the
   * server's log, where a server without SMTP writes it.
   */
  confirmationLink?: (email: string) => Promise<string>;
}

export class Team {
  constructor(
    readonly server: TestServer,
    private readonly options: TeamOptions = {},
  ) {}

  private async confirmationLink(email: string): Promise<string> {
    if (this.options.confirmationLink) return this.options.confirmationLink(email);
    const line = await this.server.waitForLog((l) => l.email === email.toLowerCase() && typeof l.link === 'string' && l.link.includes('/verify-email/'));
    return String(line.link);
  }

  /** A unique email for a first name, for people who have no account yet. */
  emailFor(name: string): string {
    counter += 1;
    return `${name.toLowerCase()}.${process.pid}.${counter}@example.com`;
  }

  async signUp(name: string, email: string = this.emailFor(name)): Promise<Person> {
    const url = this.server.url;
    const anonymous = ApiClient.anonymous(url);
    expectStatus(`${name} signs up`, await anonymous.post('/api/signup', { email, name, password: PASSWORD }), 202);
    const token = decodeURIComponent(new URL(await this.confirmationLink(email)).pathname.split('/').pop() ?? '');
    expectStatus(`${name} confirms ${email}`, await anonymous.post('/api/verify-email', { token }), 200);
    const session = ApiClient.anonymous(url);
    const signedIn = await session.signIn(email, PASSWORD);
    if (!signedIn.ok) throw new Error(`${name} could not sign in: ${JSON.stringify(signedIn)}`);
    const pat = expectStatus(`${name} makes a token`, await session.post<{ token: string }>('/api/tokens', { name: 'tests' }), 201);
    const person = new Person(this.server, name, email, PASSWORD, ApiClient.withToken(url, pat.token), session);
    teamMembers.set(`${url} ${email.toLowerCase()}`, person);
    return person;
  }
}
