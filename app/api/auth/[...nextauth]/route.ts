import NextAuth from 'next-auth';
import { NextRequest, NextResponse } from 'next/server';
import { errorResponse, readLimitedText } from '../../_lib/respond';
import { authOptions } from '@/server/auth/auth-options';

type Context = { params: Promise<{ nextauth: string[] }> };

// Options are built per request: the services they use exist only at run time.
const handler = (req: NextRequest, context: Context): Promise<Response> => NextAuth(req, context, authOptions()) as Promise<Response>;

/** next-auth answers a GET of the credentials callback with its own 500 ("not supported"): the sign-in form only ever POSTs there. */
async function get(req: NextRequest, context: Context): Promise<Response> {
  const { nextauth } = await context.params;
  if (nextauth.length === 2 && nextauth[0] === 'callback' && nextauth[1] === 'credentials') {
    return NextResponse.json({ error: 'Sign in with a POST from the sign-in form (/login); a GET of this address signs no one in' }, { status: 405, headers: { allow: 'POST' } });
  }
  return handler(req, context);
}

/** next-auth reads a form body whole: it gets it only once it is known to be within the JSON API's limit. */
async function post(req: NextRequest, context: Context): Promise<Response> {
  let text: string;
  try {
    text = await readLimitedText(req);
  } catch (error) {
    return errorResponse(error);
  }
  // next-auth parses a JSON body with req.json() and reads fields off it: anything but a JSON object made it throw (500).
  if (isJsonType(req.headers.get('content-type')) && !isJsonObject(text)) {
    return NextResponse.json({ error: 'Send the sign-in fields as a JSON object, or as a form (application/x-www-form-urlencoded)' }, { status: 400 });
  }
  const headers = new Headers(req.headers);
  headers.delete('content-length');
  return handler(new NextRequest(req.url, { method: 'POST', headers, body: text }), context);
}

/** next-auth's own test: any content type that mentions application/json. */
function isJsonType(contentType: string | null): boolean {
  return contentType?.includes('application/json') ?? false;
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

export { get as GET, post as POST };
