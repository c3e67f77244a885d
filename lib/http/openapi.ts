import { z } from 'zod';
import { EXPORT_FORMATS, FORMAT_INFO, IMPORT_FORMATS, isExportFormat } from '../exchange/formats';
import { IMPORTED_FIELDS } from '../exchange/touchpoint-rows';
import { MapTitleSchema as ImportTitleSchema } from '../journey/validation';
import { MetricsPushEnvelope, MetricsRowInput, PeriodSchema, MAX_ROWS_PER_PUSH } from '../measurements/input';
import { ChangePasswordInput, CreateTokenInput, TOKEN_SCOPES } from '../permissions/account-input';
import { MergeInput, RefreshInput, SaveVersionInput, SetMasterInput, StartWorkshopInput } from '../permissions/history-input';
import { AddMemberInput, ChangeMemberInput, CreateMapInput, RemoveMemberInput, SignUpInput, TokenInput, UpdateMapInput } from '../permissions/input';
import { MarkReadInput } from '../permissions/notification-input';
import { MEMBER_ROLES, ROLES } from '../permissions/roles';
import { PORTFOLIO_COLUMNS } from '../portfolio/portfolio-sort';
import { TEAM_COLUMNS } from '../portfolio/teams';
import { MAX_IMPORT_BODY_BYTES, MAX_JSON_BODY_BYTES, MAX_METRICS_BODY_BYTES } from './same-origin';

/**
 * The OpenAPI 3.1 document of the HTTP API (issue 16 §4), served at
 * /api/openapi.json and shown on /docs/api. Request bodies are the JSON
 * Schemas of the very zod schemas the services parse (`z.toJSONSchema`, input
 * side); responses are described by the zod schemas below, checked against
 * the services' own types in tests/unit/openapi.test.ts. Pure: no Node, no
 * server/, so that a page and a test can build it.
 */

export type JsonSchema = { [key: string]: unknown };

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface ReferenceObject {
  $ref: string;
  summary?: string;
  description?: string;
}

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
  /** A parameter whose value is itself JSON (the import's `mapping`). */
  content?: Record<string, MediaTypeObject>;
}

export interface MediaTypeObject {
  schema?: JsonSchema;
}

export interface HeaderObject {
  description?: string;
  schema: JsonSchema;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, HeaderObject>;
  content?: Record<string, MediaTypeObject>;
}

export interface RequestBodyObject {
  description?: string;
  required?: boolean;
  content: Record<string, MediaTypeObject>;
}

export type SecurityRequirement = Record<string, string[]>;

export interface OperationObject {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Alternatives (any one will do); empty: public. */
  security: SecurityRequirement[];
  parameters?: ParameterObject[];
  requestBody?: RequestBodyObject;
  responses: Record<string, ResponseObject | ReferenceObject>;
}

export type PathItemObject = Partial<Record<HttpMethod, OperationObject>>;

export interface SecuritySchemeObject {
  type: 'http' | 'apiKey';
  description: string;
  scheme?: string;
  bearerFormat?: string;
  in?: 'cookie' | 'header' | 'query';
  name?: string;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string; license?: { name: string } };
  servers: Array<{ url: string; description?: string }>;
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, PathItemObject>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, ResponseObject>;
    securitySchemes: Record<string, SecuritySchemeObject>;
  };
}

// ————— Response bodies —————

const registry = z.registry<{ id: string }>();
/** A named schema: it becomes `#/components/schemas/<id>` and is referred to wherever it is used. */
function named<S extends z.ZodType>(id: string, schema: S): S {
  registry.add(schema, { id });
  return schema;
}

const ms = () => z.int().describe('ms since the epoch');
const count = () => z.int().min(0);

export const ProblemSchema = named(
  'Problem',
  z
    .strictObject({
      row: z.int().nullable().optional().describe('The row of the input: of a push, its index in `rows` (from 0); of an imported file, its row or line as a spreadsheet numbers it (the header is row 1); null when the problem is no row’s'),
      path: z.string().optional().describe('Where in the input, as a dotted path (e.g. "title", "period", "map.touchpoints.tp-1.label")'),
      message: z.string(),
    })
    .describe('One thing wrong with the input'),
);

export const ErrorSchema = named(
  'Error',
  z
    .strictObject({
      error: z.string().describe('A sentence that says what went wrong and what to do about it'),
      details: z
        .union([z.array(ProblemSchema), z.looseObject({})])
        .optional()
        .describe(
          'A 400 lists every problem found ({ path, message } or { row, message }); a 409 of a damaged map is { damaged: true, mapId }; the collaboration token’s 404 for a former member says { access, by, at }',
        ),
    })
    .describe('Every error answer: 4xx and 500'),
);

const Role = named('Role', z.enum(ROLES).describe('A member’s role on a map'));
const MemberRole = named('MemberRole', z.enum(MEMBER_ROLES).describe('A role that can be given by invitation (ownership moves only by transfer)'));
const TokenScope = named('TokenScope', z.enum(TOKEN_SCOPES).describe('What a personal access token may do: read (GET only), write (what its person can), metrics (measured figures only)'));

export const MapSummarySchema = named(
  'MapSummary',
  z
    .strictObject({
      id: z.string(),
      title: z.string(),
      role: Role,
      createdAt: ms(),
      updatedAt: ms(),
      summary: z
        .strictObject({
          hotspotStage: z.string().nullable().describe('The name of the stage with the largest pain; null when every stage has none'),
          ownershipGaps: count().describe('Stages that are fragmented or unowned'),
          failureDemand: z.number().describe('Σ of the staged touchpoints’ contact volume'),
          hubCoverage: z.number().nullable().describe('The share of staged touchpoints that reach the contact center (the hub) through connections, 0 to 1; null when there are none'),
        })
        .nullable()
        .describe('The annotation summary; null when the map is damaged'),
      damaged: z.boolean().describe('Its stored state cannot be read: its owner can restore a saved version'),
      damagedMessage: z.string().nullable(),
    })
    .describe('A map as its member sees it in a list'),
);

const MapList = named('MapList', z.strictObject({ maps: z.array(MapSummarySchema) }));

const Member = named('Member', z.strictObject({ userId: z.string(), email: z.string(), name: z.string(), role: Role, addedAt: ms() }));
const Invitation = named(
  'Invitation',
  z.strictObject({ email: z.string(), role: MemberRole, createdAt: ms(), expiresAt: ms(), link: z.string().describe('The link to pass on; it works once') }).describe('A pending invitation'),
);
const MemberList = named(
  'MemberList',
  z.strictObject({ members: z.array(Member), invitations: z.array(Invitation).describe('Pending invitations: the owner’s only (empty for anyone else)') }),
);
const InviteAnswer = named(
  'InviteAnswer',
  z
    .strictObject({
      status: z.literal('invited'),
      email: z.string(),
      role: MemberRole,
      expiresAt: ms(),
      link: z.string(),
      mailed: z.boolean().describe('The link went out by mail (SMTP is set); otherwise the owner passes it on'),
    })
    .describe('The same answer whether or not the address has an account'),
);
const MemberRoleAnswer = named('MemberRoleAnswer', z.strictObject({ email: z.string(), role: Role }));
const MemberRemoved = named('MemberRemoved', z.strictObject({ email: z.string() }));
const AcceptedInvitation = named('AcceptedInvitation', z.strictObject({ mapId: z.string(), role: Role }));
const Message = named('Message', z.strictObject({ message: z.string() }));
const ConfirmedEmail = named('ConfirmedEmail', z.strictObject({ email: z.string() }));

