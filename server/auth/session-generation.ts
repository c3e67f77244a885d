import type { JWT } from 'next-auth/jwt';
import type { AccountStore } from '../accounts/account-store';

/**
 * Sessions are JWTs in a cookie, so they cannot be deleted on the server:
 * each carries the user's session generation (`gen`) from when it signed in,
 * and raising the generation ends every session signed in before
 * (sign out everywhere, a password change). Tokens from before generations
 * existed have no `gen`, which counts as 0, the column's start.
 */
export async function sessionIsCurrent(accounts: AccountStore, token: JWT): Promise<boolean> {
  if (!token.sub) return false;
  const user = await accounts.getUserById(token.sub);
  return user !== null && user.sessionGeneration === (typeof token.gen === 'number' ? token.gen : 0);
}
