import { authed } from '../../../_lib/respond';
import { issueCollabToken } from '@/server/services/tokens';

type Params = { id: string };

// Minting changes nothing; a read-only access token gets a viewer's token, so it reads the live map and writes nothing.
export const POST = authed<Params>(
  async ({ actor, credential, services, params }) =>
    issueCollabToken(services, actor, params.id, credential.kind === 'token' && credential.scope === 'read' ? 'viewer' : 'owner'),
  200,
  'read',
);