const CollabToken = named(
  'CollabToken',
  z
    .strictObject({
      token: z.string().describe('For the websocket (/collab)'),
      role: Role.describe('What the caller may do on the map’s documents now: their role, or viewer on a merged workshop copy or with a read-only access token'),
      expiresAt: z.string().describe('ISO 8601'),
      merged: z.strictObject({ masterId: z.string(), masterTitle: z.string(), mergedAt: ms() }).optional().describe('Set on a workshop copy that was merged'),
      roleChangedBy: z.string().optional().describe('Who last changed the caller’s role on the map'),
    })
    .describe('A collaboration token'),
);

const Annotations = named(
  'MapAnnotations',
  z
    .looseObject({})
    .describe(
      'annotateMap of the stored map with its measured figures: per stage and touchpoint pain, ownership gaps, failure demand, hub coverage, the hotspot stage, measured contacts and CSAT of the period; and `outcomes`: each done action’s figures before → after (lib/annotations/types.ts)',
    ),
);

const PushAnswer = named('MetricsPushAnswer', z.strictObject({ period: z.string(), stored: count().describe('Rows stored, each replaced whole') }));
const Verbatim = z.strictObject({ text: z.string(), score: z.number().optional(), at: z.string().optional().describe('YYYY-MM-DD') });
const MetricsRow = named(
  'MetricsRow',
  z.strictObject({
    touchpointId: z.string(),
    externalKey: z.string().nullable().describe('The touchpoint’s external key as of now'),
    period: z.string().describe('YYYY-MM'),
    contacts: count().optional(),
    csat: z.strictObject({ responses: count(), satisfied: count() }).optional(),
    ces: z.strictObject({ responses: count(), mean: z.number() }).optional(),
    nps: z.strictObject({ promoters: count(), passives: count(), detractors: count() }).optional(),
    verbatims: z.array(Verbatim).optional(),
  }),
);
const MetricsRows = named('MetricsRows', z.strictObject({ rows: z.array(MetricsRow) }));
const MetricsDeleted = named('MetricsPeriodDeleted', z.strictObject({ period: z.string(), deleted: count().describe('Rows removed') }));

const AuditEntry = named(
  'AuditEntry',
  z.strictObject({
    id: z.int(),
    mapId: z.string(),
    actorEmail: z.string(),
    action: z.string().describe('e.g. map.created, member.invited, ownership.transferred, workshop.merged'),
    targetEmail: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()).nullable(),
    createdAt: ms(),
  }),
);
const AuditLog = named('AuditLog', z.strictObject({ entries: z.array(AuditEntry).describe('Newest first, at most 200') }));

const Token = named(
  'Token',
  z
    .strictObject({
      id: z.string(),
      userId: z.string(),
      name: z.string(),
      scope: TokenScope,
      createdAt: ms(),
      expiresAt: ms().nullable().describe('null: never (tokens made before expiries existed)'),
      lastUsedAt: ms().nullable(),
      revokedAt: ms().nullable(),
      expired: z.boolean(),
    })
    .describe('A personal access token, without its secret'),
);
const TokenList = named('TokenList', z.strictObject({ tokens: z.array(Token) }));
const CreatedToken = named(
  'CreatedToken',
  z.strictObject({
    id: z.string(),
    name: z.string(),
    token: z.string().describe('jhp_…: shown this once, stored hashed'),
    scope: TokenScope,
    createdAt: ms(),
    expiresAt: ms().nullable(),
  }),
);
const Account = named(
  'Account',
  z.strictObject({ id: z.string(), email: z.string(), name: z.string(), hasPassword: z.boolean().describe('False for an account made by single sign-on') }),
);

const MasterFlag = named('MasterFlag', z.strictObject({ id: z.string(), master: z.boolean() }));
const WorkshopSummary = named(
  'WorkshopSummary',
  z.strictObject({
    id: z.string(),
    title: z.string(),
    startedBy: z.string(),
    startedAt: ms(),
    status: z.enum(['open', 'merged']),
    mergedAt: ms().nullable(),
    copyChanges: count().nullable().describe('Changes made in the copy since the fork or the last refresh; null, as the other counts, when the copy or the master cannot be read'),
    masterChanges: count().nullable(),
    conflicts: count().nullable(),
    damaged: z.boolean(),
    damagedMessage: z.string().nullable(),
  }),
);
const WorkshopList = named('WorkshopList', z.strictObject({ workshops: z.array(WorkshopSummary) }));
const plainMap = () => z.looseObject({}).describe('A journey map as plain data (lib/journey/types.ts JourneyMap)');
const mapChange = () => z.looseObject({}).describe('A change between two maps: { id, side, conflict, summary, … } (lib/journey/diff.ts MapChange)');
const WorkshopDiff = named(
  'WorkshopDiff',
  z
    .strictObject({
      masterId: z.string(),
      copyId: z.string(),
      status: z.enum(['open', 'merged']),
      changes: z.array(mapChange()),
      base: plainMap(),
      master: plainMap(),
      copy: plainMap(),
    })
    .describe('A copy against its master, with the three plain maps so that a review can preview any selection'),
);
const MergeResult = named('MergeResult', z.strictObject({ masterId: z.string(), applied: count() }));
const RefreshResult = named('RefreshResult', z.strictObject({ applied: count() }));

const Version = named('Version', z.strictObject({ id: z.string(), mapId: z.string(), name: z.string(), kind: z.enum(['named', 'auto']), createdBy: z.string(), createdAt: ms() }));
const VersionList = named('VersionList', z.strictObject({ versions: z.array(Version) }));
const VersionView = named(
  'VersionView',
  z.strictObject({
    version: Version,
    map: plainMap(),
    discussion: z.looseObject({}).describe('Comments and dots as plain data (lib/journey/types.ts Discussion)'),
    changes: z.array(mapChange()).describe('What changed since this version (side "copy" is now); none when the map is damaged'),
    damaged: z.boolean(),
  }),
);
const RestoreResult = named(
  'RestoreResult',
  z.strictObject({
    restored: Version,
    backup: Version.nullable().describe('The automatic version of the state before the restore; null for a repair'),
    changes: count(),
    repaired: z.array(z.enum(['map', 'discussion'])).describe('The documents that could not be read and now hold the version’s state'),
  }),
);

const sortDir = () => z.enum(['asc', 'desc']);
const Portfolio = named(
  'Portfolio',
  z.strictObject({
    sort: z.enum(PORTFOLIO_COLUMNS),
    dir: sortDir(),
    today: z.string().describe('The UTC date overdue actions are counted against'),
    maps: z
      .array(z.looseObject({}))
      .describe('A row a map: hotspot, ownership gaps, estimated and measured contacts, CSAT, open and overdue actions, review, `stale` reasons; or { damaged: true, damagedMessage } (lib/portfolio/portfolio-row.ts)'),
  }),
);
const Teams = named(
  'Teams',
  z.strictObject({
    sort: z.enum(TEAM_COLUMNS),
    dir: sortDir(),
    today: z.string(),
    teams: z.array(z.looseObject({})).describe('A row a team: the stages it is accountable for, touchpoints it owns, shared stages, pain, contacts and actions (lib/portfolio/teams.ts)'),
    nobody: z.looseObject({}).describe('What no team answers for'),
    damaged: z.array(z.strictObject({ id: z.string(), title: z.string() })).describe('Maps that cannot be read: their teams are missing from the figures'),
    mapCount: count(),
  }),
);

