import { NextResponse } from 'next/server';
import { MAX_JSON_BODY_BYTES, MAX_METRICS_BODY_BYTES, bodyTooLargeMessage, crossSiteReason } from '@/lib/http/same-origin';
import { getAppContext } from '@/server/app-context';
import { isUnstorableText } from '@/server/db/postgres';
import { requireAuthenticated, type Credential } from '@/server/auth/request-actor';
import type { Actor, ServiceContext } from '@/server/services/context';
import { HTTP_STATUS, ServiceError } from '@/server/services/service-error';

/** A refusal that belongs to HTTP itself (size, media type), not to a service. */
class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Maps a thrown error to the JSON error answer `{ error, details? }`; only the unexpected is a 500. */
export function errorResponse(error: unknown): NextResponse {
  if (error instanceof HttpRefusal) return NextResponse.json({ error: error.message }, { status: error.status });
  if (error instanceof ServiceError) {
    return NextResponse.json({ error: error.message, ...(error.details === undefined ? {} : { details: error.details }) }, { status: HTTP_STATUS[error.kind] });
  }
  if (isUnstorableText(error)) return NextResponse.json({ error: 'Text may not contain the NUL character (\\u0000)' }, { status: 400 });
  getAppContext().logger.error({ err: error }, 'API request failed');
  return NextResponse.json({ error: 'Something went wrong on the server; try again' }, { status: 500 });
}

/** A declared type other than JSON is refused: an HTML form (text/plain, urlencoded) can send those across sites. */
function requireJsonType(req: Request): void {
  const type = req.headers.get('content-type');
  if (type === null) return;
  const mediaType = type.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  if (mediaType !== 'application/json') throw new HttpRefusal(415, 'Send the request body as JSON (Content-Type: application/json)');
}

/** The body as text, refused (413) past the limit: by its Content-Length first, else while it streams in, never read whole. */
export async function readLimitedText(req: Request, limit: number = MAX_JSON_BODY_BYTES): Promise<string> {
  return (await readLimitedBytes(req, limit)).toString('utf8');
}

/** The body's bytes (a file: CSV, XLSX, JSON), refused (413) as readLimitedText refuses. */
export async function readLimitedBytes(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > limit) throw new HttpRefusal(413, bodyTooLargeMessage(limit));
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw new HttpRefusal(413, bodyTooLargeMessage(limit));
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

async function parseBody(req: Request, required: boolean, limit: number = MAX_JSON_BODY_BYTES): Promise<unknown> {
  requireJsonType(req);
  const text = await readLimitedText(req, limit);
  if (text.trim() === '') {
    if (required) throw new ServiceError('bad_request', 'The request needs a JSON body');
    return {};
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ServiceError('bad_request', 'The request body is not valid JSON');
  }
}

/** The JSON body of a request, or a 400 that says what is wrong with it. */
export const readJson = (req: Request): Promise<unknown> => parseBody(req, true);

/** A JSON body that may be left out (an empty body reads as {}). */
export const readOptionalJson = (req: Request): Promise<unknown> => parseBody(req, false);

/** The body of a push of measured figures: the one route allowed more than 1 MiB (lib/http/same-origin.ts). */
export const readMetricsJson = (req: Request): Promise<unknown> => parseBody(req, true, MAX_METRICS_BODY_BYTES);

type Handler<P> = (args: { req: Request; actor: Actor; credential: Credential; services: ServiceContext; params: P }) => Promise<unknown>;

/**
 * What a route asks of the credential it is called with:
 * - `read`: any signed-in session or token (also a POST that changes nothing, such as minting a collaboration token);
 * - `change`: a session or a `write` token — the default of every method but GET, HEAD and OPTIONS;
 * - `session`: only the signed-in session: the account itself and its tokens, so that a leaked token cannot make
 *   more tokens, sign its person out or change their password;
 * - `metrics-read` / `metrics-change`: the measured figures (`/api/maps/:id/metrics…`), as `read` / `change`, and
 *   also a `metrics` token. A `metrics` token may use these routes only: everything else answers 403.
 */
export type RouteAccess = 'read' | 'change' | 'session' | 'metrics-read' | 'metrics-change';

const READ_ONLY_TOKEN = 'This access token can only read: create a token with the write scope to make changes';
const SESSION_ONLY = 'Access tokens cannot be used here: sign in to manage your account and your tokens';
const METRICS_ONLY = 'This access token can only read and push measured figures (/api/maps/:id/metrics): create a token with the read or write scope for anything else';

function requireAccess(credential: Credential, access: RouteAccess): void {
  if (credential.kind === 'session') return;
  if (access === 'session') throw new ServiceError('forbidden', SESSION_ONLY);
  const metricsRoute = access === 'metrics-read' || access === 'metrics-change';
  if (credential.scope === 'metrics') {
    if (!metricsRoute) throw new ServiceError('forbidden', METRICS_ONLY);
    return;
  }
  if (access === 'read' || access === 'metrics-read') return;
  if (credential.scope !== 'write') throw new ServiceError('forbidden', READ_ONLY_TOKEN);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A browser sends the session cookie with any site's form post; a change made
 * with the cookie must come from the app's own pages and carry JSON (which a
 * form cannot send). Personal access tokens are never sent by a browser on its own.
 */
function guardCookieChange(req: Request, body: BodyKind): void {
  if (SAFE_METHODS.has(req.method) || req.headers.has('authorization')) return;
  const appOrigins: string[] = [];
  if (process.env.NEXTAUTH_URL) {
    try {
      appOrigins.push(new URL(process.env.NEXTAUTH_URL).origin);
    } catch {
      // A malformed NEXTAUTH_URL names no origin; the Host header still does.
    }
  }
  const reason = crossSiteReason(
    { origin: req.headers.get('origin'), secFetchSite: req.headers.get('sec-fetch-site'), host: req.headers.get('host') },
    appOrigins,
  );
  if (reason) throw new ServiceError('forbidden', reason);
  if (body === 'json') requireJsonType(req);
}

/** What a route's request body is: JSON (a cookie change must declare it), or a file of any type (the import: still same-origin only). */
export type BodyKind = 'json' | 'file';

/**
 * A route that needs a signed-in user: authenticates, checks that the
 * credential may do what the route does (`access`, by default from the
 * method), runs the service call and answers with its result as JSON
 * (`status` for a created resource).
 */
export function authed<P = Record<string, never>>(handler: Handler<P>, status = 200, access?: RouteAccess, body: BodyKind = 'json') {
  return async (req: Request, context: { params: Promise<P> }): Promise<Response> => {
    try {
      guardCookieChange(req, body);
      const { actor, credential } = await requireAuthenticated(req);
      requireAccess(credential, access ?? (SAFE_METHODS.has(req.method) ? 'read' : 'change'));
      const result = await handler({ req, actor, credential, services: getAppContext().services, params: await context.params });
      // A file (an export) is answered as the handler made it.
      if (result instanceof Response) return result;
      return result === undefined ? new NextResponse(null, { status: 204 }) : NextResponse.json(result, { status });
    } catch (error) {
      return errorResponse(error);
    }
  };
}
