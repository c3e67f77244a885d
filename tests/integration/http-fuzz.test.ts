/**
 * HTTP fuzz (issue 12 §7): every route of app/api, with bodies drawn from
 * its zod schema (valid-shaped and broken), random path parameters and query
 * strings, as the owner, an editor, a commenter, a viewer, a stranger, a
 * personal access token and nobody. Never a 5xx; never another map's data.
 *
 * Two maps carry unique markers (title and a version name): Bruno's map B,
 * on which no fuzzed caller is a member, and map A, on which the stranger
 * and the anonymous caller are not. B's marker must never appear in any
 * answer, A's never in an answer to the stranger or to nobody.
 *
 * FUZZ_SEED replays a run (fast-check prints the seed and the request on failure).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateMapInput, AddMemberInput, ChangeMemberInput, RemoveMemberInput, SignUpInput, TokenInput, UpdateMapInput } from '../../lib/permissions/input';
import { ChangePasswordInput, CreateTokenInput } from '../../lib/permissions/account-input';
import { MergeInput, RefreshInput, SaveVersionInput, SetMasterInput, StartWorkshopInput } from '../../lib/permissions/history-input';
import { MarkReadInput } from '../../lib/permissions/notification-input';
import type { MapSummary } from '../../server/services/maps';
import { ensureBuild } from '../e2e/support/build';
import { TestServer, stopAllServers } from '../support/server';
import { broken, jsonSchemaOf, validShaped, type Hints } from '../support/json-schema-arbitrary';
import { Team, type Person } from '../support/people';
import { z } from 'zod';

const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const replay = `FUZZ_SEED=${seed} npx vitest run --project integration tests/integration/http-fuzz.test.ts`;
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);

const MARKER_A = `alpha-marker-${randomBytes(6).toString('hex')}`;
const MARKER_B = `bravo-marker-${randomBytes(6).toString('hex')}`;

let server: TestServer;
let olga: Person;
let eddie: Person;
let cora: Person;
let vic: Person;
let sam: Person;
let bruno: Person;
let mapA: MapSummary;
let mapB: MapSummary;
/** Olga's map that the fuzz may delete in A's place, so that A stays for the rest of the run. */
let mapC: MapSummary;
let workshopId: string | null = null;
let versionA = '';
let versionB = '';
let tokenIdA = '';
let tokenIdB = '';
/** Olga's personal access token, the `token` caller. */
let olgaToken = '';

beforeAll(async () => {
  ensureBuild();
  server = await TestServer.start();
  const team = new Team(server);
  [olga, eddie, cora, vic, sam, bruno] = await Promise.all([team.signUp('Olga'), team.signUp('Eddie'), team.signUp('Cora'), team.signUp('Vic'), team.signUp('Sam'), team.signUp('Bruno')]);
  mapA = await olga.createMap(`Broadband ${MARKER_A}`, 'demo');
  mapB = await bruno.createMap(`Mobile ${MARKER_B}`, 'demo');
  mapC = await olga.createMap('Throwaway');
  await olga.invite(mapA.id, eddie.email, 'editor');
  await olga.invite(mapA.id, cora.email, 'commenter');
  await olga.invite(mapA.id, vic.email, 'viewer');
  versionA = (await olga.api.post<{ id: string }>(`/api/maps/${mapA.id}/versions`, { name: `before ${MARKER_A}` })).body.id;
  versionB = (await bruno.api.post<{ id: string }>(`/api/maps/${mapB.id}/versions`, { name: `before ${MARKER_B}` })).body.id;
  await olga.api.post(`/api/maps/${mapA.id}/master`, { master: true });
  const copy = await olga.api.post<{ id: string }>(`/api/maps/${mapA.id}/workshops`, { title: 'Fuzz workshop' });
  if (copy.status === 201) workshopId = copy.body.id;
  olgaToken = (await olga.session.post<{ token: string }>('/api/tokens', { name: 'fuzz' })).body.token;
  tokenIdA = (await olga.api.get<{ tokens: Array<{ id: string }> }>('/api/tokens')).body.tokens[0]?.id ?? '';
  tokenIdB = (await bruno.api.get<{ tokens: Array<{ id: string }> }>('/api/tokens')).body.tokens[0]?.id ?? '';
  for (const [what, value] of Object.entries({ versionA, versionB, tokenIdA, tokenIdB, olgaToken })) if (!value) throw new Error(`setup: no ${what}`);
});

afterAll(async () => {
  await stopAllServers();
});

type ActorName = 'owner' | 'editor' | 'commenter' | 'viewer' | 'stranger' | 'token' | 'nobody';
const ACTORS: ActorName[] = ['owner', 'editor', 'commenter', 'viewer', 'stranger', 'token', 'nobody'];