const Notification = named(
  'Notification',
  z.strictObject({
    id: z.int(),
    kind: z.literal('mention'),
    mapId: z.string(),
    mapTitle: z.string(),
    touchpointId: z.string(),
    touchpoint: z.string(),
    commentId: z.string(),
    actorName: z.string(),
    excerpt: z.string(),
    createdAt: ms(),
    read: z.boolean(),
    href: z.string().describe('The thread in the app'),
  }),
);
const Notifications = named('Notifications', z.strictObject({ notifications: z.array(Notification).describe('Newest first, at most 100'), unread: count() }));
const NotificationsRead = named('NotificationsRead', z.strictObject({ updated: count(), unread: count() }));

const CsrfToken = named('CsrfToken', z.strictObject({ csrfToken: z.string() }));
const SignInAnswer = named('SignInAnswer', z.looseObject({ url: z.string().describe('Where the browser goes next; its `error` query parameter (e.g. CredentialsSignin) says why a sign-in failed') }));
const Health = named(
  'Health',
  z.strictObject({
    ok: z.literal(true),
    version: z.string().describe('The app’s version'),
    store: z.string().describe('The document store’s engine: sqlite or postgres'),
    fanout: z.string().describe('How changes reach the other processes: memory or redis'),
    docsLoaded: count().describe('Documents loaded in this process'),
    connections: count().describe('Open collaboration sockets of this process'),
  }),
);
const OpenApiJson = named('OpenApiDocument', z.looseObject({ openapi: z.literal('3.1.0') }).describe('This document'));

/** The response bodies, by name, for tests that check them against the services' types and for response validation. */
export const RESPONSE_SCHEMAS = {
  Error: ErrorSchema,
  Problem: ProblemSchema,
  MapSummary: MapSummarySchema,
  MapList,
  Member,
  Invitation,
  MemberList,
  InviteAnswer,
  MemberRoleAnswer,
  MemberRemoved,
  AcceptedInvitation,
  Message,
  ConfirmedEmail,
  CollabToken,
  MapAnnotations: Annotations,
  MetricsPushAnswer: PushAnswer,
  MetricsRow,
  MetricsRows,
  MetricsPeriodDeleted: MetricsDeleted,
  AuditEntry,
  AuditLog,
  Token,
  TokenList,
  CreatedToken,
  Account,
  MasterFlag,
  WorkshopSummary,
  WorkshopList,
  WorkshopDiff,
  MergeResult,
  RefreshResult,
  Version,
  VersionList,
  VersionView,
  RestoreResult,
  Portfolio,
  Teams,
  Notification,
  Notifications,
  NotificationsRead,
  CsrfToken,
  SignInAnswer,
  Health,
  OpenApiDocument: OpenApiJson,
} as const;

const idOf = (schema: z.ZodType): string => {
  const id = registry.get(schema)?.id;
  if (!id) throw new Error('A response schema of the OpenAPI document has no name');
  return id;
};

// ————— Building blocks —————

const SCHEMA_REF = '#/components/schemas/';

/** JSON Schema without the keys that belong only at a document's root. */
function bare(schema: object): JsonSchema {
  const { $schema: _schema, $id: _id, ...rest } = schema as JsonSchema;
  return rest;
}

/** The JSON Schema of what a zod input schema accepts, as the services parse it. */
export function inputJsonSchema(schema: z.ZodType): JsonSchema {
  return bare(z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }));
}

/** Descriptions (a string) or more keywords (an object) for the top-level fields of a body's schema, also inside anyOf. */
type FieldNotes = Record<string, string | JsonSchema>;

function annotate(schema: JsonSchema, notes: FieldNotes): JsonSchema {
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  const anyOf = schema.anyOf as JsonSchema[] | undefined;
  return {
    ...schema,
    ...(properties
      ? {
          properties: Object.fromEntries(
            Object.entries(properties).map(([name, field]) => {
              const note = notes[name];
              if (note === undefined) return [name, field];
              return [name, typeof note === 'string' ? { ...field, description: (field.description as string | undefined) ?? note } : { ...field, ...note }];
            }),
          ),
        }
      : {}),
    ...(anyOf ? { anyOf: anyOf.map((variant) => annotate(variant, notes)) } : {}),
  };
}

const ref = (schema: z.ZodType): JsonSchema => ({ $ref: `${SCHEMA_REF}${idOf(schema)}` });
const jsonContent = (schema: JsonSchema): Record<string, MediaTypeObject> => ({ 'application/json': { schema } });

const PERIOD_PATTERN = '^\\d{4}-(0[1-9]|1[0-2])$';
/** A month as the API takes it (lib/measurements/period.ts isPeriod). */
export const PERIOD_JSON_SCHEMA: JsonSchema = { type: 'string', pattern: PERIOD_PATTERN, description: 'A month, YYYY-MM (e.g. 2026-11)' };

const mib = (bytes: number): string => `${bytes / (1024 * 1024)} MiB`;

type Access = 'public' | 'read' | 'change' | 'session' | 'metrics-read' | 'metrics-change' | 'operator';
type BodyKind = 'none' | 'json' | 'file' | 'form';

const ERROR_RESPONSES = {
  '400': ['BadRequest', 'The input is not valid: `error` says what is wrong, `details` lists every problem'],
  '401': ['Unauthorized', 'Not signed in: no session cookie or access token, or one that ended (signed out everywhere, a password change, a revoked or expired token)'],
  '403': ['Forbidden', 'Signed in but not allowed: the role on the map is too low, the access token’s scope does not cover this route, or a change with the session cookie came from another site'],
  '404': ['NotFound', 'Not found, or not yours to see (the two read the same)'],
  '409': ['Conflict', 'The state of things does not allow it'],
  '410': ['Gone', 'It was there and is no longer'],
  '413': ['PayloadTooLarge', `The body is over the limit: ${mib(MAX_JSON_BODY_BYTES)} of JSON (a push of measured figures ${mib(MAX_METRICS_BODY_BYTES)}, an imported file ${mib(MAX_IMPORT_BODY_BYTES)}), refused before it is read whole`],
  '415': ['UnsupportedMediaType', 'The body was declared as something other than JSON: send Content-Type: application/json (a change with the session cookie must)'],
  '429': ['TooManyRequests', 'Too many attempts: wait and try again (the sentence says how long)'],
  '500': ['ServerError', 'Something went wrong on the server; try again'],
} as const satisfies Record<string, readonly [string, string]>;

type ErrorStatus = keyof typeof ERROR_RESPONSES;
/** Extra error answers of an operation: true for the shared description, a sentence for this operation's own. */
type Errors = Partial<Record<ErrorStatus, true | string>>;

interface Success {
  description: string;
  /** A named response schema (JSON), or none (204, or `content` for files). */
  schema?: z.ZodType;
  content?: Record<string, MediaTypeObject>;
  headers?: Record<string, HeaderObject>;
}

interface OperationSpec {
  method: HttpMethod;
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  access: Access;
  body?: { kind: BodyKind; request: RequestBodyObject };
  query?: ParameterObject[];
  /** Descriptions of path parameters, where the default does not fit. */
  pathNotes?: Record<string, string>;
  responses: Record<string, Success>;
  errors?: Errors;
}

function jsonBody(schema: z.ZodType, notes: FieldNotes = {}, options: { required?: boolean; description?: string } = {}): { kind: BodyKind; request: RequestBodyObject } {
  return {
    kind: 'json',
    request: {
      ...(options.description ? { description: options.description } : {}),
      required: options.required ?? true,
      content: jsonContent(annotate(inputJsonSchema(schema), notes)),
    },
  };
}

