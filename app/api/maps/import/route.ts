import { authed, readLimitedBytes } from '../../_lib/respond';
import { MAX_IMPORT_BODY_BYTES } from '@/lib/http/same-origin';
import { importMap } from '@/server/services/exchange';

/**
 * `?format=json|csv|mermaid&title=…&mapping={…}` with the file as the body:
 * 201 and the new map (the caller owns it), or 400 `{ error, details: [{ row, message }] }`
 * and no map; 413 past 10 MiB, before the body is read whole.
 */
export const POST = authed(
  async ({ req, actor, services }) => {
    const query = new URL(req.url).searchParams;
    const file = await readLimitedBytes(req, MAX_IMPORT_BODY_BYTES);
    return importMap(services, actor, { format: query.get('format'), title: query.get('title'), mapping: query.get('mapping') }, file);
  },
  201,
  'change',
  'file',
);
