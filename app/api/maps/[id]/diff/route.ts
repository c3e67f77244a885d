import { authed } from '../../../_lib/respond';
import { diffWorkshop } from '@/server/services/workshops';

type Params = { id: string };

export const GET = authed<Params>(async ({ actor, services, params }) => diffWorkshop(services, actor, params.id));