const SECURITY: Record<Access, SecurityRequirement[]> = {
  public: [],
  read: [{ cookie: [] }, { bearer: ['read'] }, { bearer: ['write'] }],
  change: [{ cookie: [] }, { bearer: ['write'] }],
  session: [{ cookie: [] }],
  'metrics-read': [{ cookie: [] }, { bearer: ['read'] }, { bearer: ['write'] }, { bearer: ['metrics'] }],
  'metrics-change': [{ cookie: [] }, { bearer: ['write'] }, { bearer: ['metrics'] }],
  // {}: no credential, when the server has no METRICS_TOKEN.
  operator: [{ metricsToken: [] }, {}],
};

const ACCESS_WORDS: Record<Access, string> = {
  public: 'Public: no sign-in needed.',
  read: 'The session cookie, or an access token of any scope but `metrics`.',
  change: 'The session cookie (a change with it must come from the app’s own pages), or an access token with the `write` scope.',
  session: 'The signed-in session only: no access token can do this.',
  'metrics-read': 'The session cookie, or an access token of any scope (`read`, `write` or `metrics`).',
  'metrics-change': 'The session cookie, or an access token with the `write` or `metrics` scope.',
  operator: 'For the operator: open when the server has no METRICS_TOKEN; with it, `Authorization: Bearer <METRICS_TOKEN>`.',
};

const PATH_PARAMETER_NOTES: Record<string, string> = {
  id: 'The map’s id',
  vid: 'The version’s id',
  period: 'The month, YYYY-MM',
};

const NO_MAP = 'No such map, or you are not a member of it';
const DAMAGED = 'The map is damaged: its stored state cannot be read (`details`: { damaged: true, mapId }); its owner can restore a saved version';

/** The media types of a format, as its file is sent (without the charset). */
const mediaTypeOf = (format: string): string => (isExportFormat(format) ? (FORMAT_INFO[format].contentType.split(';')[0]?.trim() ?? 'application/octet-stream') : 'application/octet-stream');

function fileSchema(mediaType: string, json: string): JsonSchema {
  if (mediaType === 'application/json') return { type: 'object', description: json };
  if (mediaType.startsWith('text/')) return { type: 'string' };
  return { type: 'string', contentMediaType: mediaType, description: 'The file’s bytes' };
}

function fileContent(formats: readonly string[], json: string): Record<string, MediaTypeObject> {
  const content: Record<string, MediaTypeObject> = {};
  for (const format of formats) content[mediaTypeOf(format)] ??= { schema: fileSchema(mediaTypeOf(format), json) };
  return content;
}

const list = (values: readonly string[]): string => values.join(', ');

/** The import's column mapping, as the service reads it (server/services/exchange.ts readMapping). */
const ColumnMapping = z
  .strictObject(Object.fromEntries(IMPORTED_FIELDS.map((field) => [field, z.string().min(1).max(200).nullable().optional()])))
  .describe('Which column of the CSV holds each field, by its header; null: none; left out: the column of the field’s own name');

/** The push as the service checks it: the envelope, then each row (lib/measurements/input.ts parseMetricsRows). */
const MetricsPush = MetricsPushEnvelope.extend({
  period: PeriodSchema,
  rows: z.array(MetricsRowInput).min(1).max(MAX_ROWS_PER_PUSH),
});

// ————— The routes —————

let specs: OperationSpec[] | null = null;
const operations = (): OperationSpec[] => (specs ??= operationSpecs());

