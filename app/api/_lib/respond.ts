import { NextResponse } from 'next/server';
import { getAppContext } from '@/server/app-context';
import { requireActor } from '@/server/auth/request-actor';
import type { Actor, ServiceContext } from '@/server/services/context';
import { HTTP_STATUS, ServiceError } from '@/server/services/service-error';

/** Maps a thrown error to the JSON error answer `{ error, details? }`; only the unexpected is a 500. */
export function errorResponse(error: unknown): NextResponse {
  if (error instanceof ServiceError) {
    return NextResponse.json({ error: error.message, ...(error.details === undefined ? {} : { details: error.details }) }, { status: HTTP_STATUS[error.kind] });
  }
  getAppContext().logger.error({ err: error }, 'API request failed');
  return NextResponse.json({ error: 'Something went wrong on the server; try again' }, { status: 500 });
}

async function parseBody(req: Request, required: boolean): Promise<unknown> {
  const text = await req.text();
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

type Handler<P> = (args: { req: Request; actor: Actor; services: ServiceContext; params: P }) => Promise<unknown>;

/**
 * A route that needs a signed-in user: authenticates, runs the service call
 * and answers with its result as JSON (`status` for a created resource).
 */
export function authed<P = Record<string, never>>(handler: Handler<P>, status = 200) {
  return async (req: Request, context: { params: Promise<P> }): Promise<NextResponse> => {
    try {
      const actor = await requireActor(req);
      const result = await handler({ req, actor, services: getAppContext().services, params: await context.params });
      return result === undefined ? new NextResponse(null, { status: 204 }) : NextResponse.json(result, { status });
    } catch (error) {
      return errorResponse(error);
    }
  };
}
