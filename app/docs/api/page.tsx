import type { Metadata } from 'next';
import { Fragment, type ReactNode } from 'react';
import { AppBar } from '@/components/ui/page-header';
import {
  groupOf,
  listOperations,
  openApiDocument,
  resolveResponse,
  type HttpMethod,
  type JsonSchema,
  type ListedOperation,
  type OpenApiDocument,
  type ParameterObject,
  type SecurityRequirement,
} from '@/lib/http/openapi';
import { getAppContext } from '@/server/app-context';
import { currentActor } from '@/server/auth/request-actor';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'HTTP API' };

/**
 * The OpenAPI document (lib/http/openapi.ts) for people: every operation by
 * its first path segment, with who may call it, its parameters, the fields of
 * its body and its answers; the named schemas at the end. Public: the API is
 * no secret, and a script's author need not be signed in to read about it.
 */
export default async function ApiDocsPage() {
  const doc = openApiDocument(getAppContext().version);
  const user = await currentActor(null).catch(() => null);
  const groups = new Map<string, ListedOperation[]>();
  for (const listed of listOperations(doc)) {
    const group = groupOf(listed.path);
    groups.set(group, [...(groups.get(group) ?? []), listed]);
  }
  const tags = new Map(doc.tags.map((tag) => [tag.name, tag.description]));

  return (
    <>
      <AppBar user={user} />
      <main className="mx-auto max-w-6xl px-6 py-8">
        <div className="space-y-3">
          <h1 className="text-2xl font-semibold text-slate-900">HTTP API</h1>
          <p className="text-sm text-slate-600">
            {doc.info.title} {doc.info.version} · OpenAPI {doc.openapi} ·{' '}
            <a href="/api/openapi.json" className="font-medium text-indigo-700 hover:underline" data-testid="openapi-json-link">
              /api/openapi.json
            </a>{' '}
            for tools (client generators, Swagger UI, Postman)
          </p>
          <Prose text={doc.info.description} />
        </div>

        <div className="mt-8 grid gap-8 lg:grid-cols-[12rem_minmax(0,1fr)]">
          <nav aria-label="API sections" className="text-sm lg:sticky lg:top-6 lg:self-start">
            <ul className="space-y-1">
              {[...groups].map(([group, operations]) => (
                <li key={group}>
                  <a href={`#group-${group}`} className="flex justify-between gap-2 rounded px-2 py-1 text-slate-700 hover:bg-slate-100 hover:text-slate-900">
                    <span className="font-mono">/api/{group}</span>
                    <span className="text-slate-400">{operations.length}</span>
                  </a>
                </li>
              ))}
              <li>
                <a href="#errors" className="block rounded px-2 py-1 text-slate-700 hover:bg-slate-100 hover:text-slate-900">
                  Errors
                </a>
              </li>
              <li>
                <a href="#schemas" className="block rounded px-2 py-1 text-slate-700 hover:bg-slate-100 hover:text-slate-900">
                  Schemas
                </a>
              </li>
              <li>
                <a href="#authentication" className="block rounded px-2 py-1 text-slate-700 hover:bg-slate-100 hover:text-slate-900">
                  Authentication
                </a>
              </li>
            </ul>
          </nav>

          <div className="min-w-0 space-y-10">
            {[...groups].map(([group, operations]) => (
              <section key={group} id={`group-${group}`} aria-labelledby={`group-${group}-title`} className="scroll-mt-6 space-y-4">
                <div>
                  <h2 id={`group-${group}-title`} className="font-mono text-lg font-semibold text-slate-900">
                    /api/{group}
                  </h2>
                  {tags.get(group) ? <Prose text={tags.get(group) ?? ''} /> : null}
                </div>
                {operations.map((listed) => (
                  <Operation key={`${listed.method} ${listed.path}`} doc={doc} listed={listed} />
                ))}
              </section>
            ))}

            <section id="errors" aria-labelledby="errors-title" className="scroll-mt-6 space-y-3">
              <h2 id="errors-title" className="text-lg font-semibold text-slate-900">
                Errors
              </h2>
              <p className="text-sm text-slate-600">
                Every error answer is an{' '}
                <a href="#schema-Error" className="font-mono text-indigo-700 hover:underline">
                  Error
                </a>
                : <code className="font-mono text-xs">{'{ error, details? }'}</code>. What each status means, unless an operation says more:
              </p>
              <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
                <Table head={['status', '', '']}>
                  {Object.entries(doc.components.responses).map(([name, response]) => (
                    <tr key={name}>
                      <td className="w-px py-1 pr-4">
                        <StatusBadge status={statusOf(doc, name)} />
                      </td>
                      <Cell narrow>{words(name)}</Cell>
                      <Cell>
                        <Inline text={response.description} />
                      </Cell>
                    </tr>
                  ))}
                </Table>
              </div>
            </section>

            <section id="schemas" aria-labelledby="schemas-title" className="scroll-mt-6 space-y-4">
              <h2 id="schemas-title" className="text-lg font-semibold text-slate-900">
                Schemas
              </h2>
              <p className="text-sm text-slate-600">The bodies the operations answer with, by name.</p>
              {Object.entries(doc.components.schemas).map(([name, schema]) => (
                <div key={name} id={`schema-${name}`} className="scroll-mt-6 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
                  <h3 className="font-mono text-sm font-semibold text-slate-900">{name}</h3>
                  {typeof schema.description === 'string' ? <p className="mt-1 text-sm text-slate-600">{schema.description}</p> : null}
                  <div className="mt-2">
                    <SchemaFields doc={doc} schema={schema} described />
                  </div>
                </div>
              ))}
            </section>

            <section id="authentication" aria-labelledby="authentication-title" className="scroll-mt-6 space-y-3">
              <h2 id="authentication-title" className="text-lg font-semibold text-slate-900">
                Authentication
              </h2>
              <dl className="space-y-3 text-sm">
                {Object.entries(doc.components.securitySchemes).map(([name, scheme]) => (
                  <div key={name} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
                    <dt className="font-mono font-semibold text-slate-900">
                      {name} <span className="font-sans font-normal text-slate-500">({scheme.type === 'http' ? `HTTP ${scheme.scheme ?? ''}` : `${scheme.in ?? ''} ${scheme.name ?? ''}`})</span>
                    </dt>
                    <dd className="mt-1 text-slate-700">
                      <Prose text={scheme.description} />
                    </dd>
                  </div>
                ))}
              </dl>
            </section>
          </div>
        </div>
      </main>
    </>
  );
}

