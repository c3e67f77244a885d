import { authed } from '../../../../_lib/respond';
import { deleteMetricsPeriod } from '@/server/services/metrics';

type Params = { id: string; period: string };

/** Editor or owner; a session, or a `write` or `metrics` token. */
export const DELETE = authed<Params>(async ({ actor, services, params }) => deleteMetricsPeriod(services, actor, params.id, params.period), 200, 'metrics-change');
