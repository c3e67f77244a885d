import { authed } from '../../../_lib/respond';
import { contentDisposition } from '@/lib/exchange/formats';
import { exportMap } from '@/server/services/exchange';

type Params = { id: string };

/** `?format=json|csv|mermaid` (any member); `comments=0` leaves the discussion out. The file, named after the map's title. */
export const GET = authed<Params>(async ({ req, actor, services, params }) => {
  const query = new URL(req.url).searchParams;
  const file = await exportMap(services, actor, params.id, { format: query.get('format'), comments: query.get('comments') });
  return new Response(typeof file.body === 'string' ? file.body : new Uint8Array(file.body), {
    status: 200,
    headers: {
      'content-type': file.contentType,
      'content-disposition': contentDisposition(file.fileName),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
});
