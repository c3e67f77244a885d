import { openApiDocument, type OpenApiDocument } from '@/lib/http/openapi';
import { getAppContext } from '@/server/app-context';

// Built at request time: the version is the running server's (and `next build` has no app context to give one).
export const dynamic = 'force-dynamic';

let built: { version: string; doc: OpenApiDocument } | null = null;

/** The OpenAPI 3.1 document of the HTTP API (lib/http/openapi.ts), public: for tools; /docs/api shows it to people. */
export function GET(): Response {
  const { version } = getAppContext();
  if (built?.version !== version) built = { version, doc: openApiDocument(version) };
  return Response.json(built.doc, { headers: { 'cache-control': 'public, max-age=300' } });
}
