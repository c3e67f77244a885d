/**
 * Issue 16 §4: the OpenAPI 3.1 document of the HTTP API (lib/http/openapi.ts).
 * Every route file under app/api and every method it exports is in it, with
 * the credentials its code asks for and an error answer where it can fail;
 * the document holds together (every $ref resolves, every path parameter is
 * declared); request bodies are the services' own zod schemas; response
 * schemas are the services' types (checked by tsc through expectTypeOf). The
 * checkers are tested on broken documents too, so that a check that can no
 * longer fail is noticed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { EXPORT_FORMATS, IMPORT_FORMATS } from '../../lib/exchange/formats';
import {
  HTTP_METHODS,
  PERIOD_JSON_SCHEMA,
  RESPONSE_SCHEMAS,
  listOperations,
  openApiDocument,
  pathTemplateOf,
  resolveResponse,
  responseSchema,
  responseValidator,
  type HttpMethod,
  type JsonSchema,
  type OpenApiDocument,
  type SecurityRequirement,
} from '../../lib/http/openapi';
import { isPeriod } from '../../lib/measurements/period';
import type { StoredMetricsRow } from '../../lib/measurements/input';
import { setAppContext } from '../../server/app-context';
import type { AuditEntry, TokenRecord } from '../../server/accounts/account-store';
import type { VersionRecord } from '../../server/store/history-store';
import type { AccountSummary } from '../../server/services/account-security';
import type { InviteAnswer, acceptInvitation } from '../../server/services/invitations';
import type { MapSummary } from '../../server/services/maps';
import type { MemberList, changeMember, removeMember } from '../../server/services/members';
import type { PushAnswer, deleteMetricsPeriod } from '../../server/services/metrics';
import type { NotificationView, markNotificationsRead } from '../../server/services/notifications';
import type { CollabTokenAnswer, CreatedToken } from '../../server/services/tokens';
import type { RestoreResult } from '../../server/services/versions';
import type { WorkshopSummary, mergeWorkshop, refreshWorkshop, setMaster } from '../../server/services/workshops';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const API_DIR = path.join(ROOT, 'app/api');

const doc = openApiDocument('1.2.3');
const clone = (): OpenApiDocument => structuredClone(doc);

// ————— The route files —————

interface RouteFile {
  file: string;
  /** The path template, e.g. /api/maps/{id}/versions/{vid}; null for a catch-all ([...x]). */
  template: string | null;
  /** The directory part before a catch-all, e.g. /api/auth. */
  prefix: string;
  /** Each exported HTTP method and the source of its export. */
  methods: Map<HttpMethod, string>;
}

function routeFiles(dir: string = API_DIR): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === 'route.ts' ? [full] : [];
  });
}

const METHOD_NAMES = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** The methods a route file exports (`export const GET`, `export async function POST`, `export { post as POST }`), each with its source up to the next export. */
function exportedMethods(source: string): Map<HttpMethod, string> {
  const methods = new Map<HttpMethod, string>();
  const add = (name: string, block: string): void => {
    if (!METHOD_NAMES.includes(name)) return;
    const method = name.toLowerCase() as HttpMethod;
    expect(HTTP_METHODS, `the document's methods cover ${name}`).toContain(method);
    methods.set(method, block);
  };
  const starts = [...source.matchAll(/^export\s/gm)].map((match) => match.index);
  starts.forEach((start, index) => {
    const block = source.slice(start, starts[index + 1] ?? source.length);
    const direct = /^export\s+(?:const|let|(?:async\s+)?function)\s+([A-Z]+)\b/.exec(block);
    if (direct?.[1]) add(direct[1], block);
    const list = /^export\s*\{([^}]*)\}/.exec(block);
    for (const item of list?.[1]?.split(',') ?? []) {
      const [local, exported] = item.split(/\s+as\s+/).map((part) => part.trim());
      // `export { post as POST }`: the code is the local function's.
      const body = new RegExp(`function\\s+${local}\\b[\\s\\S]*?\\n}`).exec(source)?.[0] ?? source;
      add(exported ?? local ?? '', body);
    }
  });
  return methods;
}

