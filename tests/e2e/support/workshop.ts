/**
 * The people of a workshop and the maps they work on, for browser tests:
 * the production app on port 0 (tests/support/app-server.ts), accounts made
 * with the CLI, maps from the demo template with everyone a member in the
 * role they are named for, and one signed-in browser context per person per
 * map, as if each sat at their own laptop.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Browser, BrowserContext } from 'playwright-core';
import type { Role } from '../../../lib/permissions/roles';
import { CLI_ARGS } from '../../support/built-server';
import { TestServer, REPO_ROOT } from '../../support/server';
import { launchChromium } from '../../support/chromium';
import { ensureBuild } from './build';
import { Cable } from './cable';
import { Canvas } from './canvas-driver';

const run = promisify(execFile);

/** The size of the screenshots in the README; every test sees the canvas at this size. */
export const VIEWPORT = { width: 1440, height: 900 } as const;

export interface Viewport {
  width: number;
  height: number;
}

const CAST = {
  alice: { name: 'Alice Ng', role: 'owner' },
  bob: { name: 'Bob Ortiz', role: 'editor' },
  cora: { name: 'Cora Lee', role: 'commenter' },
  vic: { name: 'Vic Diaz', role: 'viewer' },
} as const satisfies Record<string, { name: string; role: Role }>;

export type PersonKey = keyof typeof CAST;

export interface Person {
  key: PersonKey;
  id: string;
  name: string;
  email: string;
  password: string;
  role: Role;
}

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

interface Attendee {
  person: Person;
  /** Their signed-in session (the next-auth cookie), for every browser they open. */
  session: StorageState;
}

export class Workshop {
  private readonly contexts = new Set<BrowserContext>();

  private constructor(
    readonly server: TestServer,
    readonly browser: Browser,
    private readonly attendees: ReadonlyMap<PersonKey, Attendee>,
    private readonly ownerToken: string,
  ) {}

  /** Builds if needed, starts the app, creates the accounts of `cast` (Alice, who owns the maps, and by default everyone) and signs each of them in once. */
  static async open(cast: PersonKey[] = Object.keys(CAST) as PersonKey[]): Promise<Workshop> {
    ensureBuild();
    const [server, browser] = await Promise.all([TestServer.start(), launchChromium()]);
    try {
      const keys = [...new Set<PersonKey>(['alice', ...cast])];
      const people = await Promise.all(
        keys.map(async (key): Promise<Person> => {
          const { name, role } = CAST[key];
          const email = `${key}@journeyhub.test`;
          const password = `${key}-workshop-password`;
          const { id } = await cli<{ id: string }>(server, 'user', 'add', '--email', email, '--name', name, '--password', password);
          return { key, id, name, email, password, role };
        }),
      );
      const [{ token }, attendees] = await Promise.all([
        cli<{ token: string }>(server, 'pat', 'create', '--email', 'alice@journeyhub.test', '--name', 'e2e'),
        Promise.all(people.map(async (person) => [person.key, { person, session: await signIn(browser, server.url, person) }] as const)),
      ]);
      return new Workshop(server, browser, new Map(attendees), token);
    } catch (error) {
      await browser.close();
      await server.stop();
      throw error;
    }
  }

  person(who: PersonKey): Person {
    return this.attendee(who).person;
  }

  /** A new map from the demo template (stages stage-discover … stage-renew, touchpoints tp-first-bill …) with everyone on it. */
  async newMap(title = 'Switching to FiberNet broadband', template: 'demo' | 'blank' = 'demo'): Promise<string> {
    const { id } = await this.api<{ id: string }>('POST', '/api/maps', { title, template });
    await this.share(id);
    return id;
  }

  /** Alice invites everyone else of the cast to her map `id` in their roles, and they accept. */
  async share(id: string): Promise<void> {
    for (const attendee of this.attendees.values()) {
      if (attendee.person.role === 'owner') continue;
      const { link } = await this.api<{ link: string }>('POST', `/api/maps/${id}/members`, { email: attendee.person.email, role: attendee.person.role });
      await accept(this.server.url, attendee, link);
    }
  }

  /**
   * `who` opens the map in a browser of their own; resolves once the canvas is live.
   * `unpluggable`: their collaboration sockets run through a Cable the test can pull.
   * A map opens at 100 % on its first stages; unless `asOpened`, they then click
   * "fit view", as a person who wants the whole demo map in view does.
   */
  async join(
    who: PersonKey,
    mapId: string,
    { unpluggable = false, viewport = VIEWPORT, asOpened = false }: { unpluggable?: boolean; viewport?: Viewport; asOpened?: boolean } = {},
  ): Promise<Canvas> {
    const context = await this.newContext(who, viewport);
    const cable = unpluggable ? await Cable.install(context) : null;
    const page = await context.newPage();
    const canvas = new Canvas(page, this.person(who), cable);
    await canvas.open(mapId);
    if (!asOpened) await canvas.fitView();
    return canvas;
  }

