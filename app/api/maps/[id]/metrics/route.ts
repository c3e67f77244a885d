import { authed, readMetricsJson } from '../../../_lib/respond';
import { listMetrics, pushMetrics } from '@/server/services/metrics';

type Params = { id: string };

/** Any member; also a `read`, `write` or `metrics` token. */
export const GET = authed<Params>(
  async ({ req, actor, services, params }) => {
    const query = new URL(req.url).searchParams;
    return listMetrics(services, actor, params.id, { from: query.get('from'), to: query.get('to') });
  },
  200,
  'metrics-read',
);

/** Editor or owner; a session, or a `write` or `metrics` token. The body may be up to 16 MiB (lib/http/same-origin.ts). */
export const PUT = authed<Params>(async ({ req, actor, services, params }) => pushMetrics(services, actor, params.id, await readMetricsJson(req)), 200, 'metrics-change');
