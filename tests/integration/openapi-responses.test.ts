/**
 * Issue 16 §4: the OpenAPI document describes what the real server answers.
 * A team uses the API as a script would (maps, members, tokens, figures,
 * versions, workshops, exchange, errors); every answer's status is one the
 * document lists for that operation, and its JSON body matches the
 * document's schema for that status (strict objects: a field the document
 * does not name fails). The document itself and its docs page are public.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathTemplateOf, responseValidator, type HttpMethod, type OpenApiDocument } from '../../lib/http/openapi';
import { ApiClient, RawBody, type Answer } from '../support/api-client';
import { Team, type Person } from '../support/people';
import { TestServer, stopAllServers } from '../support/server';

let server: TestServer;
let olga: Person;
let eddie: Person;
let document: OpenApiDocument;
const checked: string[] = [];

beforeAll(async () => {
  server = await TestServer.start();
  const team = new Team(server);
  [olga, eddie] = await Promise.all([team.signUp('Olga'), team.signUp('Eddie')]);
}, 120_000);

afterAll(async () => {
  await stopAllServers();
});

/** Checks one answer against the document: a status it lists, and a body its schema takes. */
function conforms(method: HttpMethod, path: string, answer: Answer<unknown>): void {
  const template = pathTemplateOf(path);
  expect(template, `${path} is in the document`).not.toBeNull();
  const operation = document.paths[template ?? '']?.[method];
  expect(operation, `${method.toUpperCase()} ${template}`).toBeDefined();
  const status = String(answer.status);
  expect(Object.keys(operation?.responses ?? {}), `${method.toUpperCase()} ${template} answered ${status}: ${answer.text.slice(0, 200)}`).toContain(status);
  const validator = responseValidator(method, template ?? '', answer.status);
  const type = answer.headers.get('content-type') ?? '';
  if (validator && type.startsWith('application/json')) {
    const result = validator.safeParse(answer.body);
    expect(result.success, `${method.toUpperCase()} ${template} ${status}: ${result.success ? '' : JSON.stringify(result.error.issues.slice(0, 3))}\n${answer.text.slice(0, 300)}`).toBe(true);
  }
  checked.push(`${method.toUpperCase()} ${template} ${status}`);
}

async function call(person: Person | ApiClient, method: HttpMethod, path: string, body?: unknown): Promise<Answer<{ id?: string; token?: string; link?: string } & Record<string, unknown>>> {
  const client = person instanceof ApiClient ? person : person.api;
  const answer = await client.request<{ id?: string; token?: string; link?: string } & Record<string, unknown>>(method.toUpperCase(), path, body);
  conforms(method, path, answer);
  return answer;
}

describe('the document and its page are public', () => {
  it('GET /api/openapi.json is OpenAPI 3.1 with this server version; /docs/api renders it for a person signed out', async () => {
    const anonymous = ApiClient.anonymous(server.url);
    const res = await anonymous.get<OpenApiDocument>('/api/openapi.json');
    expect(res.status).toBe(200);
    document = res.body;
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.version).toBe((await server.health()).version);
    const page = await anonymous.get('/docs/api');
    expect(page.status).toBe(200);
    expect(page.text).toContain('/api/maps/{id}/export');
    expect(page.text).toContain('/api/openapi.json');
  });
});

describe('what the server answers is what the document says', () => {
  it('maps, members, tokens, figures, versions, workshops, exchange and the errors on the way', async () => {
    const created = await call(olga, 'post', '/api/maps', { title: 'Described', template: 'demo' });
    const id = created.body.id ?? '';
    await call(olga, 'get', '/api/maps');
    await call(olga, 'get', `/api/maps/${id}`);
    await call(olga, 'patch', `/api/maps/${id}`, { title: 'Described well' });
    await call(olga, 'get', `/api/maps/${id}/annotations`);
    await call(olga, 'get', `/api/maps/${id}/annotations?period=2026-13`);
    await call(olga, 'post', `/api/maps/${id}/collab-token`);
    const invited = await call(olga, 'post', `/api/maps/${id}/members`, { email: eddie.email, role: 'editor' });
    await eddie.accept(String(invited.body.link));
    await call(olga, 'get', `/api/maps/${id}/members`);
    await call(olga, 'patch', `/api/maps/${id}/members`, { email: eddie.email, role: 'viewer' });
    await call(eddie, 'patch', `/api/maps/${id}`, { title: 'Not mine to rename' });
    await call(olga, 'get', `/api/maps/${id}/audit`);
    await call(eddie, 'get', `/api/maps/${id}/audit`);
    await call(olga, 'put', `/api/maps/${id}/metrics`, { period: '2026-11', rows: [{ externalKey: 'CALL-BOOKING', contacts: 12 }] });
    await call(olga, 'put', `/api/maps/${id}/metrics`, { period: '2026-11', rows: [{ externalKey: 'NO-SUCH-KEY', contacts: 1 }] });
    await call(olga, 'get', `/api/maps/${id}/metrics`);
    await call(olga, 'delete', `/api/maps/${id}/metrics/2026-11`);
    await call(olga, 'post', `/api/maps/${id}/versions`, { name: 'Before' });
    await call(olga, 'get', `/api/maps/${id}/versions`);
    await call(olga, 'post', `/api/maps/${id}/master`, { master: true });
    const copy = await call(olga, 'post', `/api/maps/${id}/workshops`, { title: 'Tuesday' });
    await call(olga, 'get', `/api/maps/${id}/workshops`);
    await call(olga, 'get', `/api/maps/${copy.body.id ?? ''}/diff`);
    await call(olga, 'get', `/api/maps/${id}/export?format=json`);
    await call(olga, 'get', `/api/maps/${id}/export?format=docx`);
    await call(olga, 'post', '/api/maps/import?format=csv', new RawBody('label\nShop\n', 'text/csv'));
    await call(olga, 'post', '/api/maps/import?format=csv', new RawBody('label,emotion\nShop,9\n', 'text/csv'));
    await call(olga, 'get', '/api/portfolio');
    await call(olga, 'get', '/api/teams');
    await call(olga, 'get', '/api/notifications');
    await call(olga, 'get', '/api/account');
    await call(olga, 'get', '/api/tokens');
    await call(olga, 'get', '/api/maps/no-such-map');
    await call(ApiClient.anonymous(server.url), 'get', '/api/maps');
    await call(olga, 'post', '/api/maps', { title: '' });
    await call(olga, 'delete', `/api/maps/${copy.body.id ?? ''}`);
    expect(checked.length).toBeGreaterThan(30);
  });
});