function operationSpecs(): OperationSpec[] {
  return [
    // Maps
    {
      method: 'get',
      path: '/api/maps',
      operationId: 'listMaps',
      summary: 'Your maps with their role and annotation summary',
      description: 'A map whose stored state cannot be read is listed with `damaged: true`, a `damagedMessage` and `summary: null`, never failing the list.',
      access: 'read',
      responses: { '200': { description: 'Your maps', schema: MapList } },
    },
    {
      method: 'post',
      path: '/api/maps',
      operationId: 'createMap',
      summary: 'Create a map (you own it)',
      access: 'change',
      body: jsonBody(CreateMapInput, { title: 'The map’s title', template: 'blank: an empty map; demo: the sample journey' }),
      responses: { '201': { description: 'The new map', schema: MapSummarySchema } },
    },
    {
      method: 'get',
      path: '/api/maps/{id}',
      operationId: 'getMap',
      summary: 'One map',
      access: 'read',
      responses: { '200': { description: 'The map', schema: MapSummarySchema } },
    },
    {
      method: 'patch',
      path: '/api/maps/{id}',
      operationId: 'renameMap',
      summary: 'Rename a map (owner, editor)',
      description: 'The title changes in the map’s record and inside its document, live for everyone on it.',
      access: 'change',
      body: jsonBody(UpdateMapInput, { title: 'The new title' }),
      responses: { '200': { description: 'The renamed map', schema: MapSummarySchema } },
      errors: { '409': `A merged workshop copy is read-only; or: ${DAMAGED}` },
    },
    {
      method: 'delete',
      path: '/api/maps/{id}',
      operationId: 'deleteMap',
      summary: 'Delete a map (owner)',
      access: 'change',
      responses: { '204': { description: 'Deleted; its open sockets close' } },
    },
    {
      method: 'get',
      path: '/api/maps/{id}/members',
      operationId: 'listMembers',
      summary: 'Members (and, for the owner, pending invitations)',
      access: 'read',
      responses: { '200': { description: 'The members', schema: MemberList } },
    },
    {
      method: 'post',
      path: '/api/maps/{id}/members',
      operationId: 'inviteMember',
      summary: 'Invite someone by email — owner only',
      description: 'Always an invitation, whether or not the address has an account: the person accepts it with their confirmed address (POST /api/invitations/accept).',
      access: 'change',
      body: jsonBody(AddMemberInput, { email: 'The address to invite', role: 'The role they get on accepting' }),
      responses: { '201': { description: 'Invited', schema: InviteAnswer } },
      errors: { '409': 'That person is a member already, or owns the map' },
    },
    {
      method: 'patch',
      path: '/api/maps/{id}/members',
      operationId: 'changeMember',
      summary: 'Change a member’s role (owner transfers ownership) — owner only',
      access: 'change',
      body: jsonBody(ChangeMemberInput, { email: 'The member’s (or the invited) address', role: '"owner" transfers ownership; the former owner becomes an editor' }),
      responses: { '200': { description: 'The role now', schema: MemberRoleAnswer } },
      errors: { '404': 'No such map, or that address is no member of it', '409': 'You own the map: transfer ownership to someone else first' },
    },
    {
      method: 'delete',
      path: '/api/maps/{id}/members',
      operationId: 'removeMember',
      summary: 'Remove a member or revoke an invitation — owner only',
      access: 'change',
      body: jsonBody(RemoveMemberInput, { email: 'The member’s (or the invited) address' }),
      responses: { '200': { description: 'Removed', schema: MemberRemoved } },
      errors: { '404': 'No such map, or that address is no member of it', '409': 'The owner cannot be removed: transfer ownership first' },
    },
    {
      method: 'post',
      path: '/api/maps/{id}/collab-token',
      operationId: 'issueCollabToken',
      summary: 'A collaboration token for the websocket',
      description: 'Minting changes nothing: a read-only access token gets a viewer’s token.',
      access: 'read',
      responses: { '200': { description: 'The token', schema: CollabToken } },
      errors: { '404': 'No such map, or you are not a member of it; a former member learns why in `details`: { access: "removed" | "deleted", by, at }' },
    },
    {
      method: 'get',
      path: '/api/maps/{id}/annotations',
      operationId: 'getAnnotations',
      summary: 'The map’s annotations with its measured figures, and the outcomes of done actions',
      description: '`annotateMap` of the stored documents with the stored measured figures (all months) and the period (the latest stored month when left out), and `outcomes`: `actionOutcomes` of the done actions.',
      access: 'read',
      query: [{ name: 'period', in: 'query', required: false, description: 'The month the measured figures are for; the latest stored when left out', schema: PERIOD_JSON_SCHEMA }],
      responses: { '200': { description: 'The annotations', schema: Annotations } },
      errors: { '400': 'period is not a month as YYYY-MM', '409': DAMAGED },
    },
    {
      method: 'put',
      path: '/api/maps/{id}/metrics',
      operationId: 'pushMetrics',
      summary: 'Push a month of measured figures (editor, owner)',
      description: `Each named touchpoint’s row for the month is replaced whole, in one transaction. Any bad row → 400 with \`details: [{ row, message }]\` for each (\`{ path: "period", message }\` for a bad month) and nothing stored. At most ${MAX_ROWS_PER_PUSH.toLocaleString('en')} rows and ${mib(MAX_METRICS_BODY_BYTES)} a push.`,
      access: 'metrics-change',
      body: jsonBody(MetricsPush, {
        period: PERIOD_JSON_SCHEMA,
        rows: 'A row a touchpoint, named by externalKey or touchpointId (exactly one), with at least one figure',
      }),
      responses: { '200': { description: 'Stored', schema: PushAnswer } },
      errors: { '400': 'The push is not valid: `details` names every bad row ({ row, message }) and a bad period ({ path: "period", message }); nothing was stored', '409': `A merged workshop copy is read-only; or: ${DAMAGED}` },
    },
    {
      method: 'get',
      path: '/api/maps/{id}/metrics',
      operationId: 'listMetrics',
      summary: 'The stored rows of measured figures',
      description: 'Both ends inclusive and optional (any member; also a `metrics` token).',
      access: 'metrics-read',
      query: [
        { name: 'from', in: 'query', required: false, description: 'The first month', schema: PERIOD_JSON_SCHEMA },
        { name: 'to', in: 'query', required: false, description: 'The last month', schema: PERIOD_JSON_SCHEMA },
      ],
      responses: { '200': { description: 'The rows, by period then touchpoint', schema: MetricsRows } },
      errors: { '400': 'from or to is not a month as YYYY-MM', '409': DAMAGED },
    },
    {
      method: 'delete',
      path: '/api/maps/{id}/metrics/{period}',
      operationId: 'deleteMetricsPeriod',
      summary: 'Remove a month of measured figures (editor, owner)',
      access: 'metrics-change',
      responses: { '200': { description: 'Removed', schema: MetricsDeleted } },
      errors: { '400': 'The period is not a month as YYYY-MM', '409': `A merged workshop copy is read-only; or: ${DAMAGED}` },
    },
    {
      method: 'get',
      path: '/api/maps/{id}/export',
      operationId: 'exportMap',
      summary: 'The map as a file (any member), named after its title',
      description: '`comments=0` leaves the discussion (comments, dots) out.',
      access: 'read',
      query: [
        { name: 'format', in: 'query', required: true, description: `One of ${list(EXPORT_FORMATS)}`, schema: { type: 'string', enum: [...EXPORT_FORMATS] } },
        { name: 'comments', in: 'query', required: false, description: '0 leaves the discussion out; 1 (the default) keeps it', schema: { type: 'string', enum: ['0', '1'] } },
      ],
      responses: {
        '200': {
          description: `The file: ${list(EXPORT_FORMATS.map((format) => `${format} as ${mediaTypeOf(format)}`))}`,
          content: fileContent(EXPORT_FORMATS, 'The whole map and its discussion, as POST /api/maps/import?format=json reads it'),
          headers: {
            'Content-Disposition': {
              description: 'attachment; filename="…" (ASCII) and filename*=UTF-8\'\'… (RFC 6266, 5987): the map’s title, its letters and digits kept, with the format’s extension',
              schema: { type: 'string' },
            },
          },
        },
      },
      errors: { '400': `format is not one of ${list(EXPORT_FORMATS)}, or comments is not 0 or 1`, '409': DAMAGED, '429': 'Too many PDF reports and Excel workbooks from this account in a short time (60 in 10 minutes)' },
    },
    {
      method: 'post',
      path: '/api/maps/import',
      operationId: 'importMap',
      summary: 'Import a file as a new map of yours',
      description: `The file is the body; its format is the \`format\` parameter’s (the Content-Type is not read), UTF-8 text only. A bad file makes no map: 400 with every problem, at most 100 (JSON: \`{ path, message }\`). Over ${mib(MAX_IMPORT_BODY_BYTES)}: 413, before the body is read whole. With the session cookie, from the app’s own pages only.`,
      access: 'change',
      query: [
        { name: 'format', in: 'query', required: true, description: `One of ${list(IMPORT_FORMATS)}`, schema: { type: 'string', enum: [...IMPORT_FORMATS] } },
        { name: 'title', in: 'query', required: false, description: 'The new map’s title; the file’s own (or "Imported journey" for a CSV) when left out', schema: inputJsonSchema(ImportTitleSchema) },
        {
          name: 'mapping',
          in: 'query',
          required: false,
          description: `CSV only: which column holds each field, \`{ "label": "Column name", "owner": null, … }\` (null: none); the fields are ${list(IMPORTED_FIELDS)}`,
          content: jsonContent(inputJsonSchema(ColumnMapping)),
        },
      ],
      body: {
        kind: 'file',
        request: { description: `The file, up to ${mib(MAX_IMPORT_BODY_BYTES)}`, required: true, content: fileContent(IMPORT_FORMATS, 'A map exported as JSON (GET /api/maps/{id}/export?format=json)') },
      },
      responses: { '201': { description: 'The new map (you own it)', schema: MapSummarySchema } },
      errors: { '400': 'The file or a parameter is not valid: `details` lists every problem, [{ row, message }] (JSON files: { path, message }); no map was made', '429': 'Too many imports from this account in a short time (30 in 10 minutes)' },
    },
    {
      method: 'get',
      path: '/api/maps/{id}/audit',
      operationId: 'readAudit',
      summary: 'Membership and ownership changes — owner only',
      access: 'read',
      responses: { '200': { description: 'The audit log', schema: AuditLog } },
    },
    {
      method: 'post',
      path: '/api/maps/{id}/master',
      operationId: 'setMaster',
      summary: 'Mark a map as a master (owner)',
      access: 'change',
      body: jsonBody(SetMasterInput, { master: 'true: a master, which can have workshop copies; false: a map like any other' }),
      responses: { '200': { description: 'Marked', schema: MasterFlag } },
      errors: { '409': 'A workshop copy cannot be a master' },
    },
    {
      method: 'get',
      path: '/api/maps/{id}/workshops',
      operationId: 'listWorkshops',
      summary: 'A master’s workshop copies',
      description: 'A copy that cannot be read is listed with `damaged: true` and its counts null.',
      access: 'read',
      responses: { '200': { description: 'The copies, newest first', schema: WorkshopList } },
    },
    {
      method: 'post',
      path: '/api/maps/{id}/workshops',
      operationId: 'startWorkshop',
      summary: 'Start a workshop copy (editor of the master)',
      description: 'The new map has the master’s members; its comments only with `withComments: true`. The body may be left out.',
      access: 'change',
      body: jsonBody(StartWorkshopInput, { title: 'The copy’s name; "<master> — workshop <date>" when left out', withComments: 'Copy the master’s comments too' }, { required: false }),
      responses: { '201': { description: 'The new workshop copy', schema: MapSummarySchema } },
      errors: { '409': `Only a master map has workshop copies; or: ${DAMAGED}` },
    },
    {
      method: 'get',
      path: '/api/maps/{id}/diff',
      operationId: 'diffWorkshop',
      summary: 'A copy against its master',
      access: 'read',
      pathNotes: { id: 'The workshop copy’s id' },
      responses: { '200': { description: 'The changes and the three plain maps', schema: WorkshopDiff } },
      errors: { '404': 'No such map, not a member of it, or not a workshop copy', '409': `The master was deleted; or: ${DAMAGED}` },
    },
    {
      method: 'post',
      path: '/api/maps/{id}/merge',
      operationId: 'mergeWorkshop',
      summary: 'Merge chosen copy changes into the master (rights checked on the master)',
      description: 'An automatic version of the master is kept first.',
      access: 'change',
      pathNotes: { id: 'The workshop copy’s id' },
      body: jsonBody(MergeInput, { changes: 'The ids of the copy’s changes to merge (from GET …/diff)', resolutions: 'For each chosen conflict, which side wins' }),
      responses: { '200': { description: 'Merged', schema: MergeResult } },
      errors: { '400': 'The input is not valid, a change id is unknown or of the master, or a chosen conflict has no resolution', '404': 'No such map, not a member of it, or not a workshop copy', '409': 'The copy was merged already, or its master was deleted' },
    },
    {
      method: 'post',
      path: '/api/maps/{id}/refresh',
      operationId: 'refreshWorkshop',
      summary: 'Pull the master’s changes into the copy',
      description: 'Without `changes`, every change of the master that is not a conflict. The body may be left out.',
      access: 'change',
      pathNotes: { id: 'The workshop copy’s id' },
      body: jsonBody(RefreshInput, { changes: 'The ids of the master’s changes to pull', resolutions: 'For each chosen conflict, which side wins' }, { required: false }),
      responses: { '200': { description: 'Pulled', schema: RefreshResult } },
      errors: { '404': 'No such map, not a member of it, or not a workshop copy', '409': 'The copy was merged already, or its master was deleted' },
    },
    {
      method: 'get',
      path: '/api/maps/{id}/versions',
      operationId: 'listVersions',
      summary: 'Version history: list',
      access: 'read',
      responses: { '200': { description: 'The saved and automatic versions', schema: VersionList } },
    },
    {
      method: 'post',
      path: '/api/maps/{id}/versions',
      operationId: 'saveVersion',
      summary: 'Version history: save (editor, owner)',
      access: 'change',
      body: jsonBody(SaveVersionInput, { name: 'The version’s name' }),
      responses: { '201': { description: 'The saved version', schema: Version } },
      errors: { '409': DAMAGED },
    },
    {
      method: 'get',
      path: '/api/maps/{id}/versions/{vid}',
      operationId: 'getVersion',
      summary: 'Version history: read (with the changes since)',
      access: 'read',
      responses: { '200': { description: 'The version', schema: VersionView } },
      errors: { '404': 'No such map, not a member of it, or no such version of it' },
    },
    {
      method: 'post',
      path: '/api/maps/{id}/versions/{vid}/restore',
      operationId: 'restoreVersion',
      summary: 'Version history: restore (editor, owner)',
      description: 'On a damaged map, restoring is the owner’s and replaces what cannot be read (`repaired` names those documents).',
      access: 'change',
      responses: { '200': { description: 'Restored', schema: RestoreResult } },
      errors: { '403': 'Signed in but not allowed (the role, the token’s scope, or a change from another site); or the map is damaged and only its owner can restore it', '404': 'No such map, not a member of it, or no such version of it', '409': 'A merged workshop copy is read-only, or the change cannot be applied' },
    },

    // Invitations, sign-up, email
    {
      method: 'post',
      path: '/api/invitations/accept',
      operationId: 'acceptInvitation',
      summary: 'Accept an invitation',
      description: 'Signed in with the invited, confirmed address. The token is the last part of the invitation’s link.',
      access: 'change',
      body: jsonBody(TokenInput, { token: 'The last part of the invitation’s link' }),
      responses: { '200': { description: 'You are a member now', schema: AcceptedInvitation } },
      errors: { '403': 'Sent to another address, or your address is not confirmed yet', '404': 'Not a link of this app', '410': 'The invitation was used, revoked, replaced or has expired' },
    },
    {
      method: 'post',
      path: '/api/signup',
      operationId: 'signUp',
      summary: 'Create an account',
      description:
        'When SIGNUP lets this address sign up; a link that confirms the address is mailed. An email that already has an account gets the same answer as a new one, so that sign-up does not tell who has an account.',
      access: 'public',
      body: jsonBody(SignUpInput, { email: 'Your address', name: 'Your name, as others see it', password: '8 to 200 characters' }),
      responses: { '202': { description: 'Account ready (or the address had one): sign in', schema: Message } },
      errors: { '403': 'Sign-up is off, or not open to this address', '429': true },
    },
    {
      method: 'post',
      path: '/api/verify-email',
      operationId: 'verifyEmail',
      summary: 'Confirm an address from its link (no session needed)',
      access: 'public',
      body: jsonBody(TokenInput, { token: 'The last part of the confirmation link' }),
      responses: { '200': { description: 'Confirmed', schema: ConfirmedEmail } },
      errors: { '400': 'The input is not valid, or the link is forged or expired' },
    },
    {
      method: 'post',
      path: '/api/verify-email/resend',
      operationId: 'resendConfirmation',
      summary: 'Mail yourself a new confirmation link',
      access: 'change',
      responses: { '202': { description: 'Sent (or logged for the operator, without SMTP)', schema: Message } },
      errors: { '409': 'Your address is confirmed already', '429': 'Too many asked for: a few an hour' },
    },

    // Tokens and the account
    {
      method: 'get',
      path: '/api/tokens',
      operationId: 'listTokens',
      summary: 'Your personal access tokens',
      access: 'read',
      responses: { '200': { description: 'Your tokens, newest first, without their secrets', schema: TokenList } },
    },
    {
      method: 'post',
      path: '/api/tokens',
      operationId: 'createToken',
      summary: 'Make a personal access token (the session only: a token never makes tokens)',
      access: 'session',
      body: jsonBody(CreateTokenInput, { name: 'To tell your tokens apart', scope: 'read: GET only; write: what you can do; metrics: measured figures only', expiresInDays: 'Days until it stops working' }),
      responses: { '201': { description: 'The token, shown this once', schema: CreatedToken } },
    },
    {
      method: 'delete',
      path: '/api/tokens/{id}',
      operationId: 'revokeToken',
      summary: 'Revoke a personal access token',
      access: 'change',
      pathNotes: { id: 'The token’s id (not its secret)' },
      responses: { '204': { description: 'Revoked' } },
      errors: { '404': 'No token of yours with this id', '409': 'The token is revoked already' },
    },
    {
      method: 'get',
      path: '/api/account',
      operationId: 'readAccount',
      summary: 'Your account',
      access: 'read',
      responses: { '200': { description: 'The account', schema: Account } },
    },
    {
      method: 'post',
      path: '/api/account/password',
      operationId: 'changePassword',
      summary: 'Change the password (session only)',
      description: 'Every other session ends; this one is renewed (a new session cookie).',
      access: 'session',
      body: jsonBody(ChangePasswordInput, { currentPassword: 'The password you have', newPassword: '8 to 200 characters' }),
      responses: { '200': { description: 'Changed', schema: Message } },
      errors: { '400': 'The input is not valid, the current password is wrong, or the new one is the same', '409': 'A single sign-on account has no password here', '429': 'Too many wrong passwords: wait 15 minutes' },
    },
    {
      method: 'delete',
      path: '/api/account/sessions',
      operationId: 'signOutEverywhere',
      summary: 'Sign out everywhere (session only)',
      description: 'Every session of the account ends, this one too; access tokens stay.',
      access: 'session',
      responses: { '204': { description: 'Signed out' } },
    },

    // Across maps
    {
      method: 'get',
      path: '/api/portfolio',
      operationId: 'portfolio',
      summary: 'Every map you are a member of as a portfolio row',
      description: 'Anything but a known column and direction reads as the default.',
      access: 'read',
      query: sortParameters(PORTFOLIO_COLUMNS, 'title'),
      responses: { '200': { description: 'The portfolio', schema: Portfolio } },
    },
    {
      method: 'get',
      path: '/api/teams',
      operationId: 'teams',
      summary: 'The teams named on your maps',
      description: 'Each with the stages it is accountable for, the touchpoints it owns, the stages it shares, pain, contacts and actions; `nobody` (what no team answers for) and the maps that cannot be read.',
      access: 'read',
      query: sortParameters(TEAM_COLUMNS, 'pain'),
      responses: { '200': { description: 'The teams', schema: Teams } },
    },
    {
      method: 'get',
      path: '/api/notifications',
      operationId: 'listNotifications',
      summary: 'Your own notifications, newest first, and `unread`',
      access: 'read',
      responses: { '200': { description: 'Your notifications', schema: Notifications } },
    },
    {
      method: 'post',
      path: '/api/notifications/read',
      operationId: 'markNotificationsRead',
      summary: 'Mark your own notifications read',
      access: 'change',
      body: jsonBody(MarkReadInput, { ids: 'The notifications to mark read (ids of someone else’s change nothing)', all: 'true: all of them' }, { description: '{ ids: [ … ] } or { all: true }' }),
      responses: { '200': { description: 'Marked', schema: NotificationsRead } },
    },

    // next-auth (only what a script needs to sign in with a password)
    {
      method: 'get',
      path: '/api/auth/csrf',
      operationId: 'csrfToken',
      summary: 'The CSRF token for signing in (next-auth)',
      description: 'Also sets the next-auth.csrf-token cookie, which the sign-in must send back.',
      access: 'public',
      responses: { '200': { description: 'The token', schema: CsrfToken } },
    },
    {
      method: 'post',
      path: '/api/auth/callback/credentials',
      operationId: 'signIn',
      summary: 'Sign in with email and password (next-auth)',
      description:
        'A form post, with the CSRF token and cookie of GET /api/auth/csrf. With `json=true` next-auth answers 200 `{ url }` whether or not the sign-in succeeded: a success sets the session cookie (next-auth.session-token), a failure names the reason in the url’s `error` query parameter. Repeated failures are refused for a while. Scripts are better served by a personal access token.',
      access: 'public',
      body: {
        kind: 'form',
        request: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': {
              schema: {
                type: 'object',
                properties: {
                  csrfToken: { type: 'string', description: 'From GET /api/auth/csrf' },
                  email: { type: 'string', description: 'The account’s address' },
                  password: { type: 'string', description: 'Its password' },
                  callbackUrl: { type: 'string', description: 'A path of the app to go to after' },
                  json: { type: 'string', enum: ['true'], description: 'Answer with JSON instead of a redirect' },
                },
                required: ['csrfToken', 'email', 'password'],
              },
            },
          },
        },
      },
      responses: { '200': { description: 'Where to go next; the session cookie is set when the sign-in succeeded', schema: SignInAnswer } },
      errors: { '400': 'A JSON body that is not an object' },
    },

    // Served by server/index.ts itself (they answer with WEB=off too), not by a route file
    {
      method: 'get',
      path: '/api/health',
      operationId: 'health',
      summary: 'Whether this process is up, and what it runs on',
      access: 'public',
      responses: { '200': { description: 'Up', schema: Health } },
    },
    {
      method: 'get',
      path: '/api/metrics',
      operationId: 'prometheusMetrics',
      summary: 'Prometheus metrics: connections, loaded documents, store and fan-out timings',
      access: 'operator',
      responses: { '200': { description: 'The metrics in Prometheus’s text format', content: { 'text/plain': { schema: { type: 'string' } } } } },
      errors: { '401': 'METRICS_TOKEN is set and the request does not carry it' },
    },

    // This document
    {
      method: 'get',
      path: '/api/openapi.json',
      operationId: 'openApiDocument',
      summary: 'This OpenAPI 3.1 document',
      access: 'public',
      responses: { '200': { description: 'The document', schema: OpenApiJson } },
    },
  ];
}