/** The status a shared response stands for: the first operation's that refers to it. */
function statusOf(doc: OpenApiDocument, name: string): string {
  for (const { operation } of listOperations(doc)) {
    for (const [status, response] of Object.entries(operation.responses)) if ('$ref' in response && response.$ref === `#/components/responses/${name}`) return status;
  }
  return '';
}

const METHOD_STYLE: Record<HttpMethod, string> = {
  get: 'bg-emerald-100 text-emerald-800',
  post: 'bg-indigo-100 text-indigo-800',
  put: 'bg-sky-100 text-sky-800',
  patch: 'bg-amber-100 text-amber-800',
  delete: 'bg-red-100 text-red-800',
};

function Operation({ doc, listed }: { doc: OpenApiDocument; listed: ListedOperation }) {
  const { method, path, operation } = listed;
  const parameters = operation.parameters ?? [];
  const body = operation.requestBody;
  return (
    <article id={`op-${operation.operationId}`} className="scroll-mt-6 rounded-lg border border-slate-200 bg-white shadow-sm" data-testid="api-operation">
      <header className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-slate-100 px-4 py-3">
        <span className={`w-16 rounded px-2 py-0.5 text-center font-mono text-xs font-semibold uppercase ${METHOD_STYLE[method]}`}>{method}</span>
        <code className="font-mono text-sm font-semibold break-all text-slate-900">{path}</code>
        <span className="text-sm text-slate-700">{operation.summary}</span>
        <span className="ml-auto">
          <AuthBadge security={operation.security} />
        </span>
      </header>
      <div className="space-y-4 px-4 py-3 text-sm">
        {operation.description ? <Prose text={operation.description} /> : null}

        {parameters.length > 0 ? (
          <Block title="Parameters">
            <Table head={['name', 'in', 'type', '']}>
              {parameters.map((parameter) => (
                <tr key={`${parameter.in} ${parameter.name}`}>
                  <Cell mono>
                    {parameter.name}
                    {parameter.required ? <Required /> : null}
                  </Cell>
                  <Cell narrow>{parameter.in}</Cell>
                  <Cell mono>{parameterType(doc, parameter)}</Cell>
                  <Cell>
                    <Inline text={parameter.description ?? ''} />
                  </Cell>
                </tr>
              ))}
            </Table>
          </Block>
        ) : null}

        {body ? (
          <Block title={`Request body${body.required ? '' : ' (may be left out)'}`}>
            {body.description ? <p className="mb-2 text-slate-600">{body.description}</p> : null}
            {Object.entries(body.content).map(([mediaType, media]) => (
              <div key={mediaType} className="mb-2">
                <p className="mb-1 font-mono text-xs text-slate-500">{mediaType}</p>
                {media.schema ? <SchemaFields doc={doc} schema={media.schema} /> : null}
              </div>
            ))}
          </Block>
        ) : null}

        <Block title="Responses">
          <Table head={['status', '', 'body']}>
            {Object.entries(operation.responses).map(([status, raw]) => {
              const response = resolveResponse(doc, raw);
              // A shared error answer reads by its name here; its sentence is under "Errors", once.
              const shared = '$ref' in raw && !raw.description ? raw.$ref.split('/').pop() : undefined;
              const content = Object.entries(response?.content ?? {});
              const isError = content.length === 1 && content[0]?.[1].schema?.$ref === '#/components/schemas/Error';
              return (
                <tr key={status}>
                  <td className="w-px py-1 pr-4">
                    <StatusBadge status={status} />
                  </td>
                  <Cell>
                    {shared ? (
                      <a href="#errors" className="text-slate-600 hover:underline" title={response?.description}>
                        {words(shared)}
                      </a>
                    ) : (
                      <Inline text={response?.description ?? ''} />
                    )}
                    {Object.keys(response?.headers ?? {}).map((header) => (
                      <span key={header} className="ml-2 font-mono text-xs text-slate-500">
                        + header {header}
                      </span>
                    ))}
                  </Cell>
                  <Cell mono>
                    {isError ? (
                      <a href="#schema-Error" className="text-slate-400 hover:underline">
                        Error
                      </a>
                    ) : (
                      content.map(([mediaType, media]) => (
                        <div key={mediaType}>
                          {content.length > 1 || mediaType !== 'application/json' ? <span className="text-slate-500">{mediaType}: </span> : null}
                          {media.schema ? <TypeOf doc={doc} schema={media.schema} /> : null}
                        </div>
                      ))
                    )}
                  </Cell>
                </tr>
              );
            })}
          </Table>
        </Block>
      </div>
    </article>
  );
}