function readRoutes(): RouteFile[] {
  return routeFiles().map((file) => {
    const segments = path.relative(API_DIR, path.dirname(file)).split(path.sep);
    const catchAll = segments.findIndex((segment) => segment.startsWith('[...'));
    const mapped = segments.map((segment) => segment.replace(/^\[([^.\]]+)\]$/, '{$1}'));
    const prefix = `/api/${(catchAll === -1 ? mapped : mapped.slice(0, catchAll)).join('/')}`;
    return { file: path.relative(ROOT, file), template: catchAll === -1 ? prefix : null, prefix, methods: exportedMethods(fs.readFileSync(file, 'utf8')) };
  });
}

const routes = readRoutes();

/** The operations of the document that a route file's method answers. */
function operationsOf(document: OpenApiDocument, route: RouteFile, method: HttpMethod) {
  return listOperations(document).filter((listed) => listed.method === method && (route.template === null ? listed.path.startsWith(`${route.prefix}/`) : listed.path === route.template));
}

/** Every route file's method missing from a document, as "METHOD path (file)". */
function missingRoutes(document: OpenApiDocument): string[] {
  return routes.flatMap((route) => [...route.methods.keys()].filter((method) => operationsOf(document, route, method).length === 0).map((method) => `${method.toUpperCase()} ${route.template ?? `${route.prefix}/…`} (${route.file})`));
}

/** Paths the server answers itself (server/index.ts), before Next: in the document though no route file has them. */
const SERVED_BY_SERVER = ['/api/health', '/api/metrics'];

/** Every operation of a document that no route file (or the server) answers. */
function unknownOperations(document: OpenApiDocument): string[] {
  return listOperations(document)
    .filter(({ method, path: template }) => {
      if (SERVED_BY_SERVER.includes(template)) return method !== 'get';
      return !routes.some((route) => route.methods.has(method) && (route.template === null ? template.startsWith(`${route.prefix}/`) : template === route.template));
    })
    .map(({ method, path: template }) => `${method.toUpperCase()} ${template}`);
}

// ————— The document's structure —————

/** The value a local JSON pointer (#/a/b) names in `root`, or undefined. */
function pointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let at: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string') found.push(inner);
      else refsIn(inner, found);
    }
  }
  return found;
}

