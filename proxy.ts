import { withAuth } from 'next-auth/middleware';

/**
 * Pages need a session; without one, the browser goes to /login and comes
 * back after. The API and the websocket answer for themselves (401, 4401);
 * the API's documentation (/docs/api, and /api/openapi.json) is public.
 */
export default withAuth({
  pages: { signIn: '/login' },
});

export const config = {
  matcher: ['/((?!login|api|docs/api|_next/static|_next/image|favicon.ico).*)'],
};