  /** A browser of `who`'s own, signed in, at the README's screen size; closed by leave(). */
  async newContext(who: PersonKey, viewport: Viewport = VIEWPORT): Promise<BrowserContext> {
    const context = await this.browser.newContext({ baseURL: this.server.url, viewport, storageState: this.attendee(who).session });
    this.contexts.add(context);
    return context;
  }

  private attendee(who: PersonKey): Attendee {
    const attendee = this.attendees.get(who);
    if (!attendee) throw new Error(`${who} is not in this workshop's cast`);
    return attendee;
  }

  /** A collaboration token of `who` for a map, as the canvas fetches it: for a stock y-websocket client in their name. */
  async collabToken(who: PersonKey, mapId: string): Promise<string> {
    const person = this.person(who);
    const { token: pat } = await cli<{ token: string }>(this.server, 'pat', 'create', '--email', person.email, '--name', `collab ${mapId}`);
    const res = await fetch(`${this.server.url}/api/maps/${mapId}/collab-token`, { method: 'POST', headers: { authorization: `Bearer ${pat}` } });
    if (!res.ok) throw new Error(`collab-token for ${who} answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { token: string }).token;
  }

  /** Everyone leaves the map (afterEach): the next test starts with no one in the room. */
  async leave(): Promise<void> {
    await Promise.all([...this.contexts].map((context) => context.close()));
    this.contexts.clear();
  }

  async close(): Promise<void> {
    await this.leave();
    await this.browser.close();
    await this.server.stop();
  }

  // ---------------------------------------------------------------------------
  // Issue 11 §2 (the screen tells the truth): what Alice does over the HTTP API while others have the map open.

  /** Alice, the owner, calls the API (her personal access token); the answer's JSON, or null for 204. */
  async asAlice<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.api<T>(method, path, method === 'GET' ? undefined : (body ?? {}));
  }

  /** Alice gives `who` another role on the map. */
  async setRole(who: PersonKey, mapId: string, role: Role): Promise<void> {
    await this.api('PATCH', `/api/maps/${mapId}/members`, { email: this.person(who).email, role });
  }

  // ---------------------------------------------------------------------------
  // Stages (issue 11 §3)

  /** A new map from the blank template (the standard stages, no touchpoints but the hub) with everyone on it. */
  newBlankMap(title = 'Moving house'): Promise<string> {
    return this.newMap(title, 'blank');
  }

  /** The map as its record reads (GET /api/maps/:id): what the maps list and the other pages show. */
  mapRecord(mapId: string): Promise<{ title: string }> {
    return this.asAlice('GET', `/api/maps/${mapId}`);
  }

  /** The HTTP API as Alice, the owner of every map of the workshop. */
  async api<T>(method: string, path: string, body: unknown): Promise<T> {
    const res = await fetch(`${this.server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.ownerToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
    return (res.status === 204 ? null : await res.json()) as T;
  }
}

/** `server/cli.ts <args> --json` on the server's DATA_DIR; the JSON object it prints last. */
async function cli<T>(server: TestServer, ...args: string[]): Promise<T> {
  const env = { ...process.env, ...TestServer.environment(server.dataDir) };
  const { stdout } = await run(process.execPath, [...CLI_ARGS, ...args, '--json'], { cwd: REPO_ROOT, env }).catch(
    (error: Error & { stderr?: string }) => {
      throw new Error(`cli ${args.join(' ')} failed: ${error.stderr || error.message}`);
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as T;
}

/** The invited person accepts the invitation's link with their session (the CLI made their account: its address counts as confirmed). */
async function accept(baseUrl: string, { person, session }: Attendee, link: string): Promise<void> {
  const token = decodeURIComponent(new URL(link).pathname.split('/').pop() ?? '');
  const res = await fetch(`${baseUrl}/api/invitations/accept`, {
    method: 'POST',
    headers: { cookie: session.cookies.map((c) => `${c.name}=${c.value}`).join('; '), 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  if (!res.ok) throw new Error(`${person.name} could not accept the invitation: ${res.status} ${await res.text()}`);
}

/** Signs in through the login page, as a person does; the session cookie is kept for the contexts that follow. */
async function signIn(browser: Browser, baseURL: string, person: Person): Promise<StorageState> {
  const context = await browser.newContext({ baseURL });
  try {
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Password').fill(person.password);
    await page.locator('form').getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/', { timeout: 30_000 });
    return await context.storageState();
  } finally {
    await context.close();
  }
}
