import { authed } from '../../../../../_lib/respond';
import { restoreVersion } from '@/server/services/versions';

type Params = { id: string; vid: string };

export const POST = authed<Params>(async ({ actor, services, params }) => restoreVersion(services, actor, params.id, params.vid));