// ————— The document —————

const TAG_DESCRIPTIONS: Record<string, string> = {
  maps: 'Journey maps: create, read, rename, delete; members; the collaboration token; annotations and measured figures; files in and out; workshops, merges and versions.',
  invitations: 'Accepting an invitation to a map.',
  signup: 'Creating an account.',
  'verify-email': 'Confirming an email address.',
  tokens: 'Personal access tokens (`Authorization: Bearer jhp_…`).',
  account: 'The signed-in person’s own account: changes need the session itself.',
  portfolio: 'Across maps: every map as a portfolio row.',
  teams: 'Across maps: the teams named on them.',
  notifications: 'Mentions of you in comments.',
  auth: 'next-auth’s sign-in. Only the CSRF token and the email-and-password sign-in are described; next-auth’s other routes under /api/auth (sign-out, session, providers, single sign-on) are its own.',
  'openapi.json': 'This document.',
  health: 'For load balancers and monitoring: served by the server itself, also with WEB=off.',
  metrics: 'For Prometheus: served by the server itself, also with WEB=off.',
};

/** The first path segment after /api: how the operations are grouped. */
/** `sort` and `dir` of a sortable list (the portfolio, the teams). */
function sortParameters(columns: readonly string[], fallback: string): ParameterObject[] {
  return [
    { name: 'sort', in: 'query', required: false, description: 'The column to sort by', schema: { type: 'string', enum: [...columns], default: fallback } },
    { name: 'dir', in: 'query', required: false, description: 'The direction; each column’s own first when left out', schema: { type: 'string', enum: ['asc', 'desc'] } },
  ];
}