/** Who may call an operation, in a few words: its security requirements are alternatives. */
function AuthBadge({ security }: { security: SecurityRequirement[] }) {
  if (security.length === 0) return <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700">public</span>;
  const scopes = [...new Set(security.flatMap((requirement) => requirement.bearer ?? []))];
  const words = [
    security.some((requirement) => 'cookie' in requirement) ? (scopes.length === 0 ? 'session only' : 'session') : null,
    scopes.length > 0 ? `token: ${scopes.join(' · ')}` : null,
    ...security.flatMap((requirement) => Object.keys(requirement).filter((scheme) => scheme !== 'cookie' && scheme !== 'bearer')),
    security.some((requirement) => Object.keys(requirement).length === 0) ? 'or none' : null,
  ].filter((word): word is string => word !== null);
  return (
    <span className="rounded-full bg-violet-50 px-2 py-0.5 text-xs text-violet-800" title="Who may call this: the session cookie, a personal access token of these scopes, or what the scheme names">
      {words.join(' or ').replace(' or or none', ', or none')}
    </span>
  );
}

function StatusBadge({ status }: { status: string }) {
  const style = status.startsWith('2') ? 'bg-emerald-50 text-emerald-800' : status.startsWith('4') ? 'bg-amber-50 text-amber-800' : 'bg-red-50 text-red-800';
  return <span className={`rounded px-1.5 font-mono text-xs font-semibold ${style}`}>{status}</span>;
}

function Block({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div>
      <h4 className="mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">{title}</h4>
      {children}
    </div>
  );
}

