import { uuidv4 } from 'lib0/random';
import { z } from 'zod';
import { DuplicateUserError } from '../accounts/account-store';
import type { Actor, ServiceContext } from '../services/context';
import { toActor } from '../services/users';

export interface OidcProfile extends Record<string, unknown> {
  sub: string;
  email?: string;
  /** OpenID Connect Core 5.1: true when the provider has checked that the person controls the address. */
  email_verified?: boolean | string;
  name?: string;
}

const OidcEnv = z.object({
  OIDC_ISSUER: z.url('OIDC_ISSUER must be the issuer URL, e.g. https://login.example.com/realms/acme'),
  OIDC_CLIENT_ID: z.string().min(1, 'OIDC_CLIENT_ID is required with OIDC_ISSUER'),
  OIDC_CLIENT_SECRET: z.string().min(1, 'OIDC_CLIENT_SECRET is required with OIDC_ISSUER'),
  OIDC_NAME: z.string().min(1).default('Single sign-on'),
});

/** OpenID Connect (Okta, Entra ID, Google Workspace, Keycloak…) is on when OIDC_ISSUER is set. */
export function oidcConfigFromEnv(env: NodeJS.ProcessEnv): { issuer: string; clientId: string; clientSecret: string; name: string } | null {
  if (!env.OIDC_ISSUER) return null;
  const parsed = OidcEnv.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid OIDC settings: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  const e = parsed.data;
  return { issuer: e.OIDC_ISSUER, clientId: e.OIDC_CLIENT_ID, clientSecret: e.OIDC_CLIENT_SECRET, name: e.OIDC_NAME };
}

/** Some providers send the claim as the string "true". */
export const emailVerified = (profile: Pick<OidcProfile, 'email_verified'>): boolean => profile.email_verified === true || profile.email_verified === 'true';

/** Why a single sign-on was refused: the `error` of /login, which says it in a sentence (app/login/page.tsx). */
export type OidcRefusal = 'OidcNoEmail' | 'OidcEmailNotVerified';

/**
 * The account of an OIDC sign-in, matched by email, created on first sign-in
 * (invitations to its address are accepted on their link). Only an email
 * the provider has verified is trusted, and it then counts as confirmed: an unverified one could be anybody's, so it neither matches an
 * existing account (that would hand a password account to whoever typed its
 * address at the provider) nor creates one (which its owner could then never
 * reach with a verified sign-in of their own without taking it over).
 */
export async function signInWithOidc(ctx: ServiceContext, profile: { email: string | null; name: string | null; emailVerified: boolean }): Promise<Actor | OidcRefusal> {
  const email = profile.email?.trim().toLowerCase();
  if (!email) return 'OidcNoEmail';
  if (!profile.emailVerified) return 'OidcEmailNotVerified';
  const existing = await ctx.accounts.getUserByEmail(email);
  // The provider vouches for the address: it counts as confirmed (invitations to it can be accepted).
  if (existing) {
    if (existing.emailVerifiedAt === null) await ctx.accounts.markEmailVerified(existing.id);
    return toActor(existing);
  }
  const user = await ctx.accounts.createUser({ id: uuidv4(), email, name: profile.name?.trim() || email, passwordHash: null }).catch(async (error: unknown) => {
    // A first sign-in racing another: the account exists now.
    const raced = error instanceof DuplicateUserError ? await ctx.accounts.getUserByEmail(email) : null;
    if (!raced) throw error;
    return raced;
  });
  if (user.emailVerifiedAt === null) await ctx.accounts.markEmailVerified(user.id);
  return toActor(user);
}
