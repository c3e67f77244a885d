import { getServerSession } from 'next-auth';
import type { TokenScope } from '../../lib/permissions/account-input';
import { getAppContext } from '../app-context';
import type { Actor } from '../services/context';
import { ServiceError } from '../services/service-error';
import { actorForPersonalToken } from '../services/tokens';
import { getActor } from '../services/users';
import { authOptions } from './auth-options';

/** How a request proved who it is: the session cookie of a signed-in browser, or a personal access token and its scope. */
export type Credential = { kind: 'session' } | { kind: 'token'; scope: TokenScope };

export interface Authenticated {
  actor: Actor;
  credential: Credential;
}

const SIGN_IN_FIRST = 'Sign in first, or send a personal access token as "Authorization: Bearer <token>"';

/** The signed-in user of a request: a personal access token (`Authorization: Bearer …`) or the session cookie. */
export async function requireActor(req: Request): Promise<Actor> {
  return (await requireAuthenticated(req)).actor;
}

/** The signed-in user of a request and how they proved it, or a 401. */
export async function requireAuthenticated(req: Request): Promise<Authenticated> {
  const authenticated = await authenticate(req);
  if (!authenticated) throw new ServiceError('unauthorized', SIGN_IN_FIRST);
  return authenticated;
}

export async function currentActor(req: Request | null): Promise<Actor | null> {
  return (await authenticate(req))?.actor ?? null;
}

async function authenticate(req: Request | null): Promise<Authenticated | null> {
  const { services } = getAppContext();
  const authorization = req?.headers.get('authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const holder = match?.[1] ? await actorForPersonalToken(services, match[1]) : null;
    if (!holder) throw new ServiceError('unauthorized', 'The access token is invalid or revoked');
    return { actor: holder.actor, credential: { kind: 'token', scope: holder.scope } };
  }
  // The session callback has already checked the session's generation (auth-options.ts): an ended session reads as none.
  const session = await getServerSession(authOptions());
  const actor = session?.user?.id ? await getActor(services, session.user.id) : null;
  return actor ? { actor, credential: { kind: 'session' } } : null;
}
