import { authed } from '../../../../_lib/respond';
import { getVersion } from '@/server/services/versions';

type Params = { id: string; vid: string };

export const GET = authed<Params>(async ({ actor, services, params }) => getVersion(services, actor, params.id, params.vid));