interface Body {
  /** The raw text sent; null: no body. */
  text: string | null;
  contentType: string | null;
}

interface Request {
  actor: ActorName;
  /** A session cookie request sent from the app's origin, else from another site's page. */
  sameOrigin: boolean;
  method: string;
  path: string;
  query: string;
  body: Body;
}

/** A push's shape for drawing bodies (the route's own checks are per row, lib/measurements/input.ts). */
const MetricsPushShape = z.object({ period: z.string(), rows: z.array(z.object({ externalKey: z.string(), contacts: z.number().int() })) });

/** Route templates: `:id` a map id, `:vid` a version id, `:tid` a token id; the body schema where the route reads one. */
const ROUTES: Array<[method: string, template: string, schema?: z.ZodType]> = [
  ['GET', '/api/maps'],
  ['POST', '/api/maps', CreateMapInput],
  ['GET', '/api/maps/:id'],
  ['PATCH', '/api/maps/:id', UpdateMapInput],
  ['DELETE', '/api/maps/:id'],
  ['GET', '/api/maps/:id/annotations'],
  ['GET', '/api/maps/:id/audit'],
  ['POST', '/api/maps/:id/collab-token'],
  ['GET', '/api/maps/:id/diff'],
  ['POST', '/api/maps/:id/master', SetMasterInput],
  ['GET', '/api/maps/:id/metrics'],
  ['PUT', '/api/maps/:id/metrics', MetricsPushShape],
  ['DELETE', '/api/maps/:id/metrics/:period'],
  ['GET', '/api/maps/:id/members'],
  ['POST', '/api/maps/:id/members', AddMemberInput],
  ['PATCH', '/api/maps/:id/members', ChangeMemberInput],
  ['DELETE', '/api/maps/:id/members', RemoveMemberInput],
  ['POST', '/api/maps/:id/merge', MergeInput],
  ['POST', '/api/maps/:id/refresh', RefreshInput],
  ['GET', '/api/maps/:id/versions'],
  ['POST', '/api/maps/:id/versions', SaveVersionInput],
  ['GET', '/api/maps/:id/versions/:vid'],
  ['POST', '/api/maps/:id/versions/:vid/restore'],
  ['GET', '/api/maps/:id/export'],
  ['POST', '/api/maps/import'],
  ['GET', '/api/openapi.json'],
  ['GET', '/api/maps/:id/workshops'],
  ['POST', '/api/maps/:id/workshops', StartWorkshopInput],
  ['GET', '/api/notifications'],
  ['GET', '/api/portfolio'],
  ['GET', '/api/teams'],
  ['POST', '/api/notifications/read', MarkReadInput],
  ['POST', '/api/signup', SignUpInput],
  ['GET', '/api/tokens'],
  ['POST', '/api/tokens', CreateTokenInput],
  ['DELETE', '/api/tokens/:tid'],
  ['GET', '/api/account'],
  ['POST', '/api/account/password', ChangePasswordInput],
  ['DELETE', '/api/account/sessions'],
  ['POST', '/api/invitations/accept', TokenInput],
  ['POST', '/api/verify-email', TokenInput],
  ['POST', '/api/verify-email/resend'],
  // next-auth's catch-all: its own endpoints and anything under it.
  ['GET', '/api/auth/csrf'],
  ['GET', '/api/auth/session'],
  ['GET', '/api/auth/providers'],
  ['GET', '/api/auth/signin'],
  ['GET', '/api/auth/error'],
  ['GET', '/api/auth/:any'],
  ['POST', '/api/auth/callback/credentials'],
  ['POST', '/api/auth/signin/credentials'],
  ['POST', '/api/auth/signout'],
  ['POST', '/api/auth/:any'],
];

/** Odd path segments: traversal, encodings, ids of the wrong kind, very long. */
const ODD_SEGMENTS = ['', '.', '..', '%2e%2e', '%00', '%', '%ZZ', 'null', 'undefined', '0', '-1', '-abc', ' ', '😀', 'a'.repeat(3000), "' OR 1=1 --", '<script>'];

function segment(known: () => string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...known()).map(encodeURIComponent) },
    { weight: 2, arbitrary: fc.string({ maxLength: 40 }).map(encodeURIComponent) },
    { weight: 2, arbitrary: fc.constantFrom(...ODD_SEGMENTS) },
  );
}

const query: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constant('') },
  { weight: 3, arbitrary: fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 40 }), { maxKeys: 4 }).map((d) => `?${new URLSearchParams(d).toString()}`) },
  { weight: 1, arbitrary: fc.constantFrom('?%', '?a=%E0%A4%A', '?id=' + 'x'.repeat(5000), '?mapId=:id', '?callbackUrl=//evil.example', '?__proto__[x]=1', '?a&a&a=1') },
  // The exchange routes' own parameters, so that random bodies reach the importers and random maps the exporters.
  { weight: 2, arbitrary: fc.constantFrom('?format=csv', '?format=json', '?format=xlsx', '?format=mermaid&title=x', '?format=pdf', '?format=csv&mapping=%7B%22label%22%3A1%7D', '?format=csv&mapping=%7B%22label%22%3Anull%7D', '?format=json&comments=0') },
);

