import { redirect } from 'next/navigation';
import type { Actor } from '../services/context';
import { currentActor } from './request-actor';

/** The signed-in user of a page, or a redirect to /login that comes back to `path`. */
export async function requirePageActor(path: string): Promise<Actor> {
  const actor = await currentActor(null);
  if (!actor) redirect(`/login?callbackUrl=${encodeURIComponent(path)}`);
  return actor;
}