export const groupOf = (path: string): string => path.split('/')[2] ?? '';

const pathParameterNames = (path: string): string[] => [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? '');

function errorStatuses(spec: OperationSpec): Map<ErrorStatus, true | string> {
  const statuses = new Map<ErrorStatus, true | string>();
  const authed = spec.access !== 'public' && spec.access !== 'operator';
  const body = spec.body?.kind ?? 'none';
  if (body === 'json' || body === 'file' || spec.query?.some((parameter) => parameter.required)) statuses.set('400', true);
  if (authed) statuses.set('401', true);
  if (authed) statuses.set('403', true);
  if (spec.path.startsWith('/api/maps/{id}')) statuses.set('404', NO_MAP);
  if (body !== 'none') statuses.set('413', true);
  // A change with the session cookie must declare JSON, if it declares anything; a file upload need not.
  if ((authed && spec.method !== 'get' && body !== 'file') || body === 'json') statuses.set('415', true);
  for (const [status, note] of Object.entries(spec.errors ?? {}) as Array<[ErrorStatus, true | string]>) statuses.set(status, note);
  statuses.set('500', true);
  return statuses;
}

function toOperation(spec: OperationSpec): OperationObject {
  const pathParameters: ParameterObject[] = pathParameterNames(spec.path).map((name) => ({
    name,
    in: 'path',
    required: true,
    description: spec.pathNotes?.[name] ?? PATH_PARAMETER_NOTES[name] ?? name,
    schema: name === 'period' ? PERIOD_JSON_SCHEMA : { type: 'string', minLength: 1 },
  }));
  const parameters = [...pathParameters, ...(spec.query ?? [])];
  const responses: Record<string, ResponseObject | ReferenceObject> = {};
  for (const [status, success] of Object.entries(spec.responses)) {
    const content = success.content ?? (success.schema ? jsonContent(ref(success.schema)) : undefined);
    responses[status] = { description: success.description, ...(success.headers ? { headers: success.headers } : {}), ...(content ? { content } : {}) };
  }
  for (const [status, note] of [...errorStatuses(spec)].sort(([a], [b]) => a.localeCompare(b))) {
    const [name] = ERROR_RESPONSES[status];
    responses[status] = { $ref: `#/components/responses/${name}`, ...(note === true ? {} : { description: note }) };
  }
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    description: [spec.description, ACCESS_WORDS[spec.access]].filter(Boolean).join('\n\n'),
    tags: [groupOf(spec.path)],
    security: SECURITY[spec.access],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(spec.body ? { requestBody: spec.body.request } : {}),
    responses,
  };
}

