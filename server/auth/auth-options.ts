import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import { getAppContext } from '../app-context';
import { CLIENT_IP_HEADER } from './client-ip';
import { emailVerified, oidcConfigFromEnv, signInWithOidc, type OidcProfile } from './oidc';
import { ServiceError } from '../services/service-error';
import { authenticate } from '../services/users';
import { sessionIsCurrent } from './session-generation';
import { sameOriginUrl } from '../../lib/http/same-origin';

/** Sessions last a week; sign-in again after that. */
export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

/**
 * next-auth's options, built when a request needs them (the services exist
 * only once server/index.ts runs, never during `next build`).
 */
export function authOptions(): NextAuthOptions {
  const { services, secret } = getAppContext();
  const providers: NextAuthOptions['providers'] = [
    CredentialsProvider({
      id: 'credentials',
      name: 'Email and password',
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials, req) {
        const address = String(req.headers?.[CLIENT_IP_HEADER] ?? 'unknown');
        try {
          const actor = await authenticate(services, credentials, address);
          return { id: actor.id, email: actor.email, name: actor.name };
        } catch (error) {
          // next-auth passes the message to the sign-in form; each one is safe to show.
          if (error instanceof ServiceError) throw new Error(error.message);
          throw error;
        }
      },
    }),
  ];
  const oidc = oidcConfigFromEnv(process.env);
  if (oidc) {
    const provider: OAuthConfig<OidcProfile> = {
      id: 'oidc',
      name: oidc.name,
      type: 'oauth',
      wellKnown: `${oidc.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
      clientId: oidc.clientId,
      clientSecret: oidc.clientSecret,
      authorization: { params: { scope: 'openid email profile' } },
      // The ID token is checked (signature, issuer, audience, PKCE and state)…
      idToken: true,
      checks: ['pkce', 'state'],
      // …but most providers put `email` and `email_verified` on the userinfo endpoint, not in the ID
      // token of the code flow (OpenID Connect Core 5.4); ask there, for the same `sub`.
      userinfo: {
        async request({ tokens, client }) {
          // `tokens` is openid-client's TokenSet here (next-auth's type leaves out claims()): the checked ID token.
          const idToken = (tokens as unknown as { claims(): OidcProfile }).claims();
          const info = (await client.userinfo(tokens.access_token ?? '')) as OidcProfile;
          // OpenID Connect Core 5.3.2: an answer about another subject must not be used.
          if (info.sub !== idToken.sub) throw new Error('The userinfo endpoint answered for another subject than the ID token');
          return { ...idToken, ...info };
        },
      },
      profile: (profile) => ({ id: profile.sub, email: profile.email ?? null, name: profile.name ?? profile.email ?? null }),
    };
    providers.push(provider);
  }
  return {
    secret,
    providers,
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: '/login', error: '/login' },
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== 'oidc') return true;
        // OIDC users are matched to (or become) accounts by their email, when the provider has verified it.
        const actor = await signInWithOidc(services, { email: user.email ?? null, name: user.name ?? null, emailVerified: emailVerified((profile ?? {}) as OidcProfile) });
        // A refusal goes back to the sign-in page, which says why in a sentence.
        if (typeof actor === 'string') return `/login?error=${actor}`;
        user.id = actor.id;
        return true;
      },
      async jwt({ token, user }) {
        if (user) {
          // Signing in: the session belongs to the user's current session generation.
          token.sub = user.id;
          token.gen = (await services.accounts.getUserById(user.id))?.sessionGeneration ?? 0;
          return token;
        }
        // Every read of the session: one signed in before "sign out everywhere" or a password
        // change (or whose account is gone) has ended. The emptied token reads as no session.
        return (await sessionIsCurrent(services.accounts, token)) ? token : {};
      },
      // After sign-in and sign-out: only this app's own URLs, whatever callbackUrl a link carried.
      redirect({ url, baseUrl }) {
        return sameOriginUrl(url, baseUrl);
      },
      async session({ session, token }) {
        // An ended session answers as none at all (next-auth reads an empty object as signed out).
        if (!token.sub) return {} as typeof session;
        if (session.user) session.user.id = token.sub;
        return session;
      },
    },
  };
}
