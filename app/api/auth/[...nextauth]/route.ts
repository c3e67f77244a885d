import NextAuth from 'next-auth';
import { NextRequest } from 'next/server';
import { errorResponse, readLimitedText } from '../../_lib/respond';
import { authOptions } from '@/server/auth/auth-options';

type Context = { params: Promise<{ nextauth: string[] }> };

// Options are built per request: the services they use exist only at run time.
const handler = (req: NextRequest, context: Context): Promise<Response> => NextAuth(req, context, authOptions()) as Promise<Response>;

/** next-auth reads a form body whole: it gets it only once it is known to be within the JSON API's limit. */
async function post(req: NextRequest, context: Context): Promise<Response> {
  let text: string;
  try {
    text = await readLimitedText(req);
  } catch (error) {
    return errorResponse(error);
  }
  const headers = new Headers(req.headers);
  headers.delete('content-length');
  return handler(new NextRequest(req.url, { method: 'POST', headers, body: text }), context);
}

export { handler as GET, post as POST };