function bodyFor(schema: z.ZodType | undefined, hints: Hints): fc.Arbitrary<Body> {
  const json = (value: fc.Arbitrary<unknown>): fc.Arbitrary<Body> => value.map((v) => ({ text: JSON.stringify(v) ?? 'null', contentType: 'application/json' }));
  const variants: Array<fc.WeightedArbitrary<Body>> = [
    { weight: 1, arbitrary: fc.constant({ text: null, contentType: null }) },
    { weight: 1, arbitrary: fc.constantFrom<Body>({ text: '{', contentType: 'application/json' }, { text: '{"a":1}', contentType: 'text/plain' }, { text: 'title=x', contentType: 'application/x-www-form-urlencoded' }, { text: '\u0000\uffff', contentType: 'application/json' }, { text: '{"title":"x"}', contentType: 'application/json; charset=latin1' }) },
    { weight: 1, arbitrary: json(fc.jsonValue()) },
  ];
  if (schema) {
    const jsonSchema = jsonSchemaOf(schema);
    variants.push({ weight: 6, arbitrary: json(validShaped(jsonSchema, hints)) }, { weight: 4, arbitrary: json(broken(jsonSchema, hints)) });
  }
  return fc.oneof(...variants);
}

function requestArb(): fc.Arbitrary<Request> {
  const emails = () => [olga.email, eddie.email, cora.email, vic.email, bruno.email, 'nobody@example.com', 'OLGA@EXAMPLE.COM '];
  const hints = (): Hints => ({ strings: { email: emails(), title: ['x', 'Broadband'], name: ['API token'], changes: ['tp-ivr', 'stage-use'] } });
  const mapIds = () => [mapA.id, mapA.id, mapA.id, mapB.id, mapC.id, ...(workshopId ? [workshopId, workshopId] : [])];
  const routeArbs = ROUTES.map(([method, template, schema]) =>
    fc
      .record({
        id: segment(mapIds),
        vid: segment(() => [versionA, versionB]),
        tid: segment(() => [tokenIdA, tokenIdB]),
        period: segment(() => ['2026-11', '2026-13']),
        any: fc.oneof(fc.string({ maxLength: 30 }).map(encodeURIComponent), fc.constantFrom('callback/google', 'signin/google', '_log', 'verify-request', 'callback/credentials?x=1', 'session/../csrf')),
        body: bodyFor(schema, hints()),
      })
      .map(({ id, vid, tid, period, any, body }) => ({
        method,
        path: template.replace(':id', id).replace(':vid', vid).replace(':tid', tid).replace(':period', period).replace(':any', any),
        body,
      })),
  );
  return fc
    .record({ route: fc.oneof(...routeArbs), actor: fc.constantFrom(...ACTORS), sameOrigin: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }), query })
    .map(({ route, actor, sameOrigin, query: q }) => {
      // The owner deletes the throwaway map rather than A, which the rest of the run needs.
      const path = route.method === 'DELETE' && route.path === `/api/maps/${mapA.id}` ? `/api/maps/${mapC.id}` : route.path;
      return { actor, sameOrigin, method: route.method, path, query: q, body: route.body };
    });
}

function person(actor: ActorName): Person | null {
  return { owner: olga, editor: eddie, commenter: cora, viewer: vic, stranger: sam, token: olga, nobody: null }[actor];
}

async function send(request: Request): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = {};
  const who = person(request.actor);
  if (request.actor === 'token') {
    headers.authorization = `Bearer ${olgaToken}`;
  } else if (who) {
    headers.cookie = `next-auth.session-token=${who.session.sessionCookie ?? ''}`;
    headers.origin = request.sameOrigin ? server.url : 'http://evil.example';
  }
  // fetch sends no body with a GET.
  const body = request.method === 'GET' ? null : request.body.text;
  if (body !== null && request.body.contentType) headers['content-type'] = request.body.contentType;
  const attempt = async () => {
    const res = await fetch(`${server.url}${request.path}${request.query}`, { method: request.method, headers, body: body ?? undefined, redirect: 'manual' });
    return { status: res.status, text: await res.text() };
  };
  try {
    return await attempt();
  } catch (error) {
    // A kept-alive connection that the server closed as it was reused fails the fetch: try once more on a
    // new one, unless the server is gone (a crash is what the fuzz is looking for).
    const exit = await Promise.race([server.exited, new Promise<null>((resolve) => setImmediate(() => resolve(null)))]);
    if (exit) throw new Error(`the server exited (${JSON.stringify(exit)}); stderr:\n${server.stderr.slice(-3000)}`, { cause: error });
    transportRetries += 1;
    return attempt();
  }
}

