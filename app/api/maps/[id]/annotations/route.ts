import { authed } from '../../../_lib/respond';
import { requireRole } from '@/server/services/maps';
import { measuredAnnotationsOf } from '@/server/services/metrics';

type Params = { id: string };

/** `?period=YYYY-MM`: the month the measured figures are for (the latest stored when left out); `outcomes`: done actions' before → after. */
export const GET = authed<Params>(async ({ req, actor, services, params }) => {
  await requireRole(services, actor, params.id, 'viewer');
  return measuredAnnotationsOf(services, params.id, new URL(req.url).searchParams.get('period'));
});
