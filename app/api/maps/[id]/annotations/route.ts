import { authed } from '../../../_lib/respond';
import { annotationsOf, requireRole } from '@/server/services/maps';

type Params = { id: string };

export const GET = authed<Params>(async ({ actor, services, params }) => {
  await requireRole(services, actor, params.id, 'viewer');
  return annotationsOf(services, params.id);
});
