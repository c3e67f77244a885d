import { withAuth } from 'next-auth/middleware';

/**
 * Pages need a session; without one, the browser goes to /login and comes
 * back after. The API and the websocket answer for themselves (401, 4401).
 */
export default withAuth({
  pages: { signIn: '/login' },
});

export const config = {
  matcher: ['/((?!login|api|_next/static|_next/image|favicon.ico).*)'],
};
