import NextAuth from 'next-auth';
import type { NextRequest } from 'next/server';
import { authOptions } from '@/server/auth/auth-options';

type Context = { params: Promise<{ nextauth: string[] }> };

// Options are built per request: the services they use exist only at run time.
const handler = (req: NextRequest, context: Context): Promise<Response> => NextAuth(req, context, authOptions()) as Promise<Response>;

export { handler as GET, handler as POST };