function Table({ head, children }: { head: string[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="text-xs text-slate-500">
          <tr>
            {head.map((label, index) => (
              <th key={index} scope="col" className="py-1 pr-4 font-medium">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 align-top">{children}</tbody>
      </table>
    </div>
  );
}

/** A cell of text takes the room left; a mono one (a name, a type) only what it needs. */
function Cell({ children, mono = false, narrow = false }: { children: ReactNode; mono?: boolean; narrow?: boolean }) {
  return <td className={`py-1 pr-4 ${mono ? 'w-px font-mono text-xs whitespace-nowrap text-slate-800' : narrow ? 'w-px whitespace-nowrap text-slate-700' : 'text-slate-700'}`}>{children}</td>;
}

function Required() {
  return (
    <span className="ml-0.5 text-red-600" title="required">
      *
    </span>
  );
}

/** Text with `code` in backticks. */
function Inline({ text }: { text: string }) {
  return (
    <>
      {text.split('`').map((part, at) =>
        at % 2 === 1 ? (
          <code key={at} className="rounded bg-slate-100 px-1 font-mono text-xs text-slate-800">
            {part}
          </code>
        ) : (
          <Fragment key={at}>{part}</Fragment>
        ),
      )}
    </>
  );
}

/** Paragraphs of Inline text. */
function Prose({ text }: { text: string }) {
  return (
    <div className="space-y-2 text-sm text-slate-700">
      {text.split('\n\n').map((paragraph, index) => (
        <p key={index}>
          <Inline text={paragraph} />
        </p>
      ))}
    </div>
  );
}

/** A component's name in words: PayloadTooLarge → Payload too large. */
const words = (name: string): string => name.replace(/(?<=[a-z])(?=[A-Z])/g, ' ').replace(/ [A-Z]/g, (match) => match.toLowerCase());

// ————— JSON Schema, read for people —————

const SCHEMA_REF = '#/components/schemas/';

const isSchema = (value: unknown): value is JsonSchema => typeof value === 'object' && value !== null && !Array.isArray(value);
const schemasIn = (value: unknown): JsonSchema[] => (Array.isArray(value) ? value.filter(isSchema) : []);
const refName = (schema: JsonSchema): string | null => (typeof schema.$ref === 'string' && schema.$ref.startsWith(SCHEMA_REF) ? schema.$ref.slice(SCHEMA_REF.length) : null);

function resolved(doc: OpenApiDocument, schema: JsonSchema): JsonSchema {
  const name = refName(schema);
  return name === null ? schema : (doc.components.schemas[name] ?? schema);
}

/** A type as one reads it: `string`, `"a" | "b"`, `MapSummary[]`, `integer | null`. */
function typeText(schema: JsonSchema): string {
  const name = refName(schema);
  if (name !== null) return name;
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  if ('const' in schema) return JSON.stringify(schema.const);
  const variants = schemasIn(schema.anyOf ?? schema.oneOf);
  if (variants.length > 0) return variants.map(typeText).join(' | ');
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : typeof schema.type === 'string' ? schema.type : 'any';
  if (type === 'array' && isSchema(schema.items)) return `${typeText(schema.items)}[]`;
  if (type === 'object' && !isSchema(schema.properties) && isSchema(schema.additionalProperties) && Object.keys(schema.additionalProperties).length > 0) {
    return `{ [key]: ${typeText(schema.additionalProperties)} }`;
  }
  return type;
}

/** A type with links to the named schemas it mentions. */
function TypeOf({ doc, schema }: { doc: OpenApiDocument; schema: JsonSchema }) {
  const text = typeText(schema);
  const parts = text.split(/([A-Z][A-Za-z]+)/);
  return (
    <>
      {parts.map((part, index) =>
        part in doc.components.schemas ? (
          <a key={index} href={`#schema-${part}`} className="text-indigo-700 hover:underline">
            {part}
          </a>
        ) : (
          <Fragment key={index}>{part}</Fragment>
        ),
      )}
    </>
  );
}

/** What else the schema asks: lengths, ranges, a pattern, a default. */
function constraints(schema: JsonSchema): string {
  const num = (key: string): number | null => {
    const value = schema[key];
    // zod states the safe-integer range of every integer: that says nothing to a reader.
    return typeof value === 'number' && Math.abs(value) < Number.MAX_SAFE_INTEGER ? value : null;
  };
  const range = (low: number | null, high: number | null, unit = ''): string | null => {
    if (low !== null && high !== null) return `${low}–${high}${unit}`;
    if (low === 1 && unit === ' characters') return 'not empty';
    if (high !== null) return `at most ${high.toLocaleString('en')}${unit}`;
    if (low !== null && low !== 0) return `at least ${low}${unit}`;
    return null;
  };
  const words = [
    range(num('minLength'), num('maxLength'), ' characters'),
    range(num('minimum'), num('maximum')),
    range(num('minItems'), num('maxItems'), ' items'),
    typeof schema.pattern === 'string' && schema.pattern.length <= 40 ? `pattern ${schema.pattern}` : null,
    'default' in schema ? `default ${JSON.stringify(schema.default)}` : null,
  ];
  return words.filter((word): word is string => word !== null).join(', ');
}

/** The inline object schema a field holds (itself, or its items), whose fields are worth listing under it. */
function nestedObject(field: JsonSchema): JsonSchema | null {
  // `T | null` is an anyOf of T and null: T's fields are the ones to list.
  const variants = schemasIn(field.anyOf).filter((variant) => variant.type !== 'null');
  const single = variants.length === 1 && variants[0] ? variants[0] : field;
  const inner = isSchema(single.items) ? single.items : single;
  return refName(inner) === null && isSchema(inner.properties) && Object.keys(inner.properties).length > 0 ? inner : null;
}

/** The fields of an object schema (also behind a $ref, or each variant of anyOf), else its type. */
function SchemaFields({ doc, schema, depth = 0, described = false }: { doc: OpenApiDocument; schema: JsonSchema; depth?: number; described?: boolean }) {
  const target = resolved(doc, schema);
  const variants = schemasIn(target.anyOf ?? target.oneOf).map((variant) => resolved(doc, variant));
  if (variants.length > 0 && variants.every((variant) => isSchema(variant.properties))) {
    return (
      <div className="space-y-2">
        <p className="text-xs text-slate-500">One of:</p>
        {variants.map((variant, index) => (
          <SchemaFields key={index} doc={doc} schema={variant} depth={depth} />
        ))}
      </div>
    );
  }
  const properties = isSchema(target.properties) ? Object.entries(target.properties).filter((entry): entry is [string, JsonSchema] => isSchema(entry[1])) : [];
  if (properties.length === 0) {
    const description = described ? null : typeof schema.description === 'string' ? schema.description : typeof target.description === 'string' ? target.description : null;
    return (
      <p className="text-slate-700">
        <span className="font-mono text-xs">
          <TypeOf doc={doc} schema={schema} />
        </span>
        {description ? <span className="ml-2">{description}</span> : null}
      </p>
    );
  }
  const required = new Set(Array.isArray(target.required) ? target.required : []);
  return (
    <Table head={['field', 'type', '']}>
      {properties.map(([name, field]) => {
        const more = constraints(field);
        const nested = depth < 2 ? nestedObject(field) : null;
        return (
          <tr key={name}>
            <Cell mono>
              {name}
              {required.has(name) ? <Required /> : null}
            </Cell>
            <Cell mono>
              <TypeOf doc={doc} schema={field} />
            </Cell>
            <Cell>
              {typeof field.description === 'string' ? <Inline text={field.description} /> : null}
              {more ? <span className="ml-1 text-xs text-slate-500">({more})</span> : null}
              {nested ? (
                <div className="mt-1 border-l-2 border-slate-100 pl-3">
                  <SchemaFields doc={doc} schema={nested} depth={depth + 1} />
                </div>
              ) : null}
            </Cell>
          </tr>
        );
      })}
    </Table>
  );
}

function parameterType(doc: OpenApiDocument, parameter: ParameterObject): ReactNode {
  const json = parameter.content?.['application/json']?.schema;
  if (json) {
    return (
      <>
        JSON <TypeOf doc={doc} schema={json} />
      </>
    );
  }
  const schema = parameter.schema ?? {};
  const more = constraints(schema);
  return (
    <>
      <TypeOf doc={doc} schema={schema} />
      {more ? <span className="ml-1 font-sans text-slate-500">({more})</span> : null}
    </>
  );
}