let transportRetries = 0;

describe('Found by the fuzz', () => {
  it('a path with a broken percent-encoding (a lone "%", "%ZZ") answers 400 with a sentence, not 500, on API routes and pages alike', async () => {
    const paths = [`/api/maps/${mapA.id}/versions/%`, '/api/maps/%ZZ', '/api/maps/%/annotations', '/api/tokens/%E0%A4%A', '/api/auth/%', '/maps/%', '/%'];
    for (const path of paths) {
      for (const actor of ['owner', 'nobody'] as const) {
        const answer = await send({ actor, sameOrigin: true, method: 'GET', path, query: '', body: { text: null, contentType: null } });
        expect({ path, actor, status: answer.status }).toEqual({ path, actor, status: 400 });
        expect(answer.text).toContain('percent-encoding');
      }
    }
  });
});

describe("Found by the fuzz: next-auth's endpoints", () => {
  it('a POST to next-auth with a JSON body that is not a JSON object answers 400 with a sentence, not 500', async () => {
    for (const path of ['/api/auth/callback/credentials', '/api/auth/signin/credentials', '/api/auth/signout', '/api/auth/_log']) {
      for (const text of ['{', 'null', '[1]', '"x"', '7']) {
        const answer = await send({ actor: 'nobody', sameOrigin: true, method: 'POST', path, query: '', body: { text, contentType: 'application/json' } });
        expect({ path, text, status: answer.status }).toEqual({ path, text, status: 400 });
        expect(answer.text).toContain('JSON object');
      }
    }
  });
});

describe("Found by the fuzz: next-auth's credentials callback", () => {
  it('a GET of /api/auth/callback/credentials (the form posts there) answers 405 with a sentence, not 500', async () => {
    for (const query of ['', '?x=1', '?email=a@b.c&password=x']) {
      for (const actor of ['nobody', 'owner'] as const) {
        const answer = await send({ actor, sameOrigin: true, method: 'GET', path: '/api/auth/callback/credentials', query, body: { text: null, contentType: null } });
        expect({ query, actor, status: answer.status }).toEqual({ query, actor, status: 405 });
        expect(answer.text).toContain('POST');
      }
    }
  });
});

/** Every method each app/api route file exports, as the fuzz names them (`:id`, `:vid`, `:tid`); next-auth's catch-all aside. */
function routesInApp(): string[] {
  const root = path.resolve(import.meta.dirname, '../../app/api');
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'route.ts' && !full.includes('[...nextauth]')) {
        const template = `/api/${path.relative(root, dir)}`
          .replace('/tokens/[id]', '/tokens/:tid')
          .replace('[vid]', ':vid')
          .replace('[period]', ':period')
          .replace('[id]', ':id');
        for (const match of fs.readFileSync(full, 'utf8').matchAll(/export (?:async function|function|const) (GET|POST|PUT|PATCH|DELETE)\b/g)) found.push(`${match[1]} ${template}`);
      }
    }
  };
  walk(root);
  return found.sort();
}

describe('HTTP fuzz of every route from its zod schema', () => {
  it('knows every route of app/api (a new route joins the fuzz)', () => {
    const fuzzed = new Set(ROUTES.map(([method, template]) => `${method} ${template}`));
    expect(routesInApp().filter((route) => !fuzzed.has(route))).toEqual([]);
  });

  it(`never answers 5xx and never shows another map's data (FUZZ_SEED=${seed})`, async () => {
    let sent = 0;
    try {
      await fc.assert(
        fc.asyncProperty(requestArb(), async (request) => {
          sent += 1;
          const answer = await send(request);
          const what = `${request.actor} ${request.method} ${request.path}${request.query} → ${answer.status}: ${answer.text.slice(0, 300)}`;
          expect(answer.status, what).toBeLessThan(500);
          expect(answer.text.includes(MARKER_B), `map B's marker in: ${what}`).toBe(false);
          if (request.actor === 'stranger' || request.actor === 'nobody') expect(answer.text.includes(MARKER_A), `map A's marker in: ${what}`).toBe(false);
        }),
        { seed, numRuns: RUNS, endOnFailure: true },
      );
      if (transportRetries > 0) console.log(`HTTP fuzz: ${transportRetries} request(s) sent again after the server closed a kept-alive connection`);
    } catch (error) {
      throw new Error(`HTTP fuzz failed after ${sent} requests with FUZZ_SEED=${seed}; replay: ${replay}\n${(error as Error).message}`, { cause: error });
    }
  }, 180_000);
});
