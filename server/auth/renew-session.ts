import { cookies } from 'next/headers';
import { decode, encode } from 'next-auth/jwt';
import { SESSION_MAX_AGE_SECONDS } from './auth-options';

/** next-auth's session cookie: the `__Secure-` one behind HTTPS (NEXTAUTH_URL https://…), the plain one otherwise. */
const SESSION_COOKIES = ['__Secure-next-auth.session-token', 'next-auth.session-token'] as const;

/**
 * Moves the request's own session to a new session generation, so that it
 * stays signed in when a password change ends every other session: the JWT
 * is decoded, given the new generation and sent back in the same cookie, as
 * next-auth itself renews it. For a route handler (cookies are writable there).
 */
export async function renewSession(secret: string, generation: number): Promise<void> {
  const jar = await cookies();
  for (const name of SESSION_COOKIES) {
    const value = jar.get(name)?.value;
    if (!value) continue;
    const token = await decode({ token: value, secret });
    if (!token?.sub) return;
    const renewed = await encode({ token: { ...token, gen: generation }, secret, maxAge: SESSION_MAX_AGE_SECONDS });
    jar.set(name, renewed, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: name.startsWith('__Secure-'),
      expires: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000),
    });
    return;
  }
}
