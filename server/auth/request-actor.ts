import { getServerSession } from 'next-auth';
import { getAppContext } from '../app-context';
import type { Actor } from '../services/context';
import { ServiceError } from '../services/service-error';
import { actorForPersonalToken } from '../services/tokens';
import { getActor } from '../services/users';
import { authOptions } from './auth-options';

/** The signed-in user of a request: a personal access token (`Authorization: Bearer …`) or the session cookie. */
export async function requireActor(req: Request): Promise<Actor> {
  const actor = await currentActor(req);
  if (!actor) throw new ServiceError('unauthorized', 'Sign in first, or send a personal access token as "Authorization: Bearer <token>"');
  return actor;
}

export async function currentActor(req: Request | null): Promise<Actor | null> {
  const { services } = getAppContext();
  const authorization = req?.headers.get('authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const actor = match?.[1] ? await actorForPersonalToken(services, match[1]) : null;
    if (!actor) throw new ServiceError('unauthorized', 'The access token is invalid or revoked');
    return actor;
  }
  const session = await getServerSession(authOptions());
  return session?.user?.id ? getActor(services, session.user.id) : null;
}