function componentSchemas(): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-2020-12', uri: (id) => `${SCHEMA_REF}${id}` }) as { schemas: Record<string, object> };
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, bare(schema)]));
}

const DESCRIPTION = [
  'The HTTP API of JourneyHub: real-time collaborative customer-journey maps with the contact center as the hub.',
  'JSON in and out. Every error is `{ "error": "a sentence", "details"?: … }` (the Error schema) with 400, 401, 403, 404, 409, 410, 413, 415, 429 or 500.',
  'Authenticate with the session cookie of a browser that signed in, or a personal access token: `Authorization: Bearer jhp_…` (made under Settings → Access tokens, POST /api/tokens or the CLI; shown once). A token has a scope: `read` answers GET only; `write` does what its person can; `metrics` may only read, push and delete measured figures (/api/maps/{id}/metrics…). Changes with the session cookie must come from the app’s own pages with a JSON body; tokens are not bound to an origin.',
  `Bodies: at most ${mib(MAX_JSON_BODY_BYTES)} of JSON; a push of measured figures ${mib(MAX_METRICS_BODY_BYTES)}; an imported file ${mib(MAX_IMPORT_BODY_BYTES)}.`,
  'next-auth’s own routes under /api/auth are left out but for the CSRF token and the email-and-password sign-in; the collaboration websocket (/collab) is no HTTP route.',
].join('\n\n');

/** The OpenAPI 3.1 document of every route under app/api, for the app at `version`. */
export function openApiDocument(version: string): OpenApiDocument {
  const paths: Record<string, PathItemObject> = {};
  const all = operations();
  for (const spec of all) (paths[spec.path] ??= {})[spec.method] = toOperation(spec);
  const groups = [...new Set(all.map((spec) => groupOf(spec.path)))];
  return {
    openapi: '3.1.0',
    info: { title: 'JourneyHub API', version, description: DESCRIPTION },
    servers: [{ url: '/', description: 'This server' }],
    tags: groups.map((name) => ({ name, description: TAG_DESCRIPTIONS[name] ?? name })),
    paths,
    components: {
      schemas: componentSchemas(),
      responses: Object.fromEntries(Object.values(ERROR_RESPONSES).map(([name, description]) => [name, { description, content: jsonContent(ref(ErrorSchema)) }])),
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'jhp_…',
          description: 'A personal access token, `Authorization: Bearer jhp_…`. The names in a requirement are the token scopes that may call the route: read, write, metrics.',
        },
        metricsToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The operator’s METRICS_TOKEN (an environment variable, 16 characters or more), for GET /api/metrics only; unset, that route is open.',
        },
        cookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'next-auth.session-token',
          description: 'The session cookie of a signed-in browser (`__Secure-next-auth.session-token` over HTTPS): a next-auth JWT, a week long.',
        },
      },
    },
  };
}

// ————— For tests and tools —————

export interface ListedOperation {
  method: HttpMethod;
  path: string;
  operation: OperationObject;
}

/** Every operation of a document, in its order. */
export function listOperations(doc: OpenApiDocument): ListedOperation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    HTTP_METHODS.flatMap((method) => {
      const operation = item[method];
      return operation ? [{ method, path, operation }] : [];
    }),
  );
}

/** A response as it stands, its `$ref` (to components.responses) followed; the reference's own description wins. */
export function resolveResponse(doc: OpenApiDocument, response: ResponseObject | ReferenceObject): ResponseObject | null {
  if (!('$ref' in response)) return response;
  const name = response.$ref.startsWith('#/components/responses/') ? response.$ref.slice('#/components/responses/'.length) : null;
  const target = name === null ? undefined : doc.components.responses[name];
  if (!target) return null;
  return { ...target, ...(response.description ? { description: response.description } : {}) };
}

let cached: OpenApiDocument | null = null;
const documentForChecks = (): OpenApiDocument => (cached ??= openApiDocument('0.0.0'));

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, key === '$ref' && typeof inner === 'string' && inner.startsWith(SCHEMA_REF) ? `#/$defs/${inner.slice(SCHEMA_REF.length)}` : rewriteRefs(inner)]),
  );
}

/**
 * The JSON Schema (draft 2020-12, self-contained: the named schemas under
 * `$defs`) of the JSON body of a response, e.g. `responseSchema('get',
 * '/api/maps/{id}', 200)`; null when the operation has no such response or
 * it is not JSON (a 204, a CSV file). `path` is the template, as in the document.
 */
export function responseSchema(method: HttpMethod, path: string, status: number | string): JsonSchema | null {
  const doc = documentForChecks();
  const response = doc.paths[path]?.[method]?.responses[String(status)];
  const schema = response ? resolveResponse(doc, response)?.content?.['application/json']?.schema : undefined;
  if (!schema) return null;
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', ...(rewriteRefs(schema) as JsonSchema), $defs: rewriteRefs(doc.components.schemas) };
}

/**
 * The zod schema a response's JSON body must match (the one the document's
 * schema was made from), e.g. `responseValidator('post', '/api/maps', 201)?.parse(body)`;
 * null as for responseSchema. Objects are strict: a field the document does not name fails.
 */
export function responseValidator(method: HttpMethod, path: string, status: number | string): z.ZodType | null {
  const spec = operations().find((candidate) => candidate.method === method && candidate.path === path);
  if (!spec) return null;
  const key = String(status);
  const success = spec.responses[key];
  if (success?.schema) return success.schema;
  if (success) {
    // A file whose one JSON form is described in the document alone (the export as JSON).
    const schema = responseSchema(method, path, status);
    return schema ? z.fromJSONSchema(schema) : null;
  }
  return errorStatuses(spec).has(key as ErrorStatus) ? ErrorSchema : null;
}

/** The path template of a concrete path, e.g. `/api/maps/abc/versions/v1` → `/api/maps/{id}/versions/{vid}`; null when no route has it. */
export function pathTemplateOf(concretePath: string): string | null {
  const parts = concretePath.split('?')[0]?.split('/') ?? [];
  const templates = Object.keys(documentForChecks().paths);
  // Literal segments win over parameters (/api/maps/import is not /api/maps/{id}).
  const matches = templates.filter((template) => {
    const segments = template.split('/');
    return segments.length === parts.length && segments.every((segment, index) => segment.startsWith('{') || segment === parts[index]);
  });
  const literals = (template: string): number => template.split('/').filter((segment) => !segment.startsWith('{')).length;
  return matches.sort((a, b) => literals(b) - literals(a))[0] ?? null;
}