/** What is wrong with a document as OpenAPI 3.1, structurally; empty when nothing. */
function structuralProblems(document: OpenApiDocument): string[] {
  const problems: string[] = [];
  if (document.openapi !== '3.1.0') problems.push(`openapi is ${String(document.openapi)}, not 3.1.0`);
  if (!document.info.title || !document.info.version) problems.push('info needs a title and a version');
  if (document.servers[0]?.url !== '/') problems.push('servers[0] is not /');
  for (const ref of refsIn(document)) {
    if (!ref.startsWith('#/components/')) problems.push(`${ref} points outside components`);
    else if (pointer(document, ref) === undefined) problems.push(`${ref} does not resolve`);
  }
  const operationIds = new Set<string>();
  const tags = new Set(document.tags.map((tag) => tag.name));
  for (const [template, item] of Object.entries(document.paths)) {
    if (!template.startsWith('/api/')) problems.push(`${template} does not start with /api/`);
    for (const key of Object.keys(item)) if (!(HTTP_METHODS as readonly string[]).includes(key)) problems.push(`${template} has ${key}, which is no method`);
  }
  for (const { method, path: template, operation } of listOperations(document)) {
    const where = `${method.toUpperCase()} ${template}`;
    if (operationIds.has(operation.operationId)) problems.push(`${where}: operationId ${operation.operationId} twice`);
    operationIds.add(operation.operationId);
    if (!operation.summary) problems.push(`${where} has no summary`);
    for (const tag of operation.tags) if (!tags.has(tag)) problems.push(`${where}: tag ${tag} is not declared`);
    const inTemplate = [...template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
    const declared = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path');
    for (const name of inTemplate) {
      const parameter = declared.find((candidate) => candidate.name === name);
      if (!parameter) problems.push(`${where}: path parameter ${name} is not declared`);
      else if (parameter.required !== true) problems.push(`${where}: path parameter ${name} is not required`);
    }
    for (const parameter of declared) if (!inTemplate.includes(parameter.name)) problems.push(`${where}: path parameter ${parameter.name} is not in the path`);
    for (const parameter of operation.parameters ?? []) {
      if (!parameter.schema === !parameter.content) problems.push(`${where}: parameter ${parameter.name} needs a schema or a content, not both`);
    }
    const statuses = Object.keys(operation.responses);
    if (statuses.length === 0) problems.push(`${where} has no responses`);
    if (!statuses.some((status) => status.startsWith('2'))) problems.push(`${where} has no success response`);
    for (const status of statuses) {
      if (!/^[1-5]\d\d$/.test(status)) problems.push(`${where}: ${status} is no status`);
      const response = operation.responses[status];
      const resolved = response ? resolveResponse(document, response) : null;
      if (!resolved?.description) problems.push(`${where} ${status} has no description`);
    }
    for (const requirement of operation.security) {
      for (const scheme of Object.keys(requirement)) if (!document.components.securitySchemes[scheme]) problems.push(`${where}: security scheme ${scheme} is not declared`);
    }
    if (operation.requestBody && Object.keys(operation.requestBody.content).length === 0) problems.push(`${where}: a request body with no content`);
  }
  return problems;
}

// ————— What each route's code asks of its caller —————

const allowed = (security: SecurityRequirement[]): string[] =>
  security.flatMap((requirement) => (Object.keys(requirement).length === 0 ? ['none'] : Object.entries(requirement).flatMap(([scheme, scopes]) => (scopes.length === 0 ? [scheme] : scopes.map((scope) => `${scheme}:${scope}`))))).sort();

/** The credentials a route's export takes, from its code (app/api/_lib/respond.ts authed and RouteAccess). */
function expectedSecurity(method: HttpMethod, code: string): string[] {
  if (!code.includes('authed')) return [];
  const access = /,\s*'(read|change|session|metrics-read|metrics-change)'/.exec(code)?.[1] ?? (method === 'get' ? 'read' : 'change');
  const tokens: Record<string, string[]> = {
    read: ['bearer:read', 'bearer:write'],
    change: ['bearer:write'],
    session: [],
    'metrics-read': ['bearer:metrics', 'bearer:read', 'bearer:write'],
    'metrics-change': ['bearer:metrics', 'bearer:write'],
  };
  return ['cookie', ...(tokens[access] ?? [])].sort();
}

// ————— The tests —————

describe('every route is in the document', () => {
  it('finds the route files and their methods', () => {
    expect(routes.length).toBeGreaterThan(25);
    for (const route of routes) expect(route.methods.size, `${route.file} exports no HTTP method`).toBeGreaterThan(0);
    const maps = routes.find((route) => route.template === '/api/maps/{id}');
    expect([...(maps?.methods.keys() ?? [])].sort()).toEqual(['delete', 'get', 'patch']);
    const nextAuth = routes.find((route) => route.template === null);
    expect(nextAuth?.prefix).toBe('/api/auth');
    expect([...(nextAuth?.methods.keys() ?? [])].sort()).toEqual(['get', 'post']);
  });

  it('every method of every route file has an operation, with that method', () => {
    expect(missingRoutes(doc)).toEqual([]);
  });

  it('and nothing else: every operation is a route file’s, or the server’s own', () => {
    expect(unknownOperations(doc)).toEqual([]);
    const server = fs.readFileSync(path.join(ROOT, 'server/index.ts'), 'utf8');
    for (const template of SERVED_BY_SERVER) expect(server, `server/index.ts answers ${template}`).toContain(`pathname === '${template}'`);
  });

  it('notices a route left out, or a method given to the wrong route', () => {
    const without = clone();
    delete without.paths['/api/maps/{id}/audit'];
    expect(missingRoutes(without)).toEqual(['GET /api/maps/{id}/audit (app/api/maps/[id]/audit/route.ts)']);
    const moved = clone();
    const item = moved.paths['/api/tokens/{id}'];
    if (!item?.delete) throw new Error('DELETE /api/tokens/{id} is missing');
    item.patch = item.delete;
    delete item.delete;
    expect(missingRoutes(moved)).toEqual(['DELETE /api/tokens/{id} (app/api/tokens/[id]/route.ts)']);
    expect(unknownOperations(moved)).toEqual(['PATCH /api/tokens/{id}']);
    const nextAuth = clone();
    for (const template of Object.keys(nextAuth.paths)) if (template.startsWith('/api/auth/')) delete nextAuth.paths[template]?.get;
    expect(missingRoutes(nextAuth)).toEqual(['GET /api/auth/… (app/api/auth/[...nextauth]/route.ts)']);
  });

  it('each operation takes the credentials its route’s code asks for', () => {
    for (const route of routes) {
      for (const [method, code] of route.methods) {
        for (const { path: template, operation } of operationsOf(doc, route, method)) {
          expect(allowed(operation.security), `${method.toUpperCase()} ${template}`).toEqual(expectedSecurity(method, code));
        }
      }
    }
    // The spot checks the brief names: sign-up and the confirmation link are public, accepting an invitation is not.
    const security = (method: HttpMethod, template: string) => doc.paths[template]?.[method]?.security;
    expect(security('post', '/api/signup')).toEqual([]);
    expect(security('post', '/api/verify-email')).toEqual([]);
    expect(security('get', '/api/openapi.json')).toEqual([]);
    expect(security('post', '/api/invitations/accept')).not.toEqual([]);
    expect(allowed(security('post', '/api/tokens') ?? [])).toEqual(['cookie']);
    expect(allowed(security('put', '/api/maps/{id}/metrics') ?? [])).toEqual(['bearer:metrics', 'bearer:write', 'cookie']);
  });

  it('an operation that can fail has the error answers of its code', () => {
    for (const route of routes) {
      for (const [method, code] of route.methods) {
        for (const { path: template, operation } of operationsOf(doc, route, method)) {
          const where = `${method.toUpperCase()} ${template}`;
          const statuses = Object.keys(operation.responses);
          const expected = [
            ...(code.includes('authed') ? ['401', '403'] : []),
            ...(/read(Json|OptionalJson|MetricsJson|LimitedBytes|LimitedText)\(/.test(code) ? ['400', '413'] : []),
            ...(/requireRole|params\.id/.test(code) && template.startsWith('/api/maps/{id}') ? ['404'] : []),
            ...(/errorResponse\(/.test(code) ? ['500'] : []),
          ];
          for (const status of expected) expect(statuses, `${where} answers ${status}`).toContain(status);
          if (code.includes('authed') || operation.requestBody || operation.parameters?.length) {
            expect(statuses.some((status) => status.startsWith('4')), `${where} has a 4xx`).toBe(true);
          }
          for (const status of statuses.filter((s) => !s.startsWith('2'))) {
            const response = operation.responses[status];
            expect(response && resolveResponse(doc, response)?.content?.['application/json']?.schema, `${where} ${status} is an Error`).toEqual({ $ref: '#/components/schemas/Error' });
          }
        }
      }
    }
  });
});

describe('the document holds together', () => {
  it('is OpenAPI 3.1 with the app’s version, a path for every route and nothing dangling', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe('1.2.3');
    expect(structuralProblems(doc)).toEqual([]);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearer', 'cookie', 'metricsToken']);
    for (const name of Object.keys(RESPONSE_SCHEMAS)) expect(doc.components.schemas, name).toHaveProperty(name);
  });

  it('is plain JSON: it survives a round trip', () => {
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it('notices what breaks it', () => {
    const version = clone();
    (version as { openapi: string }).openapi = '3.0.3';
    expect(structuralProblems(version)).toEqual(['openapi is 3.0.3, not 3.1.0']);

    const dangling = clone();
    const getMap = dangling.paths['/api/maps/{id}']?.get;
    if (!getMap) throw new Error('GET /api/maps/{id} is missing');
    getMap.responses['200'] = { description: 'x', content: { 'application/json': { schema: { $ref: '#/components/schemas/NoSuchThing' } } } };
    expect(structuralProblems(dangling)).toEqual(['#/components/schemas/NoSuchThing does not resolve']);

    const undeclared = clone();
    const getVersion = undeclared.paths['/api/maps/{id}/versions/{vid}']?.get;
    if (!getVersion) throw new Error('GET /api/maps/{id}/versions/{vid} is missing');
    getVersion.parameters = getVersion.parameters?.filter((parameter) => parameter.name !== 'vid');
    expect(structuralProblems(undeclared)).toEqual(['GET /api/maps/{id}/versions/{vid}: path parameter vid is not declared']);

    const optional = clone();
    const id = optional.paths['/api/maps/{id}']?.delete?.parameters?.find((parameter) => parameter.name === 'id');
    if (!id) throw new Error('DELETE /api/maps/{id} declares no id');
    id.required = false;
    expect(structuralProblems(optional)).toEqual(['DELETE /api/maps/{id}: path parameter id is not required']);

    const outside = clone();
    outside.paths['/maps'] = outside.paths['/api/maps'] ?? {};
    expect(structuralProblems(outside)).toContain('/maps does not start with /api/');

    const twice = clone();
    const create = twice.paths['/api/maps']?.post;
    if (!create) throw new Error('POST /api/maps is missing');
    create.operationId = 'listMaps';
    expect(structuralProblems(twice)).toEqual(['POST /api/maps: operationId listMaps twice']);
  });
});

describe('request bodies are the services’ zod schemas', () => {
  const bodySchema = (method: HttpMethod, template: string): JsonSchema => {
    const schema = doc.paths[template]?.[method]?.requestBody?.content['application/json']?.schema;
    if (!schema) throw new Error(`${method.toUpperCase()} ${template} has no JSON body`);
    return schema;
  };

  it('POST /api/maps: title required, template blank or demo', () => {
    const schema = bodySchema('post', '/api/maps');
    expect(schema.required).toEqual(['title']);
    expect(schema.additionalProperties).toBe(false);
    const check = z.fromJSONSchema(schema);
    expect(check.safeParse({ title: 'x', template: 'demo' }).success).toBe(true);
    expect(check.safeParse({ title: 'x' }).success).toBe(true);
    expect(check.safeParse({ template: 'demo' }).success).toBe(false);
    expect(check.safeParse({ title: 'x', template: 'fancy' }).success).toBe(false);
    expect(check.safeParse({ title: 'x', colour: 'red' }).success).toBe(false);
  });

  it('every JSON body is an object schema, or a choice of them, described field by field where it has fields', () => {
    for (const { method, path: template, operation } of listOperations(doc)) {
      const schema = operation.requestBody?.content['application/json']?.schema;
      if (!schema || template === '/api/maps/import') continue;
      const variants = (schema.anyOf as JsonSchema[] | undefined) ?? [schema];
      for (const variant of variants) {
        expect(variant.type, `${method} ${template}`).toBe('object');
        for (const [name, field] of Object.entries((variant.properties ?? {}) as Record<string, JsonSchema>)) {
          expect(typeof field.description, `${method.toUpperCase()} ${template}: ${name} has a description`).toBe('string');
        }
      }
    }
  });

  it('the push of measured figures checks its rows as the service does, and the month as isPeriod does', () => {
    const schema = bodySchema('put', '/api/maps/{id}/metrics');
    const check = z.fromJSONSchema(schema);
    expect(check.safeParse({ period: '2026-11', rows: [{ externalKey: 'ivr', contacts: 10 }] }).success).toBe(true);
    expect(check.safeParse({ period: '2026-13', rows: [{ externalKey: 'ivr', contacts: 10 }] }).success).toBe(false);
    expect(check.safeParse({ period: '2026-11', rows: [] }).success).toBe(false);
    expect(check.safeParse({ period: '2026-11', rows: [{ externalKey: 'ivr', contacts: -1 }] }).success).toBe(false);
    const pattern = new RegExp(String(PERIOD_JSON_SCHEMA.pattern));
    for (const value of ['2026-01', '2026-12', '0001-05', '2026-00', '2026-13', '26-01', '2026-1', '2026-011', 'x']) expect(pattern.test(value), value).toBe(isPeriod(value));
  });
});

describe('files in and out', () => {
  const exportOperation = doc.paths['/api/maps/{id}/export']?.get;
  const importOperation = doc.paths['/api/maps/import']?.post;

  it('the export names every export format, answers with their media types and a Content-Disposition', () => {
    const format = exportOperation?.parameters?.find((parameter) => parameter.name === 'format');
    expect(format?.required).toBe(true);
    expect(format?.schema?.enum).toEqual([...EXPORT_FORMATS]);
    const ok = exportOperation?.responses['200'];
    const content = ok && !('$ref' in ok) ? ok.content : undefined;
    expect(Object.keys(content ?? {})).toEqual(expect.arrayContaining(['application/json', 'text/csv', 'text/plain']));
    expect(ok && !('$ref' in ok) ? Object.keys(ok.headers ?? {}) : []).toEqual(['Content-Disposition']);
    // Of the files, only the JSON one has a schema: an object (the map, as the import reads it).
    expect(responseSchema('get', '/api/maps/{id}/export', 200)?.type).toBe('object');
    expect(responseValidator('get', '/api/maps/{id}/export', 200)?.safeParse({ format: 'journeyhub' }).success).toBe(true);
  });

  it('the import names every import format, takes the file as the body, answers 201 with the map, 400 with every problem and 413', () => {
    const format = importOperation?.parameters?.find((parameter) => parameter.name === 'format');
    expect(format?.schema?.enum).toEqual([...IMPORT_FORMATS]);
    expect(importOperation?.parameters?.map((parameter) => parameter.name)).toEqual(['format', 'title', 'mapping']);
    expect(Object.keys(importOperation?.requestBody?.content ?? {})).toEqual(expect.arrayContaining(['application/json', 'text/csv', 'text/plain']));
    expect(importOperation?.requestBody?.content['text/csv']?.schema).toEqual({ type: 'string' });
    expect(Object.keys(importOperation?.responses ?? {})).toEqual(expect.arrayContaining(['201', '400', '413']));
    expect(responseValidator('post', '/api/maps/import', 400)?.safeParse({ error: '2 rows are not valid', details: [{ row: 3, message: 'label is empty' }, { row: null, message: 'and 1 more' }] }).success).toBe(true);
  });
});

describe('responses, for checking live answers against', () => {
  const summary: MapSummary = {
    id: 'm1',
    title: 'Claims',
    role: 'owner',
    createdAt: 1,
    updatedAt: 2,
    summary: { hotspotStage: null, ownershipGaps: 0, failureDemand: 0, hubCoverage: null },
    damaged: false,
    damagedMessage: null,
  };

  it('responseValidator and responseSchema agree on a map summary, and refuse a field the document does not name', () => {
    const validator = responseValidator('get', '/api/maps/{id}', 200);
    expect(validator?.safeParse(summary).success).toBe(true);
    expect(validator?.safeParse({ ...summary, secret: 1 }).success).toBe(false);
    const schema = responseSchema('get', '/api/maps/{id}', 200);
    if (!schema) throw new Error('no schema for GET /api/maps/{id} 200');
    const fromJson = z.fromJSONSchema(schema);
    expect(fromJson.safeParse(summary).success).toBe(true);
    expect(fromJson.safeParse({ ...summary, role: 'admin' }).success).toBe(false);
    expect(z.fromJSONSchema(responseSchema('get', '/api/maps', 200) ?? {}).safeParse({ maps: [summary] }).success).toBe(true);
    expect(responseValidator('get', '/api/maps/{id}', 404)?.safeParse({ error: 'No such map, or you are not a member of it' }).success).toBe(true);
    expect(responseValidator('get', '/api/maps/{id}', 418)).toBeNull();
    expect(responseValidator('delete', '/api/maps/{id}', 204)).toBeNull();
    expect(responseValidator('get', '/api/nowhere', 200)).toBeNull();
  });

  it('every JSON response of the document has a validator, and every validator a JSON schema', () => {
    for (const { method, path: template, operation } of listOperations(doc)) {
      for (const [status, raw] of Object.entries(operation.responses)) {
        const json = resolveResponse(doc, raw)?.content?.['application/json'];
        expect(responseValidator(method, template, status) !== null, `${method} ${template} ${status}`).toBe(json !== undefined);
        expect(responseSchema(method, template, status) !== null, `${method} ${template} ${status}`).toBe(json !== undefined);
      }
    }
  });

  it('finds the template of a concrete path', () => {
    expect(pathTemplateOf('/api/maps/import')).toBe('/api/maps/import');
    expect(pathTemplateOf('/api/maps/abc')).toBe('/api/maps/{id}');
    expect(pathTemplateOf('/api/maps/abc/versions/v1/restore?x=1')).toBe('/api/maps/{id}/versions/{vid}/restore');
    expect(pathTemplateOf('/api/nowhere')).toBeNull();
  });

  it('the named response schemas are the services’ own types (tsc checks these)', () => {
    type Out<K extends keyof typeof RESPONSE_SCHEMAS> = z.output<(typeof RESPONSE_SCHEMAS)[K]>;
    type Result<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;
    expectTypeOf<Out<'MapSummary'>>().toEqualTypeOf<MapSummary>();
    expectTypeOf<Out<'MemberList'>>().toEqualTypeOf<MemberList>();
    expectTypeOf<Out<'InviteAnswer'>>().toEqualTypeOf<InviteAnswer>();
    expectTypeOf<Out<'MemberRoleAnswer'>>().toEqualTypeOf<Result<typeof changeMember>>();
    expectTypeOf<Out<'MemberRemoved'>>().toEqualTypeOf<Result<typeof removeMember>>();
    expectTypeOf<Out<'AcceptedInvitation'>>().toEqualTypeOf<Result<typeof acceptInvitation>>();
    expectTypeOf<Out<'CollabToken'>>().toEqualTypeOf<CollabTokenAnswer>();
    expectTypeOf<Out<'MetricsPushAnswer'>>().toEqualTypeOf<PushAnswer>();
    expectTypeOf<Out<'MetricsRow'>>().toEqualTypeOf<StoredMetricsRow>();
    expectTypeOf<Out<'MetricsPeriodDeleted'>>().toEqualTypeOf<Result<typeof deleteMetricsPeriod>>();
    expectTypeOf<Out<'AuditEntry'>>().toEqualTypeOf<AuditEntry>();
    // A listed token is TokenRecord & { expired } (listPersonalTokens): flattened, as zod's type is one object.
    expectTypeOf<Out<'Token'>>().toEqualTypeOf<{ [K in keyof (TokenRecord & { expired: boolean })]: (TokenRecord & { expired: boolean })[K] }>();
    expectTypeOf<Out<'CreatedToken'>>().toEqualTypeOf<CreatedToken>();
    expectTypeOf<Out<'Account'>>().toEqualTypeOf<AccountSummary>();
    expectTypeOf<Out<'MasterFlag'>>().toEqualTypeOf<Result<typeof setMaster>>();
    expectTypeOf<Out<'WorkshopSummary'>>().toEqualTypeOf<WorkshopSummary>();
    expectTypeOf<Out<'MergeResult'>>().toEqualTypeOf<Result<typeof mergeWorkshop>>();
    expectTypeOf<Out<'RefreshResult'>>().toEqualTypeOf<Result<typeof refreshWorkshop>>();
    expectTypeOf<Out<'Version'>>().toEqualTypeOf<VersionRecord>();
    expectTypeOf<Out<'RestoreResult'>>().toEqualTypeOf<RestoreResult>();
    expectTypeOf<Out<'Notification'>>().toEqualTypeOf<NotificationView>();
    expectTypeOf<Out<'NotificationsRead'>>().toEqualTypeOf<Result<typeof markNotificationsRead>>();
  });
});

describe('GET /api/openapi.json', () => {
  afterEach(() => setAppContext(undefined));

  it('answers the document of the running version, public and cacheable for five minutes', async () => {
    setAppContext({ version: '9.8.7' } as never);
    const { GET } = await import('../../app/api/openapi.json/route');
    const res = GET();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const body = (await res.json()) as OpenApiDocument;
    expect(body.openapi).toBe('3.1.0');
    expect(body.info.version).toBe('9.8.7');
    expect(Object.keys(body.paths)).toEqual(Object.keys(doc.paths));
  });
});
