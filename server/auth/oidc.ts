import { uuidv4 } from 'lib0/random';
import { z } from 'zod';
import { DuplicateUserError } from '../accounts/account-store';
import type { Actor, ServiceContext } from '../services/context';
import { ServiceError } from '../services/service-error';
import { toActor } from '../services/users';

export interface OidcProfile extends Record<string, unknown> {
  sub: string;
  email: string;
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

/** The account of an OIDC sign-in, created on first sign-in (invitations to its address are accepted on their link). */
export async function signInWithOidc(ctx: ServiceContext, profile: { email: string | null; name: string | null }): Promise<Actor> {
  const email = profile.email?.trim().toLowerCase();
  if (!email) throw new ServiceError('unauthorized', 'Your identity provider did not share an email address');
  const existing = await ctx.accounts.getUserByEmail(email);
  if (existing) return toActor(existing);
  const user = await ctx.accounts.createUser({ id: uuidv4(), email, name: profile.name?.trim() || email, passwordHash: null }).catch(async (error: unknown) => {
    // A first sign-in racing another: the account exists now.
    const raced = error instanceof DuplicateUserError ? await ctx.accounts.getUserByEmail(email) : null;
    if (!raced) throw error;
    return raced;
  });
  return toActor(user);
}
